"""PDFs read back: text, pages, fonts, PDF/A markers, the attached result, safety."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import click
import pypdf
import pytest
from click.testing import CliRunner

from checker import Result, Standard
from checker.cli.report_options import emit_reports, report_options
from checker.report import ReportError, render_pdf, write_report, write_reports
from checker.report.html import num

from .builders import long_audit, result_for
from .conftest import FIXTURE, HOSTILE, pdftotext

pytestmark = pytest.mark.pdf
ROOT = Path(__file__).resolve().parents[2]
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def cert_pdf(certified: Result, long_std: Standard) -> bytes:
    return render_pdf(certified, long_std, kind="certificate", lang="zh")


@pytest.fixture(scope="module")
def gap_pdf(failing: Result, long_std: Standard) -> bytes:
    return render_pdf(failing, long_std, kind="gap", lang="zh")


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _size(page: pypdf.PageObject) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def test_harfbuzz_subsetting_is_available() -> None:
    """Without libharfbuzz-subset0 every CJK PDF takes 7-10 s (shared/guides/measurements.md)."""
    from weasyprint.pdf import fonts

    assert fonts.harfbuzz_subset is not None


def test_certificate_is_one_landscape_a4_page(cert_pdf: bytes) -> None:
    reader = _reader(cert_pdf)
    assert len(reader.pages) == 1
    width, height = _size(reader.pages[0])
    assert (round(height, 1), round(width, 1)) == (round(A4[0], 1), round(A4[1], 1))


def test_certificate_text(cert_pdf: bytes, certified: Result, tmp_path: Path) -> None:
    from checker.report.certificate import certificate_number, validity

    text = pdftotext(cert_pdf, tmp_path)
    assert "渝中区人和街儿童友好公园" in text
    assert "儿童友好认定证书" in text and "儿童友好公园" in text
    assert "认证" not in text  # a district designation (认定), not an accredited certification
    assert certified.level_label is not None and certified.level_label.zh in text
    assert num(certified.score) in text
    assert certificate_number(certified) in text
    assert validity(certified) == ("2026-05-12", "2026-12-31")  # capped by the fixture's waivers
    assert "2026年5月12日" in text and "2026年12月31日" in text
    assert "未签名样张" in text  # no key: an unsigned specimen
    assert "渝中区儿童友好建设评估中心" in text and "李评估" in text
    assert "\ufffd" not in text


def test_gap_report_text(gap_pdf: bytes, failing: Result, tmp_path: Path) -> None:
    text = pdftotext(gap_pdf, tmp_path)
    compact = text.replace("\n", "")
    assert "渝中区人和街儿童友好公园" in text
    assert "未通过认定" in text and "未达等级" in text
    assert num(failing.score) in text
    failing_ids = [r.id for r in failing.rules if r.status == "fail"]
    assert len(failing_ids) > 20
    for rule_id in failing_ids:
        assert rule_id in compact, rule_id
    assert "本地规则" in text and "整改建议" in text
    assert "\ufffd" not in text


def test_gap_report_pages_header_and_footer(gap_pdf: bytes, tmp_path: Path) -> None:
    reader = _reader(gap_pdf)
    pages = len(reader.pages)
    assert pages >= 8
    assert all(_size(p) == pytest.approx(A4, abs=0.1) for p in reader.pages)
    header_pages = 0
    for number in range(1, pages + 1):
        text = pdftotext(gap_pdf, tmp_path, number)
        assert f"第 {number} 页 / 共 {pages} 页" in text
        if number > 1:
            assert "渝中区人和街儿童友好公园" in text  # running header
        if "依据条款" in text:
            header_pages += 1
    assert header_pages >= 4  # the tables' header repeats on every page they span


def test_fonts_are_embedded_cjk_subsets(gap_pdf: bytes, cert_pdf: bytes) -> None:
    for pdf in (gap_pdf, cert_pdf):
        names = set()
        for page in _reader(pdf).pages:
            fonts = page["/Resources"]["/Font"]
            for ref in fonts.values():
                font = ref.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
                names.add(str(font["/BaseFont"]))
        assert names and all("+" in n for n in names), names  # subset prefix
        assert all("CJK" in n for n in names), names  # no DejaVu fallback anywhere
    cert_fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[1]
        for f in _reader(cert_pdf).pages[0]["/Resources"]["/Font"].values()
    }
    assert all("Serif" in n for n in cert_fonts)


def _embedded_fonts(pdf: bytes) -> dict[str, int]:
    """Each embedded font's name (without the subset tag) and the size of its font program."""
    sizes = {}
    for page in _reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
            sizes[str(font["/BaseFont"]).split("+")[1]] = len(program.get_object().get_data())
    return sizes


def test_fonts_come_from_the_working_copies(gap_pdf: bytes, cert_pdf: bytes) -> None:
    """The CJK text is set in the common-character copies (checker.report.workfonts), whose subsets
    are a fraction of those of the 65,535-glyph collections (800 kB a face before)."""
    for pdf in (gap_pdf, cert_pdf):
        sizes = _embedded_fonts(pdf)
        assert sizes and all(name.endswith("Common") or name.endswith("Common-Bold") for name in sizes), sizes
        assert all(size < 300_000 for size in sizes.values()), sizes


def test_a_character_outside_the_working_copies_still_prints(long_std: Standard, tmp_path: Path) -> None:
    """堃 (common in names, not in GB 2312) comes from the installed face, next to the copy."""
    doc = long_audit(long_std, seed=1, name="渝中区堃园儿童友好公园")
    pdf = render_pdf(result_for(doc, long_std), long_std, kind="gap", lang="zh")
    assert "渝中区堃园儿童友好公园" in pdftotext(pdf, tmp_path, 1)
    names = set(_embedded_fonts(pdf))
    assert any(n.endswith("Common-Bold") for n in names) and any("CJK-SC-Bold" in n for n in names), names


def test_stylesheets_reach_weasyprint_with_their_variables_set() -> None:
    from checker.report import pdf

    css = ":root { --ink: #1F2A44; --gold:#B08D57 }\np { color: var(--ink); border: 1px solid var(--gold); }\nq { color: var(--other); }"
    assert pdf.inline_variables(css).splitlines()[1:] == [
        "p { color: #1F2A44; border: 1px solid #B08D57; }",
        "q { color: var(--other); }",  # not set in :root: left to WeasyPrint
    ]
    for name in pdf.STYLESHEETS.values():
        assert "var(" not in pdf.inline_variables((pdf.STATIC_DIR / name).read_text(encoding="utf-8"))


def test_documents_use_the_trimmed_html_stylesheet() -> None:
    """No rule of it matches every element for a pseudo-element (WeasyPrint's footnote and note
    rules, its universal ::marker): if a WeasyPrint upgrade changes that sheet, this fails."""
    from checker.report import pdf

    sheet = pdf._user_agent_sheet()
    assert sheet is not None
    assert pdf._HTML(string="<p>x</p>")._ua_stylesheets() == [sheet]


def test_attachment_round_trips_and_pdfa_markers(gap_pdf: bytes, failing: Result) -> None:
    reader = _reader(gap_pdf)
    assert list(reader.attachments) == ["result.json"]
    data = reader.attachments["result.json"][0]
    assert Result.from_json(data) == failing
    assert json.loads(data) == json.loads(failing.to_json())
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert (
        "pdfaid" in raw and "3" in raw.split("part", 1)[1][:20] and "B" in raw.split("conformance", 1)[1][:20]
    )
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root
    assert len(root["/AF"]) == 1  # one associated file, listed once
    spec = root["/AF"][0].get_object()
    assert spec["/AFRelationship"] == "/Data" and spec["/F"] == "result.json"
    assert reader.pdf_header in ("%PDF-1.7", "%PDF-2.0")


def test_hostile_text_prints_as_text(hostile: Result, long_std: Standard, tmp_path: Path) -> None:
    for kind in ("certificate", "gap"):
        pdf = render_pdf(hostile, long_std, kind=kind, lang="zh")
        reader = _reader(pdf)
        assert list(reader.attachments) == ["result.json"]
        text = pdftotext(pdf, tmp_path).replace("\n", "")
        assert '<img src="file:///etc/passwd">' in text
        for page in reader.pages:
            xobjects = page["/Resources"].get("/XObject") or {}
            for ref in xobjects.values():
                assert ref.get_object().get("/Subtype") != "/Image"
    assert HOSTILE


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/hostname">',
        '<a rel="attachment" href="file:///etc/os-release">x</a>',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        "<style>@import url(http://127.0.0.1:9/x);</style>",
        '<div style="background: url(file:///etc/passwd)">x</div>',
        '<img src="asset:../fetcher.py">',
        '<img src="asset:/../../../../etc/passwd">',
        '<svg><image href="file:///etc/passwd" width="9" height="9"/></svg>',
    ],
)
def test_fetcher_refuses_everything_outside(markup: str) -> None:
    from checker.report.pdf import html_to_pdf

    with pytest.raises(ReportError, match="outside resource"):
        html_to_pdf(f"<p>x</p>{markup}", "gap", "{}")


def test_fetcher_serves_package_assets() -> None:
    from checker.report.pdf import fetcher

    response = fetcher().fetch("asset:guilloche.svg")
    assert response.content_type == "image/svg+xml" and b"<svg" in response.read()


def test_no_cjk_font_stops_with_a_message(tmp_path: Path) -> None:
    """A fontconfig that only knows DejaVu: no PDF, a message naming the fix."""
    conf = tmp_path / "fonts.conf"
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{dejavu if dejavu.is_dir() else tmp_path}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from tests.report.builders import long_standard, long_audit, result_for\n"
        "from checker.report import render_pdf, ReportError\n"
        "s = long_standard(2, 4)\n"
        "r = result_for(long_audit(s), s)\n"
        "try:\n"
        "    render_pdf(r, s, kind='gap', lang='zh')\n"
        "except ReportError as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}
    env.pop("TONGCHECK_CJK_FONT", None)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stderr
    assert "no font that can draw Chinese" in proc.stdout and "fonts-noto-cjk" in proc.stdout


def test_certificate_stays_one_page_with_a_huge_name(
    certified: Result, long_std: Standard, tmp_path: Path
) -> None:
    long_name = "渝中区" + "超长设施名称" * 80
    facility = {**certified.audit.facility, "name": long_name, "address": "地址" * 300}
    result = replace(certified, audit=replace(certified.audit, facility=facility))
    for lang in ("zh", "en", "bilingual"):
        assert len(_reader(render_pdf(result, long_std, kind="certificate", lang=lang)).pages) == 1


def test_languages(failing: Result, certified: Result, long_std: Standard, tmp_path: Path) -> None:
    en = pdftotext(render_pdf(failing, long_std, kind="gap", lang="en"), tmp_path, 1)
    assert "Not certified" in en and "Page 1 of" in en and "第 1 页" not in en
    both = pdftotext(render_pdf(failing, long_std, kind="gap", lang="bilingual"), tmp_path, 1)
    assert "未通过认定" in both and "Not certified" in both and "第 1 页 / 共" in both and "Page 1 of" in both
    cert_en = pdftotext(render_pdf(certified, long_std, kind="certificate", lang="en"), tmp_path)
    assert (
        "This is to certify that" in cert_en
        and "Compliant" in cert_en
        and "渝中区人和街儿童友好公园" in cert_en
    )


def test_fixture_standard_gap_report(fixture_std: Standard, tmp_path: Path) -> None:
    from checker import Catalog, check, parse_audit

    doc = {
        "format": 1,
        "standard": "test-fixture",
        "facility": {"name": "测试公园", "id": "T-9"},
        "assessor": {"name": "王"},
        "audited_on": "2026-05-12",
        "observations": {"gate": False, "has_water": True, "surface": "concrete"},
    }
    cat = Catalog([fixture_std])
    result = check(parse_audit(json.dumps(doc).encode(), cat, "a.json"), cat)
    text = pdftotext(render_pdf(result, fixture_std, kind="gap", lang="zh"), tmp_path).replace("\n", "")
    assert "测试公园" in text and "T-M1" in text and "T-M2" in text and "装门" in text


def test_write_report_targets(certified: Result, long_std: Standard, tmp_path: Path) -> None:
    paths = write_report(certified, long_std, tmp_path / "out", kind="both", lang="zh")
    assert [p.name for p in paths] == [
        "YZ-PRK-012_渝中区人和街儿童友好公园_test-long_certificate.pdf",
        "YZ-PRK-012_渝中区人和街儿童友好公园_test-long_gap-report.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in paths)
    single = write_report(certified, long_std, tmp_path / "one.pdf")
    assert single == [tmp_path / "one.pdf"] and len(_reader(single[0].read_bytes()).pages) == 1
    html = write_report(certified, long_std, tmp_path / "web", kind="gap", fmt="html")
    assert html[0].suffix == ".html" and "<!DOCTYPE html>" in html[0].read_text(encoding="utf-8")
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers


def test_batch_in_parallel(long_std: Standard, certified: Result, failing: Result, tmp_path: Path) -> None:
    small = [
        result_for(long_audit(long_std, seed=s, good=0.6, missing=0.0, mandatory_ok=True), long_std)
        for s in (11, 12)
    ]
    items = [
        (failing, long_std),
        (certified, long_std),
        (certified, long_std),
        *((r, long_std) for r in small),
    ]
    outcomes = write_reports(items, tmp_path, kind="auto", lang="zh", jobs=2)
    assert [o.error for o in outcomes] == [None] * 5
    names = [p.name for o in outcomes for p in o.paths]
    assert len(set(names)) == 5 and any(n.endswith("_certificate-2.pdf") for n in names)
    for o in outcomes:
        for path in o.paths:
            assert _reader(path.read_bytes()).attachments["result.json"]


def _command() -> click.Command:
    """A stand-in for ``check run``: the same two report lines cli.py uses."""

    @click.command()
    @click.argument("seeds", nargs=-1, type=int)
    @click.option("--lang", default="zh")
    @report_options
    def run(seeds: tuple[int, ...], lang: str, pdf: Path | None, html: Path | None, report: str,
            report_lang: str | None) -> None:  # fmt: skip
        from .builders import long_standard

        standard = long_standard(3, 5)
        worst = 0
        items = []
        for seed in seeds:
            result = result_for(
                long_audit(
                    standard,
                    seed=seed,
                    good=0.9 if seed % 2 else 0.2,
                    missing=0.0,
                    mandatory_ok=seed % 2 == 1,
                ),
                standard,
            )
            items.append((result, standard))
            worst = max(worst, 0 if result.verdict == "certified" else 1)
        options = {"pdf": pdf, "html": html, "report": report, "report_lang": report_lang}
        worst = max(worst, emit_reports(items, options, "zh" if lang == "zh" else "en"))
        sys.exit(worst)

    return run


def test_cli_options(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        _command(), ["1", "3", "--pdf", str(tmp_path / "pdfs"), "--html", str(tmp_path / "web")]
    )
    assert ok.exit_code == 0, ok.output
    assert len(list((tmp_path / "pdfs").glob("*_certificate*.pdf"))) == 2
    assert len(list((tmp_path / "web").glob("*.html"))) == 2
    mixed = runner.invoke(
        _command(),
        ["1", "2", "--pdf", str(tmp_path / "mixed"), "--report", "both", "--report-lang", "bilingual"],
    )
    assert mixed.exit_code == 1
    assert len(list((tmp_path / "mixed").glob("*.pdf"))) == 3  # certificate + gap, gap
    one_file = runner.invoke(_command(), ["1", "2", "--pdf", str(tmp_path / "x.pdf")])
    assert one_file.exit_code == 2 and "single file takes one audit" in one_file.output
    refused = runner.invoke(_command(), ["2", "--pdf", str(tmp_path / "c"), "--report", "certificate"])
    assert refused.exit_code == 2 and "not certified" in refused.output
    nothing = runner.invoke(_command(), ["2"])
    assert nothing.exit_code == 1


def test_cli_missing_font_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.report import fonts

    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts.find_cjk_fonts.cache_clear()
    try:
        out = CliRunner().invoke(_command(), ["1", "3", "--pdf", str(tmp_path)])
    finally:
        fonts.find_cjk_fonts.cache_clear()
    assert out.exit_code == 2
    assert out.output.count("no font that can draw Chinese") == 1
    assert not list(tmp_path.glob("*.pdf"))


def test_fixture_path_exists() -> None:
    assert FIXTURE.is_file()


def test_certificate_names_never_end_in_a_lone_word(
    certified: Result, long_std: Standard, tmp_path: Path
) -> None:
    """English certificate: "(example)" is not left alone on the organisation's last line, nor
    "（示例）" on the issuer's (the last words are held together); the text reads back unchanged."""
    from checker.report.issue import Issue
    from checker.report.keys import load_signing_key, write_key_pair

    write_key_pair(tmp_path / "k.pem", "渝中区妇女儿童工作委员会办公室（示例）")
    issue = Issue(key=load_signing_key(tmp_path / "k.pem"), issued_on="2026-06-01")
    org = "Chongqing Yuzhong Child-Friendly Assessment Centre (example)"
    audit = replace(certified.audit, assessor={**certified.audit.assessor, "organisation": org})
    result = replace(certified, audit=audit)
    for lang in ("en", "bilingual"):
        text = pdftotext(render_pdf(result, long_std, kind="certificate", lang=lang, issue=issue), tmp_path)
        lines = [line.strip() for line in text.splitlines()]
        assert "(example)" not in lines and "（示例）" not in lines, lang
        assert any(line.endswith("Centre (example)") for line in lines), lang
        assert any(line.endswith("室（示例）") for line in lines), lang
