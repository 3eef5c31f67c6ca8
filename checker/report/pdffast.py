"""Shorter ways through WeasyPrint and pydyf for our own documents, each giving the same PDF.

Every document pays for these on every render (a 10-page gap report makes ~1,900 text
lines and ~90 streams), so each saves a few percent of it:

* :func:`write_streams_once`: pydyf serialises and deflates every stream twice when it
  writes a PDF with a file identifier (PDF/A needs one): once to write it, once more to
  hash the whole file for the identifier. The streams are finished by then (WeasyPrint
  calls our finisher just before it writes), so each is made once and the bytes are kept;
  and deflated at level 6 instead of 9, which costs 0.2 % in size and a third of the time.
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

__all__ = ["DEFLATE_LEVEL", "write_streams_once"]

DEFLATE_LEVEL = 6


class _StreamWrittenOnce(pydyf.Stream):  # type: ignore[misc]
    """A finished stream: its bytes made on first use and kept (pydyf.Stream.data, memoised)."""

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


def write_streams_once(pdf: Any) -> int:
    """Make each plain stream of ``pdf`` (a ``pydyf.PDF`` about to be written) keep its bytes;
    return how many. Only for a PDF that nothing changes any more."""
    count = 0
    for item in pdf.objects:
        if type(item) is pydyf.Stream:
            item.__class__ = _StreamWrittenOnce
            count += 1
    return count
