"""The published JSON Schemas: bundled contract files, and per-standard audit schemas.

jsonschema costs about 105 ms to import and 2 ms per document, so it serves
``check lint``, ``check schema`` and the tests, never the per-audit path.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING, Any

from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.core.model_problems import shown
from checker.core.sources import Located

if TYPE_CHECKING:
    from checker.core.standard import FieldSpec, Standard

__all__ = ["MAX_SCHEMA_ERRORS", "audit_schema_for", "bundled_schema", "schema_problems"]

MAX_SCHEMA_ERRORS = 100


@cache
def _load(name: str) -> str:
    return (resources.files("checker") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


def bundled_schema(name: str) -> dict[str, Any]:
    """The schema of the ``standard``, ``audit`` or ``result`` format (a fresh copy)."""
    data: dict[str, Any] = json.loads(_load(name))
    return data


def schema_problems(data: Any, located: Located, file: str, name: str = "standard") -> list[Problem]:
    """Validate ``data`` against a bundled schema; at most MAX_SCHEMA_ERRORS problems."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(bundled_schema(name))
    problems: list[Problem] = []
    for error in islice(validator.iter_errors(data), MAX_SCHEMA_ERRORS):
        path = tuple(error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, dict):
            for key in error.validator_value:
                if key not in instance:
                    problems.append(
                        located.problem(
                            file,
                            (*path, key),
                            say("model.missing", key=repr(key)),
                            say("hint.add_key", key=key),
                        )
                    )
        elif error.validator == "additionalProperties" and isinstance(instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in instance:
                if key not in allowed:
                    problems.append(
                        located.problem(
                            file,
                            (*path, key),
                            say("model.unknown_key", key=repr(key)),
                            say("hint.remove_key"),
                        )
                    )
        else:
            problems.append(located.problem(file, path, _message(error), say("hint.see_formats")))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


_SCHEMA_WORDS = {
    "string": "word.text",
    "integer": "word.integer",
    "number": "word.number",
    "boolean": "word.boolean",
    "object": "word.object",
    "array": "word.list",
}


def _message(error: Any) -> Msg:
    """jsonschema's complaint in the catalogue's words; its own English kept only as detail."""
    kind, value, found = error.validator, error.validator_value, shown(error.instance)
    if kind == "type" and isinstance(value, str) and value in _SCHEMA_WORDS:
        return say("model.wrong_type", want=say(_SCHEMA_WORDS[value]), found=found)
    if kind in ("enum", "const"):
        options = value if isinstance(value, list) else [value]
        return say("model.one_of", options=[shown(o) for o in options], found=found)
    bounds = {
        "minimum": "model.at_least",
        "maximum": "model.at_most",
        "exclusiveMinimum": "model.greater_than",
        "exclusiveMaximum": "model.less_than",
        "minItems": "model.too_few",
        "maxItems": "model.too_many",
        "minLength": "model.text_too_short",
        "maxLength": "model.text_too_long",
    }
    if kind in bounds:
        return say(bounds[kind], limit=value, found=found)
    if kind == "pattern":
        return say("model.pattern", found=found)
    detail = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return say("model.schema", detail=detail)


def _field_schema(f: FieldSpec) -> dict[str, Any]:
    value: dict[str, Any]
    if f.type == "boolean":
        value = {"type": "boolean"}
    elif f.type in ("integer", "number"):
        value = {"type": f.type}
        if f.min is not None:
            value["minimum"] = f.min
        if f.max is not None:
            value["maximum"] = f.max
    elif f.type == "enum":
        value = {"enum": list(f.values or [])}
    elif f.type == "date":
        value = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    else:
        value = {"type": "string"}
    nullable = {"anyOf": [value, {"type": "null"}]}
    unit = f" [{f.unit_in('zh')}/{f.unit_in('en')}]" if f.unit else ""
    described = {
        "title": f"{f.label.zh} / {f.label.en}{unit}",
        "description": (f.help.zh + " / " + f.help.en) if f.help else f"{f.label.zh} / {f.label.en}",
    }
    return {
        **described,
        "anyOf": [
            nullable,
            {
                "type": "object",
                "required": ["value"],
                "additionalProperties": False,
                "properties": {
                    "value": nullable,
                    "evidence": {"type": "array", "items": {"type": "string"}},
                    "note": {"type": "string"},
                },
            },
        ],
    }


def audit_schema_for(standard: Standard) -> dict[str, Any]:
    """The audit schema narrowed to one standard: its id, version and every field."""
    schema = bundled_schema("audit")
    schema["$id"] = f"https://tongcheck.invalid/schemas/{standard.id}.audit.schema.json"
    schema["title"] = f"Audit for {standard.id} {standard.version}: {standard.title.zh} / {standard.title.en}"
    props = schema["properties"]
    props["standard"] = {"const": standard.id}
    props["standard_version"] = {"const": standard.version}
    props["observations"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.id: _field_schema(f) for f in standard.fields},
    }
    props["waivers"]["items"]["properties"]["rule"] = {
        "enum": [r.id for r in standard.rule_map.values() if not r.mandatory]
    }
    return schema


def generated_result_schema() -> dict[str, Any]:
    """The result schema as the Result model defines it (the bundled file must match)."""
    from pydantic import TypeAdapter

    from checker.core.result import Result

    schema = TypeAdapter(Result).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tongcheck.invalid/schemas/result.schema.json"
    return schema
