"""Shorter ways through WeasyPrint and pydyf for our own documents, each giving the same PDF.

Every document pays for these on every render (a 10-page gap report makes ~1,900 text
lines and ~90 streams), so each saves a few percent of it:

* :func:`write_streams_once`: pydyf serialises and deflates every stream twice when it
  writes a PDF with a file identifier (PDF/A needs one): once to write it, once more to
  hash the whole file for the identifier. The streams are finished by then (WeasyPrint
  calls our finisher just before it writes), so each is made once and the bytes are kept;
  and deflated at level 6 instead of 9, which costs 0.3 % in size and a third of the time.
* :func:`own_html_tree`: our HTML read by expat instead of tinyhtml5 (see the section below),
  when the tree is sure to be the one tinyhtml5 builds.
* :func:`cycles_collected_after`: a render allocates some million objects, and Python's cycle
  collector ran ~160 times during one (~95 ms of a 10-page report, a full pass over the
  process's heap among them); held off while WeasyPrint works, it runs once after, on the
  young generations, where the render's cyclic garbage (~36,000 objects) is.
"""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf

__all__ = ["DEFLATE_LEVEL", "cycles_collected_after", "own_html_tree", "write_streams_once"]

DEFLATE_LEVEL = 6


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """Python's cycle collector off inside, then on again and run over the young generations
    (not the whole heap); left alone when the caller had turned it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


class _StreamWrittenOnce(pydyf.Stream):  # type: ignore[misc]
    """A finished stream: its bytes made on first use and kept (pydyf.Stream.data, memoised).

    ``data`` adapted from pydyf 0.13: Copyright (c) 2020, CourtBouillon; BSD 3-Clause License
    (see NOTICE).
    """

    @property
    def data(self) -> bytes:
        kept: bytes | None = self.__dict__.get("_written")
        if kept is None:
            content = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
            extra = pydyf.Dictionary(self.extra.copy())
            if self.compress:
                extra["Filter"] = "/FlateDecode"
                deflate = zlib.compressobj(level=DEFLATE_LEVEL)
                content = deflate.compress(content) + deflate.flush()
            extra["Length"] = len(content)
            kept = b"\n".join((extra.data, b"stream", content, b"endstream"))
            self.__dict__["_written"] = kept
        return kept


_WRITTEN_ONCE: dict[type, type] = {pydyf.Stream: _StreamWrittenOnce}


def _written_once(cls: type) -> type:
    """``cls`` (a pydyf stream class that writes itself as pydyf does) keeping its bytes."""
    found = _WRITTEN_ONCE.get(cls)
    if found is None:
        found = _WRITTEN_ONCE[cls] = type(f"{cls.__name__}WrittenOnce", (_StreamWrittenOnce, cls), {})
    return found


def write_streams_once(pdf: Any) -> int:
    """Make each stream of ``pdf`` (a ``pydyf.PDF`` about to be written) keep its bytes, when it
    is written as pydyf writes streams (WeasyPrint's page streams are a subclass that is);
    return how many. Only for a PDF that nothing changes any more."""
    count = 0
    for item in pdf.objects:
        cls = type(item)
        if isinstance(item, pydyf.Stream) and getattr(cls, "data", None) is pydyf.Stream.data:
            item.__class__ = _written_once(cls)
            count += 1
    return count


# -- Our HTML, read by expat ------------------------------------------------------------------
# WeasyPrint reads HTML with tinyhtml5, an HTML5 parser in Python: 50 ms of a 10-page report.
# Our templates write HTML that is also well-formed XML but for the void elements (<meta>,
# <col>, <br>) and &nbsp;, so expat (C) reads it once those are written the XML way. The tree is
# then made to look as the HTML5 algorithm builds it (SVG elements in the SVG namespace, the
# <tbody> it adds around rows written straight into a <table>, text after </body> inside
# <body>), but only when nothing in it is read otherwise by HTML5 (a block inside a <p>, which
# HTML5 closes; anything but rows in a table; a list item outside a list; HTML inside SVG; a
# name not in lower case; a character reference HTML5 maps elsewhere...): those, and anything
# expat refuses, go to tinyhtml5 as before. Tests compare both trees for every kind of document
# in every language.

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_VOID = re.compile(r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^<>]*?)/?>")
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# markupsafe writes &#34; and &#39;, this module &#9; &#10; &#160;; HTML5 reads some others otherwise
_NUMERIC_REFERENCE = re.compile(r"&#(?!(?:34|39|9|10|160);)")

# Elements whose start tag closes an open <p> (HTML5 "in body"); more than needed is fine here.
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu nav ol p plaintext pre"
    " search section summary table ul xmp"
)
# Elements read the same way in body by both (start and end tag, contents as written).
_PLAIN = _names(
    "a abbr b bdi bdo br cite code data del dfn em i img ins kbd mark q s samp small span strong"
    " sub sup time u var wbr article aside blockquote div dl dd dt figcaption figure footer h1 h2 h3"
    " h4 h5 h6 header hgroup hr li main nav ol p section ul table caption colgroup col thead tbody"
    " tfoot tr th td svg"
)
_HEAD = _names("meta title link base")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TABLE_PARTS = {
    "table": _names("caption colgroup thead tbody tfoot tr"),
    "colgroup": frozenset({"col"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
}
# Elements HTML5 keeps only under these parents (elsewhere it drops or moves them, or closes some)
_PARENT = {
    **{part: frozenset({"table"}) for part in ("caption", "colgroup", "thead", "tbody", "tfoot")},
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
    "col": frozenset({"colgroup"}),
    "li": frozenset({"ul", "ol"}),
    "dd": frozenset({"dl"}),
    "dt": frozenset({"dl"}),
}
# SVG elements and attributes: lower case, or the mixed case HTML5 gives them (a few we may use).
_SVG_ELEMENTS = _names(
    "circle defs desc ellipse g line linearGradient path pattern polygon polyline radialGradient"
    " rect stop symbol text title tspan use"
)
_SVG_MIXED_CASE = _names(
    "viewBox preserveAspectRatio gradientTransform gradientUnits patternUnits patternTransform"
    " textLength lengthAdjust"
)


def _xml_tag(match: re.Match[str]) -> str:
    """A start tag with its attribute values' line breaks and tabs kept (XML would make them spaces)."""
    return match.group(0).replace("\n", "&#10;").replace("\t", "&#9;")


def own_html_tree(text: str) -> ET.Element | None:
    """``text`` (HTML from our templates) as the element tree tinyhtml5 builds with
    ``namespace_html_elements=False``; None when expat cannot read it."""
    if "<!--" in text or "<![" in text or "<?" in text:  # comments, CDATA, PIs: read otherwise
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as an HTML5 reader's input stream
    text = _TAG.sub(_xml_tag, text)
    text = _VOID.sub(r"<\1\2/>", text).replace("&nbsp;", "&#160;")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return None
    if _NUMERIC_REFERENCE.search(text) or not _read_alike(root):
        return None
    end = text.rfind("</html>")
    _as_html5(root, text[end + len("</html>") :] if end >= 0 else "")
    return root


def _read_alike(root: ET.Element) -> bool:
    """Whether HTML5 builds the tree ``root`` is (after :func:`_as_html5`'s changes)."""
    head, body = root
    if not (_blank(root.text) and _blank(head.text) and _blank(head.tail)):
        return False
    for element in head:
        if element.tag not in _HEAD or len(element) or not _blank(element.tail) or not _lower(element):
            return False
    return _body_alike(body, in_p=False)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip(" \t\n\f")


def _lower(element: ET.Element) -> bool:
    """Names in lower case (HTML5 lowers every name of an HTML element; XML keeps them)."""
    return element.tag == element.tag.lower() and all(name == name.lower() for name in element.attrib)


def _body_alike(element: ET.Element, *, in_p: bool) -> bool:
    for child in element:
        tag = child.tag
        if tag not in _PLAIN or (tag != "svg" and not _lower(child)) or (in_p and tag in _CLOSES_P):
            return False
        parts = _TABLE_PARTS.get(element.tag)
        if parts is not None and (tag not in parts or not _blank(child.tail)):
            return False
        if tag in _PARENT and element.tag not in _PARENT[tag]:
            return False
        if tag == "a" and child.find(".//a") is not None:
            return False
        if tag in _HEADINGS and any(child.find(f".//{h}") is not None for h in _HEADINGS):
            return False
        if tag == "svg":
            if not _svg_alike(child):
                return False
        elif not _body_alike(child, in_p=in_p or tag == "p"):
            return False
    parts = _TABLE_PARTS.get(element.tag)
    return parts is None or _blank(element.text)


def _svg_alike(svg: ET.Element) -> bool:
    for element in svg.iter():
        if element is not svg and element.tag not in _SVG_ELEMENTS:
            return False
        if element.tag != element.tag.lower() and element.tag not in _SVG_MIXED_CASE | _SVG_ELEMENTS:
            return False
        for name in element.attrib:
            if name != name.lower() and name not in _SVG_MIXED_CASE:
                return False
            if name == name.lower() and any(name == mixed.lower() for mixed in _SVG_MIXED_CASE):
                return False
    return True


def _as_html5(root: ET.Element, after_html: str) -> None:
    body = root[1]
    after = (body.tail or "") + after_html  # text after </body> and </html> ends <body>
    body.tail = None
    if after and len(body):
        body[-1].tail = (body[-1].tail or "") + after
    elif after:
        body.text = (body.text or "") + after
    for svg in root.iter("svg"):
        for element in svg.iter():
            element.tag = SVG_NAMESPACE + element.tag
    for table in root.iter("table"):
        _rows_in_tbody(table)


def _rows_in_tbody(table: ET.Element) -> None:
    """Each run of <tr> written straight into ``table`` moved into a new <tbody>, with the text
    after each row (HTML5 keeps the <tbody> open until the next section or </table>)."""
    children = list(table)
    index = 0
    while index < len(children):
        if children[index].tag != "tr":
            index += 1
            continue
        end = index
        while end < len(children) and children[end].tag == "tr":
            end += 1
        tbody = ET.Element("tbody")
        run = children[index:end]
        tbody.extend(run)
        position = list(table).index(run[0])
        for row in run:
            table.remove(row)
        table.insert(position, tbody)
        index = end
