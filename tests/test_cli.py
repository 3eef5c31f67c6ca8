from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli.main import cli

from .conftest import FIXTURE_STANDARD, GOOD, audit_doc

STD = ["--standards", str(FIXTURE_STANDARD.parent)]


def _run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, [*args], input=input, catch_exceptions=False, env={"LANG": "en_GB.UTF-8"})


def test_certified_exit_0(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    path = write_audit(audit_doc(GOOD))
    result = _run(runner, str(path), *STD)
    assert result.exit_code == 0, result.output
    assert "certified" in result.stdout and "Exemplary" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_not_certified_exit_1(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    path = write_audit(audit_doc({**GOOD, "gate": False}))
    result = _run(runner, str(path), *STD, "--lang", "zh")
    assert result.exit_code == 1
    assert "未通过认定" in result.stdout and "T-M1" in result.stdout and "控制项" in result.stdout


def test_incomplete_exit_1(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    obs = {k: v for k, v in GOOD.items() if k != "gate"}
    result = _run(runner, str(write_audit(audit_doc(obs))), *STD)
    assert result.exit_code == 1
    assert "incomplete" in result.stdout and "missing data: Gate" in result.stdout


def test_invalid_exit_2_and_others_still_checked(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    good = write_audit(audit_doc(GOOD), "good.json")
    bad = write_audit(audit_doc({"height_m": "1.05m"}), "bad.json")
    result = _run(runner, str(bad), str(good), *STD, "--format", "json")
    assert result.exit_code == 2
    assert "bad.json:" in result.stderr and "$.observations.height_m" in result.stderr
    assert "Traceback" not in result.output
    error, checked = (json.loads(line) for line in result.stdout.strip().splitlines())
    assert checked["verdict"] == "certified"
    assert error["error"] == "audit" and error["path"] == str(bad) and "verdict" not in error
    problem = error["problems"][0]
    assert problem["path"] == "$.observations.height_m" and problem["line"] is not None
    assert (
        problem["message"]["en"]
        and problem["message"]["zh"]
        and problem["message"]["zh"] != problem["message"]["en"]
    )


def test_missing_file_exit_2(runner: CliRunner) -> None:
    result = _run(runner, "does-not-exist.json", *STD)
    assert result.exit_code == 2
    assert "does-not-exist.json: cannot read file" in result.stderr


def test_json_lines_and_worst_code(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    a = write_audit(audit_doc(GOOD), "a.json")
    b = write_audit(audit_doc({**GOOD, "gate": False}), "b.json")
    result = _run(runner, "--format", "json", str(a), str(b), *STD)
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["verdict"] for r in rows] == ["certified", "not_certified"]
    assert rows[0]["format"] == 1 and rows[0]["standard"]["id"] == "test-fixture"
    assert {"id", "section", "status", "mandatory", "bonus", "earned", "possible"} <= set(rows[0]["rules"][0])


def test_stdin(runner: CliRunner) -> None:
    result = _run(runner, "-", *STD, "--format", "json", input=json.dumps(audit_doc(GOOD)))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["audit"]["path"] == "<stdin>"


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert _run(runner, "run").exit_code == 2
    assert _run(runner, "a.json", "--format", "xml").exit_code == 2
    assert _run(runner, "show", "no-such-standard", *STD).exit_code == 2


def test_broken_standard_dir_exit_2(
    runner: CliRunner, tmp_path: Path, write_audit: Callable[..., Path]
) -> None:
    (tmp_path / "std").mkdir()
    (tmp_path / "std" / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    good = write_audit(audit_doc(GOOD), "good.json")
    uses_broken = write_audit(audit_doc(GOOD, standard="broken"), "b1.json")
    also_broken = write_audit(audit_doc(GOOD, standard="broken"), "b2.json")
    args = [str(uses_broken), str(good), str(also_broken), *STD, "--standards", str(tmp_path / "std")]
    result = _run(runner, *args)
    assert result.exit_code == 2
    assert result.stderr.count("broken.yaml:1:1: $.title") == 1  # reported once, not per audit
    assert "unknown standard" not in result.stderr
    assert "certified" in result.stdout  # the valid audit is still checked
    # an audit that does not use the broken standard is not held hostage by it
    assert _run(runner, str(good), *STD, "--standards", str(tmp_path / "std")).exit_code == 0
    # but listing the standards reports it
    listed = _run(runner, "list", *STD, "--standards", str(tmp_path / "std"))
    assert listed.exit_code == 2 and "broken.yaml" in listed.stderr


def test_duplicate_standard_ids(runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "same.yaml").write_text(FIXTURE_STANDARD.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(runner, "list", *STD, "--standards", str(copy))
    assert result.exit_code == 2
    assert "already defined" in result.stderr


def test_list_show_template_schema(runner: CliRunner, tmp_path: Path) -> None:
    listed = _run(runner, "list", *STD)
    assert "test-fixture" in listed.stdout
    shown = _run(runner, "show", "test-fixture", *STD, "--lang", "zh")
    assert shown.exit_code == 0 and "T-M1" in shown.stdout and "控制项" in shown.stdout
    template = _run(runner, "template", "test-fixture", *STD)
    doc = json.loads(template.stdout)
    assert set(doc["observations"]) == {
        "gate",
        "height_m",
        "count_n",
        "kids",
        "surface",
        "operator_name",
        "inspected_on",
        "shade_pct",
        "noise_db",
        "has_water",
    }
    assert "rubber" in doc["observations"]["surface"]["note"]
    schema = json.loads(_run(runner, "schema", "test-fixture", *STD).stdout)
    assert schema["properties"]["standard"] == {"const": "test-fixture"}
    assert json.loads(_run(runner, "schema", "standard").stdout)["title"].startswith("tongcheck standard")


def test_filled_template_is_a_valid_audit(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    doc = json.loads(_run(runner, "template", "test-fixture", *STD).stdout)
    doc["facility"]["name"] = "示例"
    doc["assessor"]["name"] = "评估员"
    doc["audited_on"] = "2026-06-01"
    result = _run(runner, str(write_audit(doc)), *STD)
    assert result.exit_code == 1 and "incomplete" in result.stdout


def test_lint(runner: CliRunner, tmp_path: Path) -> None:
    ok = _run(runner, "lint", str(FIXTURE_STANDARD))
    assert ok.exit_code == 0 and "ok" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        FIXTURE_STANDARD.read_text(encoding="utf-8").replace(
            "field: gate, eq: true}\n        remediation", "field: gat, eq: true}\n        remediation"
        ),
        encoding="utf-8",
    )
    result = _run(runner, "lint", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml:" in result.stderr and "did you mean 'gate'" in result.stderr


def test_docs_check(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    first = _run(runner, "docs", "--out", str(out), *STD)
    assert first.exit_code == 0
    assert (out / "test-fixture.md").exists()
    assert _run(runner, "docs", "--out", str(out), "--check", *STD).exit_code == 0
    (out / "test-fixture.md").write_text("stale", encoding="utf-8")
    assert _run(runner, "docs", "--out", str(out), "--check", *STD).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["list", "--help"],
        ["show", "--help"],
        ["lint", "--help"],
        ["template", "--help"],
        ["schema", "--help"],
        ["docs", "--help"],
    ],
)
def test_help_everywhere(runner: CliRunner, args: list[str]) -> None:
    result = _run(runner, *args)
    assert result.exit_code == 0 and "Usage:" in result.stdout and "Example" in result.stdout


def test_env_var_standards(runner: CliRunner, write_audit: Callable[..., Path]) -> None:
    path = write_audit(audit_doc(GOOD))
    result = runner.invoke(
        cli, [str(path)], env={"TONGCHECK_STANDARDS": str(FIXTURE_STANDARD.parent), "LANG": "C"}
    )
    assert result.exit_code == 0
    assert "已认定" in result.stdout  # locale C falls back to Chinese


def test_html_report_from_run(runner: CliRunner, write_audit: Callable[..., Path], tmp_path: Path) -> None:
    path = write_audit(audit_doc({**GOOD, "gate": False}))
    out = tmp_path / "reports"
    result = _run(runner, str(path), *STD, "--html", str(out), "--report-lang", "en")
    assert result.exit_code == 1
    (page,) = out.glob("*.html")
    text = page.read_text(encoding="utf-8")
    assert "T-M1" in text and "Not certified" in text


def test_single_report_file_needs_one_audit(
    runner: CliRunner, write_audit: Callable[..., Path], tmp_path: Path
) -> None:
    a = write_audit(audit_doc(GOOD), "a.json")
    b = write_audit(audit_doc(GOOD), "b.json")
    result = _run(runner, str(a), str(b), *STD, "--html", str(tmp_path / "one.html"))
    assert result.exit_code == 2
    assert "a single file takes one audit" in result.stderr


def test_an_audit_of_a_replaced_version_is_refused_with_the_way_to_re_audit(tmp_path: Path) -> None:
    """2026.1 audits after the standards move to 2026.2: exit 2, both languages say to re-audit
    with the new template, and the command they name carries the recorded values over."""
    std_dir = tmp_path / "standards"
    std_dir.mkdir()
    text = FIXTURE_STANDARD.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2026.2"')
    (std_dir / "fixture.yaml").write_text(text, encoding="utf-8")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(audit_doc(GOOD, standard_version="2026.1"), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    en = runner.invoke(cli, [str(old), "--standards", str(std_dir), "--lang", "en"])
    assert en.exit_code == 2
    assert "made with version 2026.1 of test-fixture, which has been replaced by version 2026.2" in en.output
    assert f"re-audit with the 2026.2 template: check template test-fixture --from '{old}'" in en.output
    zh = runner.invoke(cli, [str(old), "--standards", str(std_dir), "--lang", "zh"])
    assert zh.exit_code == 2 and "该标准已更新为 2026.2 版" in zh.output and "按 2026.2 版重新评估" in zh.output
    made = runner.invoke(cli, ["template", "test-fixture", "--from", str(old), "--standards", str(std_dir)])
    assert made.exit_code == 0, made.output
    new = json.loads(made.stdout)
    assert new["standard_version"] == "2026.2" and new["observations"]["gate"]["value"] is True
    new.pop("_help", None)
    fresh = tmp_path / "new.json"
    fresh.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(cli, [str(fresh), "--standards", str(std_dir)]).exit_code in (0, 1)
