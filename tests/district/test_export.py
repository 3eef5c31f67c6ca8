from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from checker import Catalog
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


def test_xlsx_sheets_and_rule_statuses(tmp_path: Path, digests: list[Digest], catalog: Catalog) -> None:
    path = tmp_path / "out.xlsx"
    assert write_xlsx(digests, path, "zh", catalog) == len(digests)
    book = openpyxl.load_workbook(path, read_only=True)
    standards = sorted({d.standard for d in digests})
    assert book.sheetnames == [
        "全部评估",
        *sorted(standards, key=[d.standard for d in digests].index),
        "条目说明",
    ]
    main = list(book["全部评估"].iter_rows(values_only=True))
    assert main[0][0] == "文件" and len(main) == len(digests) + 1
    assert main[1][CSV_COLUMNS.index("audited_on")] == dt.datetime.fromisoformat(digests[0].audited_on)
    assert main[1][CSV_COLUMNS.index("verdict")] in ("已认定", "未通过认定", "待补证")
    for standard in standards:
        mine = [d for d in digests if d.standard == standard]
        rows = list(book[standard].iter_rows(values_only=True))
        assert len(rows) == len(mine) + 1
        head = rows[0]
        assert head[:3] == ("设施编号", "设施名称", "街道")
        assert tuple(head[8:]) == mine[0].rule_ids
        words = {
            "pass": "通过",
            "fail": "不通过",
            "missing": "缺数据",
            "partial": "部分得分",
            "waived": "豁免",
            "not_applicable": "不适用",
        }
        for row, d in zip(rows[1:], mine, strict=True):
            assert row[0] == d.facility_id and row[6] == d.score
            assert tuple(row[8:]) == tuple(words[s] for s in d.statuses)
    rules = list(book["条目说明"].iter_rows(values_only=True))
    assert len(rules) == 1 + sum(len(next(d for d in digests if d.standard == s).rule_ids) for s in standards)
    assert rules[1][3] in ("控制项", "评分项", "加分项") and rules[1][2]
    book.close()


def test_xlsx_in_english(tmp_path: Path, digests: list[Digest], catalog: Catalog) -> None:
    path = tmp_path / "en.xlsx"
    write_xlsx(digests[:10], path, "en", catalog)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "All audits" and book.sheetnames[-1] == "Rules"
    assert book["All audits"]["I2"].value in ("certified", "not certified", "incomplete")
    assert book["All audits"].freeze_panes == "A2"


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
    cell = openpyxl.load_workbook(tmp_path / "e.xlsx")["全部评估"]["F2"]
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
    from checker.district.export_xlsx import _sheet_title

    used: set[str] = set()
    names = [_sheet_title(n, used) for n in ("a/b:c", "x" * 40, "x" * 40, "A/B:C")]
    assert names[0] == "a-b-c" and len(names[1]) == 31 and names[2].endswith("-2") and len(names[2]) == 31
    assert names[3] == "A-B-C-2"
