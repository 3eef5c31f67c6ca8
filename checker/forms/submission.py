"""One filled form (a workbook, or one submission of an export) turned into audit JSON.

Every reader (Excel checklist, ODK Central CSV/OData, KoboToolbox JSON/XLSX)
produces a ``Submission``: the raw entries with where each came from. Here
they become typed values by the field's type (a cell's 是, an export's
"true", a label instead of a code), then the audit is validated by the same
code and messages as a JSON audit, and each problem is relocated from its
JSON path to the cell or the submission field it came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from checker.core.audit import Audit
from checker.core.catalog import Catalog
from checker.core.errors import CheckerError, Problem
from checker.core.json_source import parse_json
from checker.core.messages import Msg, say
from checker.core.sources import format_path
from checker.core.standard import FieldSpec, Standard
from checker.forms.words import NULL_WORDS

__all__ = ["Entry", "Submission", "coerce", "split_evidence", "to_audit", "validate"]

_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "√", "✓", "是 yes"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "错", "×", "✗", "否 no"}
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


@dataclass
class Entry:
    """A raw value as found, and where: ``检查表!D12`` or ``submission 3: height_m``."""

    raw: Any
    where: str


@dataclass
class Submission:
    """What one form holds, before typing and validation."""

    file: str
    standard: Entry | None = None
    version: Entry | None = None
    header: dict[str, Entry] = field(default_factory=dict)  # "facility.name", "audited_on", ...
    values: dict[str, Entry] = field(default_factory=dict)
    evidence: dict[str, Entry] = field(default_factory=dict)
    notes: dict[str, Entry] = field(default_factory=dict)
    waivers: list[dict[str, Entry]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    name: str = ""  # a suggested output name (facility id, instance id)


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """A form's raw value as the field's JSON value; what cannot be read is passed on
    unchanged, so validation names it with the usual message."""
    if _is_blank(raw):
        return None
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and text.lower() in NULL_WORDS:
        return None
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return raw
        low = str(raw).strip().lower()
        return True if low in _TRUE else False if low in _FALSE else raw
    if spec.type in ("integer", "number"):
        return _number(spec, raw)
    if spec.type == "enum":
        return _choice(spec, str(raw).strip()) if text is not None else raw
    if spec.type == "date":
        return _date(raw)
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()[:10]
    return str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw


def _number(spec: FieldSpec, raw: Any) -> Any:
    value = raw
    if isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            return raw
    if isinstance(value, bool) or not isinstance(value, int | float):
        return raw
    if spec.type == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and value.is_integer() and isinstance(raw, str) and "." not in raw:
        return int(value)
    return value


def _choice(spec: FieldSpec, text: str) -> Any:
    for value in spec.values or []:
        names = {value, value.lower()}
        label = spec.value_labels.get(value) if spec.value_labels else None
        if label is not None:
            names |= {label.zh, label.en, f"{label.zh} / {label.en}", label.en.lower()}
        if text in names or text.lower() in names:
            return value
    return text


def _date(raw: Any) -> Any:
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()[:10]
    if isinstance(raw, str):
        match = _ISO.match(raw.strip())
        return match.group(1) if match else raw.strip()
    return raw


def split_evidence(raw: Any) -> list[str]:
    """File names from a cell or an export: separated by ; ；, newlines (or spaces for ODK media)."""
    if _is_blank(raw):
        return []
    parts = re.split(r"[;；\n]+", str(raw))
    return [p.strip() for p in parts if p.strip()]


def to_audit(sub: Submission, standard: Standard) -> tuple[dict[str, Any], dict[str, str]]:
    """The audit JSON of a submission, and where each JSON path came from."""
    where: dict[str, str] = {}

    def put(path: tuple[str | int, ...], entry: Entry | None) -> None:
        if entry is not None:
            where[format_path(path)] = entry.where

    header = {k: e.raw for k, e in sub.header.items()}
    facility = {
        k.split(".", 1)[1]: _text(v)
        for k, v in header.items()
        if k.startswith("facility.") and not _is_blank(v)
    }
    assessor = {
        k.split(".", 1)[1]: _text(v)
        for k, v in header.items()
        if k.startswith("assessor.") and not _is_blank(v)
    }
    audit: dict[str, Any] = {
        "format": 1,
        "standard": standard.id if sub.standard is None else _text(sub.standard.raw),
        "standard_version": standard.version if sub.version is None else _text(sub.version.raw),
        "facility": facility,
        "assessor": assessor,
        "audited_on": _date(header.get("audited_on")) if not _is_blank(header.get("audited_on")) else None,
        "observations": {},
        "waivers": [],
    }
    if not _is_blank(header.get("notes")):
        audit["notes"] = _text(header["notes"])
    put(("standard",), sub.standard)
    put(("standard_version",), sub.version)
    for key, entry in sub.header.items():
        put(tuple(key.split(".")), entry)
        if key.startswith(("facility.", "assessor.")):
            put((key.split(".")[0],), entry)
    if audit["audited_on"] is None:
        del audit["audited_on"]
    observations = audit["observations"]
    for spec in standard.fields:
        value_entry = sub.values.get(spec.id)
        value = coerce(spec, value_entry.raw) if value_entry is not None else None
        evidence = split_evidence(sub.evidence[spec.id].raw) if spec.id in sub.evidence else []
        note = sub.notes.get(spec.id)
        note_text = None if note is None or _is_blank(note.raw) else _text(note.raw)
        if evidence or note_text is not None:
            obs: dict[str, Any] = {"value": value}
            if evidence:
                obs["evidence"] = evidence
            if note_text is not None:
                obs["note"] = note_text
            observations[spec.id] = obs
        else:
            observations[spec.id] = value
        put(("observations", spec.id), value_entry)
        put(("observations", spec.id, "evidence"), sub.evidence.get(spec.id))
        put(("observations", spec.id, "note"), note)
    for i, row in enumerate(sub.waivers):
        waiver = {k: _waiver_value(k, e.raw) for k, e in row.items() if not _is_blank(e.raw)}
        audit["waivers"].append(waiver)
        for key, entry in row.items():
            put(("waivers", i, key), entry)
        put(("waivers", i), next(iter(row.values()), None))
    return audit, where


def _text(raw: Any) -> Any:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    return raw.strip() if isinstance(raw, str) else raw


def _waiver_value(key: str, raw: Any) -> Any:
    return _date(raw) if key == "expires" else _text(raw)


def validate(sub: Submission, catalog: Catalog) -> tuple[Audit | None, str, list[Problem]]:
    """The validated audit and its JSON text, or the problems located in the form."""
    problems = list(sub.problems)
    if problems:
        return None, "", problems
    standard_id = _text(sub.standard.raw) if sub.standard is not None else ""
    standard = catalog.find(standard_id) if isinstance(standard_id, str) and standard_id else None
    if standard is None:
        place = sub.standard.where if sub.standard is not None else ""
        return (
            None,
            "",
            [
                Problem.of(
                    sub.file,
                    say("audit.unknown_standard", standard=repr(standard_id)),
                    say("hint.form_standard"),
                    path=place,
                )
            ],
        )
    data, where = to_audit(sub, standard)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    from checker.core.audit_load import validate_audit

    try:
        return validate_audit(parse_json(text, sub.file), catalog), text, []
    except CheckerError as exc:
        return None, "", [_relocate(p, sub.file, where) for p in exc.problems]


def _relocate(problem: Problem, file: str, where: dict[str, str]) -> Problem:
    """The same message, placed at the cell or submission field the JSON path came from."""
    path = problem.path
    best = ""
    for key in where:
        if path == key or path.startswith((key + ".", key + "[")):
            best = key if len(key) > len(best) else best
    location = where.get(best, "")
    message = Msg(problem.code, problem.message_in("zh"), problem.message)
    hint = Msg("", problem.hint_in("zh"), problem.hint)
    if problem.code == "audit.version":  # a form of another version: carry it over to a new one
        hint = say("hint.form_version", file=file)
    return Problem.of(file, message, hint, path=location)
