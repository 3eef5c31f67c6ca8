"""The Excel checklist: written for every standard, read back by two readers, filled and imported.

The round trip is the contract: for every shipped example, ``check template STD
--xlsx T.xlsx --from EXAMPLE`` then ``check import T.xlsx --output A.json``
gives the same score, level, verdict and rule statuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from checker import Catalog, check, load_audit
from checker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.json") if not p.stem.startswith("invalid"))
CATALOG = Catalog.discover(environment=False)


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _outcome(path: Path) -> tuple[object, ...]:
    result = check(load_audit(path, CATALOG), CATALOG)
    return result.score, result.level, result.verdict, [(r.id, r.status) for r in result.rules]


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in EXAMPLES])
def test_round_trip_of_every_example(example: Path, tmp_path: Path) -> None:
    standard = json.loads(example.read_text(encoding="utf-8"))["standard"]
    book, audit = tmp_path / "T.xlsx", tmp_path / "A.json"
    made = _run("template", standard, "--xlsx", str(book), "--from", str(example), "--lang", "bilingual")
    assert made.exit_code == 0, made.output
    imported = _run("import", str(book), "--output", str(audit))
    assert imported.exit_code == 0, imported.output
    assert _outcome(audit) == _outcome(example)
    checked = _run("--lang", "en", str(book))  # check FILE.xlsx checks it directly
    assert checked.exit_code == (0 if _outcome(example)[2] == "certified" else 1), checked.output


def test_both_readers_see_the_same_checklist(tmp_path: Path) -> None:
    book = tmp_path / "park.xlsx"
    _run(
        "template", "yuzhong-park", "--xlsx", str(book), "--from", str(ROOT / "examples/parks/compliant.json")
    )
    calamine = CalamineWorkbook.from_path(str(book))
    assert calamine.sheet_names == ["基本信息", "检查表", "豁免", "_lists", "_meta"]
    rows = calamine.get_sheet_by_name("检查表").to_python()
    header = rows[1]
    assert header[:4] == ["编号", "检查项", "单位", "填写值"] and "控制项" in header and "何时适用" in header
    by_id = {r[0]: r for r in rows[2:] if r[0]}
    std = CATALOG.get("yuzhong-park")
    assert set(by_id) == {f.id for f in std.fields}
    assert by_id["has_swings"][3] in ("是", "否")
    swing = by_id["swing_front_rear_clear_m"]
    assert "PRK-PLY-06" in swing[header.index("控制项")]
    assert "设有秋千" in swing[header.index("何时适用")]
    openpyxl_book = load_workbook(book)
    sheet = openpyxl_book["检查表"]
    for row in range(3, sheet.max_row + 1):
        fid = sheet.cell(row=row, column=1).value
        if fid:
            mine, theirs = sheet.cell(row=row, column=4).value, by_id[fid][3]
            assert (mine if mine is not None else "") == theirs, (fid, mine, theirs)
    # the hidden sheets, protection, validation and print set-up an office relies on
    assert openpyxl_book["_meta"].sheet_state == "hidden" and openpyxl_book["_lists"].sheet_state == "hidden"
    assert sheet.protection.sheet and not sheet.cell(row=4, column=4).protection.locked
    assert sheet.cell(row=4, column=2).protection.locked
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds
    value_cells = {str(r) for dv in sheet.data_validations.dataValidation for r in dv.sqref.ranges}
    fields = [r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=1).value]
    text_fields = {f.id for f in std.fields if f.type == "text"}
    covered = {c for v in value_cells for c in _cells(v)}
    for r in fields:
        if sheet.cell(row=r, column=1).value not in text_fields:
            assert f"D{r}" in covered, r
    info = openpyxl_book["基本信息"]
    assert info.column_dimensions["A"].hidden and info["C9"].number_format == "yyyy-mm-dd"


def _cells(ref: str) -> list[str]:
    from openpyxl.utils.cell import range_boundaries

    if ":" not in ref:
        return [ref]
    c1, r1, c2, r2 = range_boundaries(ref)
    from openpyxl.utils import get_column_letter

    return [f"{get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)]


def test_english_checklist_and_blank_import_is_incomplete_not_invalid(tmp_path: Path) -> None:
    book = tmp_path / "school.xlsx"
    assert _run("template", "yuzhong-school", "--xlsx", str(book), "--lang", "en").exit_code == 0
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Checklist").to_python()
    assert rows[1][:4] == ["Field id", "What to check", "Unit", "Value"]
    wb = load_workbook(book)
    info = wb["Audit info"]
    info["C4"], info["C7"], info["C9"] = "Test school", "Inspector", "2026-12-01"
    wb.save(book)
    result = _run("--lang", "en", str(book))
    assert result.exit_code == 1 and "incomplete" in result.output


def _filled(tmp_path: Path) -> Path:
    book = tmp_path / "park.xlsx"
    _run(
        "template", "yuzhong-park", "--xlsx", str(book), "--from", str(ROOT / "examples/parks/compliant.json")
    )
    return book


def _row_of(sheet: object, fid: str) -> int:
    return next(r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == fid)  # type: ignore[attr-defined]


def _import(book: Path, tmp_path: Path) -> object:
    return CliRunner().invoke(cli, ["import", str(book), "-o", str(tmp_path / "a.json"), "--lang", "en"])


@pytest.mark.parametrize(
    ("damage", "where", "fragment"),
    [
        ("layout", "检查表!D2", "layout was changed"),
        ("tampered", "_meta!B9", "hidden _meta sheet was changed"),
        ("empty_row", "检查表!A", "is empty"),
        ("formula", "检查表!D", "is a formula"),
        ("typed", "检查表!D", 'expected a number from 0 to 10 m, found "1.5米"'),
        ("sheet", "豁免", "is missing"),
    ],
)
def test_bad_workbooks_name_the_cell_and_the_fix(
    tmp_path: Path, damage: str, where: str, fragment: str
) -> None:
    book = _filled(tmp_path)
    wb = load_workbook(book)
    sheet = wb["检查表"]
    row = _row_of(sheet, "max_free_fall_height_m")
    if damage == "layout":
        sheet["D2"] = "值"
    elif damage == "tampered":
        wb["_meta"]["B4"] = "2025.9"
    elif damage == "empty_row":
        for c in range(1, 12):
            sheet.cell(row=row, column=c).value = None
    elif damage == "formula":
        sheet.cell(row=row, column=4).value = "=1+0.5"
    elif damage == "typed":
        sheet.cell(row=row, column=4).value = "1.5米"
    elif damage == "sheet":
        del wb["豁免"]
    wb.save(book)
    result = _import(book, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{book}:{where}" in result.stderr and fragment in result.stderr, result.stderr
    assert " — " in result.stderr  # every problem carries its fix
    assert not (tmp_path / "a.json").exists()


def test_a_checklist_of_another_standard_version(tmp_path: Path) -> None:
    from checker.forms.xlsx_write import write_checklist

    old = CATALOG.get("yuzhong-park").model_copy(update={"version": "2025.1"})
    book = tmp_path / "old.xlsx"
    write_checklist(old, book, "zh")
    result = CliRunner().invoke(cli, ["import", str(book), "-o", str(tmp_path / "a.json"), "--lang", "zh"])
    assert result.exit_code == 2
    assert (
        f"{book}:_meta!B4" in result.stderr
        and "2025.1" in result.stderr
        and "check template" in result.stderr
    )


def test_a_damaged_file_and_a_json_audit_given_to_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = _import(bad, tmp_path)
    assert result.exit_code == 2 and "cannot be opened" in result.stderr
    result = _import(ROOT / "examples/parks/compliant.json", tmp_path)
    assert result.exit_code == 2 and "already an audit" in result.stderr
