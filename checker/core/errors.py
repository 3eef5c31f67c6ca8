"""One error type for everything a user can get wrong, carrying every problem found.

The library raises; only the CLI turns errors into exit codes. A problem always
names the file and the place (``line:col`` for YAML and JSON syntax, a JSON path
for values, ``SHEET!CELL`` for a workbook) and says how to fix it, because the
reader is a site assessor or a standard author, not a programmer.

A problem carries its message and hint in both languages (from the catalogue
``checker.core.messages``): ``text(lang)`` renders one, ``str()`` gives the
English, ``to_dict()`` both. A plain string still works as a message (it then
reads the same in both languages) for code not yet moved to the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.core.messages import Msg
from checker.core.text import Lang

__all__ = [
    "AuditError",
    "CheckerError",
    "InternalError",
    "Interrupted",
    "Problem",
    "StandardError",
    "UsageError",
    "error_record",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, with where it is and what to do.

    ``message`` and ``hint`` are the English texts; ``message_zh`` and
    ``hint_zh`` the Chinese ones (empty when the problem was built from a
    plain string); ``code`` names the catalogue entry.
    """

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    message_zh: str = ""
    hint_zh: str = ""
    code: str = ""

    @classmethod
    def of(
        cls,
        file: str,
        message: Msg | str,
        hint: Msg | str | None = None,
        *,
        path: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> Problem:
        """A problem from catalogue messages (``say(...)``) or plain text."""
        msg = message if isinstance(message, Msg) else Msg("", message, message)
        tip = hint if isinstance(hint, Msg) else Msg("", hint or "", hint or "")
        return cls(file, msg.en, path, line, column, tip.en, msg.zh, tip.zh, msg.key)

    def message_in(self, lang: Lang) -> str:
        return (self.message_zh or self.message) if lang == "zh" else self.message

    def hint_in(self, lang: Lang) -> str:
        return (self.hint_zh or self.hint) if lang == "zh" else self.hint

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            # a JSON path follows the position; a place in a workbook or an export is part of the file's name
            where += f": {self.path}" if self.path.startswith("$") else f":{self.path}"
        return where

    def text(self, lang: Lang) -> str:
        """``file:line:col: path: message — hint`` in one language."""
        text = f"{self.location()}: {self.message_in(lang)}"
        hint = self.hint_in(lang)
        if hint:
            text += f" — {hint}"
        return text

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self) -> dict[str, Any]:
        """Both languages, for JSON output and library users."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": {"zh": self.message_in("zh"), "en": self.message},
            "hint": {"zh": self.hint_in("zh"), "en": self.hint},
        }


class CheckerError(Exception):
    """Base of all input errors; holds every problem found, not just the first."""

    kind = "input"

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a CheckerError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def file(self) -> str:
        return self.problems[0].file

    def text(self, lang: Lang) -> str:
        return "\n".join(p.text(lang) for p in self.problems)


class StandardError(CheckerError):
    """A standard (YAML checklist) is invalid or cannot be found."""

    kind = "standard"


class AuditError(CheckerError):
    """An audit (JSON) is invalid for its standard, or unreadable."""

    kind = "audit"


class UsageError(CheckerError):
    """The caller asked for something that cannot be done (unknown standard id...)."""

    kind = "usage"


class InternalError(CheckerError):
    """A fault in tongcheck itself met while checking one input (the others go on); exit status 3."""

    kind = "internal"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a batch that writes files, with the files already written (complete ones only)."""

    def __init__(self, written: list[str]) -> None:
        super().__init__()
        self.written = written


def error_record(path: str, error: CheckerError) -> dict[str, Any]:
    """What ``--format json`` writes for an input that could not be checked (one JSON line).

    ``{"format": 1, "path": ..., "error": "audit", "problems": [...]}``: the
    ``error`` key (the kind: ``audit``, ``standard``, ``usage`` or ``internal``) tells it
    from a result, which has a ``verdict``; every problem carries both
    languages (:meth:`Problem.to_dict`).
    """
    return {
        "format": 1,
        "path": path,
        "error": error.kind,
        "problems": [p.to_dict() for p in error.problems],
    }
