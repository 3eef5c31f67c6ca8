"""The standard as an XLSForm for ODK Collect and KoboToolbox (offline, on a phone, with photos).

``survey``: a header group (facility, assessor, date), then one group per
section with one question per field, named by its field id: types from the
field (decimal, integer, select_one, date, text), ``constraint`` from the
bounds with a bilingual message from the catalogue, ``required`` where a
prerequisite needs the field, ``relevant`` from the rules' ``applies_when``
(``checker.forms.conditions``), and an optional photo per rule. ``choices``
holds yes/no and every enum's values; ``settings`` has ``form_id`` = the
standard id and ``version`` = its version. Two hidden calculations carry the
standard id and version into every export, so an import knows what it reads.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checker.core.audit_diagnose import expected
from checker.core.messages import say
from checker.core.standard import FieldSpec, Rule, Standard
from checker.core.text import Lang
from checker.forms.conditions import relevant_xpath
from checker.forms.layout import FieldInfo, layout, words_of

__all__ = ["HEADER_NAMES", "PHOTO_PREFIX", "STANDARD_NAME", "VERSION_NAME", "photo_name", "write_xlsform"]

ZH, EN = "中文 (zh)", "English (en)"
PHOTO_PREFIX = "photo_"
STANDARD_NAME, VERSION_NAME = "tc_standard", "tc_version"
HEADER_NAMES = {
    "facility.id": "tc_facility_id",
    "facility.name": "tc_facility_name",
    "facility.address": "tc_facility_address",
    "facility.street": "tc_facility_street",
    "assessor.name": "tc_assessor_name",
    "assessor.organisation": "tc_assessor_organisation",
    "audited_on": "tc_audited_on",
    "notes": "tc_notes",
}
_HEADER_LABELS = {
    "facility.id": ("设施编号", "Facility id"),
    "facility.name": ("设施名称", "Facility name"),
    "facility.address": ("地址", "Address"),
    "facility.street": ("街道", "Street"),
    "assessor.name": ("评估人", "Assessor"),
    "assessor.organisation": ("评估机构", "Organisation"),
    "audited_on": ("评估日期", "Audit date"),
    "notes": ("总体备注", "General notes"),
}
_REQUIRED_HEADER = {"facility.name", "assessor.name", "audited_on"}
SURVEY = [
    "type", "name", f"label::{ZH}", f"label::{EN}", f"hint::{ZH}", f"hint::{EN}", "required",
    f"required_message::{ZH}", f"required_message::{EN}", "relevant", "constraint",
    f"constraint_message::{ZH}", f"constraint_message::{EN}", "calculation", "appearance", "parameters",
]  # fmt: skip
CHOICES = ["list_name", "name", f"label::{ZH}", f"label::{EN}"]
SETTINGS = ["form_title", "form_id", "version", "default_language", "instance_name"]


def photo_name(rule_id: str) -> str:
    """The photo question of a rule: an XML name (rule ids may hold - and .)."""
    return PHOTO_PREFIX + re.sub(r"[^A-Za-z0-9_]", "_", rule_id)


def _ref(fid: str) -> str:
    return "${" + fid + "}"


def _row(**cells: Any) -> dict[str, Any]:
    return {k.replace("__", "::"): v for k, v in cells.items() if v not in (None, "")}


def survey_rows(standard: Standard) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"type": "begin_group", "name": "tc_info", f"label::{ZH}": "基本信息", f"label::{EN}": "Audit info"}
    ]
    for key, name in HEADER_NAMES.items():
        zh, en = _HEADER_LABELS[key]
        kind = "date" if key == "audited_on" else "text"
        row = {"type": kind, "name": name, f"label::{ZH}": zh, f"label::{EN}": en}
        if key in _REQUIRED_HEADER:
            row["required"] = "yes"
        if key == "notes":
            row["appearance"] = "multiline"
        rows.append(row)
    for name, value in ((STANDARD_NAME, standard.id), (VERSION_NAME, standard.version)):
        rows.append({"type": "calculate", "name": name, "calculation": f"'{value}'"})
    rows.append({"type": "end_group"})
    plan = layout(standard)
    photographed: set[str] = set()
    for section in plan.sections:
        rows.append(
            {
                "type": "begin_group",
                "name": "sec_" + re.sub(r"[^A-Za-z0-9_]", "_", section.id),
                f"label::{ZH}": section.title.zh,
                f"label::{EN}": section.title.en,
            }
        )
        for info in section.fields:
            rows.append(_question(info))
        for rule in _section_rules(standard, section.id):
            if rule.id not in photographed:
                photographed.add(rule.id)
                rows.append(_photo(rule, plan.rule_applies(rule)))
        rows.append({"type": "end_group"})
    return rows


def _section_rules(standard: Standard, section_id: str) -> list[Rule]:
    found = next((s for s in standard.sections if s.id == section_id), None)
    return list(found.rules) if found is not None else []


def _question(info: FieldInfo) -> dict[str, Any]:
    spec = info.spec
    kinds = {
        "boolean": "select_one tc_yes_no",
        "integer": "integer",
        "number": "decimal",
        "date": "date",
        "text": "text",
    }
    kind = kinds.get(spec.type, f"select_one {_list_name(spec)}")
    unit_zh, unit_en = spec.unit_in("zh"), spec.unit_in("en")
    row: dict[str, Any] = {
        "type": kind,
        "name": spec.id,
        f"label::{ZH}": spec.label.zh + (f"（{unit_zh}）" if unit_zh else ""),
        f"label::{EN}": spec.label.en + (f" ({unit_en})" if unit_en else ""),
        f"hint::{ZH}": _hint(info, "zh"),
        f"hint::{EN}": _hint(info, "en"),
    }
    if info.prerequisite:
        message = say("form.required", rules=", ".join(info.prerequisite))
        row.update(
            {"required": "yes", f"required_message::{ZH}": message.zh, f"required_message::{EN}": message.en}
        )
    if info.applies is not None and (relevant := relevant_xpath(info.applies, _ref)) is not None:
        row["relevant"] = relevant
    constraint = _constraint(spec)
    if constraint:
        message = say("form.constraint", want=expected(spec))
        row.update(
            {
                "constraint": constraint,
                f"constraint_message::{ZH}": message.zh,
                f"constraint_message::{EN}": message.en,
            }
        )
    return row


def _hint(info: FieldInfo, lang: str) -> str:
    one: Lang = "zh" if lang == "zh" else "en"
    marks = words_of(info, one)
    parts = [info.spec.help(one)] if info.spec.help else []
    if "prerequisite" in marks:
        parts.append(say("form.hint_prerequisite", rules=marks["prerequisite"])(one))
    if "applies" in marks:
        parts.append(say("form.hint_applies", when=marks["applies"])(one))
    return "\n".join(parts)


def _constraint(spec: FieldSpec) -> str:
    parts = []
    if spec.type in ("integer", "number"):
        if spec.min is not None:
            parts.append(f". >= {spec.min}")
        if spec.max is not None:
            parts.append(f". <= {spec.max}")
    return " and ".join(parts)


def _photo(rule: Rule, applies: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "type": "image",
        "name": photo_name(rule.id),
        f"label::{ZH}": f"照片（可选）：{rule.id} {rule.title.zh}",
        f"label::{EN}": f"Photo (optional): {rule.id} {rule.title.en}",
        "parameters": "max-pixels=2048",
    }
    if applies is not None and (relevant := relevant_xpath(applies, _ref)) is not None:
        row["relevant"] = relevant
    return row


def _list_name(spec: FieldSpec) -> str:
    return f"tc_{spec.id}"


def choice_rows(standard: Standard) -> list[dict[str, Any]]:
    rows = [
        {"list_name": "tc_yes_no", "name": "true", f"label::{ZH}": "是", f"label::{EN}": "yes"},
        {"list_name": "tc_yes_no", "name": "false", f"label::{ZH}": "否", f"label::{EN}": "no"},
    ]
    for spec in standard.fields:
        if spec.type != "enum":
            continue
        for value in spec.values or []:
            label = spec.value_labels.get(value) if spec.value_labels else None
            rows.append(
                {
                    "list_name": _list_name(spec),
                    "name": value,
                    f"label::{ZH}": label.zh if label else value,
                    f"label::{EN}": label.en if label else value,
                }
            )
    return rows


def write_xlsform(standard: Standard, path: Path) -> None:
    """Write the XLSForm workbook (``survey``, ``choices``, ``settings``) atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from checker.core.fsutil import atomic_write

    book = Workbook()
    sheets = [
        ("survey", SURVEY, survey_rows(standard)),
        ("choices", CHOICES, choice_rows(standard)),
        (
            "settings",
            SETTINGS,
            [
                {
                    "form_title": f"{standard.title.zh} / {standard.title.en}",
                    "form_id": standard.id,
                    "version": standard.version,
                    "default_language": ZH,
                    "instance_name": "concat(${tc_facility_name}, ' ', ${tc_audited_on})",
                }
            ],
        ),
    ]
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
