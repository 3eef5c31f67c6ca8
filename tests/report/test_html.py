"""Templates: escaping, strictness, languages, the web version; no WeasyPrint needed."""

from __future__ import annotations

import sys

import jinja2
import pytest

from checker import Result, Standard
from checker.report import ReportError, render_html
from checker.report.html import compact, environment, make_helpers, num, truncate


def test_importing_the_package_does_not_import_weasyprint() -> None:
    import subprocess

    code = "import checker.report, checker.cli.report_options, sys; print('weasyprint' in sys.modules, 'jinja2' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_environment_is_strict_and_escapes() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.undefined is jinja2.StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_hostile_text_is_escaped(hostile: Result, long_std: Standard) -> None:
    for kind in ("certificate", "gap"):
        for lang in ("zh", "en", "bilingual"):
            html = render_html(hostile, long_std, kind=kind, lang=lang)
            assert "<img" not in html and '<link rel="attachment"' not in html and "<script" not in html
            assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
            assert "<style>@import" not in html and "&lt;style&gt;@import" in html


def test_languages(certified: Result, long_std: Standard) -> None:
    zh = render_html(certified, long_std, kind="certificate", lang="zh")
    en = render_html(certified, long_std, kind="certificate", lang="en")
    both = render_html(certified, long_std, kind="certificate", lang="bilingual")
    assert "兹证明" in zh and "This is to certify" not in zh and 'lang="zh-Hans"' in zh
    assert "This is to certify" in en and "兹证明" not in en and '<html lang="en"' in en
    assert "兹证明" in both and "This is to certify" in both


def test_web_version_is_self_contained_and_locked_down(failing: Result, long_std: Standard) -> None:
    html = render_html(failing, long_std, kind="gap", lang="zh")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<style>" in html and "@page" in html and "&#34;" not in html.split("</style>")[0]
    assert "asset:" not in html


def test_print_markup_has_no_style_element(failing: Result, long_std: Standard) -> None:
    from checker.report import _markup

    html = _markup(failing, long_std, "gap", "zh", for_print=True)
    assert "<style" not in html
    for rule in failing.rules:
        if rule.status == "fail":
            assert rule.id in html


def test_certificate_refused_when_not_certified(failing: Result, long_std: Standard) -> None:
    with pytest.raises(ReportError, match="not certified"):
        render_html(failing, long_std, kind="certificate", lang="zh")
    with pytest.raises(ReportError, match="unknown report kind"):
        render_html(failing, long_std, kind="poster", lang="zh")  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="unknown report language"):
        render_html(failing, long_std, kind="gap", lang="fr")  # type: ignore[arg-type]


def test_local_rules_are_marked(failing: Result, long_std: Standard) -> None:
    html = render_html(failing, long_std, kind="gap", lang="en")
    local = [r for r in failing.rules if r.local_rule]
    assert local and html.count("local rule") >= len(local)


def test_helpers() -> None:
    assert num(73.5) == "73.5" and num(80.0) == "80" and num(None) == "—" and num(-0.0001) == "0"
    assert truncate("人和街小学", 6) == "人和…" and truncate("abc", 6) == "abc"
    h = make_helpers("bilingual")
    assert (
        str(h["t"]("score"))
        == '<span class="zh" lang="zh-Hans">得分</span><span class="en" lang="en">Score</span>'
    )
    assert h["ts"]("score") == "得分 / Score"
    assert str(make_helpers("zh")["t"]("score")) == "得分"
    assert (
        compact("<td>\n  <span>a</span>\n  <span>b</span>\n</td>\n  <td>")
        == "<td>\n  <span>a</span>\n  <span>b</span></td><td>"
    )
