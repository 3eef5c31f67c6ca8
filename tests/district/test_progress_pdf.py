"""The district progress PDF: read back with pypdf (text, pages, attached progress.json)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from checker import Catalog
from checker.cli.progress import progress_command
from checker.district.digest import Digest
from checker.district.plan import builtin_plan, load_plan
from checker.district.progress import LatestAudits, Progress, compute_progress
from checker.district.progress_pdf import progress_html, render_progress_pdf

from ..report.conftest import element_rows
from .generate import Manifest

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def progress(digests: list[Digest], catalog: Catalog) -> Progress:
    return compute_progress(load_plan(builtin_plan()), LatestAudits().add_all(digests), catalog)


def test_pdf_text_pages_and_attachment(progress: Progress, catalog: Catalog) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_progress_pdf(progress, "zh", catalog)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "儿童友好城市建设进展报告" in text and "重庆市渝中区儿童友好城市建设三年行动计划" in text
    assert "渝中府办〔2024〕7号" in text and "重庆市渝中区人民政府办公室" in text
    waiting = [t for t in progress.targets if t.target.status is None and not t.available]
    # the cover's totals name every status with its count (0 included); a target row adds its own chip
    assert text.count("标准尚未发布") == 1 + len(waiting)
    assert "79" in text and "无对应指引" in text
    assert "解放碑—朝天门商圈" in text and "仅统计" in text
    assert len(reader.pages) >= 2
    attached = json.loads(reader.attachments["progress.json"][0])
    assert attached == json.loads(json.dumps(progress.to_dict()))
    for target in progress.targets:
        for audit in target.certified:
            assert audit.facility_name in text


def test_html_is_escaped_and_english(progress: Progress, catalog: Catalog) -> None:
    html = progress_html(progress, "en", catalog)
    assert "Child-Friendly City Progress Report" in html and 'lang="en"' in html
    waiting = [t for t in progress.targets if t.target.status is None and not t.available]
    assert ("no standard yet" in html) == bool(waiting)
    assert "70 % of 79" in html


@pytest.mark.parametrize("lang", ["zh", "en", "bilingual"])
def test_html_reads_the_same_with_expat(progress: Progress, catalog: Catalog, lang: str) -> None:
    """The PDF path reads this HTML with expat (report.pdffast): the tree tinyhtml5 would build."""
    import tinyhtml5

    from checker.report.pdffast import own_html_tree

    html = progress_html(progress, lang, catalog)  # type: ignore[arg-type]
    fast = own_html_tree(html)
    assert fast is not None
    assert element_rows(fast) == element_rows(tinyhtml5.parse(html, namespace_html_elements=False))


def test_a_target_whose_standard_is_not_shipped(
    unshipped_plan: Path, digests: list[Digest], catalog: Catalog
) -> None:
    progress = compute_progress(load_plan(unshipped_plan), LatestAudits().add_all(digests), catalog)
    assert "no standard yet" in progress_html(progress, "en", catalog)
    reader = pypdf.PdfReader(io.BytesIO(render_progress_pdf(progress, "zh", catalog)))
    assert "标准尚未发布" in "\n".join(page.extract_text() for page in reader.pages)


def test_cli_writes_the_pdf(tmp_path: Path, district: Manifest) -> None:
    out = tmp_path / "progress.pdf"
    result = CliRunner().invoke(
        progress_command, [str(district.root), "--pdf", str(out), "--lang", "en"], env={"LANG": "en_GB.UTF-8"}
    )
    assert result.exit_code == 2  # the corrupt files; the report is still written
    assert f"wrote {out}" in result.stderr
    assert pypdf.PdfReader(out).attachments["progress.json"]


def test_text_paths_do_not_load_the_pdf_stack() -> None:
    probe = (
        "import sys\n"
        "import checker.cli.progress, checker.cli.history, checker.cli.export, checker.district.batch, checker.district.plan, checker.district.history, checker.district.summary\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'openpyxl') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8", check=True
    )
    assert out.stdout.strip() == ""


def _examples_progress(catalog: Catalog) -> Progress:
    """The shipped examples, as `check progress examples/` sees them (the invalid one included)."""
    from checker.district.batch import check_paths
    from checker.district.paths import expand_paths
    from checker.district.progress import InvalidAudit

    root = Path(__file__).resolve().parents[2] / "examples"
    items = list(check_paths(expand_paths([str(root)]), workers=1, with_json=False, catalog=catalog))
    plan = load_plan(builtin_plan())
    latest = LatestAudits.for_plan(plan).add_all(i.digest for i in items if i.digest is not None)
    invalid = [InvalidAudit(i.path, i.problems) for i in items if i.digest is None]
    return compute_progress(plan, latest, catalog, invalid)


def test_every_facility_is_named_and_nothing_is_dropped(catalog: Catalog, tmp_path: Path) -> None:
    """Certified names with validity, the others with what holds them back, audits no target
    counts (and why), invalid files, level words translated, and the issuer as the PDF author."""
    progress = _examples_progress(catalog)
    data = progress.to_dict()
    assert data["invalid_audits"] == 1 and data["invalid_files"][0]["path"].endswith("schools/invalid.json")
    assert data["invalid_files"][0]["problems"][0]["message"]["zh"]
    unmatched = {u["facility"]: u["why"] for u in data["unmatched_audits"]}
    assert unmatched["YZ-COM-001"] == "out_of_scope" and unmatched["YZ-COM-D01"] == "not_named"
    schools = next(t for t in data["targets"] if t["id"] == "campuses" or "yuzhong-school" in t["standards"])
    others = {f["facility"]: f for f in schools["other_facilities"]}
    assert others["YZ-SCH-003"]["blocking"] == ["SCH-SAF-03", "SCH-SAF-04"]
    assert all(f["valid_until"] for f in schools["certified_facilities"])

    pdf = render_progress_pdf(progress, "zh", catalog)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    for name in ("渝中区示例九年制学校", "渝中区示例第四中学", "渝中区示例实验小学", "上清寺示例百货商厦"):
        assert name in text, name
    assert "SCH-SAF-03楼梯井防坠落" in text and "有效期至" in text
    assert "不计入任何目标的评估" in text and "不在“三大儿童友好商圈”的范围内" in text
    assert "无效评估" in text and "examples/schools/invalid.json" in text
    assert "compliant" not in text and "exemplary" not in text  # level words, not ids
    assert "截至" in text and "报告日期" in text
    info = reader.metadata
    assert info is not None and info.author == "重庆市渝中区人民政府办公室"
    assert info.creation_date is not None
    assert json.loads(reader.attachments["progress.json"][0]) == json.loads(json.dumps(data))


def test_text_names_facilities_and_what_counts_nowhere(catalog: Catalog) -> None:
    from checker.cli.district_text import render_progress

    text = click_unstyle(render_progress(_examples_progress(catalog), "zh", catalog))
    assert "✗ YZ-SCH-003 渝中区示例九年制学校 · 未通过认定 · 未达等级 · 84.7" in text
    assert "控制项：SCH-SAF-03 楼梯井防坠落、SCH-SAF-04 临空外窗" in text
    assert "✓ YZ-SCH-001 渝中区示例实验小学 · 已认定 · 示范 · 93.75 · 有效期至" in text
    assert "不计入任何目标的评估（5 个设施）" in text and "无效评估（1 个文件，未计入）" in text
    # a school route is not one of the plan's 山城步道 routes (item (13) counts trails only)
    assert "YZ-TRV-S01 渝中区示例人和街小学上学路线 · yuzhong-route · 已认定 — 不在“5条以上山城步道" in text
    assert "≥ compliant" not in text and "≥ 达标" in text
    en = click_unstyle(render_progress(_examples_progress(catalog), "en", catalog))
    assert "≥ compliant" not in en and "≥ Compliant" in en and "Invalid audits, not counted (1):" in en


def click_unstyle(text: str) -> str:
    import click

    return click.unstyle(text)


def test_bilingual_pdf_says_everything_in_chinese_then_english(catalog: Catalog) -> None:
    """--report-lang bilingual: each heading, sentence and state in Chinese, then in English;
    names and numbers once; the same attachment as the one-language PDFs."""
    progress = _examples_progress(catalog)
    reader = pypdf.PdfReader(io.BytesIO(render_progress_pdf(progress, "bilingual", catalog)))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    pairs = [
        ("儿童友好城市建设进展报告", "Child-FriendlyCityProgressReport"),
        ("重庆市渝中区儿童友好城市建设三年行动计划", "Three-yearactionplan"),
        ("不计入任何目标的评估", "Auditsthatcounttowardnotarget"),
        ("无效评估", "Invalidaudits"),
        ("未通过认定", "notcertified"),
        ("有效期至", "Validuntil"),
    ]
    for zh, en in pairs:
        assert zh in text and en in text, (zh, en)
        assert text.index(zh) < text.index(en), (zh, en)
    assert text.count("渝中区示例九年制学校") == len(re.findall("YZ-SCH-003", text))  # names once per row
    assert "≥达标Compliant" in text and "compliant" not in text.replace("Compliant", "")
    info = reader.metadata
    assert info is not None and info.author == "重庆市渝中区人民政府办公室"
    assert json.loads(reader.attachments["progress.json"][0]) == json.loads(json.dumps(progress.to_dict()))


def test_cli_report_lang_bilingual_text_and_pdf(tmp_path: Path) -> None:
    """The same option as `check run`'s reports: the text view line by line Chinese then English,
    and the PDF in both languages."""
    root = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / "progress.pdf"
    result = CliRunner().invoke(
        progress_command,
        [str(root), "--report-lang", "bilingual", "--pdf", str(out), "--lang", "en", "-j", "1"],
        env={"LANG": "en_GB.UTF-8"},
    )
    assert result.exit_code == 2  # the invalid example; the report is still written
    lines = click_unstyle(result.stdout).splitlines()
    zh = next(i for i, line in enumerate(lines) if "✗ YZ-SCH-003 渝中区示例九年制学校 · 未通过认定" in line)
    assert lines[zh + 1].startswith("      ✗ YZ-SCH-003 渝中区示例九年制学校 · not certified · no level")
    assert lines[0].startswith("重庆市渝中区") and lines[1].startswith("Three-year action plan")
    assert f"wrote {out}" in result.stderr  # messages stay in --lang
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "儿童友好城市建设进展报告" in text and "Child-Friendly City Progress Report" in text
