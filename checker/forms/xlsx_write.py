"""The Excel checklist an assessor fills in the office or prints for the site.

Four sheets: 基本信息 (facility, assessor, date), 检查表 (one row per field,
grouped by section, with what it accepts, the rules that read it, 控制项 and
when it applies), 豁免 (waivers) and a hidden ``_meta`` sheet naming the
standard, its version and the layout, so the import can refuse a checklist of
another standard version or one whose layout was changed. Every input cell has
Excel data validation; the rest is protected (no password), the header is
frozen, and the pages print on A4 landscape, fit to width, headers repeated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.standard import FieldSpec, Standard
from checker.forms.layout import FieldInfo, layout, words_of
from checker.forms.words import FormLang, pair, w
from checker.forms.xlsx_cells import Lists, allowed, shown_value, validation

if TYPE_CHECKING:
    from checker.core.audit import Audit

__all__ = ["CHECKLIST_COLUMNS", "FORMAT", "HEADER_KEYS", "layout_hash", "write_checklist"]

FORMAT = "tongcheck-checklist"
FORMAT_VERSION = "1"
HEADER_KEYS = (
    "facility.id", "facility.name", "facility.address", "facility.street",
    "assessor.name", "assessor.organisation", "audited_on", "notes",
)  # fmt: skip
# (key, width); value, evidence and remark are the input columns
CHECKLIST_COLUMNS = (
    ("col_id", 16), ("col_label", 34), ("col_unit", 7), ("col_value", 16), ("col_evidence", 20),
    ("col_remark", 18), ("col_allowed", 24), ("col_prerequisite", 13), ("col_applies", 30),
    ("col_rules", 13), ("col_help", 40),
)  # fmt: skip
INPUTS = ("col_value", "col_evidence", "col_remark")
WAIVER_COLUMNS = (
    ("rule", "col_rule", 16),
    ("reason", "col_reason", 44),
    ("approved_by", "col_approved_by", 24),
    ("expires", "col_expires", 14),
)
WAIVER_ROWS = 20
FIRST_ROW = 3  # row 1 title, row 2 headers


def layout_hash(standard_id: str, version: str, lang: str, rows: list[tuple[str, int]]) -> str:
    """A fingerprint of what the import relies on; a changed ``_meta`` no longer matches it."""
    text = "|".join([FORMAT, FORMAT_VERSION, standard_id, version, lang, *(f"{f}@{r}" for f, r in rows)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def col(key: str) -> int:
    return 1 + [k for k, _ in CHECKLIST_COLUMNS].index(key)


def write_checklist(standard: Standard, path: Path, lang: FormLang, audit: Audit | None = None) -> None:
    """Write the checklist workbook for ``standard`` (pre-filled from ``audit``) atomically."""
    from openpyxl import Workbook

    from checker.core.fsutil import atomic_write

    book = Workbook()
    info = book.active
    info.title = w("sheet_info", lang, sep=" ")
    checklist = book.create_sheet(w("sheet_checklist", lang, sep=" "))
    waivers = book.create_sheet(w("sheet_waivers", lang, sep=" "))
    lists = book.create_sheet("_lists")
    meta = book.create_sheet("_meta")
    style = _Styles()
    choices = Lists(lists, lang)
    _info_sheet(info, standard, lang, style, audit)
    rows = _checklist_sheet(checklist, standard, lang, style, choices, audit)
    _waiver_sheet(waivers, standard, lang, style, choices, audit)
    _meta_sheet(meta, standard, lang, rows, (info.title, checklist.title, waivers.title))
    lists.sheet_state = "hidden"
    meta.sheet_state = "hidden"
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="A6A6A6")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(bold=True, size=13)
        self.bold = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9E1F2")
        self.section_fill = PatternFill("solid", fgColor="EDEDED")
        self.input_fill = PatternFill("solid", fgColor="FFFFFF")
        self.fixed_fill = PatternFill("solid", fgColor="F7F7F7")
        self.prerequisite = Font(bold=True, color="C00000")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.unlocked = Protection(locked=False)


def _title(sheet: Any, text: str, width: int, style: _Styles) -> None:
    sheet.cell(row=1, column=1, value=text).font = style.title
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 24


def _headers(sheet: Any, labels: list[tuple[str, int]], style: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    for i, (label, width) in enumerate(labels, 1):
        cell = sheet.cell(row=2, column=i, value=label)
        cell.font, cell.fill, cell.border, cell.alignment = (
            style.bold,
            style.header_fill,
            style.border,
            style.wrap,
        )
        sheet.column_dimensions[get_column_letter(i)].width = width


def _print_setup(sheet: Any, lang: FormLang, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = w("page_footer", lang, sep=" · ")
    sheet.oddHeader.center.text = title[:200]
    sheet.freeze_panes = "A3"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _info_sheet(sheet: Any, standard: Standard, lang: FormLang, style: _Styles, audit: Audit | None) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    title = w("info_title", lang, sep=" · ", title=pair(standard.title, lang), version=standard.version)
    _title(sheet, title, 4, style)
    _headers(
        sheet,
        [
            (w("col_key", lang), 16),
            (w("col_item", lang), 26),
            (w("col_fill", lang), 44),
            (w("col_note", lang), 60),
        ],
        style,
    )
    sheet.column_dimensions["A"].hidden = True
    dates = DataValidation(
        type="date", operator="between", formula1="32874", formula2="73051", allow_blank=True
    )
    dates.error = w("any_date", lang)
    sheet.add_data_validation(dates)
    for i, key in enumerate(HEADER_KEYS):
        row = FIRST_ROW + i
        sheet.cell(row=row, column=1, value=key)
        label = sheet.cell(row=row, column=2, value=w(key, lang))
        label.font, label.border = style.bold, style.border
        value = sheet.cell(row=row, column=3, value=_header_value(audit, key))
        value.protection, value.border, value.alignment = style.unlocked, style.border, style.wrap
        if key == "audited_on":
            value.number_format = "yyyy-mm-dd"
            dates.add(value.coordinate)
    notes = sheet.cell(row=FIRST_ROW, column=4, value=w("instructions", lang, sep="\n"))
    notes.alignment = style.wrap
    sheet.merge_cells(
        start_row=FIRST_ROW, start_column=4, end_row=FIRST_ROW + len(HEADER_KEYS) - 1, end_column=4
    )
    _print_setup(sheet, lang, title)


def _header_value(audit: Audit | None, key: str) -> Any:
    if audit is None:
        return None
    if key == "audited_on":
        return dt.date.fromisoformat(audit.audited_on)
    if key == "notes":
        return audit.notes
    part, name = key.split(".")
    return getattr(getattr(audit, part), name, None)


def _checklist_sheet(
    sheet: Any, standard: Standard, lang: FormLang, style: _Styles, choices: Lists, audit: Audit | None
) -> list[tuple[str, int]]:
    title = w("checklist_title", lang, sep=" · ", title=pair(standard.title, lang), version=standard.version)
    _title(sheet, title, len(CHECKLIST_COLUMNS), style)
    _headers(sheet, [(w(k, lang, sep="\n"), width) for k, width in CHECKLIST_COLUMNS], style)
    sheet.row_dimensions[2].height = 30 if lang == "bilingual" else 18
    validations: dict[str, Any] = {}
    rows: list[tuple[str, int]] = []
    row = FIRST_ROW
    for section in layout(standard).sections:
        cell = sheet.cell(row=row, column=2, value=pair(section.title, lang))
        cell.font = style.bold
        for c in range(1, len(CHECKLIST_COLUMNS) + 1):
            sheet.cell(row=row, column=c).fill = style.section_fill
        row += 1
        for info in section.fields:
            _field_row(sheet, row, info, lang, style, audit)
            dv = validations.get(_validation_key(info.spec))
            if dv is None and (dv := validation(info.spec, lang, choices)) is not None:
                validations[_validation_key(info.spec)] = dv
                sheet.add_data_validation(dv)
            if dv is not None:
                dv.add(sheet.cell(row=row, column=col("col_value")).coordinate)
            rows.append((info.id, row))
            row += 1
    sheet.auto_filter.ref = f"A2:{sheet.cell(row=2, column=len(CHECKLIST_COLUMNS)).column_letter}{row - 1}"
    _print_setup(sheet, lang, title)
    return rows


def _validation_key(spec: FieldSpec) -> str:
    return f"{spec.type}|{spec.min}|{spec.max}|{spec.values}|{spec.value_labels}"


def _field_row(
    sheet: Any, row: int, info: FieldInfo, lang: FormLang, style: _Styles, audit: Audit | None
) -> None:
    spec = info.spec
    marks = words_of(info, "en" if lang == "en" else "zh")
    if lang == "bilingual" and info.applies is not None:
        marks["applies"] = f"{marks['applies']}\n{words_of(info, 'en')['applies']}"
    unit = pair(spec.unit, lang) if spec.unit else ""
    value = shown_value(spec, audit.observations.get(spec.id), lang) if audit else None
    raw = audit.observations.get(spec.id) if audit else None
    if isinstance(raw, dict):
        value = shown_value(spec, raw.get("value"), lang)
    evidence = "; ".join(audit.evidence(spec.id)) if audit else None
    note = audit.note(spec.id) if audit else None
    cells = {
        "col_id": spec.id,
        "col_label": pair(spec.label, lang, sep="\n"),
        "col_unit": unit,
        "col_value": value,
        "col_evidence": evidence or None,
        "col_remark": note,
        "col_allowed": allowed(spec, lang),
        "col_prerequisite": marks.get("prerequisite"),
        "col_applies": marks.get("applies") or w("always", lang),
        "col_rules": ", ".join(r.id for r in info.rules),
        "col_help": pair(spec.help, lang, sep="\n") if spec.help else None,
    }
    for key, content in cells.items():
        cell = sheet.cell(row=row, column=col(key), value=content)
        cell.border, cell.alignment = style.border, style.wrap
        if key in INPUTS:
            cell.protection, cell.fill = style.unlocked, style.input_fill
        else:
            cell.fill = style.fixed_fill
    if spec.type == "date":
        sheet.cell(row=row, column=col("col_value")).number_format = "yyyy-mm-dd"
    if info.prerequisite:
        sheet.cell(row=row, column=col("col_prerequisite")).font = style.prerequisite
        sheet.cell(row=row, column=col("col_label")).font = style.bold
    sheet.row_dimensions[row].height = 15 * max(_lines(cells[k], w) for k, w in CHECKLIST_COLUMNS)


def _lines(value: Any, width: int) -> int:
    """How many lines a wrapped cell needs (Excel and LibreOffice do not size rows they did not lay out)."""
    if value is None:
        return 1
    per_line = max(1, width - 1)
    widths = [sum(2 if ord(ch) > 0x2E80 else 1 for ch in part) for part in str(value).split("\n")]
    return sum(max(1, -(-n // per_line)) for n in widths)


def _waiver_sheet(
    sheet: Any, standard: Standard, lang: FormLang, style: _Styles, choices: Lists, audit: Audit | None
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    title = w("waivers_title", lang, sep=" · ")
    _title(sheet, title, len(WAIVER_COLUMNS), style)
    _headers(sheet, [(w(label, lang, sep="\n"), width) for _, label, width in WAIVER_COLUMNS], style)
    rule_ids = [r.id for r in standard.rule_map.values() if not r.mandatory]
    rules = DataValidation(
        type="list", formula1=choices.ref(rule_ids or ["-"]), allow_blank=True, showErrorMessage=True
    )
    dates = DataValidation(
        type="date", operator="between", formula1="32874", formula2="73051", allow_blank=True
    )
    sheet.add_data_validation(rules)
    sheet.add_data_validation(dates)
    given = list(audit.waivers) if audit else []
    for i in range(max(WAIVER_ROWS, len(given))):
        row = FIRST_ROW + i
        waiver = given[i] if i < len(given) else None
        for c, (key, _, _) in enumerate(WAIVER_COLUMNS, 1):
            value = getattr(waiver, key) if waiver else None
            if key == "expires" and value:
                value = dt.date.fromisoformat(value)
            cell = sheet.cell(row=row, column=c, value=value)
            cell.protection, cell.border, cell.alignment = style.unlocked, style.border, style.wrap
        rules.add(sheet.cell(row=row, column=1).coordinate)
        sheet.cell(row=row, column=4).number_format = "yyyy-mm-dd"
        dates.add(sheet.cell(row=row, column=4).coordinate)
    _print_setup(sheet, lang, title)


def _meta_sheet(
    sheet: Any, standard: Standard, lang: FormLang, rows: list[tuple[str, int]], names: tuple[str, str, str]
) -> None:
    pairs = [
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("standard", standard.id),
        ("standard_version", standard.version),
        ("lang", lang),
        ("sheet_info", names[0]),
        ("sheet_checklist", names[1]),
        ("sheet_waivers", names[2]),
        ("layout", layout_hash(standard.id, standard.version, lang, rows)),
        ("fields", str(len(rows))),
    ]
    for i, (key, value) in enumerate(pairs, 1):
        sheet.cell(row=i, column=1, value=key)
        sheet.cell(row=i, column=2, value=value)
    for i, (fid, row) in enumerate(rows, len(pairs) + 1):
        sheet.cell(row=i, column=1, value=fid)
        sheet.cell(row=i, column=2, value=row)
    sheet.protection.sheet = True
