"""The only door between a report and the outside world, and it opens inward only.

WeasyPrint's default fetcher reads ``file:`` URLs (and embeds them as
attachments) and makes network requests, following redirects. Ours serves the
files in this package's ``static/`` folder under the ``asset:`` scheme, and
PNG/JPEG ``data:`` URLs (the seal image a district gives, embedded by the
certificate; a raster image cannot refer to anything further), the working
copies of the CJK fonts registered with it under the ``workfont:`` scheme
(made by :mod:`checker.report.workfonts`, held in memory), and refuses
everything else with :class:`FatalURLFetchingError`, which stops the
render: a refused URL is either a template bug or hostile text that escaped
escaping, and in both cases no document must come out.

One instance is shared by the ``HTML`` and every ``CSS`` object of a render
(a ``CSS`` built without it would use the default fetcher). Refusals are also
recorded in ``refused``, because WeasyPrint swallows every exception raised
while drawing an inline SVG (``<image href>``): the caller checks the list
after the render and fails anyway.

This module subclasses WeasyPrint's ``URLFetcher``, so importing it imports
WeasyPrint: only the PDF path does.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from checker.report.html import STATIC_DIR

__all__ = ["ASSET_SCHEME", "FONT_SCHEME", "STATIC_DIR", "RefusedURL", "SafeFetcher"]

ASSET_SCHEME = "asset:"
FONT_SCHEME = "workfont:"
_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
}


_DATA_TYPES = ("image/png", "image/jpeg")


class RefusedURL(FatalURLFetchingError):  # type: ignore[misc]
    """A URL that is not one of the package's assets; aborts the render."""

    def __init__(self, url: str) -> None:
        self.url = url[:120]
        super().__init__(f"refused to fetch {self.url!r}: reports read only their own assets")


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``asset:NAME`` from ``static/`` and raster data URLs; refuse files, network, other data."""

    def __init__(self, root: Path = STATIC_DIR) -> None:
        super().__init__(
            timeout=1,
            allowed_protocols=set(),
            allow_redirects=False,
            fail_on_errors=True,
        )
        self.root = os.path.realpath(root)
        self.refused: list[str] = []
        self.fonts: dict[str, bytes] = {}

    def register_font(self, name: str, data: bytes) -> str:
        """Serve ``data`` (a font we made) as the returned ``workfont:`` URL."""
        self.fonts[name] = data
        return FONT_SCHEME + name

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            name = url[len(ASSET_SCHEME) :].lstrip("/").split("?", 1)[0].split("#", 1)[0]
            path = os.path.realpath(os.path.join(self.root, name))
            inside = os.path.commonpath([path, self.root]) == self.root and path != self.root
            suffix = os.path.splitext(path)[1].lower()
            if inside and suffix in _TYPES and os.path.isfile(path):
                with open(path, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(url, body, {"Content-Type": _TYPES[suffix]})
        if url.startswith(FONT_SCHEME) and url[len(FONT_SCHEME) :] in self.fonts:
            return URLFetcherResponse(url, self.fonts[url[len(FONT_SCHEME) :]], {"Content-Type": "font/otf"})
        for mime in _DATA_TYPES:
            prefix = f"data:{mime};base64,"
            if url.startswith(prefix):
                try:
                    body = base64.b64decode(url[len(prefix) :], validate=True)
                except ValueError:
                    break
                return URLFetcherResponse(url[:64], body, {"Content-Type": mime})
        if len(self.refused) < 20:
            self.refused.append(url[:120])
        raise RefusedURL(url)

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        """Never reach urllib's handlers, whatever WeasyPrint calls."""
        return self.fetch(url if isinstance(url, str) else str(getattr(url, "full_url", url)))
