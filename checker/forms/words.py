"""The words printed on a form (headers, choices, instructions), in Chinese, English or both.

Problem messages live in the catalogue (``checker/core/messages.yaml``); these
are the labels of a blank form. ``bilingual`` prints Chinese first.
"""

from __future__ import annotations

from typing import Literal

from checker.core.text import Lang, Text

__all__ = ["FORM_LANGS", "NULL_WORDS", "WORDS", "FormLang", "pair", "w"]

FormLang = Literal["zh", "en", "bilingual"]
FORM_LANGS: tuple[FormLang, ...] = ("zh", "en", "bilingual")

WORDS: dict[str, tuple[str, str]] = {
    "sheet_info": ("基本信息", "Audit info"),
    "sheet_checklist": ("检查表", "Checklist"),
    "sheet_waivers": ("豁免", "Waivers"),
    "col_key": ("键", "Key"),
    "col_item": ("项目", "Item"),
    "col_fill": ("填写", "Entry"),
    "col_note": ("说明", "Notes"),
    "col_id": ("编号", "Field id"),
    "col_label": ("检查项", "What to check"),
    "col_unit": ("单位", "Unit"),
    "col_value": ("填写值", "Value"),
    "col_evidence": ("证据（照片/文件名）", "Evidence (photo/file names)"),
    "col_remark": ("备注", "Remark"),
    "col_allowed": ("可填的值", "Allowed values"),
    "col_prerequisite": ("控制项", "Prerequisite"),
    "col_applies": ("何时适用", "Applies when"),
    "col_rules": ("相关条目", "Rules"),
    "col_help": ("填写说明", "Guidance"),
    "col_rule": ("条目编号", "Rule id"),
    "col_reason": ("豁免理由", "Reason"),
    "col_approved_by": ("批准人/部门", "Approved by"),
    "col_expires": ("有效期至", "Expires"),
    "facility.id": ("设施编号", "Facility id"),
    "facility.name": ("设施名称（必填）", "Facility name (required)"),
    "facility.address": ("地址", "Address"),
    "facility.street": ("街道", "Street"),
    "assessor.name": ("评估人（必填）", "Assessor (required)"),
    "assessor.organisation": ("评估机构", "Organisation"),
    "audited_on": ("评估日期（必填）", "Audit date (required)"),
    "notes": ("总体备注", "General notes"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "not_measured": ("未测", "not measured"),
    "not_applicable": ("不适用", "n/a"),
    "always": ("始终", "always"),
    "any_number": ("数值", "a number"),
    "any_whole": ("整数", "a whole number"),
    "any_text": ("文字", "text"),
    "any_date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "range": ("{lo} 至 {hi}", "{lo} to {hi}"),
    "at_least": ("≥ {lo}", "≥ {lo}"),
    "at_most": ("≤ {hi}", "≤ {hi}"),
    "checklist_title": ("{title} {version} · 检查表", "{title} {version} · checklist"),
    "info_title": ("{title} {version} · 基本信息", "{title} {version} · audit info"),
    "waivers_title": (
        "豁免（仅限经批准的评分项、加分项；控制项不能豁免）",
        "Waivers (approved scored or bonus rules only; prerequisites cannot be waived)",
    ),
    "instructions": (
        "填写说明：在白色单元格中填写。“填写值”从下拉列表选择或填数值；未测量的留空或选“未测”。"
        "证据写照片或文件名，多个用分号 ; 分隔。“控制项”列有条目编号的项决定能否达标，务必填写；"
        "“何时适用”列写明只在某些情况下才需要填写的项。填好后：check 本文件.xlsx",
        "How to fill in: type in the white cells. Pick each value from the list or type the number; leave it "
        "empty (or pick “not measured”) when not measured. Evidence: photo or file names, separated by ;. "
        "Rows with a prerequisite rule decide the level: fill them in. “Applies when” names rows needed only "
        "in some cases. When done: check THIS_FILE.xlsx",
    ),
    "pick_from_list": ("请从下拉列表中选择", "Pick a value from the list"),
    "invalid_entry": ("输入无效", "Invalid entry"),
    "page_footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
}

NULL_WORDS = {
    "未测", "不适用", "未测量", "不详", "未知", "n/a", "na", "not measured", "not applicable", "unknown",
    "未测 not measured", "不适用 n/a", "-", "—", "null",
}  # fmt: skip


def w(key: str, lang: FormLang, sep: str = " / ", **params: str) -> str:
    """A form word in ``lang`` (``bilingual``: Chinese, then English)."""
    zh, en = WORDS[key]
    zh, en = zh.format(**params), en.format(**params)
    if lang == "bilingual":
        return zh if zh == en else f"{zh}{sep}{en}"
    return zh if lang == "zh" else en


def pair(text: Text | str | None, lang: FormLang, sep: str = " / ") -> str:
    """A standard's bilingual text (or a plain string) in ``lang``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang == "bilingual":
        return text.zh if text.zh == text.en else f"{text.zh}{sep}{text.en}"
    one: Lang = "zh" if lang == "zh" else "en"
    return text(one)
