"""Pydantic validation errors of a standard as located problems an author can act on.

Pydantic's locations carry union and type tags and its messages speak of
Python types; this turns each error into a real JSON path, a plain message
and a hint, one per place.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from checker.core.errors import Problem
from checker.core.sources import Located

__all__ = ["model_problems"]


def model_problems(exc: ValidationError, located: Located, name: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = _clean_loc(error["loc"])
        key = (loc, error["type"])
        if key in seen or loc in {s[0] for s in seen if s[1] == "extra_forbidden"}:
            continue
        seen.add(key)
        message, hint = _describe(error, loc)
        problems.append(located.problem(name, loc, message, hint))
        if len(problems) >= 200:
            break
    return problems


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union/type tags from a location so it is a real JSON path."""
    skip = {
        "int",
        "float",
        "str",
        "bool",
        "list",
        "dict",
        "constrained-str",
        "function-after",
        "lax-or-strict",
        "literal",
        "tagged-union",
        "none",
    }
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (part in skip or part.startswith(("function-", "json-or-python"))):
            continue
        if isinstance(part, str) and "[" in part:
            continue
        out.append(part)
    return tuple(out)


_TEXT_KEYS = {"title", "label", "remediation", "description", "note", "help", "issuer", "unit"}
_HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "quote the value (YAML reads 2024.10 as a number and no as false)",
    "bool_type": "write true or false (yes/no/on/off are not accepted)",
    "int_type": "write a whole number",
    "float_type": "write a number",
    "literal_error": "use one of the listed values",
    "string_pattern_mismatch": "use lower-case letters, digits, _ or -",
    "too_short": "add at least one item",
    "greater_than": "use a larger number",
    "less_than_equal": "use a smaller number",
}


def _describe(error: Any, loc: tuple[str | int, ...]) -> tuple[str, str]:
    kind = error["type"]
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"required key {key!r} is missing", _HINTS["missing"]
    if kind == "extra_forbidden":
        parent = loc[-2] if len(loc) > 1 else ""
        if parent in _TEXT_KEYS or (isinstance(key, str) and len(loc) > 1 and " " in key):
            return f"unknown key {key!r}", (
                'quote the text: in {zh: ..., en: ...} a comma starts a new key, so write en: "a, b"'
            )
        return f"unknown key {key!r}", _HINTS["extra_forbidden"]
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{error['msg']} (found {shown})", _HINTS.get(kind, "see docs/formats.md")


