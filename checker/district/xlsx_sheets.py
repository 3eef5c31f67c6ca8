"""What every sheet of the district workbook shares: names, words, safe text, print setup.

Kept apart from the writer (``export_xlsx``) so that the rules Excel imposes
(sheet names of at most 31 characters without ``[]:*?/\\``, no control
characters in a cell, at most 32,767 characters) live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from checker.core.inert import escape_char

if TYPE_CHECKING:
    from checker.core.standard import Standard
    from checker.core.text import Lang

__all__ = ["HEAD", "SHEETS", "CellText", "print_setup", "sheet_title", "short_title", "word"]

HEAD: dict[str, dict[str, str]] = {
    "path": {"zh": "文件", "en": "File"},
    "standard": {"zh": "指引", "en": "Guideline"},
    "standard_id": {"zh": "指引编号", "en": "Guideline id"},
    "facility_id": {"zh": "设施编号", "en": "Facility id"},
    "facility_name": {"zh": "设施名称", "en": "Facility"},
    "street": {"zh": "街道", "en": "Street"},
    "audited_on": {"zh": "评估日期", "en": "Audited on"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "level": {"zh": "等级", "en": "Level"},
    "score": {"zh": "得分", "en": "Score"},
    "valid_until": {"zh": "认定有效期至", "en": "Valid until"},
    "held_back": {"zh": "未满足的控制项", "en": "Prerequisites not met"},
    "audits": {"zh": "评估次数", "en": "Audits"},
    "content_hash": {"zh": "内容哈希", "en": "Content hash"},
    "version": {"zh": "版本", "en": "Version"},
    "rule": {"zh": "条目", "en": "Rule"},
    "title": {"zh": "名称", "en": "Title"},
    "kind": {"zh": "类型", "en": "Kind"},
    "where": {"zh": "位置", "en": "Where"},
    "problem": {"zh": "问题", "en": "Problem"},
    "fix": {"zh": "改正方法", "en": "How to fix"},
}
SHEETS = {
    "summary": {"zh": "汇总", "en": "Summary"},
    "invalid": {"zh": "无效文件", "en": "Invalid files"},
    "rules": {"zh": "条目说明", "en": "Rules"},
}
_WORDS: dict[str, dict[str, str]] = {
    "incomplete": {"zh": "待补证", "en": "incomplete"},  # a cell, not a sentence
    "scored": {"zh": "评分项", "en": "scored"},
    "no_level": {"zh": "未达等级", "en": "none"},
}


def word(key: str, lang: Lang) -> str:
    """Verdict and status words come from the terminal's catalogue, so every view agrees."""
    from checker.core.words import UI

    entry = _WORDS.get(key) or UI.get(key)
    return entry[lang] if entry else key


def sheet_title(text: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text).strip("'")[:31] or "sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"-{n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


_ZH_AFFIXES = re.compile(r"^(?:.*?儿童友好)?(.+?)(?:建设|评价|认定)?(?:指引|标准|规范|导则)?$")
_EN_AFFIXES = re.compile(r"^(?:\w+ )?child-friendly (.+?)(?: guideline| standard)?$", re.IGNORECASE)


def short_title(standard: Standard | None, standard_id: str, lang: Lang) -> str:
    """The guideline's short name: 渝中区儿童友好校园建设指引 → 校园 (English: "school").

    The district and "child-friendly" are the same on every sheet, and a
    sheet name holds 31 characters; the id when the standard is unknown.
    """
    if standard is None:
        return standard_id
    zh = _ZH_AFFIXES.match(standard.title("zh"))
    if lang == "zh":
        return zh.group(1) if zh else standard.title("zh")
    en = _EN_AFFIXES.match(standard.title("en"))
    return en.group(1).capitalize() if en else standard.title("en")


# what an XLSX cell cannot hold (XML 1.0): C0 controls except tab, line feed, carriage return
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL = 32767


class CellText:
    """Text from audits made fit for a cell: control characters shown escaped (``\\x1b``), overlong
    text cut; ``replaced`` counts the characters changed, for one warning at the end."""

    def __init__(self) -> None:
        self.replaced = 0
        self.counting = True  # off for text written a second time (the summary repeats a row)

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        changed = 0
        if _ILLEGAL.search(text):
            changed += len(_ILLEGAL.findall(text))
            text = _ILLEGAL.sub(lambda m: escape_char(m.group()), text)
        if len(text) > MAX_CELL:
            changed += len(text) - (MAX_CELL - 1)
            text = text[: MAX_CELL - 1] + "…"
        if self.counting:
            self.replaced += changed
        return text


def print_setup(ws: Any, widths: Sequence[float], frozen: str) -> None:
    """A4 landscape, fit to the page width, the header row on every page, headers frozen."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = frozen
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; the write-only sheet lacks the name)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
