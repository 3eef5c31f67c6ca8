"""The shorter ways through WeasyPrint and pydyf (report.pdffast) give what the long ways give."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from types import SimpleNamespace

import pydyf
import pytest
import tinyhtml5

from checker import Catalog, Result, Standard, check, load_audit
from checker.report import _markup, kinds_for, pdffast

from .conftest import element_rows

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.discover(environment=False)


def _content(data: bytes) -> bytes:
    """A written stream's content, as written."""
    return data.split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0]


def _parts(data: bytes) -> tuple[bytes, bytes]:
    """A written stream's dictionary (without /Length) and its inflated content."""
    head = re.sub(rb"/Length \d+", b"", data.split(b"\nstream\n", 1)[0])
    content = _content(data)
    return head, zlib.decompress(content) if b"FlateDecode" in head else content


def _streams() -> list[pydyf.Stream]:
    page = pydyf.Stream(compress=True)
    page.set_color_rgb(0.2, 0.3, 0.4)
    page.rectangle(10, 20.5, 300, 4)
    page.fill()
    page.begin_text()
    page.set_font_size("F1", 9.5)
    page.show_text(b"<0102>")
    page.end_text()
    font = pydyf.Stream([b"\x00\x01binary" * 500], {"Subtype": "/OpenType"}, compress=True)
    plain = pydyf.Stream([b"BT ET"], compress=False)
    return [page, font, plain]


def test_streams_written_once_say_what_pydyf_says() -> None:
    """Same dictionary, same content once inflated; made once, however often it is asked for;
    only plain streams are touched (the other objects are written as pydyf writes them)."""
    expected = [_parts(stream.data) for stream in _streams()]
    streams = _streams()
    other = pydyf.Dictionary({"Type": "/Catalog"})
    pdf = SimpleNamespace(objects=[other, *streams])
    assert pdffast.write_streams_once(pdf) == 3
    assert type(other) is pydyf.Dictionary
    assert [_parts(stream.data) for stream in streams] == expected
    for stream in streams:
        assert stream.data is stream.data
        length = re.search(rb"/Length (\d+)", stream.data)
        assert length is not None and int(length.group(1)) == len(_content(stream.data))
    assert streams[2].data == _streams()[2].data  # not deflated: byte for byte pydyf's


class _DrawingStream(pydyf.Stream):  # type: ignore[misc]
    """As WeasyPrint's page streams: more drawing methods, written as pydyf writes streams."""

    def push_state(self) -> None:
        self.stream.append(b"q")


class _OwnStream(pydyf.Stream):  # type: ignore[misc]
    @property
    def data(self) -> bytes:
        return b"<< >>\nstream\nmine\nendstream"


def test_stream_subclasses_written_once_unless_they_write_themselves() -> None:
    drawing, own = _DrawingStream(compress=True), _OwnStream()
    drawing.push_state()
    expected = _parts(drawing.data)
    assert pdffast.write_streams_once(SimpleNamespace(objects=[drawing, own])) == 1
    assert isinstance(drawing, _DrawingStream) and type(own) is _OwnStream
    assert _parts(drawing.data) == expected and drawing.data is drawing.data
    drawing_again = _DrawingStream(compress=True)
    pdffast.write_streams_once(SimpleNamespace(objects=[drawing_again]))
    assert type(drawing_again) is type(drawing)  # one class per stream class


def test_streams_deflate_at_the_chosen_level() -> None:
    stream = _streams()[1]
    pdffast.write_streams_once(SimpleNamespace(objects=[stream]))
    assert _content(stream.data) == zlib.compress(b"\x00\x01binary" * 500, pdffast.DEFLATE_LEVEL)


def _as_tinyhtml5_reads(html: str) -> list[tuple[object, ...]]:
    return element_rows(tinyhtml5.parse(html, namespace_html_elements=False))


def _fast(html: str) -> list[tuple[object, ...]]:
    root = pdffast.own_html_tree(html)
    assert root is not None, "expat could not read it: the document went the slow way"
    return element_rows(root)


EXAMPLES = sorted((ROOT / "examples").glob("*/*.json"))
EXAMPLES = [p for p in EXAMPLES if p.stem in ("compliant", "not-certified", "incomplete")]


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in EXAMPLES])
def test_our_documents_read_by_expat_as_tinyhtml5_reads_them(path: Path) -> None:
    """Gap reports (and certificates where certified) of the shipped examples, in every language:
    the tree WeasyPrint gets is the one tinyhtml5 would have built, element for element."""
    audit = load_audit(path, CATALOG)
    result, standard = check(audit, CATALOG), CATALOG.get(audit.standard)
    for kind in kinds_for(result, "both"):
        for lang in ("zh", "en", "bilingual"):
            html = _markup(result, standard, kind, lang, for_print=True)
            assert _fast(html) == _as_tinyhtml5_reads(html), (kind, lang)


def test_hostile_and_long_documents_read_as_tinyhtml5_reads_them(
    hostile: Result, failing: Result, certified: Result, long_std: Standard
) -> None:
    for result, kind in (
        (hostile, "gap"),
        (hostile, "certificate"),
        (failing, "gap"),
        (certified, "certificate"),
    ):
        for lang in ("zh", "en", "bilingual"):
            html = _markup(result, long_std, kind, lang, for_print=True)  # type: ignore[arg-type]
            assert _fast(html) == _as_tinyhtml5_reads(html), (kind, lang)


def test_a_signed_certificate_with_a_seal_reads_as_tinyhtml5_reads_it(
    certified: Result, long_std: Standard, tmp_path: Path
) -> None:
    """The QR code (inline SVG) and the seal (an <img> with a data: URL)."""
    from checker.report.issue import Issue, seal_from_bytes
    from checker.report.keys import load_signing_key, write_key_pair

    write_key_pair(tmp_path / "k.pem", "渝中区妇女儿童工作委员会办公室（示例）")
    seal = seal_from_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    issue = Issue(key=load_signing_key(tmp_path / "k.pem"), issued_on="2026-06-01", seal=seal)
    for lang in ("zh", "en", "bilingual"):
        html = _markup(certified, long_std, "certificate", lang, for_print=True, issue=issue)
        assert 'class="qr"' in html and 'class="seal"' in html
        assert _fast(html) == _as_tinyhtml5_reads(html), lang


def test_what_expat_is_made_to_read_as_html5_does() -> None:
    """Void elements, &nbsp;, line breaks and tabs in attribute values, CR LF, SVG's namespace,
    rows written straight into a table (HTML5 puts them in a tbody), text after </body>."""
    html = (
        '<!DOCTYPE html>\r\n<html lang="zh"><head><meta charset="utf-8"><title>t</title></head>\n'
        '<body class="a"><p title="one\ntwo\tthree">x&nbsp;y<br>z &amp; &#34;q&#34;</p>\n'
        '<table class="meta">\n <colgroup><col class="c"><col></colgroup>\n <tr><th>a</th><td>b</td></tr>\n'
        ' <tr><td colspan="2">c</td></tr>\n <tbody><tr><td>d</td></tr></tbody>\n <tr><td>e</td></tr>\n</table>\n'
        '<svg class="chart" viewBox="0 0 10 10" role="img"><rect x="1" y="1" width="2" height="2"/>'
        '<text x="1" y="9" font-size="3">字</text></svg>\n</body>\n</html>\n'
    )
    assert _fast(html) == _as_tinyhtml5_reads(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p>x</p><img src="file:///etc/passwd">',  # a fragment: no <html>
        "<html><head></head><body><p>&copy;</p></body></html>",  # a named entity XML does not know
        "<html><head></head><body><p>x<div>y</div></p></body></html>",  # HTML5 closes the <p>
        "<html><head></head><body><p>\x01</p></body></html>",  # a character XML refuses
        "<html><body><p>x</p></body></html>",  # no <head>: HTML5 adds one
        "<html><head></head><body><table>x<tr><td>y</td></tr></table></body></html>",  # text moved out
        "<html><head></head><body><table><td>y</td></table></body></html>",  # HTML5 adds a row
        "<html><head></head><body><table><col></table></body></html>",  # HTML5 adds a colgroup
        "<html><head></head><body><div><li>y</li></div></body></html>",  # a list item out of a list
        "<html><head></head><body><h2>a<h3>b</h3></h2></body></html>",  # HTML5 closes the h2
        "<html><head></head><body><a>a<span><a>b</a></span></a></body></html>",  # a link in a link
        "<html><head></head><body><svg><div>y</div></svg></body></html>",  # HTML leaves the SVG
        "<html><head></head><body><svg viewbox='0 0 1 1'></svg></body></html>",  # HTML5 reads viewBox
        '<html><head></head><body><table><tr><td colSpan="2"></td></tr></table></body></html>',  # lowered
        "<html><head></head><body><td>x</td></body></html>",  # HTML5 drops a cell outside a table
        "<html><head></head><body><P>x</P></body></html>",
        "<html><head></head><body><p>&#150;</p></body></html>",  # HTML5 reads an en dash
        "<html><head></head><body><!-- note --><p>x</p></body></html>",  # HTML5 keeps comments
        "<html><head><p>x</p></head><body></body></html>",  # HTML5 moves it to the body
        "<html><head></head><body><form><p>x</p></form></body></html>",  # not read the same way here
    ],
)
def test_anything_else_goes_to_tinyhtml5(html: str) -> None:
    assert pdffast.own_html_tree(html) is None


@pytest.mark.pdf
def test_weasyprint_gets_the_same_document_either_way(failing: Result, long_std: Standard) -> None:
    """The HTML object made from expat's tree has what weasyprint.HTML sets, nothing more or less
    (a WeasyPrint upgrade that sets more fails here), and lays out the same pages."""
    import weasyprint

    from checker.report import pdf

    html = _markup(failing, long_std, "gap", "en", for_print=True)
    ours, theirs = (
        pdf._HTML(string=html, url_fetcher=pdf.fetcher()),
        weasyprint.HTML(string=html, url_fetcher=pdf.fetcher()),
    )
    assert vars(ours).keys() == vars(theirs).keys()
    for name in vars(ours).keys() - {"wrapper_element", "etree_element"}:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert element_rows(ours.etree_element) == element_rows(theirs.etree_element)
    options = {"stylesheets": list(pdf.stylesheets("gap")), "font_config": pdf.font_config()}
    ours_pages = [page.width for page in ours.render(**options).pages]
    assert ours_pages == [page.width for page in theirs.render(**options).pages]


class _Node:
    def __init__(self) -> None:
        self.other: object = self


def test_cycles_are_collected_when_the_render_ends() -> None:
    """Inside, the collector is off (a cycle made there outlives its last name); on leaving it
    is on again and the cycle is gone; a collector the caller turned off is left off."""
    import gc
    import weakref

    assert gc.isenabled()
    with pdffast.cycles_collected_after():
        assert not gc.isenabled()
        kept = _Node()
        held = weakref.ref(kept)
        del kept
        for _ in range(100_000):
            _Node()  # enough allocation to trigger many automatic collections, were it on
        assert held() is not None
    assert gc.isenabled()
    assert held() is None
    gc.disable()
    try:
        with pdffast.cycles_collected_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failing_render_turns_the_collector_back_on() -> None:
    import gc

    with pytest.raises(RuntimeError), pdffast.cycles_collected_after():
        raise RuntimeError("layout failed")
    assert gc.isenabled()
