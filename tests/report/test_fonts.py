"""CJK font detection: the preferred Simplified Chinese faces, and a clear stop without any."""

from __future__ import annotations

import pytest

from checker.report import fonts
from checker.report.errors import ReportError


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    fonts.find_cjk_fonts.cache_clear()
    yield
    fonts.find_cjk_fonts.cache_clear()


def test_prefers_simplified_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        fonts,
        "_fc_list",
        lambda: ["Noto Sans CJK JP", "Noto Serif CJK JP", "Noto Sans CJK SC", "Noto Serif CJK SC"],
    )
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    assert fonts.find_cjk_fonts() == fonts.FontChoice("Noto Sans CJK SC", "Noto Serif CJK SC")


def test_other_cjk_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: ["AR PL UMing TW", "WenQuanYi Zen Hei"])
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    assert fonts.find_cjk_fonts() == fonts.FontChoice("WenQuanYi Zen Hei", "AR PL UMing TW")


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with pytest.raises(ReportError) as info:
        fonts.find_cjk_fonts()
    message = str(info.value)
    assert "no font that can draw Chinese" in message and "fonts-noto-cjk" in message
    assert info.value.kind == "report"


def test_forced_family(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda: ["Noto Sans CJK SC", "Noto Serif CJK SC"])
    monkeypatch.setenv(fonts.ENV_VAR, "Noto Serif CJK SC")
    assert fonts.find_cjk_fonts() == fonts.FontChoice("Noto Serif CJK SC", "Noto Serif CJK SC")
    fonts.find_cjk_fonts.cache_clear()
    monkeypatch.setenv(fonts.ENV_VAR, 'Evil"; } * { x: url(file:///etc/passwd')
    with pytest.raises(ReportError, match="not an installed CJK font"):
        fonts.find_cjk_fonts()


def test_font_css_quotes() -> None:
    css = fonts.font_css(fonts.FontChoice('A"B', "C\\D"))
    assert '"AB"' in css and '"CD"' in css and "url(" not in css


def test_this_machine_has_a_cjk_font() -> None:
    choice = fonts.find_cjk_fonts()
    assert choice.sans and choice.serif
