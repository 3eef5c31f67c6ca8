"""Strict JSON for audits: no duplicate keys, no NaN or Infinity, no 5,000-digit numbers, bounded depth.

Every audit goes through the fast path: orjson (which refuses NaN, Infinity,
numbers that overflow and lone surrogates) plus a key count that proves there
is no duplicate key. Whatever the fast path cannot vouch for (a colon inside a
string, a very long number, any orjson error) is parsed again by the strict
``json`` path, which decides and words every refusal; positions (``line:col``)
are computed by a slow scanner only when there is an error to report.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from typing import Any

import orjson

from checker.core.errors import Problem
from checker.core.json_hints import diagnose
from checker.core.messages import Msg, say
from checker.core.sources import MAX_DEPTH, Located, Path_, SourceProblem, decode, format_path

__all__ = ["JsonDoc", "parse_json", "parse_json_bytes"]


class _Refused(ValueError):
    """Valid JSON syntax that an audit still must not hold (a duplicate key, NaN)."""

    def __init__(self, message: Msg, hint: Msg) -> None:
        super().__init__(message.en)
        self.message, self.hint = message, hint


def _duplicate(key: str) -> _Refused:
    return _Refused(say("json.duplicate_key", key=repr(key)), say("hint.one_of_two"))


def _not_number(word: str, key: str = "json.not_a_number") -> _Refused:
    return _Refused(say(key, word=word), say("hint.number_or_null"))


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _duplicate(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _not_number(name)


def _overflows(text: str) -> bool:
    try:
        return float(text) in (float("inf"), float("-inf"))
    except ValueError:
        return False


MAX_DIGITS = 100
"""Digits an integer may have: far beyond any measurement, far below Python's 4,300-digit limit."""


def _long_number(text: str) -> _Refused:
    shown = text if len(text) <= 20 else text[:12] + "…"
    return _Refused(
        say("json.too_many_digits", word=shown, digits=len(text.lstrip("-"))), say("hint.number_or_null")
    )


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise _long_number(text)
    return int(text)


def _deeper_than(data: Any, limit: int) -> Path_ | None:
    """The path of the first container nested deeper than ``limit``, or None (no recursion)."""
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value) if isinstance(v, dict | list))
    return None


def _depth_within(data: Any, limit: int) -> bool:
    """Whether no container is nested deeper than ``limit`` (level by level: no paths, no recursion)."""
    level, depth = [data], 0
    while level:
        if depth > limit:
            return False
        below = []
        for value in level:
            for item in value.values() if type(value) is dict else value if type(value) is list else ():
                if type(item) is dict or type(item) is list:
                    below.append(item)
        level, depth = below, depth + 1
    return True


def _depth_checked(doc: JsonDoc, brackets: int) -> JsonDoc:
    """``doc``, unless it is nested deeper than a standard's YAML may be (MAX_DEPTH).

    A text with fewer ``brackets`` (``{`` and ``[``) than that cannot be (most audits:
    a count in C, no walk); otherwise one walk level by level, and the path only for
    the message.
    """
    if brackets <= MAX_DEPTH or _depth_within(doc.data, MAX_DEPTH):
        return doc
    path = _deeper_than(doc.data, MAX_DEPTH) or ()
    raise SourceProblem(*doc.repaired, doc.problem(path, say("json.too_deep"), say("hint.nesting")))


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _not_number(text, "json.too_large")
    return value


class JsonDoc:
    """Parsed JSON plus the text, to locate JSON paths only when an error needs it.

    ``repaired`` lists syntax mistakes that were fixed without changing the
    meaning (full-width punctuation, comments, trailing commas) so validation
    could go on; whoever validates the document must still report them.
    ``utf8``: every string in ``data`` is valid UTF-8 (the fast path: no lone
    surrogate), so validation need not encode them to find one.
    """

    def __init__(
        self,
        data: Any,
        text: str | None,
        name: str,
        repaired: tuple[Problem, ...] = (),
        *,
        utf8: bool = False,
        raw: bytes = b"",
    ) -> None:
        self.data = data
        self._text = text
        self._raw = raw
        self.name = name
        self.repaired = repaired
        self.utf8 = utf8
        self._located: Located | None = None

    @property
    def text(self) -> str:
        """The text (decoded from the bytes, when it was parsed from bytes, only once asked for)."""
        if self._text is None:
            self._text = self._raw.decode("utf-8")
        return self._text

    @property
    def located(self) -> Located:
        if self._located is None:
            positions: dict[Path_, tuple[int, int]] = {}
            with contextlib.suppress(_Refused, RecursionError, IndexError):
                _JsonScanner(self.text, positions).document()
            self._located = Located(positions)
        return self._located

    def problem(self, path: Path_, message: Msg | str, hint: Msg | str = "") -> Problem:
        return self.located.problem(self.name, path, message, hint)


MAX_SYNTAX_PROBLEMS = 20


def parse_json_bytes(data: bytes, name: str, limit: int, repair: bool = False) -> JsonDoc:
    """``parse_json(decode(data, name, limit), name, repair)``; the bytes are decoded only when the
    fast path cannot vouch for them (orjson reads UTF-8 as strictly as ``decode``, and refuses a BOM,
    which ``decode`` drops), so most audits are never decoded at all."""
    if len(data) <= limit:
        fast = _fast_bytes(data)
        if fast is not _UNSURE:
            return _depth_checked(JsonDoc(fast[0], None, name, utf8=True, raw=data), fast[1])
    return parse_json(decode(data, name, limit), name, repair)


def parse_json(text: str, name: str, repair: bool = False) -> JsonDoc:
    """Parse strict JSON: no duplicate keys, no NaN/Infinity, bounded depth.

    On a syntax error every mistake that can be repaired in place is found in
    the same run (up to MAX_SYNTAX_PROBLEMS). With ``repair``, when every
    repair kept the meaning, the repaired document is returned with the
    mistakes in ``repaired``, so the caller can report them together with its
    validation; otherwise SourceProblem carries them all.
    """
    fast = _fast(text)
    if fast is not _UNSURE:
        return _depth_checked(JsonDoc(fast[0], text, name, utf8=True), fast[1])
    found: list[Problem] = []
    keeps_meaning = True
    current = text
    while True:
        try:
            data = _loads(current)
            break
        except json.JSONDecodeError as exc:
            diagnosis = diagnose(current, exc)
            line, col = _line_col(current, diagnosis.offset)
            found.append(Problem.of(name, diagnosis.message, diagnosis.hint, line=line, column=col))
            keeps_meaning = keeps_meaning and diagnosis.keeps_meaning
            if diagnosis.repaired is None or len(found) >= MAX_SYNTAX_PROBLEMS:
                if diagnosis.repaired is not None:
                    found.append(Problem.of(name, say("json.more_errors")))
                raise SourceProblem(*found) from None
            current = diagnosis.repaired
        except _Refused as exc:
            raise SourceProblem(*found, _locate_refusal(current, name, exc)) from None
        except RecursionError:
            raise SourceProblem(*found, Problem.of(name, say("json.too_deep"), say("hint.nesting"))) from None
        except ValueError as exc:  # e.g. integers beyond the 4300-digit limit
            raise SourceProblem(*found, Problem.of(name, say("json.unreadable_value", detail=exc))) from None
    if found and not (repair and keeps_meaning):
        raise SourceProblem(*found)
    return _depth_checked(JsonDoc(data, current, name, tuple(found)), current.count("{") + current.count("["))


def _loads(text: str) -> Any:
    """The reference parser: slower, and the one that words every refusal."""
    return json.loads(
        text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float, parse_int=_int
    )


_UNSURE: Any = object()
_SIGNS = bytes(
    0x39 if 0x30 <= b <= 0x39 else 0x7B if b in b"{[" else 0x3A if b == 0x3A else 0x20 for b in range(256)
)
"""A table that makes every digit a 9, every ``[`` a ``{``, keeps colons and blanks the rest: one
pass in C gives the three counts ``_fast_bytes`` needs."""
_LONG_NUMBER = b"9" * 19


def _fast(text: str) -> Any:
    """``_fast_bytes`` of the text's UTF-8 bytes (``_UNSURE`` for a text that has none)."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return _UNSURE
    return _fast_bytes(raw)


def _fast_bytes(raw: bytes) -> Any:
    """The parsed document of these UTF-8 bytes and how many brackets open in them (a bound on its
    depth), when the fast path can vouch for it, else ``_UNSURE``.

    In JSON that orjson accepts, a colon ends a key or stands in a string.
    orjson writes the parsed document back with one colon per key it kept and
    the strings' colons as they are, so when the text has no escaped colon
    (``\\u003a``) and as many colons as that, no key was given twice.
    orjson reads integers past 64 bits as floats (``json`` keeps them exact),
    hence the test for 19 digits in a row; documents too deep to write back go
    to the strict path, which decides what is too deep. The counts and the
    digits are read from one translation of the bytes (``_SIGNS``).
    """
    if b"\\" in raw and (b"\\u003a" in raw or b"\\u003A" in raw):
        return _UNSURE
    signs = raw.translate(_SIGNS)
    if _LONG_NUMBER in signs:
        return _UNSURE
    try:
        data = orjson.loads(raw)
        if signs.count(b":") != orjson.dumps(data).count(b":"):
            return _UNSURE
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return _UNSURE
    return data, signs.count(b"{")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _locate_refusal(text: str, name: str, refused: _Refused) -> Problem:
    positions: dict[Path_, tuple[int, int]] = {}
    scanner = _JsonScanner(text, positions)
    try:
        scanner.document()
    except _Refused as exc:
        line, col = scanner.line_col(scanner.refused_at)
        return Problem.of(
            name, exc.message, exc.hint, path=format_path(scanner.refused_path), line=line, column=col
        )
    except (RecursionError, IndexError):
        pass
    return Problem.of(name, refused.message, refused.hint)


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

    def refuse(self, refused: _Refused, offset: int, path: Path_) -> _Refused:
        self.refused_at, self.refused_path = offset, path
        return refused

    def value(self, path: Path_, first: tuple[str, str, int] | None = None) -> None:
        kind, text, start = first or self.token()
        self.positions[path] = self.line_col(start)
        if kind == "p" and text == "{":
            seen: set[str] = set()

            def member(tok: tuple[str, str, int]) -> None:
                key = json.loads(tok[1]) if tok[0] == "s" else tok[1]
                if key in seen:
                    raise self.refuse(_duplicate(key), tok[2], (*path, key))
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
            raise self.refuse(_not_number(text), start, path)
        elif kind == "a" and len(text) > MAX_DIGITS and text.lstrip("-").isdigit():
            raise self.refuse(_long_number(text), start, path)
        elif kind == "a" and any(c in text for c in ".eE") and _overflows(text):
            raise self.refuse(_not_number(text, "json.too_large"), start, path)

    def container(self, close: str, item: Callable[[tuple[str, str, int]], None]) -> None:
        tok = self.token()
        if tok[1] == close:
            return
        while True:
            item(tok)
            if self.token()[1] == close:
                return
            tok = self.token()
