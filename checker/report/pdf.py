"""HTML to PDF/A-3b with WeasyPrint: the one module that imports it (but for ``pdffast`` and
``textfast``, which take shorter ways through it to the same PDF).

Per process, once: the safe fetcher, the parsed stylesheets (package CSS plus
the machine's CJK font families) and WeasyPrint itself. Per document: parse
the HTML, lay it out, write PDF/A-3b with the result JSON attached as
``result.json`` (relationship ``Data``: the data the document presents).

Every ``HTML``, ``CSS`` and ``Attachment`` object gets the same
:class:`SafeFetcher`; ``presentational_hints`` stays off.

Two things make the cascade cheaper without changing a pixel (renders compared
at 100 dpi): the stylesheets reach WeasyPrint with their ``var(--x)`` replaced
by the values set in ``:root`` (WeasyPrint carries every custom property to
every element and resolves each use per element), and WeasyPrint's HTML
stylesheet loses the rules for the footnote and note pseudo-elements and its
universal ``::marker`` rule becomes ``li::marker``: matching every element,
those six rules gave each of a report's ~1,800 elements six pseudo-element
styles to compute, a sixth of a 10-page report's time.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from functools import lru_cache
from typing import Any

import cssselect2
import weasyprint

from checker.core.errors import Problem
from checker.report.errors import ReportError
from checker.report.fetcher import FONT_SCHEME, RefusedURL, SafeFetcher
from checker.report.fonts import find_cjk_fonts, font_css
from checker.report.html import STATIC_DIR
from checker.report.pdffast import cycles_collected_after, own_html_tree, write_streams_once
from checker.report.textfast import install as install_text_layouts
from checker.report.workfonts import face_css, print_families, working_faces

__all__ = ["PDF_VARIANT", "fetcher", "font_config", "html_to_pdf", "stylesheets", "warm_up"]

PDF_VARIANT = "pdf/a-3b"
STYLESHEETS = {"certificate": "certificate.css", "gap": "report.css"}


@lru_cache(maxsize=1)
def font_config() -> Any:
    """One fontconfig set-up per process: WeasyPrint would load the configuration and the
    font list anew for every document (a tenth of a certificate's time)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


_ROOT_BLOCK = re.compile(r":root\s*\{([^}]*)\}")
_CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+)")
_VAR = re.compile(r"var\((--[\w-]+)\)")
_PSEUDO_EVERYWHERE = re.compile(r"^::(?:footnote|note)-[\w-]+ \{[^}]*\}\n", re.MULTILINE)


def inline_variables(css: str) -> str:
    """``css`` with each ``var(--x)`` that ``:root`` sets replaced by its value (others kept)."""
    values: dict[str, str] = {}
    for block in _ROOT_BLOCK.findall(css):
        values.update((name, value.strip()) for name, value in _CUSTOM_PROPERTY.findall(block))
    return _VAR.sub(lambda m: values.get(m.group(1), m.group(0)), css)


@lru_cache(maxsize=1)
def _user_agent_sheet() -> Any:
    """WeasyPrint's HTML stylesheet without the rules that match every element for pseudo-elements
    these documents never have (footnotes, notes; markers outside ``li``); None when it is not
    the text expected (another WeasyPrint), and WeasyPrint's own sheet serves."""
    try:
        from weasyprint.html import UA, UA_COUNTER_STYLE
    except ImportError:  # pragma: no cover - another WeasyPrint layout
        return None
    trimmed, removed = _PSEUDO_EVERYWHERE.subn("", UA)
    trimmed, markers = re.subn(r"^::marker \{", "li::marker {", trimmed, flags=re.MULTILINE)
    if removed != 5 or markers != 1:  # pragma: no cover - another WeasyPrint's sheet
        return None
    return weasyprint.CSS(string=trimmed, counter_style=UA_COUNTER_STYLE)


class _HTML(weasyprint.HTML):  # type: ignore[misc]
    """``weasyprint.HTML`` with the trimmed HTML stylesheet (see the module's docstring), reading
    our own HTML with expat when it can (``pdffast.own_html_tree``: the tree tinyhtml5 builds)."""

    def __init__(self, *, string: str, url_fetcher: Any = None, base_url: str | None = None) -> None:
        root = own_html_tree(string)
        if root is None or root.find(".//base") is not None:
            super().__init__(string=string, url_fetcher=url_fetcher, base_url=base_url)
            return
        # What weasyprint.HTML.__init__ sets once tinyhtml5 has read the string.
        self.base_url = base_url
        self.url_fetcher = url_fetcher if url_fetcher is not None else weasyprint.urls.URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        sheet = _user_agent_sheet()
        if forms or sheet is None:
            return list(super()._ua_stylesheets(forms))
        return [sheet]


@lru_cache(maxsize=1)
def fetcher() -> SafeFetcher:
    """The process's one fetcher, shared by every HTML, CSS and attachment."""
    return SafeFetcher()


@lru_cache(maxsize=4)
def stylesheets(kind: str) -> tuple[Any, ...]:
    """Parsed once per process: the document's stylesheet, then the font families (the
    working copies of the CJK faces first, when they can be made: see ``workfonts``)."""
    safe = fetcher()
    sheet = inline_variables((STATIC_DIR / STYLESHEETS[kind]).read_text(encoding="utf-8"))
    fonts = font_config()
    choice = find_cjk_fonts()
    faces = working_faces(choice)
    for face in faces:
        safe.register_font(face.name, face.data)
    families = face_css(faces, FONT_SCHEME) + font_css(print_families(choice))
    return (
        weasyprint.CSS(string=sheet, url_fetcher=safe, font_config=fonts),
        weasyprint.CSS(string=families, url_fetcher=safe, font_config=fonts),
    )


def html_to_pdf(
    html: str,
    kind: str,
    attachment: str,
    *,
    audited_on: str | None = None,
    name: str = "result.json",
    description: str = "tongcheck result (format 1) / 评估结果",
) -> bytes:
    """Render ``html`` (from our templates) to PDF/A-3b bytes with ``attachment`` embedded
    as ``name`` (the result JSON for owners' reports, the progress JSON for a district's)."""
    install_text_layouts()
    safe = fetcher()
    when = None
    if audited_on:
        day = dt.date.fromisoformat(audited_on)
        when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    safe.refused.clear()
    try:
        # The collector runs as the block ends (cycles_collected_after), under the filter too.
        with warnings.catch_warnings(), cycles_collected_after():
            # WeasyPrint 70 opens its sRGB profile for the PDF/A output intent and
            # never closes it: a ResourceWarning on every render, nothing else.
            warnings.filterwarnings(
                "ignore", message=r"unclosed file .*sRGB2014\.icc", category=ResourceWarning
            )
            document = _HTML(string=html, url_fetcher=safe, base_url=None)
            embedded = weasyprint.Attachment(
                string=attachment,
                url_fetcher=safe,
                name=name,
                description=description,
                relationship="Data",
                created=when,
                modified=when,
            )
            data: bytes = document.write_pdf(
                stylesheets=list(stylesheets(kind)),
                attachments=[embedded],
                pdf_variant=PDF_VARIANT,
                presentational_hints=False,
                font_config=font_config(),
                finisher=_finish,
            )
    except RefusedURL as exc:
        raise _refused(exc.url) from None
    if safe.refused:  # refused inside an SVG, where WeasyPrint hides the exception
        raise _refused(safe.refused[0])
    return data


def _finish(_document: object, pdf: Any) -> None:
    """Last touches before WeasyPrint writes ``pdf``: one /AF entry per file, then every stream
    made once (``pdffast.write_streams_once``)."""
    _one_af_entry_per_file(pdf)
    write_streams_once(pdf)


def _one_af_entry_per_file(pdf: Any) -> None:
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalogue's /AF (once from the
    name tree, once per file specification); a validator reads that as two associated files."""
    listed = pdf.catalog.get("AF")
    if listed is None:
        return
    unique = list({str(ref): ref for ref in listed}.values())
    listed.clear()
    listed.extend(unique)


def _refused(url: str) -> ReportError:
    problem = Problem(
        "<report>",
        f"the document asked for an outside resource: {url}",
        hint="reports read only their own assets; this is a bug or hostile input",
    )
    return ReportError([problem])


def warm_up() -> None:
    """Import, fontconfig and stylesheet parsing, paid before the first real document."""
    install_text_layouts()
    find_cjk_fonts()
    font_config()
    _user_agent_sheet()
    for kind in STYLESHEETS:
        stylesheets(kind)
