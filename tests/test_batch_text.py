"""``check DIR``: one line per audit then the summary; ``--verbose`` the full view; JSON error records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from checker.cli.main import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ENV = {"LANG": "en_GB.UTF-8", "TONGCHECK_STANDARDS": ""}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_directory_one_line_per_audit_then_summary() -> None:
    code, out, err = _run(str(EXAMPLES), "-j", "1")
    assert code == 2  # examples/schools/invalid.json
    lines = out.splitlines()
    summary = lines.index(next(line for line in lines if line.startswith("Summary")))
    audits = lines[:summary]
    assert audits[-1] == ""  # one blank line before the summary
    audits = audits[:-1]
    valid = [p for p in EXAMPLES.rglob("*.json") if p.name != "invalid.json"]
    assert len(audits) == len(valid) and all(line.strip() for line in audits)
    nine_year = next(line for line in audits if "YZ-SCH-003" in line)
    # facility, standard, verdict, level, score, the first failing prerequisite (and how many more)
    assert nine_year.startswith("✗ ")
    for part in ("yuzhong-school", "not certified", "· none ·", "84.7", "prerequisite failing: SCH-SAF-03"):
        assert part in nine_year, nine_year
    assert "(1 more)" in nine_year
    incomplete = next(line for line in audits if "YZ-SCH-004" in line)
    assert "incomplete" in incomplete and "prerequisite missing data: SCH-SPC-02" in incomplete
    exemplary = next(line for line in audits if "YZ-SCH-001" in line)
    assert "certified · Exemplary · 93.75" in exemplary and "prerequisite" not in exemplary
    assert "invalid.json" in err and "invalid.json" not in "\n".join(audits)


def test_verbose_keeps_the_full_view() -> None:
    code, out, _ = _run(str(EXAMPLES / "schools"), "-j", "1", "--verbose")
    assert code == 2
    assert out.count("Items to act on") == 4 and "Summary" in out
    one = _run(str(EXAMPLES / "schools" / "exemplary.json"))[1]
    assert "Section" in one and "Summary" not in one  # one audit: the full view, as before


def test_chinese_line() -> None:
    result = CliRunner().invoke(cli, [str(EXAMPLES / "schools"), "-j", "1", "--lang", "zh"], env=ENV)
    line = next(line for line in result.stdout.splitlines() if "YZ-SCH-003" in line)
    assert "未通过认定 · 未达等级 · 84.7 · 前提未过: SCH-SAF-03" in line and "另 1 项" in line


def test_invalid_file_json_record_single_and_batch() -> None:
    invalid = EXAMPLES / "schools" / "invalid.json"
    code, out, err = _run(str(invalid), "--format", "json")
    assert code == 2 and "invalid.json:15:17" in err  # the paragraph for people stays on stderr
    record = json.loads(out)
    assert record["format"] == 1 and record["error"] == "audit" and record["path"] == str(invalid)
    assert len(record["problems"]) == 5
    first = record["problems"][0]
    assert (first["line"], first["column"], first["path"]) == (15, 17, "$.audited_on")
    assert first["message"]["zh"].startswith("日期须写作") and first["message"]["en"].startswith("a date")
    assert first["hint"]["en"] == 'write "2026-12-02"'
    code, out, _ = _run(str(EXAMPLES / "schools"), "--format", "json", "-j", "2")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and len(rows) == 5
    assert [r["path"] for r in rows if "error" in r] == [str(invalid)]


def test_error_record_through_the_real_entry_point(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "checker", str(bad), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    record = json.loads(done.stdout)
    assert record["error"] == "audit" and record["problems"][0]["file"] == str(bad)


def test_the_summary_lists_invalid_files_in_the_readers_language() -> None:
    for lang, said in (("zh", '日期须写作 "YYYY-MM-DD"'), ("en", 'a date must be written "YYYY-MM-DD"')):
        _, out, _ = _run(str(EXAMPLES / "schools"), "-j", "1", "--lang", lang)
        tail = out[out.index("无效文件" if lang == "zh" else "Invalid files") :]
        assert "invalid.json:15:17: $.audited_on: " + said in tail, tail


def test_one_line_built_without_reasons_reads_the_same() -> None:
    """The one line per audit is written from a result whose new reasons are not worded (``Brief``):
    for every example it is the line the full result gives, and only reasons differ."""
    import dataclasses

    from checker import Catalog
    from checker.cli.result_line import format_line
    from checker.core.audit_load import parse_audit
    from checker.core.engine import evaluate
    from checker.core.errors import CheckerError
    from checker.core.result_build import UNWORDED, build_result
    from checker.core.scoring import score
    from checker.core.text import Lang

    catalog = Catalog.discover(environment=False)  # its own standards: no row in the memo yet
    langs: tuple[Lang, ...] = ("zh", "en")
    checked = unworded = 0
    for path in sorted(EXAMPLES.rglob("*.json")):
        try:
            audit = parse_audit(path.read_bytes(), catalog, str(path))
        except CheckerError:
            continue
        standard = catalog.get(audit.standard)
        evaluation = evaluate(standard, audit)
        scored = score(standard, evaluation.outcomes)
        brief = build_result(standard, audit, evaluation, scored, reasons=False)
        full = build_result(standard, audit, evaluation, scored)
        for lang in langs:
            assert format_line(brief, lang) == format_line(full, lang)
        for a, b in zip(brief.rules, full.rules, strict=True):
            assert a.reason in (UNWORDED, b.reason)
            assert dataclasses.replace(a, reason=b.reason) == b
            unworded += a.reason is UNWORDED
        assert dataclasses.replace(brief, rules=full.rules) == full
        checked += 1
    assert checked >= 20 and unworded > 100


def test_an_invalid_file_reads_the_same_in_the_summary_and_the_progress_text(tmp_path: Path) -> None:
    """Its first problem and how many more, worded once (``district.words.first_problem``)."""
    audit = json.loads((EXAMPLES / "schools" / "compliant.json").read_text(encoding="utf-8"))
    audit["audited_on"] = "2026年12月2日"
    audit["observations"]["students_boys"] = -3
    (tmp_path / "bad.json").write_text(json.dumps(audit, ensure_ascii=False), encoding="utf-8")
    for lang, more in (("zh", "(+1 个问题)"), ("en", "(+1 more)")):
        _, batch, _ = _run(str(tmp_path), "-j", "1", "--lang", lang)
        _, progress, _ = _run("progress", str(tmp_path), "--lang", lang)
        said = [line.strip(" ·") for line in (batch + progress).splitlines() if line.rstrip().endswith(more)]
        assert len(said) == 2 and said[0] == said[1] and "$.audited_on" in said[0], (batch, progress)
