"""Finding a font that draws Chinese, before WeasyPrint would quietly print boxes.

WeasyPrint takes its fonts from fontconfig, so fontconfig is asked: first
``fc-list :lang=zh family`` (fast, a few milliseconds), and when that program
is not installed, the same fontconfig library through WeasyPrint's own
bindings. From the families found, the Simplified Chinese faces we know are
preferred (Noto CJK SC, Source Han SC, ...), because fontconfig's default
order for the Noto collections picks the Japanese variant, whose glyph shapes
differ. ``$TONGCHECK_CJK_FONT`` forces a family (``sans`` or ``sans,serif``).

Nothing found means :class:`ReportError` with the package to install, never a
PDF full of tofu.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from checker.core.errors import Problem
from checker.report.errors import ReportError

__all__ = ["ENV_VAR", "FontChoice", "find_cjk_fonts", "font_css"]

ENV_VAR = "TONGCHECK_CJK_FONT"

SANS_PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
)
SERIF_PREFERRED = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "Noto Serif SC",
    "AR PL UMing CN",
    "AR PL SungtiL GB",
)
_SERIF_HINT = re.compile(r"serif|song|sung|ming|宋|明", re.IGNORECASE)
_SANS_ONLY = re.compile(r"mono", re.IGNORECASE)
_SAFE_FAMILY = re.compile(r"^[\w .+&'-]{1,80}$")
_CJK_NAME = re.compile(r"CJK|Han|Hei|Song|Kai|Ming|WenQuanYi|SC\b|CN\b|GB\b|Fallback|[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class FontChoice:
    """The families used: ``sans`` for reports, ``serif`` for the certificate."""

    sans: str
    serif: str


def _fc_list() -> list[str] | None:
    """Families covering Chinese according to ``fc-list``; None when the tool is absent."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families: list[str] = []
    for line in out.splitlines():
        for name in line.split(","):
            name = name.strip()
            if name and name not in families:
                families.append(name)
    return families


def _fontconfig_library() -> list[str]:  # pragma: no cover - only without fc-list
    """The same question through WeasyPrint's fontconfig bindings (family names only)."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except Exception:
        return []
    config = fontconfig.FcInitLoadConfigAndFonts()
    families: list[str] = []
    try:
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        if fonts == ffi.NULL:
            return []
        value = ffi.new("FcChar8 **")
        for i in range(fonts.nfont):
            if fontconfig.FcPatternGetString(fonts.fonts[i], b"family", 0, value) == 0:
                name = ffi.string(value[0]).decode("utf-8", "replace")
                if _CJK_NAME.search(name) and name not in families:
                    families.append(name)
    finally:
        fontconfig.FcConfigDestroy(config)
    return families


def _pick(families: list[str], preferred: tuple[str, ...], serif: bool) -> str | None:
    for name in preferred:
        if name in families:
            return name
    usable = [f for f in families if _SAFE_FAMILY.match(f) and not _SANS_ONLY.search(f)]
    matching = [f for f in usable if bool(_SERIF_HINT.search(f)) == serif]
    for group in (matching, usable):
        for tag in ("SC", "CN", "Hans", "GB"):
            for name in group:
                if tag in name.split():
                    return name
        if group:
            return group[0]
    return None


def _no_font() -> ReportError:
    return ReportError(
        [
            Problem(
                "<fonts>",
                "no font that can draw Chinese was found (fontconfig: fc-list :lang=zh is empty); "
                "the PDF would print boxes instead of characters / 未找到可显示中文的字体",
                hint="install one, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
                "or set TONGCHECK_CJK_FONT to an installed family name",
            )
        ]
    )


@lru_cache(maxsize=1)
def find_cjk_fonts() -> FontChoice:
    """The CJK families to use; raises :class:`ReportError` when there is none."""
    forced = os.environ.get(ENV_VAR, "").strip()
    families = _fc_list()
    if families is None:
        families = _fontconfig_library()
    if forced:
        names = [n.strip() for n in forced.split(",") if n.strip()]
        bad = [n for n in names if not _SAFE_FAMILY.match(n) or n not in families]
        if bad or not names:
            raise ReportError(
                [
                    Problem(
                        f"${ENV_VAR}",
                        f"font family {(bad or [forced])[0]!r} is not an installed CJK font",
                        hint="`fc-list :lang=zh family` lists the ones available",
                    )
                ]
            )
        return FontChoice(sans=names[0], serif=names[1] if len(names) > 1 else names[0])
    sans = _pick(families, SANS_PREFERRED, serif=False)
    serif = _pick(families, SERIF_PREFERRED, serif=True)
    if sans is None and serif is None:
        raise _no_font()
    return FontChoice(sans=sans or serif or "", serif=serif or sans or "")


def _quote(family: str) -> str:
    return '"' + family.replace("\\", "").replace('"', "") + '"'


def _families(names: str) -> str:
    """``A, B`` (a family and the ones it falls back to) as a CSS list of quoted names."""
    return ", ".join(_quote(name.strip()) for name in names.split(","))


def font_css(choice: FontChoice) -> str:
    """The one stylesheet rule that depends on the machine: which families to use.

    A field may list families, most wanted first (``"X Common, X"``: the working
    copy of a face, then the installed face, see :mod:`checker.report.workfonts`).

    Family names passed ``_SAFE_FAMILY`` or come from our preference lists, and
    are quoted; this text is handed to ``weasyprint.CSS(string=...)``, never to
    a template.
    """
    sans, serif = _families(choice.sans), _families(choice.serif)
    return (
        f"html, .sans {{ font-family: {sans}, sans-serif; }}\n"
        f".serif {{ font-family: {serif}, {sans}, serif; }}\n"
    )
