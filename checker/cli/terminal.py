"""The one way text reaches the terminal: data made inert, and a last guard on every line.

Two layers, because our own text needs what hostile text must not have.
Formatters pass every value that came from an input (facility names,
reasons, notes, file names, history rows) through :func:`inert` (from
``core``), which escapes line breaks too, so a name can never start a line
that reads like a verdict. :func:`echo` then guards the whole text it
writes: it keeps our line breaks and our colour codes (``ESC [ ... m`` from
``click.style``) and escapes every other control or format character, so a
value a formatter forgot can at worst change a colour, never move the
cursor, clear the screen or reverse the text. This holds with or without
colour, on a terminal or a pipe. JSON output does not come through here:
JSON escapes control characters itself.
"""

from __future__ import annotations

import os
import re

import click

from checker.core.inert import UNSAFE_CHARS, escape_char, inert

__all__ = ["colour", "echo", "guard", "inert"]

_GUARD = re.compile(r"(\x1b\[[0-9;]*m)|([" + UNSAFE_CHARS + "])")


def _one(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1)
    ch = match.group(2)
    return ch if ch in "\n\t" else escape_char(ch)


def guard(text: str) -> str:
    """``text`` with every control or format character escaped except line breaks, tabs
    and SGR colour sequences (what ``click.style`` writes)."""
    if text.isprintable():
        return text
    return _GUARD.sub(_one, text)


def colour(color: bool | None) -> bool | None:
    """``--color``/``--no-color`` when given; otherwise no colour under ``NO_COLOR`` (any value but
    empty, https://no-color.org) or ``TERM=dumb``; otherwise click decides (a terminal or not)."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return None


def echo(text: str = "", *, err: bool = False, color: bool | None = None) -> None:
    """``click.echo`` of guarded text (click still drops colour where it should)."""
    click.echo(guard(text), err=err, color=colour(color))
