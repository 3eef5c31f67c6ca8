"""An audit's observations and waivers checked against its standard.

Observations are validated by a strict pydantic model built once per
standard from its fields (types, bounds, enum values): tens of microseconds
per audit where jsonschema costs milliseconds. Pydantic only detects; the
messages are written here from the field definition, so an assessor reads
"expected a number from 0 to 3 m, found "1,05"" rather than a union dump.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, create_model

from checker.core.audit import Audit, IsoDate, SafeStr, no_surrogates
from checker.core.conditions import fmt_number
from checker.core.errors import Problem
from checker.core.json_source import JsonDoc
from checker.core.standard import FieldSpec, Standard

__all__ = ["check_against", "expected", "json_str", "observation_model", "observed_values"]




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
            no_surrogates(text)
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



def check_against(audit: Audit, standard: Standard, doc: JsonDoc) -> list[Problem]:
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



def observed_values(standard: Standard, observations: dict[str, Any]) -> dict[str, Any]:
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
