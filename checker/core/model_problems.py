"""Pydantic validation errors as located problems in the reader's words, never pydantic's.

Pydantic detects (shapes, types, bounds); this module says what is wrong and
how to fix it from the message catalogue, one problem per place. Audits,
standards and plans share it; each passes its own key hints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from checker.core.errors import Problem
from checker.core.messages import Msg, did_you_mean, plain, say

__all__ = ["clean_loc", "model_problems", "shown", "suggest_date"]

Loc = tuple[str | int, ...]
Locate = Callable[[Loc, Msg, Msg], Problem]

_TAGS = {
    "int", "float", "str", "bool", "list", "dict", "constrained-str", "function-after", "lax-or-strict",
    "literal", "tagged-union", "none", "nullable",
}  # fmt: skip
_TYPE_WORDS = {
    "string_type": "word.text",
    "int_type": "word.integer",
    "int_from_float": "word.integer",
    "float_type": "word.number",
    "bool_type": "word.boolean",
    "dict_type": "word.object",
    "model_type": "word.object",
    "model_attributes_type": "word.object",
    "list_type": "word.list",
    "date_type": "word.date",
}
_BOUNDS = {
    "greater_than": ("model.greater_than", "gt"),
    "greater_than_equal": ("model.at_least", "ge"),
    "less_than": ("model.less_than", "lt"),
    "less_than_equal": ("model.at_most", "le"),
    "string_too_short": ("model.text_too_short", "min_length"),
    "string_too_long": ("model.text_too_long", "max_length"),
    "too_short": ("model.too_few", "min_length"),
    "too_long": ("model.too_many", "max_length"),
}


def clean_loc(loc: Sequence[Any]) -> Loc:
    """Pydantic's location without its union and type tags: a real JSON path."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part in _TAGS or part.startswith(("function-", "json-or-python")) or "[" in part
        ):
            continue
        out.append(part)
    return tuple(out)


def shown(value: Any) -> Msg:
    """A value as the reader typed it (JSON notation), short; objects and lists by kind."""
    if isinstance(value, dict):
        return say("word.object")
    if isinstance(value, list):
        return say("word.list")
    text = json.dumps(value, ensure_ascii=False)
    return plain(text if len(text) <= 60 else text[:57] + "...")


_DATE = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*$")


def suggest_date(text: Any) -> str | None:
    """``2026年5月12日``, ``2026/5/12``, ``2026.05.12`` as ``2026-05-12`` (None if not a date)."""
    import datetime as dt

    match = _DATE.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def model_problems(
    exc: ValidationError,
    locate: Locate,
    *,
    key_hints: Mapping[str, str] | None = None,
    known_keys: Callable[[Loc], Sequence[str]] | None = None,
    extra_hint: Callable[[Loc], Msg | None] | None = None,
    default_hint: str = "hint.see_template",
    kind_hints: Mapping[str, str] | None = None,
    limit: int = 200,
) -> list[Problem]:
    """One problem per place. ``key_hints`` maps a key to the hint for any error there,
    ``kind_hints`` a pydantic error type to its hint (a file format's own advice);
    ``known_keys`` lists the keys allowed beside an unknown one (for "did you mean")."""
    problems: list[Problem] = []
    seen: set[Loc] = set()
    for error in exc.errors(include_url=False):
        loc = clean_loc(error["loc"])
        if loc in seen:
            continue
        seen.add(loc)
        hints = {**(kind_hints or {}), **(key_hints or {})}
        message, hint = _describe(error, loc, hints, known_keys, extra_hint, default_hint)
        problems.append(locate(loc, message, hint))
        if len(problems) >= limit:
            break
    return problems


def _describe(
    error: Any,
    loc: Loc,
    hints: Mapping[str, str],
    known_keys: Callable[[Loc], Sequence[str]] | None,
    extra_hint: Callable[[Loc], Msg | None] | None,
    default_hint: str,
) -> tuple[Msg, Msg]:
    kind = error["type"]
    key = str(loc[-1]) if loc else ""
    ctx = error.get("ctx") or {}
    given = error.get("input")
    chosen = hints.get(key) or hints.get(kind)
    hint = say(chosen) if chosen else None
    if kind == "missing":
        return say("model.missing", key=repr(key)), hint or say("hint.add_key", key=key)
    if kind == "extra_forbidden":
        special = extra_hint(loc) if extra_hint else None
        fallback = did_you_mean(key, known_keys(loc[:-1]) if known_keys else [], say("hint.remove_key"))
        return say("model.unknown_key", key=repr(key)), special or fallback
    if kind in _TYPE_WORDS:
        word = _TYPE_WORDS[kind].split(".")[1]
        return say("model.wrong_type", want=say(_TYPE_WORDS[kind]), found=shown(given)), hint or say(
            f"hint.type_{word}"
        )
    if kind == "literal_error":
        options = [a or b for a, b in re.findall(r"'([^']*)'|(-?\d+)", str(ctx.get("expected", "")))]
        if len(options) == 1:
            return say("model.must_be", value=options[0], found=shown(given)), hint or say(
                "hint.listed_value"
            )
        listed = [plain(json.dumps(o, ensure_ascii=False)) for o in options]
        return say("model.one_of", options=listed, found=shown(given)), hint or say("hint.listed_value")
    if kind == "string_pattern_mismatch":
        if given == "YYYY-MM-DD":
            return say("model.date_placeholder"), say("hint.date_example")
        date = suggest_date(given)
        if date is not None:
            return say("model.date_format", found=shown(given)), say("hint.date_suggest", date=date)
        if "\\d{4}-\\d{2}-\\d{2}" in str(ctx.get("pattern", "")):
            return say("model.date_format", found=shown(given)), say("hint.date_example")
        if "条文说明" in str(ctx.get("pattern", "")):  # a clause (common.CLAUSE)
            return say("model.pattern", found=shown(given)), say("hint.clause_form")
        return say("model.pattern", found=shown(given)), hint or say("hint.pattern")
    if kind in ("too_short", "too_long") and isinstance(given, str):
        kind = "string_" + kind
    if kind in _BOUNDS:
        entry, name = _BOUNDS[kind]
        return say(entry, limit=ctx.get(name, ""), found=shown(given)), hint or say("hint.change_value")
    if kind == "blank_text":
        return say("model.blank"), say("hint.write_text")
    if kind == "date_not_real":
        return say("model.not_real_date", found=shown(given)), hint or say("hint.date_example")
    if kind == "string_unicode":
        return say("model.bad_char"), say("hint.retype")
    return say("model.invalid", found=shown(given)), hint or say(default_hint)
