"""An audit's observations and waivers checked against its standard.

Observations are validated by a strict pydantic model built once per
standard from its fields (types, bounds, enum values): tens of microseconds
per audit where jsonschema costs milliseconds. Pydantic only detects; the
messages are written here from the field definition, so an assessor reads
"expected a number from 0 to 3 m, found "1,05"" rather than a union dump.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, create_model

from checker.core.audit import IsoDate, SafeStr
from checker.core.audit_diagnose import diagnose_value, well_formed
from checker.core.errors import Problem
from checker.core.json_source import JsonDoc
from checker.core.messages import did_you_mean, say
from checker.core.standard import FieldSpec, Standard

__all__ = ["check_against", "observation_model", "observed_values"]


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
            if "value" not in raw or not well_formed(raw):
                broken.append(key)
                continue
            raw = raw["value"]
        bare[key] = raw
    return bare, broken


_MODELS: dict[int, tuple[Standard, type[BaseModel]]] = {}


def check_against(data: dict[str, Any], standard: Standard, doc: JsonDoc) -> list[Problem]:
    """Everything wrong with an audit's content for ``standard``: version, observations, waivers.

    Works on the raw document, so these problems are found even when the
    envelope (facility, date...) has its own, and all are reported together.
    """
    problems: list[Problem] = []
    version = data.get("standard_version")
    if isinstance(version, str) and version != standard.version:
        problems.append(_version_problem(version, standard, doc))
    obs = data.get("observations")
    if isinstance(obs, dict):
        problems += _observation_problems(obs, standard, doc)
    waivers = data.get("waivers")
    if isinstance(waivers, list):
        problems += _waiver_problems(waivers, standard, doc)
    return problems


def _edition(version: str) -> tuple[int, ...] | None:
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def _version_problem(version: str, standard: Standard, doc: JsonDoc) -> Problem:
    """An audit of an earlier edition is re-audited with the current template (README: versions)."""
    old, new = _edition(version), _edition(standard.version)
    if old is not None and new is not None and old < new:
        return doc.problem(
            ("standard_version",),
            say("audit.version_old", got=version, standard=standard.id, want=standard.version),
            say("hint.version_reaudit", standard=standard.id, want=standard.version, file=doc.name),
        )
    return doc.problem(
        ("standard_version",),
        say("audit.version", got=repr(version), standard=standard.id, want=repr(standard.version)),
        say("hint.version"),
    )


def _observation_problems(obs: dict[str, Any], standard: Standard, doc: JsonDoc) -> list[Problem]:
    problems: list[Problem] = []
    fields = standard.field_map
    for key in obs:
        if key not in fields:
            hint = did_you_mean(key, fields, say("hint.see_template_of", standard=standard.id))
            problems.append(
                doc.problem(
                    ("observations", key), say("obs.unknown_field", key=repr(key), standard=standard.id), hint
                )
            )
    bare, bad = _unwrap(obs, fields)
    try:
        observation_model(standard).model_validate(bare)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            first = error["loc"][0] if error["loc"] else None
            if isinstance(first, str) and first in fields and first not in bad:
                bad.append(first)
    bad.sort(key=list(obs).index)
    for fid in bad:
        sub, message, hint = diagnose_value(fields[fid], obs[fid])
        problems.append(doc.problem(("observations", fid, *sub), message, hint))
    return problems


def _waiver_problems(waivers: list[Any], standard: Standard, doc: JsonDoc) -> list[Problem]:
    problems: list[Problem] = []
    rules = standard.rule_map
    first: dict[str, int] = {}
    for i, waiver in enumerate(waivers):
        rule_id = waiver.get("rule") if isinstance(waiver, dict) else None
        if not isinstance(rule_id, str):
            continue
        if rule_id in first:
            problems.append(
                doc.problem(
                    ("waivers", i, "rule"),
                    say("waiver.duplicate", rule=rule_id, first=f"waivers[{first[rule_id]}]"),
                    say("hint.one_waiver"),
                )
            )
            continue
        first[rule_id] = i
        rule = rules.get(rule_id)
        if rule is None:
            hint = did_you_mean(rule_id, rules, say("hint.rule_ids", standard=standard.id))
            problems.append(
                doc.problem(("waivers", i, "rule"), say("waiver.unknown_rule", rule=repr(rule_id)), hint)
            )
        elif rule.mandatory:
            problems.append(
                doc.problem(
                    ("waivers", i, "rule"),
                    say("waiver.prerequisite", rule=rule_id),
                    say("hint.waiver_prerequisite"),
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
