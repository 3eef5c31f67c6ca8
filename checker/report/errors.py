"""The report's own error: something about making a document, not about the audit."""

from __future__ import annotations

from checker.core.errors import CheckerError

__all__ = ["ReportError"]


class ReportError(CheckerError):
    """A report cannot be produced (no CJK font, unwritable target, refused resource...)."""

    kind = "report"
