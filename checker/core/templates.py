"""Blank audits: what an assessor starts from on site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.core.conditions import fmt_number

if TYPE_CHECKING:
    from checker.core.standard import FieldSpec, Standard

__all__ = ["audit_template", "field_hint"]


def field_hint(f: FieldSpec) -> str:
    """Label, unit and allowed values in both languages, as one line."""
    parts = [f"{f.label.zh} / {f.label.en}"]
    if f.unit:
        zh, en = f.unit_in("zh"), f.unit_in("en")
        parts.append(f"[{zh}]" if zh == en else f"[{zh} / {en}]")
    if f.type == "enum":
        shown = [f"{v} ({f.value_label(v, 'zh')})" if f.value_labels else v for v in f.values or []]
        parts.append("— " + " | ".join(shown))
    elif f.type == "boolean":
        parts.append("— true | false")
    elif f.type in ("integer", "number"):
        kind = "整数 integer" if f.type == "integer" else "数值 number"
        low = "" if f.min is None else fmt_number(f.min)
        high = "" if f.max is None else fmt_number(f.max)
        parts.append(f"— {kind} {low}…{high}".rstrip("…").rstrip())
    elif f.type == "date":
        parts.append("— YYYY-MM-DD")
    if f.help:
        parts.append(f"({f.help.zh} / {f.help.en})")
    return " ".join(parts)


def audit_template(standard: Standard) -> dict[str, Any]:
    """A valid, empty audit: every field present as null with its hint in ``note``."""
    return {
        "$schema": f"{standard.id}.audit.schema.json",
        "format": 1,
        "standard": standard.id,
        "standard_version": standard.version,
        "facility": {"id": "", "name": "", "address": "", "street": ""},
        "assessor": {"name": "", "organisation": ""},
        "audited_on": "YYYY-MM-DD",
        "observations": {
            f.id: {"value": None, "evidence": [], "note": field_hint(f)} for f in standard.fields
        },
        "waivers": [],
    }
