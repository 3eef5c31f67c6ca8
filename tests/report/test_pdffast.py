"""The shorter ways through WeasyPrint and pydyf (report.pdffast) give what the long ways give."""

from __future__ import annotations

import re
import zlib
from types import SimpleNamespace

import pydyf

from checker.report import pdffast


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


def test_streams_deflate_at_the_chosen_level() -> None:
    stream = _streams()[1]
    pdffast.write_streams_once(SimpleNamespace(objects=[stream]))
    assert _content(stream.data) == zlib.compress(b"\x00\x01binary" * 500, pdffast.DEFLATE_LEVEL)
