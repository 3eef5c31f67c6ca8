"""Reading a filled Excel checklist back: every entry with its cell, and every layout problem.

The hidden ``_meta`` sheet says which standard, version and rows the
checklist was made for; its fingerprint must still match, the sheets and
header cells must be where they were written, each field row must still hold
its field id, and a value cell must hold a value, not a formula. Each problem
names the cell (``FILE:检查表!D12``) and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.forms.submission import Entry, Submission
from checker.forms.words import FORM_LANGS, FormLang, w
from checker.forms.xlsx_write import (
    CHECKLIST_COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_KEYS,
    WAIVER_COLUMNS,
    col,
    layout_hash,
)

__all__ = ["is_checklist", "read_checklist"]


def _ref(sheet: Any, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet.title}!{get_column_letter(column)}{row}"


def is_checklist(book: Any) -> bool:
    return "_meta" in book.sheetnames


def read_checklist(path: Path, name: str, book: Any) -> Submission:
    """The entries of a checklist workbook (loaded by openpyxl with formulas kept)."""
    sub = Submission(name)

    def fail(where: str, message: Msg, hint: Msg) -> Submission:
        sub.problems.append(Problem.of(name, message, hint, path=where))
        return sub

    meta = book["_meta"]
    pairs = {str(meta.cell(row=r, column=1).value): meta.cell(row=r, column=2).value for r in range(1, 11)}
    if pairs.get("format") != FORMAT:
        return fail("_meta!B1", say("form.not_checklist"), say("hint.new_checklist"))
    sub.standard = Entry(pairs.get("standard"), "_meta!B3")
    sub.version = Entry(pairs.get("standard_version"), "_meta!B4")
    lang = pairs.get("lang")
    count = pairs.get("fields")
    rows: list[tuple[str, int]] = []
    if isinstance(count, str) and count.isdigit():
        for r in range(11, 11 + int(count)):
            fid, row = meta.cell(row=r, column=1).value, meta.cell(row=r, column=2).value
            if isinstance(fid, str) and isinstance(row, int):
                rows.append((fid, row))
    expected = layout_hash(str(pairs.get("standard")), str(pairs.get("standard_version")), str(lang), rows)
    if lang not in FORM_LANGS or pairs.get("layout") != expected:
        return fail("_meta!B9", say("form.tampered"), say("hint.new_checklist"))
    names = [pairs.get(k) for k in ("sheet_info", "sheet_checklist", "sheet_waivers")]
    for key, sheet_name in zip(("sheet_info", "sheet_checklist", "sheet_waivers"), names, strict=True):
        if sheet_name not in book.sheetnames:
            return fail(
                f"{sheet_name}", say("form.missing_sheet", sheet=str(sheet_name)), say("hint.layout", key=key)
            )
    form_lang: FormLang = lang
    info, checklist, waivers = (book[str(n)] for n in names)
    _read_info(sub, info, form_lang)
    _read_checklist(sub, checklist, form_lang, dict(rows))
    _read_waivers(sub, waivers, form_lang)
    facility_id = sub.header.get("facility.id")
    sub.name = str(facility_id.raw) if facility_id is not None and facility_id.raw else Path(name).stem
    return sub


def _cell(sub: Submission, sheet: Any, row: int, column: int) -> Entry | None:
    """The entry of an input cell; a formula is a problem (its result is not stored reliably)."""
    cell = sheet.cell(row=row, column=column)
    where = _ref(sheet, row, column)
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        sub.problems.append(
            Problem.of(
                sub.file, say("form.formula", formula=str(cell.value)[:40]), say("hint.formula"), path=where
            )
        )
        return None
    return Entry(cell.value, where)


def _header_check(sub: Submission, sheet: Any, labels: list[str]) -> bool:
    for c, label in enumerate(labels, 1):
        found = sheet.cell(row=2, column=c).value
        if found != label:
            sub.problems.append(
                Problem.of(
                    sub.file,
                    say("form.layout", found=repr(found), want=repr(label)),
                    say("hint.layout_columns"),
                    path=_ref(sheet, 2, c),
                )
            )
            return False
    return True


def _read_info(sub: Submission, sheet: Any, lang: FormLang) -> None:
    for i, key in enumerate(HEADER_KEYS):
        row = FIRST_ROW + i
        if sheet.cell(row=row, column=1).value != key:
            sub.problems.append(
                Problem.of(
                    sub.file,
                    say("form.layout", found=repr(sheet.cell(row=row, column=1).value), want=repr(key)),
                    say("hint.layout_rows"),
                    path=_ref(sheet, row, 1),
                )
            )
            return
        entry = _cell(sub, sheet, row, 3)
        if entry is not None:
            sub.header[key] = entry


def _read_checklist(sub: Submission, sheet: Any, lang: FormLang, rows: dict[str, int]) -> None:
    if not _header_check(sub, sheet, [w(k, lang, sep="\n") for k, _ in CHECKLIST_COLUMNS]):
        return
    found: dict[str, int] = {}
    for row in range(FIRST_ROW, sheet.max_row + 1):
        fid = sheet.cell(row=row, column=1).value
        if isinstance(fid, str) and fid.strip():
            found[fid.strip()] = row
    for fid, row in rows.items():
        at = found.get(fid)
        if at is None:
            message = (
                say("form.empty_row", row=row, field=fid)
                if _blank_row(sheet, row)
                else say("form.missing_row", field=fid)
            )
            sub.problems.append(
                Problem.of(sub.file, message, say("hint.restore_row"), path=_ref(sheet, row, 1))
            )
            continue
        for key, target in (
            ("col_value", sub.values),
            ("col_evidence", sub.evidence),
            ("col_remark", sub.notes),
        ):
            entry = _cell(sub, sheet, at, col(key))
            if (entry is not None and entry.raw is not None) or (entry is not None and key == "col_value"):
                target[fid] = entry
    for fid, row in found.items():
        if fid not in rows:
            sub.problems.append(
                Problem.of(
                    sub.file,
                    say(
                        "obs.unknown_field",
                        key=repr(fid),
                        standard=str(sub.standard.raw if sub.standard else ""),
                    ),
                    say("hint.restore_row"),
                    path=_ref(sheet, row, 1),
                )
            )


def _blank_row(sheet: Any, row: int) -> bool:
    return all(
        sheet.cell(row=row, column=c).value in (None, "") for c in range(1, len(CHECKLIST_COLUMNS) + 1)
    )


def _read_waivers(sub: Submission, sheet: Any, lang: FormLang) -> None:
    if not _header_check(sub, sheet, [w(label, lang, sep="\n") for _, label, _ in WAIVER_COLUMNS]):
        return
    for row in range(FIRST_ROW, sheet.max_row + 1):
        entries = {key: _cell(sub, sheet, row, c) for c, (key, _, _) in enumerate(WAIVER_COLUMNS, 1)}
        filled = {k: e for k, e in entries.items() if e is not None and e.raw not in (None, "")}
        if filled:
            sub.waivers.append({k: e for k, e in entries.items() if e is not None})
