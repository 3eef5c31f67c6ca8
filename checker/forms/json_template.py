"""The JSON template (``check template STANDARD``): a blank audit that validates as it is.

Everything not yet measured is ``null``, the date is the day the template is
made and the names are the placeholder ``（待填写）``, so an untouched template
checks as "incomplete" and lists what is still to measure. A ``_help`` block
(ignored when checking) says how to fill it in and lists the fields that
decide a prerequisite (控制项) and those that apply only in some cases; each
field's ``note`` repeats its label, unit, allowed values and these markers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from checker.core.audit import TEMPLATE_NAME
from checker.core.conditions import fmt_number
from checker.core.standard import FieldSpec, Standard
from checker.forms.layout import FieldInfo, layout, words_of

if TYPE_CHECKING:
    from checker.core.audit import Audit

__all__ = ["audit_template", "field_hint"]

_HOW = {
    "zh": "填写 facility（设施）、assessor（评估人）和 audited_on（评估日期，默认为今天），"
    "再逐项填写 observations "
    '中的 "value"：数值不带单位和引号，是/否写 true/false，选项写代码（见 note），未测量的保持 null。'
    '证据（照片、文件名）写在 "evidence" 列表中。prerequisites 中的字段决定控制项，务必填写；'
    "only_when 中的字段只在所写情况下才需要填写。写好后运行 check 文件名.json；"
    "开始记录观测值后，设施名称和评估人不能再是“（待填写）”。",
    "en": 'Fill in facility, assessor and audited_on (today by default), then each observation\'s "value": '
    "numbers without unit or quotes, true/false for yes/no, a choice's code (see the note); leave null what "
    'was not measured. Evidence (photos, file names) goes in the "evidence" list. Fields under prerequisites '
    "decide a prerequisite (控制项): fill them in. Fields under only_when are needed only in the case named. "
    "Then run check FILE.json; once anything is observed the names must no longer be the placeholder.",
}


def field_hint(info: FieldInfo) -> str:
    """Label, unit, allowed values and the 控制项 / applies-when markers, both languages, one line."""
    f = info.spec
    parts = [f"{f.label.zh} / {f.label.en}"]
    if f.unit:
        zh, en = f.unit_in("zh"), f.unit_in("en")
        parts.append(f"[{zh}]" if zh == en else f"[{zh} / {en}]")
    parts.append(_allowed(f))
    marks_zh, marks_en = words_of(info, "zh"), words_of(info, "en")
    if "prerequisite" in marks_zh:
        parts.append(f"【控制项 prerequisite: {marks_zh['prerequisite']}】")
    if "applies" in marks_zh:
        parts.append(f"【仅当 {marks_zh['applies']} 时填写 / only when {marks_en['applies']}】")
    if f.help:
        parts.append(f"({f.help.zh} / {f.help.en})")
    return " ".join(p for p in parts if p)


def _allowed(f: FieldSpec) -> str:
    if f.type == "enum":
        shown = [f"{v} ({f.value_label(v, 'zh')})" if f.value_labels else v for v in f.values or []]
        return "— " + " | ".join(shown)
    if f.type == "boolean":
        return "— true | false"
    if f.type in ("integer", "number"):
        kind = "整数 integer" if f.type == "integer" else "数值 number"
        low = "" if f.min is None else fmt_number(f.min)
        high = "" if f.max is None else fmt_number(f.max)
        return f"— {kind} {low}…{high}".rstrip("…").rstrip()
    if f.type == "date":
        return "— YYYY-MM-DD"
    return ""


def audit_template(
    standard: Standard, audit: Audit | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """A blank audit that validates as incomplete (or ``audit``'s entries, for a re-audit)."""
    plan = layout(standard)
    infos = {i.id: i for i in plan.fields}
    observations: dict[str, Any] = {}
    for f in standard.fields:
        raw = audit.observations.get(f.id) if audit else None
        value = raw.get("value") if isinstance(raw, dict) else raw
        observations[f.id] = {
            "value": value,
            "evidence": audit.evidence(f.id) if audit else [],
            "note": (audit.note(f.id) if audit else None) or field_hint(infos[f.id]),
        }
    facility = audit.facility.model_dump(exclude_none=True) if audit else {}
    assessor = audit.assessor.model_dump(exclude_none=True) if audit else {}
    return {
        "$schema": f"{standard.id}.audit.schema.json",
        "_help": {
            "zh": _HOW["zh"],
            "en": _HOW["en"],
            "prerequisites": {i.id: words_of(i, "zh")["prerequisite"] for i in plan.fields if i.prerequisite},
            "only_when": {
                i.id: f"{words_of(i, 'zh')['applies']} / {words_of(i, 'en')['applies']}"
                for i in plan.fields
                if i.applies is not None
            },
        },
        "format": 1,
        "standard": standard.id,
        "standard_version": standard.version,
        "facility": {"id": "", "name": TEMPLATE_NAME, "address": "", "street": "", **facility},
        "assessor": {"name": TEMPLATE_NAME, "organisation": "", **assessor},
        "audited_on": (today or dt.date.today()).isoformat(),
        "observations": observations,
        "waivers": [w.model_dump() for w in audit.waivers] if audit else [],
    }
