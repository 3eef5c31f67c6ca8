"""Why one observed value is invalid, in the assessor's words, and the likely fix.

Pydantic only detects; the message here comes from the field definition
("expected a number from 0 to 3 m, found "1.05m"") and the hint from what
assessors actually write: units in values, 是/否 for true/false, the Chinese
label of a choice instead of its code, 不详 for unknown, centimetres for metres.
"""

from __future__ import annotations

import re
from typing import Any

from checker.core.conditions import fmt_number
from checker.core.messages import Msg, did_you_mean, plain, say
from checker.core.model_problems import shown, suggest_date
from checker.core.standard import FieldSpec

__all__ = ["diagnose_value", "expected", "well_formed"]

Diagnosed = tuple[tuple[str | int, ...], Msg, Msg]

_YES = {"是", "有", "对", "yes", "Yes", "YES", "y", "Y", "true", "True", "TRUE", "1", "✓", "√"}
_NO = {"否", "无", "没有", "错", "no", "No", "NO", "n", "N", "false", "False", "FALSE", "0", "✗", "×"}
_UNKNOWN = {
    "不详", "未知", "未测", "未测量", "无数据", "暂无", "不清楚", "待定", "待测", "缺", "-", "—", "?", "？",
    "N/A", "n/a", "NA", "unknown", "null", "None", "",
}  # fmt: skip
_NUMBER_IN_TEXT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(\S*)\s*$")


def _unit(f: FieldSpec) -> Msg:
    if not f.unit:
        return plain("")
    return Msg("", " " + f.unit_in("zh"), " " + f.unit_in("en"))


def expected(f: FieldSpec) -> Msg:
    """What a field accepts, in the words of an error message."""
    if f.type in ("integer", "number"):
        kind = "want.integer" if f.type == "integer" else "want.number"
        low = None if f.min is None else fmt_number(f.min)
        high = None if f.max is None else fmt_number(f.max)
        suffix = "_range" if low and high else "_min" if low else "_max" if high else ""
        return say(kind + suffix, lo=low or "", hi=high or "", unit=_unit(f))
    if f.type == "enum":
        values = [
            Msg("", f'"{v}"（{f.value_label(v, "zh")}）' if f.value_labels else f'"{v}"', f'"{v}"')
            for v in f.values or []
        ]
        return say("want.enum", values=values)
    return say(f"want.{f.type}")


def diagnose_value(f: FieldSpec, raw: Any, nested: bool = False) -> Diagnosed:
    """Explain why one observation is invalid: (sub-path, message, hint)."""
    if isinstance(raw, dict) and not nested:
        return _diagnose_object(f, raw)
    if isinstance(raw, dict):  # {"value": {"value": 1.6}}: a shape mistake, not a value out of range
        inner = raw.get("value")
        example = shown(inner) if inner is not None and not isinstance(inner, dict | list) else plain("1.6")
        hint = say("hint.nested_value", example=example)
        return (), say("obs.nested_object", fid=f.id, label=f.label), hint
    want = expected(f)
    message = say("obs.expected", fid=f.id, label=f.label, want=want, found=shown(raw))
    if isinstance(raw, str) and raw.strip() in _UNKNOWN:
        return (), message, say("hint.unknown_null")
    if f.type in ("integer", "number") and isinstance(raw, int | float) and not isinstance(raw, bool):
        return _diagnose_number(f, raw, want, message)
    hint = say("hint.record_or_null", want=want)
    if isinstance(raw, str):
        hint = _text_hint(f, raw) or hint
    return (), message, hint


def _diagnose_object(f: FieldSpec, raw: dict[str, Any]) -> Diagnosed:
    extra = [k for k in raw if k not in ("value", "evidence", "note")]
    if extra:
        return (extra[0],), say("obs.unknown_key", key=repr(extra[0])), say("hint.object_keys")
    if "value" not in raw:
        return (), say("obs.needs_value"), say("hint.add_value")
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        example = [evidence] if isinstance(evidence, str) else ["photos/p014.jpg"]
        return ("evidence",), say("obs.evidence_list"), say("hint.evidence_list", example=shown(example[:1]))
    if "note" in raw and raw["note"] is not None and not isinstance(raw["note"], str):
        return ("note",), say("obs.note_text"), say("hint.quote_note")
    too_long = _too_long(evidence, raw.get("note"))
    if too_long is not None:
        return too_long
    if not well_formed(raw):
        return (), say("obs.bad_char"), say("hint.retype")
    sub, message, hint = diagnose_value(f, raw["value"], nested=True)
    return ("value", *sub), message, hint


MAX_EVIDENCE = 100
"""Evidence entries per observation (file names or links)."""
MAX_EVIDENCE_CHARS = 1000
MAX_NOTE_CHARS = 10_000


def well_formed(raw: dict[str, Any], utf8: bool = False) -> bool:
    """An observation object's keys, evidence and note are right (its value aside); ``utf8``: its
    strings are known to be valid UTF-8 (no lone surrogate), so they are not encoded to find one."""
    if not raw.keys() <= _OBJECT_KEYS:
        return False
    evidence = raw.get("evidence", [])
    note = raw.get("note")
    if not isinstance(evidence, list) or (note is not None and not isinstance(note, str)):
        return False
    if len(evidence) > MAX_EVIDENCE or (note is not None and len(note) > MAX_NOTE_CHARS):
        return False
    try:
        for text in evidence:
            if not isinstance(text, str) or len(text) > MAX_EVIDENCE_CHARS:
                return False
            if not utf8:
                text.encode("utf-8")
        if note and not utf8:
            note.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_OBJECT_KEYS = frozenset({"value", "evidence", "note"})


def _too_long(evidence: list[str], note: str | None) -> Diagnosed | None:
    if len(evidence) > MAX_EVIDENCE:
        return (
            ("evidence",),
            say("obs.evidence_too_many", limit=MAX_EVIDENCE, count=len(evidence)),
            say("hint.fewer_evidence"),
        )
    for i, entry in enumerate(evidence):
        if len(entry) > MAX_EVIDENCE_CHARS:
            message = say("obs.evidence_too_long", limit=MAX_EVIDENCE_CHARS, count=len(entry))
            return ("evidence", i), message, say("hint.shorten")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        return ("note",), say("obs.note_too_long", limit=MAX_NOTE_CHARS, count=len(note)), say("hint.shorten")
    return None


def _diagnose_number(f: FieldSpec, raw: float, want: Msg, message: Msg) -> Diagnosed:
    if f.type == "integer" and isinstance(raw, float):
        if raw.is_integer():
            return (), message, say("hint.no_decimal", n=int(raw))
        return (), message, say("hint.whole_number")
    out_of_range = say("obs.out_of_range", fid=f.id, label=f.label, found=shown(raw), want=want)
    for factor in (100, 1000):
        scaled = raw / factor
        if f.max is not None and raw > f.max and scaled <= f.max and (f.min is None or scaled >= f.min):
            return (), out_of_range, say("hint.maybe_scaled", unit=_unit(f), scaled=fmt_number(scaled))
    return (), out_of_range, say("hint.check_measurement")


def _text_hint(f: FieldSpec, raw: str) -> Msg | None:
    text = raw.strip()
    if f.type == "boolean":
        if text in _YES:
            return say("hint.write_bool", value="true", word=plain(raw))
        if text in _NO:
            return say("hint.write_bool", value="false", word=plain(raw))
        if "部分" in text or text.lower().startswith("part"):
            return say("hint.bool_partly")
        return say("hint.bool_no_quotes")
    if f.type in ("integer", "number"):
        match = _NUMBER_IN_TEXT.match(text)
        if match is None:
            return say("hint.number_no_quotes")
        number, unit = match.groups()
        if "," in number:
            return say("hint.decimal_point", number=number.replace(",", "."))
        return say("hint.number_from_text", number=number, unit=unit)
    if f.type == "enum":
        for value in f.values or []:
            labels = f.value_labels.get(value) if f.value_labels else None
            if (labels is not None and text in (labels.zh, labels.en)) or text.lower() == value.lower():
                label = Msg("", f.value_label(value, "zh"), f.value_label(value, "en"))
                return say("hint.enum_code", code=value, label=label)
        return did_you_mean(text, f.values or [], say("hint.record_or_null", want=expected(f)), quote='"')
    if f.type == "date":
        suggestion = suggest_date(text)
        return say("hint.date_suggest", date=suggestion) if suggestion else say("hint.date_example")
    return None
