"""The common-item schema as derived from the standard schema (the test compares it to the bundled file).

Run as a script to rewrite checker/schemas/common.schema.json after the standard schema changes.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "checker" / "schemas"


def _numbers_may_be_params(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _numbers_may_be_params(v) for k, v in node.items()}
        kind = node.get("type")
        if kind == "number" or (isinstance(kind, list) and "number" in kind):
            return {"anyOf": [out, {"$ref": "#/$defs/param"}]}
        return out
    if isinstance(node, list):
        return [_numbers_may_be_params(v) for v in node]
    return node


def derive() -> dict[str, Any]:
    standard = json.loads((SCHEMAS / "standard.schema.json").read_text(encoding="utf-8"))
    defs = {k: v for k, v in copy.deepcopy(standard["$defs"]).items() if k not in ("level", "section", "use")}
    defs = _numbers_may_be_params(defs)
    rule = defs["rule"]
    rule["properties"] = {
        "key": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$", "maxLength": 64,
                "title": "the rule's name within the item; a standard maps it to its own rule id"},
        **{k: v for k, v in rule["properties"].items() if k != "id"},
    }  # fmt: skip
    rule["required"] = ["key" if r == "id" else r for r in rule["required"]]
    defs["param"] = {
        "type": "object",
        "required": ["param"],
        "additionalProperties": False,
        "properties": {"param": {"type": "string", "title": "a declared parameter of this item"}},
    }
    defs["parameter"] = {
        "type": "object",
        "required": ["type", "default", "label"],
        "additionalProperties": False,
        "properties": {
            "type": {"enum": ["number", "integer"]},
            "default": {"type": "number"},
            "label": {"$ref": "#/$defs/text"},
            "decimals": {"type": "integer", "minimum": 0, "maximum": 4,
                         "title": "digits after the point when the value is written in a text (1.10, not 1.1)"},
            "unit": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/text"}]},
            "min": {"type": "number"},
            "max": {"type": "number"},
        },
    }  # fmt: skip
    return {
        "$schema": standard["$schema"],
        "$id": "https://tongcheck.invalid/schemas/common.schema.json",
        "title": "tongcheck common item (共用条目), format 1",
        "description": "Fields and rules defined once, with parameters, that standards use (uses:). "
        "A number may be {param: NAME}; a text may say {NAME}. See docs/formats.md.",
        "type": "object",
        "required": ["format", "common", "version", "title", "description", "rules"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": 1},
            "common": {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": 64},
            "version": {"type": "string"},
            "title": {"$ref": "#/$defs/text"},
            "description": {"$ref": "#/$defs/text"},
            "parameters": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                "additionalProperties": {"$ref": "#/$defs/parameter"},
            },
            "references": {"type": "array", "items": {"$ref": "#/$defs/reference"}},
            "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}},
            "rules": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/rule"}},
        },
        "$defs": defs,
    }


if __name__ == "__main__":
    text = json.dumps(derive(), ensure_ascii=False, indent=2) + "\n"
    (SCHEMAS / "common.schema.json").write_text(text, encoding="utf-8")
    sys.exit(0)
