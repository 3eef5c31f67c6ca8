"""Exports and history never die on one row (issue 9, item 5), through the CLI.

Output paths that cannot be created, the same path twice, characters Excel
cannot hold, a row one writer refuses, SQLite files that are damaged or lack
tables, plan files: each gives exit 2 and a paragraph naming the file the user
gave (never a temporary file), and nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from checker.cli.main import cli
from checker.district.export import CsvWriter
from checker.district.history_errors import database_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ENV = {"LANG": "en_GB.UTF-8", "TONGCHECK_STANDARDS": "", "TONGCHECK_HISTORY": "", "TONGCHECK_DB": ""}


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def test_same_path_for_csv_and_xlsx_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    result = _run(
        "export", str(EXAMPLES / "parks"), "--csv", str(target), "--xlsx", str(tmp_path / "." / "out")
    )
    assert result.exit_code == 2 and "name the same file" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("option", ["--csv", "--xlsx"])
def test_output_in_a_missing_directory_or_under_a_file(tmp_path: Path, option: str) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for target in (tmp_path / "missing" / "out", tmp_path / "afile" / "out"):
        result = _run("export", str(EXAMPLES / "parks"), option, str(target))
        assert result.exit_code == 2, result.output
        assert f"{target}: cannot write" in result.stderr and ".tmp" not in result.stderr
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_pdf_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    target = tmp_path / "afile" / "x.pdf"
    result = _run(str(EXAMPLES / "parks" / "exemplary.json"), "--pdf", str(target))
    assert result.exit_code == 2 and str(target) in result.stderr and ".tmp" not in result.stderr


def test_control_characters_are_replaced_and_counted(tmp_path: Path) -> None:
    doc = json.loads((EXAMPLES / "parks" / "compliant.json").read_text(encoding="utf-8"))
    doc["facility"]["name"] = "公园\x1b[2J\x07"
    (tmp_path / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    result = _run("export", str(tmp_path / "a.json"), "--xlsx", str(out), "--csv", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert "2 characters Excel cannot hold" in result.stderr
    sheet = openpyxl.load_workbook(out).worksheets[1]
    assert sheet["B2"].value == "公园\\x1b[2J\\x07"
    assert "公园\x1b[2J\x07" in (tmp_path / "o.csv").read_text(encoding="utf-8-sig")  # the CSV keeps data


def test_one_bad_row_does_not_abort_the_other_writers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = CsvWriter.add

    def refuse_one(self: CsvWriter, digest: object) -> None:
        if getattr(digest, "facility_id", None) == "YZ-PRK-002":
            raise ValueError("this row cannot be written")
        real(self, digest)  # type: ignore[arg-type]

    monkeypatch.setattr(CsvWriter, "add", refuse_one)
    csv_path, xlsx_path = tmp_path / "o.csv", tmp_path / "o.xlsx"
    result = _run("export", str(EXAMPLES / "parks"), "--csv", str(csv_path), "--xlsx", str(xlsx_path))
    assert result.exit_code == 2
    assert (
        f"could not be written to {csv_path}" in result.stderr
        and "this row cannot be written" in result.stderr
    )
    assert len(csv_path.read_text(encoding="utf-8-sig").splitlines()) == 1 + 3
    assert openpyxl.load_workbook(xlsx_path)["Park"].max_row == 1 + 4


def _recorded(tmp_path: Path) -> Path:
    db = tmp_path / "h.sqlite3"
    assert _run("history", "record", str(EXAMPLES / "parks"), "--db", str(db)).exit_code == 0
    return db


def test_damaged_history_database(tmp_path: Path) -> None:
    db = _recorded(tmp_path)
    with open(db, "r+b") as handle:  # overwrite every page after the header
        handle.seek(4096)
        handle.write(b"\xff" * (db.stat().st_size - 4096))
    for args in (("history", "record", str(EXAMPLES / "schools" / "compliant.json")), ("history", "list")):
        result = _run(*args, "--db", str(db))
        assert result.exit_code == 2, result.output
        assert f"{db}:" in result.stderr and "backup" in result.stderr and "Traceback" not in result.output


def test_tables_missing_behind_the_schema_version(tmp_path: Path) -> None:
    db = _recorded(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE rule_statuses")
    for args in (
        ("history", "record", str(EXAMPLES / "schools" / "compliant.json")),
        ("history", "show", "YZ-PRK-001"),
        ("export", "--from-history", "--xlsx", str(tmp_path / "x.xlsx")),
    ):
        result = _run(*args, "--db", str(db))
        assert result.exit_code == 2, result.output
        assert f"{db}:" in result.stderr and "rule_statuses" in result.stderr and "backup" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_sqlite_errors_in_words() -> None:
    readonly = database_error("h.sqlite3", sqlite3.OperationalError("attempt to write a readonly database"))
    assert (
        "read-only" in str(readonly) and "writable" in str(readonly) and str(readonly).startswith("h.sqlite3")
    )
    locked = database_error("h.sqlite3", sqlite3.OperationalError("database is locked"))
    assert "another program" in str(locked)
    full = database_error("h.sqlite3", sqlite3.OperationalError("database or disk is full"))
    assert "disk space" in str(full)


def test_plan_file_errors_speak_of_plans(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    result = _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan))
    assert (
        result.exit_code == 2 and "not allowed in plans" in result.stderr and "standard" not in result.stderr
    )
    plan.write_text("", encoding="utf-8")
    result = _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan))
    assert result.exit_code == 2 and "docs/plans.md" in result.stderr and "standard" not in result.stderr
