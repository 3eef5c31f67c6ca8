"""The district progress PDF: read back with pypdf (text, pages, attached progress.json)."""

from __future__ import annotations

import io
import json
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
    assert "标准尚未发布" in text and "79" in text and "无对应指引" in text
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
    assert "no standard yet" in html and "70 % of 79" in html


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
