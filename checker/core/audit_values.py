"""An audit's observations checked and read in one pass when the audit is valid.

Most audits a review board checks are valid, so the common case is one loop
that unwraps the object form, sees that every key is a declared field and
that every value is plainly of its field's type and within its bounds, and
reads the values the engine needs. The checks are compiled once per standard
into a table (``_checks``) and only ever say "surely valid": a value they are
not sure of (a huge integer, a date written oddly) goes to the standard's
observation model (pydantic's compiled validator), which ``audit_checks``
uses too; as soon as anything needs a word this steps aside and
``audit_checks`` finds and words every problem (``tests/test_audit_values.py``
compares the two).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from checker.core.audit_checks import observation_model
from checker.core.audit_diagnose import well_formed

if TYPE_CHECKING:
    from checker.core.audit import Audit
    from checker.core.standard import Standard

__all__ = ["valid_values"]


def valid_values(audit: Audit, standard: Standard, *, utf8: bool = False) -> dict[str, Any] | None:
    """The values the engine reads (unknowns left out), or None when anything needs a word.

    ``utf8``: every string of the audit is known to be valid UTF-8 (orjson parsed it from UTF-8
    bytes and refuses lone surrogates), so no string is encoded again to look for one.
    """
    if audit.standard_version is not None and audit.standard_version != standard.version:
        return None
    rules = standard.rule_map
    for waiver in audit.waivers:
        rule = rules.get(waiver.rule)
        if rule is None or rule.mandatory:
            return None
    if len({waiver.rule for waiver in audit.waivers}) != len(audit.waivers):
        return None
    checks = _checks(standard)
    values: dict[str, Any] = {}
    unsure = False
    for key, raw in audit.observations.items():
        check = checks.get(key)
        if check is None:
            return None
        if type(raw) is dict:
            if "value" not in raw or (len(raw) > 1 and not well_formed(raw, utf8)):
                return None
            raw = raw["value"]
        if raw is None:
            continue
        kind, low, high, allowed = check
        t = type(raw)
        if kind is _BOOL:
            if t is not bool:
                unsure = True
        elif kind is _NUMBER:
            if not ((t is float or t is int) and low <= raw <= high):
                unsure = True
        elif kind is _INTEGER:
            if not (t is int and low <= raw <= high):
                unsure = True
        elif kind is _ENUM:
            if not (t is str and raw in allowed):
                unsure = True
        elif kind is _DATE:
            day = _day(raw) if t is str else None
            if day is None:
                unsure = True
            else:
                raw = day
        elif not (t is str and _plain_text(raw, utf8)):
            unsure = True
        values[key] = raw
    if unsure:
        bare = {k: v["value"] if type(v) is dict else v for k, v in audit.observations.items()}
        try:
            observation_model(standard).model_validate(bare)
        except ValidationError:
            return None
        for key in _dates(standard).intersection(values):
            if isinstance(values[key], str):
                values[key] = dt.date.fromisoformat(values[key]).toordinal()
    return values


_BOOL, _INTEGER, _NUMBER, _ENUM, _DATE, _TEXT = "boolean", "integer", "number", "enum", "date", "text"
_EXACT = 2**53 - 1
"""Numbers beyond this are left to the model (a float bound compares such integers otherwise than
Python): every field's bounds are within it, so no bound lets one through, nor an infinity (and NaN
fails every comparison)."""
_TEXT_MAX = 10_000

Check = tuple[str, float, float, frozenset[str]]


def _checks(standard: Standard) -> dict[str, Check]:
    """Each field's type, bounds (within ``_EXACT``) and enum values, once per standard."""
    found: dict[str, Check] | None = standard.memo.get("observation_checks")
    if found is None:
        kinds = {"boolean": _BOOL, "integer": _INTEGER, "number": _NUMBER, "enum": _ENUM, "date": _DATE}
        found = standard.memo["observation_checks"] = {
            f.id: (
                kinds.get(f.type, _TEXT),
                -_EXACT if f.min is None else max(f.min, -_EXACT),
                _EXACT if f.max is None else min(f.max, _EXACT),
                frozenset(f.values or ()),
            )
            for f in standard.fields
        }
    return found


def _dates(standard: Standard) -> frozenset[str]:
    found: frozenset[str] | None = standard.memo.get("date_fields")
    if found is None:
        found = standard.memo["date_fields"] = frozenset(f.id for f in standard.fields if f.type == "date")
    return found


def _day(text: str) -> int | None:
    """The day number of a plain ``YYYY-MM-DD`` date that exists, else None (the model decides)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return None
    digits = text[:4] + text[5:7] + text[8:]
    if not digits.isdigit():
        return None
    try:
        return dt.date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def _plain_text(text: str, utf8: bool = False) -> bool:
    if len(text) > _TEXT_MAX:
        return False
    if utf8:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
