"""Strict JSON for audits: no duplicate keys, no NaN or Infinity, bounded depth.

Parsing is the fast ``json`` module; positions (``line:col``) are computed by
a slow scanner only when there is an error to report.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from typing import Any

from checker.core.errors import Problem
from checker.core.sources import Located, Path_, SourceProblem, format_path

__all__ = ["JsonDoc", "parse_json"]


class _Refused(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {key!r}")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number in JSON")


def _overflows(text: str) -> bool:
    try:
        return float(text) in (float("inf"), float("-inf"))
    except ValueError:
        return False


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"{text} is too large for a number")
    return value


class JsonDoc:
    """Parsed JSON plus the text, to locate JSON paths only when an error needs it."""

    def __init__(self, data: Any, text: str, name: str) -> None:
        self.data = data
        self.text = text
        self.name = name
        self._located: Located | None = None

    @property
    def located(self) -> Located:
        if self._located is None:
            positions: dict[Path_, tuple[int, int]] = {}
            with contextlib.suppress(_Refused, RecursionError, IndexError):
                _JsonScanner(self.text, positions).document()
            self._located = Located(positions)
        return self._located

    def problem(self, path: Path_, message: str, hint: str = "") -> Problem:
        return self.located.problem(self.name, path, message, hint)


def parse_json(text: str, name: str) -> JsonDoc:
    """Parse strict JSON: no duplicate keys, no NaN/Infinity, bounded depth."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise SourceProblem(
            Problem(
                name,
                f"JSON syntax error: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
                hint="fix the JSON at this place (a missing comma or quote is typical)",
            )
        ) from None
    except _Refused as exc:
        raise SourceProblem(_locate_refusal(text, name, str(exc))) from None
    except RecursionError:
        raise SourceProblem(
            Problem(name, "JSON is nested too deeply", hint="an audit is at most a few levels deep")
        ) from None
    except ValueError as exc:  # e.g. integers beyond the 4300-digit limit
        raise SourceProblem(Problem(name, f"JSON value cannot be read: {exc}")) from None
    return JsonDoc(data, text, name)


def _locate_refusal(text: str, name: str, message: str) -> Problem:
    positions: dict[Path_, tuple[int, int]] = {}
    scanner = _JsonScanner(text, positions)
    try:
        scanner.document()
    except _Refused as exc:
        line, col = scanner.line_col(scanner.refused_at)
        hint = (
            "keep only one of the two"
            if "duplicate" in str(exc)
            else "write a number, or null when the value was not observed"
        )
        return Problem(name, str(exc), format_path(scanner.refused_path), line, col, hint)
    except (RecursionError, IndexError):
        pass
    return Problem(name, message)


_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.S)


class _JsonScanner:
    """A slow, position-aware walk over JSON text; used only to explain errors."""

    def __init__(self, text: str, positions: dict[Path_, tuple[int, int]]) -> None:
        self.text = text
        self.pos = 0
        self.positions = positions
        self.refused_at = 0
        self.refused_path: Path_ = ()

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def token(self) -> tuple[str, str, int]:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            raise IndexError("end of input")
        self.pos = match.end()
        kind = "s" if match.group(1) else "p" if match.group(2) else "a"
        return kind, match.group(match.lastindex or 0), match.start(match.lastindex or 0)

    def document(self) -> None:
        self.value(())

    def refuse(self, message: str, offset: int, path: Path_) -> _Refused:
        self.refused_at, self.refused_path = offset, path
        return _Refused(message)

    def value(self, path: Path_, first: tuple[str, str, int] | None = None) -> None:
        kind, text, start = first or self.token()
        self.positions[path] = self.line_col(start)
        if kind == "p" and text == "{":
            seen: set[str] = set()

            def member(tok: tuple[str, str, int]) -> None:
                key = json.loads(tok[1]) if tok[0] == "s" else tok[1]
                if key in seen:
                    raise self.refuse(f"duplicate key {key!r}", tok[2], (*path, key))
                seen.add(key)
                self.token()  # the colon
                self.value((*path, key))

            self.container("}", member)
        elif kind == "p" and text == "[":
            index = [0]

            def element(tok: tuple[str, str, int]) -> None:
                self.value((*path, index[0]), tok)
                index[0] += 1

            self.container("]", element)
        elif kind == "a" and text in ("NaN", "Infinity", "-Infinity"):
            raise self.refuse(f"{text} is not a number in JSON", start, path)
        elif kind == "a" and any(c in text for c in ".eE") and _overflows(text):
            raise self.refuse(f"{text} is too large for a number", start, path)

    def container(self, close: str, item: Callable[[tuple[str, str, int]], None]) -> None:
        tok = self.token()
        if tok[1] == close:
            return
        while True:
            item(tok)
            if self.token()[1] == close:
                return
            tok = self.token()
