from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checker import Catalog
from checker.core.errors import Problem
from checker.district.digest import Digest
from checker.district.export import CSV_COLUMNS, CsvWriter, write_csv
from checker.district.export_xlsx import XlsxWriter, write_xlsx


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_one_row_per_audit(tmp_path: Path, digests: list[Digest]) -> None:
    path = tmp_path / "out.csv"
    assert write_csv(digests, path) == len(digests)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese names right
    rows = _rows(path)
    assert len(rows) == len(digests) and list(rows[0]) == list(CSV_COLUMNS)
    for row, d in zip(rows, digests, strict=True):
        assert row["path"] == d.path and row["facility_id"] == d.facility_id
        assert row["facility_name"] == d.facility_name and row["audited_on"] == d.audited_on
        assert (row["verdict"], row["level"], float(row["score"])) == (d.verdict, d.level or "", d.score)
        failing = [
            r
            for r, s, k in zip(d.rule_ids, d.statuses, d.rule_kinds, strict=True)
            if s == "fail" and k != "bonus"
        ]
        assert row["failing_rules"].split() == failing
        assert row["content_hash"] == d.content_hash


_SHORT = {
    "yuzhong-commercial": "商圈",
    "yuzhong-cultural-venue": "文化活动场馆",
    "yuzhong-study-base": "研学实践基地",
    "yuzhong-hospital": "医院",
    "yuzhong-park": "公园",
    "yuzhong-scenic-spot": "景区",
    "yuzhong-school": "校园",
}
_WORDS = {
    "pass": "通过",
    "fail": "不通过",
    "missing": "缺数据",
    "partial": "部分得分",
    "waived": "豁免",
    "not_applicable": "不适用",
}


def _short(standard: str, catalog: Catalog) -> str:
    """The sheet of a guideline: the names above for those shipped when this was written, the
    same rule (title without district, 儿童友好 and 建设指引) for guidelines added since."""
    from checker.district.xlsx_sheets import short_title

    named = short_title(catalog.get(standard), standard, "zh")
    assert _SHORT.get(standard, named) == named
    return named


def _calamine(path: Path) -> dict[str, list[list[Any]]]:
    """The workbook through a second, independent reader (Rust calamine)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_xlsx_sheets_for_a_clerk(tmp_path: Path, digests: list[Digest], catalog: Catalog) -> None:
    path = tmp_path / "out.xlsx"
    bad = Problem.of(
        "bad.json",
        "a date must be written YYYY-MM-DD",
        "write 2026-12-02",
        path="$.audited_on",
        line=3,
        column=5,
    )
    assert write_xlsx(digests, path, "zh", catalog, invalid=[("bad.json", [bad])]) == len(digests)
    standards = list(dict.fromkeys(d.standard for d in digests))
    book = openpyxl.load_workbook(path)
    # 汇总 first, a sheet per guideline named by its Chinese short name, the invalid files last
    assert book.sheetnames == ["汇总", *(_short(s, catalog) for s in standards), "无效文件"]
    for standard in standards:
        mine = [d for d in digests if d.standard == standard]
        ws = book[_short(standard, catalog)]
        rows = list(ws.iter_rows(values_only=True))
        assert len(rows) == len(mine) + 1
        head = rows[0]
        assert head[:7] == ("设施编号", "设施名称", "街道", "评估日期", "结论", "等级", "得分")
        spec = catalog.get(standard)
        # rule columns headed by the rule's title, its id in the cell's note
        assert head[7:] == tuple(spec.rule_map[r].title("zh") for r in mine[0].rule_ids)
        notes = [ws.cell(row=1, column=8 + i).comment for i in range(len(mine[0].rule_ids))]
        assert [n.text.split()[-1] for n in notes if n is not None] == list(mine[0].rule_ids)
        for row, d in zip(rows[1:], mine, strict=True):
            assert row[0] == d.facility_id and row[6] == d.score
            assert row[3] == dt.datetime.fromisoformat(d.audited_on)
            assert tuple(row[7:]) == tuple(_WORDS[s] for s in d.statuses)
        # no technical columns by default
        assert "文件" not in head and "内容哈希" not in head
        assert d.path not in {c for r in rows for c in r}
    # 汇总: the latest audit of every facility, how many audits it had, what holds it back
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][:4] == ("设施编号", "设施名称", "街道", "指引")
    latest: dict[tuple[str, str | None], Digest] = {}
    count: dict[tuple[str, str | None], int] = {}
    for d in digests:
        key = (d.standard, d.facility_id)
        count[key] = count.get(key, 0) + 1
        if key not in latest or d.audited_on >= latest[key].audited_on:
            latest[key] = d
    assert len(summary) == len(latest) + 1
    by_id = {(r[3], r[0]): r for r in summary[1:]}
    for (standard, fid), d in latest.items():
        row = by_id[(_short(standard, catalog), fid)]
        assert (
            row[4] == dt.datetime.fromisoformat(d.audited_on)
            and row[7] == d.score
            and row[10] == count[(standard, fid)]
        )
        held = [
            r
            for r, s, k in zip(d.rule_ids, d.statuses, d.rule_kinds, strict=True)
            if k == "mandatory" and s in ("fail", "missing")
        ]
        assert all(r in (row[9] or "") for r in held) and (bool(held) == bool(row[9]))
        if d.verdict == "certified":
            assert row[8] == dt.datetime.fromisoformat(d.valid_until or "")
    invalid = list(book["无效文件"].iter_rows(values_only=True))
    assert invalid[1] == (
        "bad.json",
        "3:5: $.audited_on",
        "a date must be written YYYY-MM-DD",
        "write 2026-12-02",
    )
    # print setup on every sheet: A4 landscape, fit to width, header row repeated
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes in ("A2", "C2")
    book.close()
    # the same content through calamine
    other = _calamine(path)
    assert list(other) == ["汇总", *(_short(s, catalog) for s in standards), "无效文件"]
    assert len(other["汇总"]) == len(latest) + 1 and other["无效文件"][1][0] == "bad.json"
    school = other["校园"]
    assert school[0][7] == catalog.get("yuzhong-school").rule_map[school_ids(digests)[0]].title("zh")
    assert all(r[4] in ("已认定", "未通过认定", "待补证") for r in school[1:])


def school_ids(digests: list[Digest]) -> tuple[str, ...]:
    return next(d.rule_ids for d in digests if d.standard == "yuzhong-school")


def test_xlsx_technical_columns(tmp_path: Path, digests: list[Digest], catalog: Catalog) -> None:
    path = tmp_path / "t.xlsx"
    write_xlsx(digests[:20], path, "zh", catalog, technical=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == "条目说明"
    first = book[_short(digests[0].standard, catalog)]
    head = [c.value for c in first[1]]
    assert head[7:9] == ["文件", "内容哈希"]
    assert first.cell(row=2, column=8).value == digests[0].path
    assert first.cell(row=2, column=9).value == digests[0].content_hash
    rules = list(book["条目说明"].iter_rows(values_only=True))
    assert rules[1][3] in ("控制项", "评分项", "加分项") and rules[1][2]


def test_xlsx_in_english(tmp_path: Path, digests: list[Digest], catalog: Catalog) -> None:
    path = tmp_path / "en.xlsx"
    write_xlsx(digests[:10], path, "en", catalog)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Invalid files"
    from checker.district.xlsx_sheets import short_title

    assert book.sheetnames[1] == short_title(catalog.get(digests[0].standard), digests[0].standard, "en")
    assert book["Summary"]["F2"].value in ("certified", "not certified", "incomplete")
    assert book["Summary"].freeze_panes == "C2"


def test_characters_excel_cannot_hold_are_replaced_and_counted(tmp_path: Path, digests: list[Digest]) -> None:
    # a facility of its own, so the summary (latest audit per facility) shows it too
    evil = dataclasses.replace(
        digests[0], facility_id="EVIL-1", facility_name="Park\x00\x1b[2J\x07", street="街\x0b道"
    )
    with XlsxWriter(tmp_path / "c.xlsx") as writer:
        writer.add(evil)
        writer.add(digests[1])
    assert writer.text.replaced == 4
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[1]
    assert sheet["B2"].value == "Park\\x00\\x1b[2J\\x07" and sheet["C2"].value == "街\\x0b道"
    assert "Park\\x00\\x1b[2J\\x07" in [row[1] for row in _calamine(tmp_path / "c.xlsx")["汇总"]]


def test_formulas_in_audit_text_stay_text(tmp_path: Path, digests: list[Digest]) -> None:
    evil = dataclasses.replace(
        digests[0], facility_name='=HYPERLINK("http://x","点我")', street="+1", facility_id="@id"
    )
    write_csv([evil], tmp_path / "e.csv")
    row = _rows(tmp_path / "e.csv")[0]
    assert (
        row["facility_name"] == "'" + evil.facility_name
        and row["street"] == "'+1"
        and row["facility_id"] == "'@id"
    )
    write_xlsx([evil], tmp_path / "e.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "e.xlsx").worksheets[1]["B2"]
    assert cell.value == evil.facility_name and cell.data_type == "s"


def test_failed_export_leaves_nothing_behind(tmp_path: Path, digests: list[Digest]) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("previous export", encoding="utf-8")

    def broken():  # type: ignore[no-untyped-def]
        yield from digests[:3]
        raise RuntimeError("interrupted")

    for writer, name in ((CsvWriter, "keep.csv"), (XlsxWriter, "new.xlsx")):
        with pytest.raises(RuntimeError), writer(tmp_path / name) as w:
            for d in broken():
                w.add(d)
    assert target.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


def test_sheet_names_are_valid_and_unique() -> None:
    from checker.district.xlsx_sheets import sheet_title

    used: set[str] = set()
    names = [sheet_title(n, used) for n in ("a/b:c", "x" * 40, "x" * 40, "A/B:C")]
    assert names[0] == "a-b-c" and len(names[1]) == 31 and names[2].endswith("-2") and len(names[2]) == 31
    assert names[3] == "A-B-C-2"
