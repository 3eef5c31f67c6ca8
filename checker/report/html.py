"""The jinja2 environment and the small helpers templates call.

Safety is not a convention here, it is configuration:

* ``autoescape=True`` for every template. ``select_autoescape()`` would not
  escape our ``*.html.j2`` names (it matches the last suffix only).
* ``StrictUndefined``: a misspelt variable fails a test instead of printing
  an empty cell on a certificate.
* The stylesheet is never a template variable for the PDF (it is handed to
  ``weasyprint.CSS``). Only the web version embeds it, as a package constant
  checked to contain no ``</``.
* Helpers that return markup build it with ``Markup(...).format(...)``, which
  escapes every argument; audit text is never marked safe.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from checker.report.strings import STRINGS

if TYPE_CHECKING:
    from jinja2 import Environment

    from checker.core.text import Text

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "environment", "render_template"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def num(value: float | int | None, digits: int = 2) -> str:
    """2 decimals at most, trailing zeros dropped: 73.5, 80, 12.25; None is a dash."""
    if value is None:
        return "—"
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def date_text(value: str, lang: str) -> str:
    """ISO date in the reader's form; bilingual documents keep ISO, which both can read."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if lang == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return day.isoformat()


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` columns (a CJK character takes two), ending in "…" when cut."""
    widths = [2 if ord(ch) > 0x2E80 else 1 for ch in text]
    if sum(widths) <= limit:
        return text
    used = 0
    for i, width in enumerate(widths):
        if used + width > limit - 1:
            return text[:i].rstrip() + "…"
        used += width
    return text  # pragma: no cover - the loop always returns


_CLOSERS = ")）]］」』】〕》〉”’.,;:!?。，、；：！？"
_KEEP_COLUMNS = 20


def keep_end(text: str | None) -> Markup:
    """``text`` with its end held together, so a name never ends in a lone word or bracket on a
    line of its own: the last two words ("Centre (example)"), or, without spaces, the last four
    characters with the brackets that close them ("室（示例）"). WeasyPrint has no
    ``text-wrap: balance``; the end goes in a ``<span class="keep">`` (``white-space: nowrap``),
    so the text reads back unchanged. An end wider than 20 columns is left free to wrap."""
    text = "" if text is None else str(text)
    body = text.rstrip()
    closing = len(body) - len(body.rstrip(_CLOSERS))
    core = body[: len(body) - closing]
    if " " in core.strip():
        head, _, last = core.rpartition(" ")
        head, sep, before = head.rpartition(" ")
        tail = f"{before} {last}"
    elif any(ord(ch) > 0x2E80 for ch in core[-4:]):
        cut = max(0, len(core) - 4)
        head, sep, tail = core[:cut], "", core[cut:]
    else:
        return Markup("{}").format(text)
    tail += body[len(core) :]
    if not head.strip() or sum(2 if ord(ch) > 0x2E80 else 1 for ch in tail) > _KEEP_COLUMNS:
        return Markup("{}").format(text)
    return Markup('{}{}<span class="keep">{}</span>{}').format(head, sep, tail, text[len(body) :])


def _pair(zh: str, en: str, lang: str, cls: str = "") -> Markup:
    if lang == "zh":
        return Markup("{}").format(zh)
    if lang == "en":
        return Markup("{}").format(en)
    extra = f" {cls}" if cls else ""
    return Markup('<span class="zh{}" lang="zh-Hans">{}</span><span class="en{}" lang="en">{}</span>').format(
        extra, zh, extra, en
    )


def _fill(template: str, values: dict[str, Any], lang: str) -> Markup:
    """``template`` (ours) with ``values`` escaped; Text values in ``lang``."""
    picked = {k: (v.zh if lang == "zh" else v.en) if hasattr(v, "zh") else v for k, v in values.items()}
    return Markup(template).format(**picked)


def _plain(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"


def make_helpers(lang: str) -> dict[str, Any]:
    """Functions bound to one language: ``t``/``ts`` for UI words, ``tx``/``txs`` for Text."""

    def t(key: str, cls: str = "") -> Markup:
        zh, en = STRINGS[key]
        return _pair(zh, en, lang, cls)

    def ts(key: str) -> str:
        zh, en = STRINGS[key]
        return _plain(zh, en, lang)

    def tx(text: Text | None, cls: str = "") -> Markup:
        if text is None:
            return Markup("")
        return _pair(text.zh, text.en, lang, cls)

    def txs(text: Text | None) -> str:
        return "" if text is None else _plain(text.zh, text.en, lang)

    def one(text: Text | None) -> str:
        """The primary language only (Chinese in a bilingual document)."""
        return "" if text is None else text.en if lang == "en" else text.zh

    def fmt(key: str, **values: Any) -> Markup:
        """A sentence with values; a ``Text`` value (or ``w(key)``) is taken in each sentence's language."""
        zh, en = STRINGS[key]
        return _pair(_fill(zh, values, "zh"), _fill(en, values, "en"), lang)

    def f(key: str, in_lang: str, **values: Any) -> Markup:
        """One sentence in one given language (sentences written per language, as ``s``)."""
        zh, en = STRINGS[key]
        return _fill(zh if in_lang == "zh" else en, values, in_lang)

    def w(key: str) -> Text:
        """A UI word as Text, to put inside ``fmt`` sentences."""
        from checker.core.text import Text

        zh, en = STRINGS[key]
        return Text(zh=zh, en=en)

    def date(value: str) -> str:
        return date_text(value, lang)

    def s(key: str, in_lang: str) -> str:
        """One UI word in one given language (for sentences written per language)."""
        zh, en = STRINGS[key]
        return zh if in_lang == "zh" else en

    def sx(text: Text | None, in_lang: str) -> str:
        return "" if text is None else text.zh if in_lang == "zh" else text.en

    langs = ["zh", "en"] if lang == "bilingual" else [lang]
    return {
        "t": t,
        "ts": ts,
        "tx": tx,
        "txs": txs,
        "one": one,
        "fmt": fmt,
        "w": w,
        "f": f,
        "date": date,
        "s": s,
        "sx": sx,
        "langs": langs,
    }


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process: templates are compiled once and cached."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["num"] = num
    env.filters["truncate_width"] = truncate
    env.filters["keep_end"] = keep_end
    return env


_BLOCK_TAGS = (
    "html|head|body|meta|title|style|section|header|footer|main|div|p|h[1-6]|ul|ol|li|"
    "table|thead|tbody|tr|th|td|colgroup|col|svg|g|rect|line|text|polygon|ellipse|"
    "circle|path"
)
_LAYOUT_WS = re.compile(r"\s*\n\s*(?=</?(?:" + _BLOCK_TAGS + r")\b)")


def compact(html: str) -> str:
    """Drop the template's indentation before block and table tags.

    Whitespace there never prints, but parsing and boxing it costs WeasyPrint
    time (about 5 % of a gap report). Whitespace before inline tags and inside
    text is kept, so no word loses its space.
    """
    return _LAYOUT_WS.sub("", html)


def render_template(name: str, context: dict[str, Any]) -> str:
    return compact(environment().get_template(name).render(**context))
