"""Untrusted text made inert for a terminal: control and format characters shown escaped.

A facility name, a waiver reason, a text observation, a history row or a file
name is written by someone else. On a terminal, ESC starts a command (clear
the screen, move the cursor, recolour), CR and BS overwrite what was printed,
a line break starts a line that may read like our own verdict, and bidi
overrides (U+202E) reorder what follows. :func:`inert` shows every such
character as an escape (``\\x1b``, ``\\u202e``) so the text reads as what it
is; printable text, Chinese included, passes unchanged.

The set is Unicode's control (Cc), format (Cf), line and paragraph separator
(Zl, Zp) and surrogate (Cs: a file name that is not valid UTF-8) categories,
written out as ranges so that importing this module costs nothing;
``tests/test_terminal.py`` checks the ranges against ``unicodedata``.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE_CHARS", "escape_char", "inert"]

UNSAFE_CHARS = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""A regular-expression character class body of every character :func:`inert` escapes."""

_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")


def escape_char(ch: str) -> str:
    """``\\x1b`` below U+0100, ``\\u202e`` in the BMP, ``\\U000e0041`` beyond."""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def inert(text: str) -> str:
    """``text`` with every control, format and line-breaking character shown escaped."""
    if text.isprintable():  # the common case: nothing to do, no regex
        return text
    return _UNSAFE.sub(lambda m: escape_char(m.group()), text)
