"""One error type for everything a user can get wrong, carrying every problem found.

The library raises; only the CLI turns errors into exit codes. A problem always
names the file and the place (``line:col`` for YAML and JSON syntax, a JSON path
for values) and says how to fix it, because the reader is a site assessor or a
standard author, not a programmer.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AuditError", "CheckerError", "Problem", "StandardError", "UsageError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, with where it is and what to do."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            where += f": {self.path}"
        return where

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


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


class StandardError(CheckerError):
    """A standard (YAML checklist) is invalid or cannot be found."""

    kind = "standard"


class AuditError(CheckerError):
    """An audit (JSON) is invalid for its standard, or unreadable."""

    kind = "audit"


class UsageError(CheckerError):
    """The caller asked for something that cannot be done (unknown standard id...)."""

    kind = "usage"
