"""Audits: what an assessor recorded on site, validated against its standard.

The envelope (facility, assessor, date, waivers) is a fixed model; the
observations are validated by a strict pydantic model built once per standard
from its fields (types, bounds, enum values), which costs tens of microseconds
per audit where jsonschema costs milliseconds (measured in
``shared/guides/measurements.md``). Pydantic detects; the messages are our
own, written from the field definition, so an assessor reads "expected a
number from 0 to 3 (m), found "1,05"" rather than a union error dump.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)

from checker.core.conditions import fmt_number
from checker.core.errors import AuditError, Problem
from checker.core.sources import MAX_AUDIT_BYTES, JsonDoc, SourceProblem, decode, parse_json, read_bytes

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.standard import FieldSpec, Standard

__all__ = ["Assessor", "Audit", "Facility", "Waiver", "load_audit", "parse_audit"]


def _no_surrogates(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains an invalid character (a lone surrogate)") from None
    return value


def _real_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return value


SafeStr = Annotated[StrictStr, Field(max_length=10_000), AfterValidator(_no_surrogates)]
Name = Annotated[SafeStr, Field(min_length=1, max_length=500)]
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class Facility(_Open):
    """The facility audited; extra descriptive keys (district, phone...) are kept."""

    name: Name
    id: SafeStr | None = None
    address: SafeStr | None = None
    street: SafeStr | None = None


class Assessor(_Open):
    name: Name
    organisation: SafeStr | None = None


class Waiver(BaseModel):
    """An approved exemption from one scored or bonus rule, until ``expires``."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    rule: StrictStr
    reason: Name
    approved_by: Name
    expires: IsoDate


class Audit(BaseModel):
    """One audit file. ``values`` holds the observations the engine reads."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    format: Literal[1]
    standard: StrictStr
    standard_version: StrictStr | None = None
    facility: Facility
    assessor: Assessor
    audited_on: IsoDate
    observations: dict[str, Any]
    waivers: Annotated[list[Waiver], Field(max_length=1000)] = []
    notes: SafeStr | None = None
    schema_: StrictStr | None = Field(default=None, alias="$schema")

    _values: dict[str, Any] = PrivateAttr(default_factory=dict)
    _path: str = PrivateAttr(default="")

    @property
    def values(self) -> dict[str, Any]:
        """Observed values by field id; unknowns (null or absent) are left out."""
        return self._values

    @property
    def path(self) -> str:
        return self._path

    def evidence(self, field_id: str) -> list[str]:
        raw = self.observations.get(field_id)
        return list(raw.get("evidence") or []) if isinstance(raw, dict) else []

    def note(self, field_id: str) -> str | None:
        raw = self.observations.get(field_id)
        return raw.get("note") if isinstance(raw, dict) else None


# --- per-standard observation models ----------------------------------------------


def _value_type(f: FieldSpec) -> Any:
    bounds: dict[str, Any] = {}
    if f.min is not None:
        bounds["ge"] = f.min
    if f.max is not None:
        bounds["le"] = f.max
    if f.type == "boolean":
        return StrictBool
    if f.type == "integer":
        return Annotated[StrictInt, Field(**bounds)]
    if f.type == "number":
        return Annotated[float, Field(strict=True, allow_inf_nan=False, **bounds)]
    if f.type == "enum":
        return Literal[tuple(f.values or ())]
    if f.type == "date":
        return IsoDate
    return SafeStr


def observation_model(standard: Standard) -> type[BaseModel]:
    """A strict model of ``standard``'s observed values (types, bounds, enum values).

    Built once per standard. It validates the bare values; the object form
    ``{value, evidence, note}`` is unwrapped first by ``_unwrap``, which keeps
    this a single flat model (one ``create_model`` instead of one per field).
    """
    cached = _MODELS.get(id(standard))
    if cached is not None and cached[0] is standard:
        return cached[1]
    config = ConfigDict(extra="forbid", strict=True)
    specs: dict[str, Any] = {f.id: (_value_type(f) | None, None) for f in standard.fields}
    model = create_model(f"Observations_{standard.id}", __config__=config, **specs)
    _MODELS[id(standard)] = (standard, model)
    return model


def _unwrap(observations: dict[str, Any], fields: dict[str, FieldSpec]) -> tuple[dict[str, Any], list[str]]:
    """Bare values of the declared fields, and the ids whose object form is malformed."""
    bare: dict[str, Any] = {}
    broken: list[str] = []
    for key, raw in observations.items():
        if key not in fields:
            continue
        if isinstance(raw, dict):
            if "value" not in raw or not _well_formed(raw):
                broken.append(key)
                continue
            raw = raw["value"]
        bare[key] = raw
    return bare, broken


def _well_formed(raw: dict[str, Any]) -> bool:
    if any(k not in ("value", "evidence", "note") for k in raw):
        return False
    evidence = raw.get("evidence", [])
    note = raw.get("note")
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        return False
    if note is not None and not isinstance(note, str):
        return False
    try:
        for text in (*evidence, note or ""):
            _no_surrogates(text)
    except ValueError:
        return False
    return True


_MODELS: dict[int, tuple[Standard, type[BaseModel]]] = {}


def expected(f: FieldSpec) -> str:
    """What a field accepts, in the words of an error message."""
    unit = f" {f.unit_in('en')}" if f.unit else ""
    if f.type == "boolean":
        return "true or false"
    if f.type in ("integer", "number"):
        kind = "a whole number" if f.type == "integer" else "a number"
        if f.min is not None and f.max is not None:
            return f"{kind} from {fmt_number(f.min)} to {fmt_number(f.max)}{unit}"
        if f.min is not None:
            return f"{kind} of at least {fmt_number(f.min)}{unit}"
        if f.max is not None:
            return f"{kind} of at most {fmt_number(f.max)}{unit}"
        return kind + unit
    if f.type == "enum":
        return "one of " + ", ".join(json_str(v) for v in f.values or [])
    if f.type == "date":
        return 'a date "YYYY-MM-DD"'
    return "text"


def json_str(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _diagnose(f: FieldSpec, raw: Any) -> tuple[tuple[str | int, ...], str, str]:
    """Explain why one observation is invalid: (sub-path, message, hint)."""
    want = expected(f)
    if isinstance(raw, dict):
        extra = [k for k in raw if k not in ("value", "evidence", "note")]
        if extra:
            return (
                (extra[0],),
                f"unknown key {extra[0]!r} in an observation",
                "an observation object has only value, evidence and note",
            )
        if "value" not in raw:
            return (
                (),
                'an observation object needs "value"',
                'add "value": ... (null if it was not observed)',
            )
        evidence = raw.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            return (("evidence",), "evidence must be a list of strings", 'write ["photos/p014.jpg"]')
        if "note" in raw and raw["note"] is not None and not isinstance(raw["note"], str):
            return (("note",), "note must be text", "quote it")
        if not _well_formed(raw):
            return ((), "evidence or note contains an invalid character", "retype the text")
        sub, message, hint = _diagnose(f, raw["value"])
        return (("value", *sub), message, hint)
    hint = f"record {want}, or null if it was not observed"
    if f.type == "integer" and isinstance(raw, float) and raw.is_integer():
        return ((), f"expected {want}, found {json_str(raw)}", f"write {int(raw)} without the decimal point")
    if f.type in ("integer", "number") and isinstance(raw, int | float) and not isinstance(raw, bool):
        return (
            (),
            f"{json_str(raw)} is outside the plausible range: expected {want}",
            "check the measurement and its unit",
        )
    if f.type == "enum" and isinstance(raw, str):
        close = difflib.get_close_matches(raw, list(f.values or []), n=1)
        hint = f"did you mean {json_str(close[0])}?" if close else hint
    if f.type == "boolean" and isinstance(raw, str):
        hint = "write true or false without quotes"
    if f.type in ("integer", "number") and isinstance(raw, str):
        hint = "write the number without quotes and without the unit"
    return ((), f"expected {want}, found {json_str(raw)}", hint)


# --- loading ------------------------------------------------------------------------


def load_audit(path: str | Path, catalog: Catalog, name: str | None = None) -> Audit:
    """Read and validate one audit file against its standard; raises AuditError."""
    path = Path(path)
    name = name or str(path)
    try:
        text = read_bytes(path, name, MAX_AUDIT_BYTES)
    except SourceProblem as exc:
        raise AuditError([exc.problem]) from None
    return parse_audit(text, catalog, name)


def parse_audit(text: str | bytes, catalog: Catalog, name: str = "<audit>") -> Audit:
    """Validate audit JSON text (or bytes) against its standard from ``catalog``."""
    try:
        if isinstance(text, bytes):
            text = decode(text, name, MAX_AUDIT_BYTES)
        elif len(text) > MAX_AUDIT_BYTES:
            text = decode(text.encode("utf-8", "surrogatepass"), name, MAX_AUDIT_BYTES)
        doc = parse_json(text, name)
    except SourceProblem as exc:
        raise AuditError([exc.problem]) from None
    return validate_audit(doc, catalog)


def validate_audit(doc: JsonDoc, catalog: Catalog) -> Audit:
    data = doc.data
    if not isinstance(data, dict):
        raise AuditError(
            [doc.problem((), "an audit must be a JSON object", "start from `check template STANDARD`")]
        )
    try:
        audit = Audit.model_validate(data)
    except ValidationError as exc:
        raise AuditError(_envelope_problems(exc, doc)) from None
    standard = catalog.find(audit.standard)
    if standard is None:
        known = ", ".join(catalog.ids()) or "none"
        close = difflib.get_close_matches(audit.standard, catalog.ids(), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known standards: {known}"
        raise AuditError(
            [
                doc.problem(
                    ("standard",),
                    f"unknown standard {audit.standard!r}",
                    hint + f" (known: {known})" if close else hint,
                )
            ]
        )
    problems = _check_against(audit, standard, doc)
    if problems:
        raise AuditError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    audit._values = _values(standard, audit.observations)
    audit._path = doc.name
    return audit


def _envelope_problems(exc: ValidationError, doc: JsonDoc) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in _TAGS))
        if loc in seen:
            continue
        seen.add(loc)
        key = loc[-1] if loc else ""
        if error["type"] == "missing":
            message, hint = f"required key {key!r} is missing", "add it"
        elif error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(key), [*list(Audit.model_fields), "$schema"], n=1)
            message = f"unknown key {key!r}"
            hint = f"did you mean {close[0]!r}?" if close else "remove it"
        else:
            given = error.get("input")
            shown = json_str(given) if not isinstance(given, dict | list) else type(given).__name__
            message = f"{error['msg']} (found {shown})"
            hint = {
                "format": "the audit format is 1",
                "audited_on": 'write "YYYY-MM-DD"',
                "expires": 'write "YYYY-MM-DD"',
            }.get(str(key), "see docs/formats.md")
        problems.append(doc.problem(loc, message, hint))
        if len(problems) >= 100:
            break
    return problems


_TAGS = {"str", "int", "float", "bool", "constrained-str", "function-after", "list", "dict"}


def _check_against(audit: Audit, standard: Standard, doc: JsonDoc) -> list[Problem]:
    problems: list[Problem] = []
    if audit.standard_version is not None and audit.standard_version != standard.version:
        problems.append(
            doc.problem(
                ("standard_version",),
                f"audit is for version {audit.standard_version!r} of {standard.id}, "
                f"but the loaded standard is version {standard.version!r}",
                "re-check the facility against the current version, "
                "or load the old standard with --standards",
            )
        )
    fields = standard.field_map
    obs = audit.observations
    unknown = [k for k in obs if k not in fields]
    for key in unknown:
        close = difflib.get_close_matches(key, list(fields), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see `check template " + standard.id + "`"
        problems.append(doc.problem(("observations", key), f"unknown field {key!r} for {standard.id}", hint))
    bare, bad = _unwrap(obs, fields)
    try:
        observation_model(standard).model_validate(bare)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            first = error["loc"][0] if error["loc"] else None
            if isinstance(first, str) and first in fields and first not in bad:
                bad.append(first)
    if bad:
        bad.sort(key=list(obs).index)
        for fid in bad:
            sub, message, hint = _diagnose(fields[fid], obs[fid])
            problems.append(doc.problem(("observations", fid, *sub), f"{fid}: {message}", hint))
    rules = standard.rule_map
    for i, waiver in enumerate(audit.waivers):
        rule = rules.get(waiver.rule)
        if rule is None:
            close = difflib.get_close_matches(waiver.rule, list(rules), n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "use a rule id from `check show " + standard.id + "`"
            )
            problems.append(
                doc.problem(("waivers", i, "rule"), f"waiver names unknown rule {waiver.rule!r}", hint)
            )
        elif rule.mandatory:
            problems.append(
                doc.problem(
                    ("waivers", i, "rule"),
                    f"{waiver.rule} is a prerequisite (控制项) and cannot be waived by an audit",
                    "remove the waiver; the facility must meet the prerequisite",
                )
            )
    return problems


def _values(standard: Standard, observations: dict[str, Any]) -> dict[str, Any]:
    fields = standard.field_map
    values: dict[str, Any] = {}
    for key, raw in observations.items():
        if isinstance(raw, dict):
            raw = raw.get("value")
        if raw is None:
            continue
        if fields[key].type == "date":
            raw = dt.date.fromisoformat(raw).toordinal()
        values[key] = raw
    return values
