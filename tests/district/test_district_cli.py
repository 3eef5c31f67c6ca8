from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click
import openpyxl
import pytest
from click.testing import CliRunner, Result

from checker import Catalog
from checker.cli.export import export_command
from checker.cli.history import history_command
from checker.cli.main import cli, run_command
from checker.cli.progress import progress_command
from checker.district.plan import builtin_plan, load_plan

from .generate import Manifest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ENV = {"LANG": "en_GB.UTF-8", "TONGCHECK_STANDARDS": "", "TONGCHECK_HISTORY": ""}

# the commands as checker.cli registers them (cli.add_command); a group of their own keeps
# these tests independent of that registration
group = click.Group("check", commands=[progress_command, history_command, export_command])


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(group, list(args), catch_exceptions=False, env={**ENV, **(env or {})})


def test_progress_over_a_directory(district: Manifest) -> None:
    result = _run("progress", str(district.root), "--workers", "2")
    assert result.exit_code == 2  # corrupt files: reported, and the rest still counted
    for path in district.corrupt:
        assert str(path) in result.stderr
    out = result.stdout
    assert "(9) At least 10 child-friendly campuses (schools and kindergartens)" in out
    assert "target 10 · certified" in out
    assert "(8) At least 70 % of the 79 communities child-friendly" in out and "target 56 (70 % of 79)" in out
    plan = load_plan(builtin_plan())
    catalog = Catalog.discover(environment=False)
    waiting = [
        t
        for t in plan.targets
        if t.status is None and not any(catalog.find_quietly(s) for s in t.standard_ids)
    ]
    assert out.count("standard not yet available") == len(waiting)
    assert "(41) Mother-baby rooms in every emergency shelter" in out and "no guideline (not measured)" in out
    assert f"{len(plan.targets)} targets:" in out


def _waiting_target_ids() -> set[str]:
    """Targets of the shipped plan whose standards are not shipped yet."""
    catalog = Catalog.discover(environment=False)
    plan = load_plan(builtin_plan())
    return {
        t.id
        for t in plan.targets
        if t.status is None and not any(catalog.find_quietly(s) for s in t.standard_ids)
    }


def test_progress_json_and_chinese(district: Manifest) -> None:
    data = json.loads(_run("progress", str(district.root), "--format", "json").stdout)
    assert data["audits_seen"] == len(district.audits) and data["invalid_audits"] == len(district.corrupt)
    statuses = {t["id"]: t["status"] for t in data["targets"]}
    waiting = _waiting_target_ids()
    assert {tid for tid, status in statuses.items() if status == "no_standard"} == waiting
    assert statuses["study-bases"] != "no_standard"  # yuzhong-study-base ships
    zh = _run("progress", str(district.root), "--lang", "zh", "-v").stdout
    assert (
        "(9) 建成儿童友好校园10个以上（中小学、幼儿园） · 校园 · yuzhong-school + yuzhong-kindergarten ≥ 达标"
        in zh
    )
    assert "目标 56（79 个的 70%）" in zh and "共 24 项目标" in zh
    body, totals = zh.rsplit("\n共 ", 1)  # the totals line counts every status, 0 included
    assert ("标准尚未发布" in body) == bool(waiting)
    assert f"标准尚未发布 {len(waiting)}" in totals
    assert "· YZ-COM-JFB-CTM 解放碑—朝天门商圈 · 尚无评估" in zh


def test_record_then_progress_from_history(tmp_path: Path, district: Manifest) -> None:
    db = str(tmp_path / "h.sqlite3")
    direct = json.loads(
        _run("progress", str(district.root), "--format", "json", "--record", "--db", db).stdout
    )
    again = _run("history", "record", str(district.root), "--db", db)
    assert again.exit_code == 2
    assert (
        f"recorded 0 new audits, {len(district.audits)} already recorded, {len(district.corrupt)} invalid"
        in again.stdout
    )
    stored = json.loads(_run("progress", "--format", "json", "--db", db).stdout)
    for key in ("invalid_audits", "invalid_files"):  # the history keeps no invalid file
        direct.pop(key)
        stored.pop(key)
    assert stored == direct


def test_history_default_db_is_per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data)}
    result = _run("history", "record", str(EXAMPLES / "parks"), env=env)
    assert result.exit_code == 0 and "recorded 4 new audits" in result.stdout
    place = data / "tongcheck" / "history.sqlite3"
    assert place.exists() and not (tmp_path / "tongcheck-history.sqlite3").exists()
    listing = _run("history", "list", env=env)
    assert "YZ-PRK-001" in listing.stdout and "Exemplary" in listing.stdout
    where = _run("history", "where", env=env)
    assert where.exit_code == 0 and where.stdout == f"{place}\n" and "default place" in where.stderr
    given = _run("history", "where", env={**env, "TONGCHECK_DB": str(tmp_path / "d.sqlite3")})
    assert given.stdout == f"{tmp_path / 'd.sqlite3'}\n" and "$TONGCHECK_DB" in given.stderr
    assert "not created yet" in given.stderr
    (tmp_path / "tongcheck-history.sqlite3").write_bytes(b"")  # where earlier versions put it
    assert "--db" in _run("history", "where", env=env).stderr


def _park(kind: str, day: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLES / "parks" / f"{kind}.json").read_text(encoding="utf-8"))
    doc["facility"] = {"id": "YZ-PRK-900", "name": "测试公园"}
    doc["audited_on"] = day
    return doc


def test_history_show_a_facility_over_time(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    for i, (kind, day) in enumerate((("not-certified", "2025-04-01"), ("compliant", "2026-04-01"))):
        (tmp_path / f"{i}.json").write_text(
            json.dumps(_park(kind, day), ensure_ascii=False), encoding="utf-8"
        )
    assert _run("history", "record", str(tmp_path), "--db", db).exit_code == 0
    text = _run("history", "show", "YZ-PRK-900", "--db", db).stdout
    assert text.startswith("YZ-PRK-900 测试公园")
    assert "2025-04-01  not certified" in text and "2026-04-01  certified · Compliant" in text
    assert "first audit" in text and "fixed" in text
    data = json.loads(_run("history", "show", "测试公园", "--db", db, "--format", "json").stdout)
    assert data["facility"] == "YZ-PRK-900" and [a["audited_on"] for a in data["audits"]] == [
        "2025-04-01",
        "2026-04-01",
    ]
    assert data["audits"][1]["fixed"] and data["audits"][1]["score_change"] > 0
    zh = _run("history", "show", "YZ-PRK-900", "--db", db, "--lang", "zh").stdout
    assert "首次评估" in zh and "已整改" in zh
    missing = _run("history", "show", "NOPE", "--db", db)
    assert missing.exit_code == 2 and "no audit recorded for this facility" in missing.stderr


def test_history_without_a_database(tmp_path: Path) -> None:
    result = _run("history", "list", "--db", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 2 and "no history database here" in result.stderr


def test_export_csv_and_xlsx(tmp_path: Path, district: Manifest) -> None:
    result = _run(
        "export", str(district.root), "--csv", str(tmp_path / "a.csv"), "--xlsx", str(tmp_path / "a.xlsx")
    )
    assert (
        result.exit_code == 2
        and f"wrote {tmp_path / 'a.csv'} ({len(district.audits)} audits)" in result.stderr
    )
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(district.audits)
    assert {r["path"] for r in rows} == {str(w.path) for w in district.audits}
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheets = book.sheetnames
    assert sheets[0] == "Summary" and sheets[-1] == "Invalid files"
    assert sum(book[name].max_row - 1 for name in sheets[1:-1]) == len(district.audits)
    facilities = {(w.standard, w.facility_id) for w in district.audits}
    assert book["Summary"].max_row == len(facilities) + 1  # the latest audit of each facility
    invalid = [row[0] for row in book["Invalid files"].iter_rows(min_row=2, values_only=True)]
    assert set(invalid) == {str(p) for p in district.corrupt}


def test_export_from_history(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    _run("history", "record", str(EXAMPLES / "schools"), "--db", db)
    result = _run("export", "--from-history", "--db", db, "--xlsx", str(tmp_path / "h.xlsx"), "--lang", "zh")
    assert result.exit_code == 0 and "（4 份评估）" in result.stderr
    assert openpyxl.load_workbook(tmp_path / "h.xlsx")["校园"].max_row == 5


def test_export_usage_errors(tmp_path: Path) -> None:
    assert "give --csv FILE and/or --xlsx FILE" in _run("export", str(EXAMPLES)).stderr
    both = _run("export", str(EXAMPLES), "--from-history", "--csv", str(tmp_path / "x.csv"))
    assert both.exit_code == 2 and "not both" in both.stderr


def test_plan_errors_are_located(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "format: 1\nid: p\ntitle: {zh: 计划, en: Plan}\nperiod: {start: '2024-01-01', end: '2026-12-31'}\n"
        "targets:\n  - id: parks\n    facility_type: park\n    title: {zh: 公园, en: Parks}\n"
        "    standard: yuzhong-park\n    level: platinum\n    count: 3\n",
        encoding="utf-8",
    )
    result = _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan))
    assert result.exit_code == 2
    assert f"{plan}:10:12: $.targets[0].level: yuzhong-park has no level 'platinum'" in result.stderr
    assert result.stdout == ""


def test_target_of_an_unshipped_standard_says_so(unshipped_plan: Path) -> None:
    plan = unshipped_plan
    text = _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan))
    assert "standard not yet available" in text.stdout
    data = json.loads(
        _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan), "--format", "json").stdout
    )
    assert [t["status"] for t in data["targets"]] == ["no_standard"]
    assert (
        "标准尚未发布"
        in _run("progress", str(EXAMPLES / "parks"), "--plan", str(plan), "--lang", "zh").stdout
    )


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    result = _run("progress", str(tmp_path))
    assert result.exit_code == 2 and "no audit files (*.json)" in result.stderr


# --- `check run` over many files (once checker.cli wires in the batch) ----------------------------

needs_batch_run = pytest.mark.skipif(
    "workers" not in {p.name for p in run_command.params}, reason="checker.cli run has no batch support yet"
)


@needs_batch_run
def test_run_directory_json_lines_and_summary(district: Manifest) -> None:
    result = CliRunner().invoke(cli, [str(district.root), "--format", "json", "-j", "2"], env=ENV)
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(row["format"] == 1 for row in rows)
    # every valid audit a result, every invalid file an error record: nothing vanishes from the stream
    assert len([r for r in rows if "verdict" in r]) == len(district.audits)
    errors = [r for r in rows if "error" in r]
    assert {r["path"] for r in errors} == {str(p) for p in district.corrupt}
    assert all(r["problems"] and r["problems"][0]["message"]["zh"] for r in errors)
    assert (
        f"Summary: {district.total} audits: {len(district.audits)} valid, {len(district.corrupt)} invalid"
        in result.stderr
    )


@needs_batch_run
def test_run_single_file_is_unchanged() -> None:
    result = CliRunner().invoke(cli, [str(EXAMPLES / "parks" / "exemplary.json")], env=ENV)
    assert result.exit_code == 0 and "Summary" not in result.output
