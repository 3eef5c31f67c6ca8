"""CJK font detection: the preferred Simplified Chinese faces, and a clear stop without any."""

from __future__ import annotations

from pathlib import Path

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


def test_working_copies_are_made_and_declared_first() -> None:
    """This machine has HarfBuzz's subsetter and fontconfig: both families get a regular and a
    bold working copy, small next to the installed collections, and CSS and SVG name them first."""
    from checker.report import workfonts

    choice = fonts.find_cjk_fonts()
    faces = workfonts.working_faces(choice)
    assert sorted((f.family, f.weight) for f in faces) == sorted(
        (f"{family} Common", weight) for family in {choice.sans, choice.serif} for weight in (400, 700)
    )
    assert all(f.data[:4] == b"OTTO" and len(f.data) < 8_000_000 for f in faces)
    families = workfonts.print_families(choice)
    assert families.sans == f"{choice.sans} Common, {choice.sans}"
    css = fonts.font_css(families)
    assert f'font-family: "{choice.sans} Common", "{choice.sans}", sans-serif;' in css


def test_working_copies_are_cached_and_remade_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.report import workfonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(workfonts, "working_faces", workfonts.working_faces.__wrapped__)
    choice = fonts.find_cjk_fonts()
    first = workfonts.working_faces(choice)
    cached = sorted(tmp_path.rglob("*.otf"))
    assert len(cached) == len(first) == 4
    cached[0].write_bytes(b"not a font")  # a damaged copy is made again
    again = workfonts.working_faces(choice)
    assert [f.data for f in again] == [f.data for f in first]
    assert all(p.read_bytes()[:4] == b"OTTO" for p in cached)


def test_no_working_copy_without_the_subsetter(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.report import workfonts

    monkeypatch.setattr(workfonts, "_harfbuzz", lambda: None)
    monkeypatch.setattr(workfonts, "working_faces", workfonts.working_faces.__wrapped__)
    choice = fonts.FontChoice("Noto Sans CJK SC", "Noto Serif CJK SC")
    assert workfonts.working_faces(choice) == ()
    assert workfonts.print_families(choice) == choice  # the installed families, as before


def test_working_copies_without_a_writable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache directory that cannot be made: the copies are made in memory, nothing fails."""
    from checker.report import workfonts

    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(workfonts, "_cache_dir", lambda: blocker / "fonts")
    monkeypatch.setattr(workfonts, "working_faces", workfonts.working_faces.__wrapped__)
    faces = workfonts.working_faces(fonts.find_cjk_fonts())
    assert len(faces) == 4 and all(f.data[:4] == b"OTTO" for f in faces)
    assert blocker.read_text(encoding="utf-8") == "not a directory"
