"""What an assessor most likely meant when their JSON does not parse, and how to say so.

Python's ``json`` says "Expecting ',' delimiter"; the assessor typed ``24，``
with a Chinese input method, ``40%``, ``1.05m``, ``是``, a trailing comma or a
``// note``. Each diagnosis names the real cause at its real place and, where
it can, repairs the text without moving anything (same length, same lines),
so the parser can go on and report the next mistake in the same run. A repair
that keeps the meaning (punctuation, comments) lets validation go on too; one
that guesses a value (a unit dropped, a word replaced) stops after syntax.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from checker.core.messages import Msg, plain, say

__all__ = ["Diagnosis", "diagnose"]

FULL_WIDTH = {
    "，": ",", "：": ":", "“": '"', "”": '"', "‘": '"', "’": '"', "｛": "{", "｝": "}",
    "［": "[", "］": "]", "；": ",", "、": ",", "【": "[", "】": "]", "＂": '"',
}  # fmt: skip
_WORD = re.compile(r"[^\s,:{}\[\]\"'，：“”]+")
_NUMBER_UNIT = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?[ \t]*([^\s,}\]\"“”，]+)")
_BOOLEAN_WORDS = {"是", "否", "有", "无", "对", "错", "yes", "no", "Yes", "No", "YES", "NO", "y", "n"}
_PYTHON = {"True": "true", "False": "false", "None": "null", "TRUE": "true", "FALSE": "false"}
_UNKNOWN_WORDS = {
    "不详", "未知", "未测", "未测量", "无数据", "暂无", "不适用", "缺", "待定", "待测",
    "N/A", "n/a", "NA", "na", "-", "—", "--", "?", "？", "undefined", "nil", "NULL", "Null",
}  # fmt: skip
_MESSAGES = {
    "Expecting value": "json.expecting_value",
    "Expecting ',' delimiter": "json.expecting_comma",
    "Expecting ':' delimiter": "json.expecting_colon",
    "Expecting property name enclosed in double quotes": "json.expecting_key",
    "Unterminated string starting at": "json.unterminated",
    "Invalid control character at": "json.control_char",
    "Invalid \\escape": "json.bad_escape",
    "Invalid \\uXXXX escape": "json.bad_escape",
    "Extra data": "json.extra_data",
    "Illegal trailing comma before end of object": "json.trailing_comma",
    "Illegal trailing comma before end of array": "json.trailing_comma",
}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One syntax mistake: where, what, how to fix; ``repaired`` is the text with it fixed."""

    offset: int
    message: Msg
    hint: Msg
    repaired: str | None = None
    keeps_meaning: bool = False


def _blank(text: str, start: int, end: int, put: str = "") -> str:
    """``text`` with ``[start, end)`` replaced by ``put`` padded with spaces (newlines kept)."""
    middle = "".join("\n" if c == "\n" else " " for c in text[start:end])
    return text[:start] + put + middle[len(put) :] + text[end:]


def _previous(text: str, pos: int) -> int:
    """Index of the last non-space character before ``pos`` (-1 if none)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i


def _syntax(exc: json.JSONDecodeError) -> Msg:
    key = next((k for prefix, k in _MESSAGES.items() if exc.msg.startswith(prefix)), None)
    return say(key) if key else say("json.syntax", detail=exc.msg)


def diagnose(text: str, exc: json.JSONDecodeError) -> Diagnosis:
    """The most likely cause of ``exc`` in ``text``, with a repair when one is safe."""
    pos = exc.pos
    if not text.strip():
        return Diagnosis(0, say("json.empty"), say("hint.start_template"))
    found = (
        _full_width(text, pos)
        or _comment(text, pos)
        or _trailing_comma(text, pos)
        or _number_unit(text, pos)
        or _bare_word(text, pos, exc)
        or _missing_comma(text, pos, exc)
        or _control_or_escape(text, pos, exc)
    )
    if found is not None:
        return found
    hint = {
        "json.expecting_colon": "hint.colon",
        "json.unterminated": "hint.unterminated",
        "json.extra_data": "hint.extra_data",
        "json.expecting_key": "hint.quote_keys",
    }.get(_syntax(exc).key, "hint.json_generic")
    return Diagnosis(pos, _syntax(exc), say(hint))


def _full_width(text: str, pos: int) -> Diagnosis | None:
    """A full-width ，：“” at the error, or earlier on its line (a “ inside a string hides it)."""
    start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, pos))) + 1
    end = min(len(text), pos + 1)
    at = pos if pos < len(text) and text[pos] in FULL_WIDTH else -1
    if at < 0:
        at = next((i for i in range(start, end) if text[i] in FULL_WIDTH and _outside_text(text, i)), -1)
    if at < 0:
        return None
    char = text[at]
    repaired = text[:at] + FULL_WIDTH[char] + text[at + 1 :]
    return Diagnosis(
        at, say("json.full_width", char=char), say("hint.full_width", char=char, ascii=FULL_WIDTH[char]),
        repaired, keeps_meaning=True,
    )  # fmt: skip


def _outside_text(text: str, i: int) -> bool:
    """Whether position ``i`` is outside a properly quoted string on its line (a guess)."""
    line_start = text.rfind("\n", 0, i) + 1
    quotes = len(re.findall(r'(?<!\\)"', text[line_start:i]))
    if quotes % 2 == 0:
        return True
    # inside "...": a full-width quote there is fine unless it is where the string should have closed
    return text[i] in "“”" and not re.search(r'(?<!\\)"', text[i + 1 : text.find("\n", i) % (len(text) + 1)])


def _comment(text: str, pos: int) -> Diagnosis | None:
    if text.startswith(("//", "/*", "#"), pos):
        if text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            end = len(text) if close < 0 else close + 2
        else:
            newline = text.find("\n", pos)
            end = len(text) if newline < 0 else newline
        return Diagnosis(pos, say("json.comment"), say("hint.comment"), _blank(text, pos, end), True)
    return None


def _trailing_comma(text: str, pos: int) -> Diagnosis | None:
    before = _previous(text, pos)
    if pos < len(text) and text[pos] in "}]" and before >= 0 and text[before] == ",":
        return Diagnosis(
            before,
            say("json.trailing_comma"),
            say("hint.trailing_comma"),
            _blank(text, before, before + 1),
            True,
        )
    return None


def _number_unit(text: str, pos: int) -> Diagnosis | None:
    """``40%``, ``1.05m``, ``3.2公顷``, ``105 cm``: a number with something glued after it."""
    before = _previous(text, pos)
    start = before
    while start >= 0 and (text[start].isdigit() or text[start] in ".-+eE"):
        start -= 1
    start += 1
    if start > before or not any(c.isdigit() for c in text[start : before + 1]):
        return None
    match = _NUMBER_UNIT.match(text, start)
    if match is None or match.start(1) != pos:
        return None
    unit = match.group(1)
    number = text[start : match.start(1)].strip()
    key = "hint.percent" if unit.startswith(("%", "％")) else "hint.unit"
    return Diagnosis(
        start,
        say("json.number_unit", value=plain(text[start : match.end(1)]), number=number),
        say(key, number=number, unit=unit),
        _blank(text, match.start(1), match.end(1)),
    )


def _bare_word(text: str, pos: int, exc: json.JSONDecodeError) -> Diagnosis | None:
    """An unquoted word where a value (or a key) belongs: 是, 不详, True, 'text', 社区公园."""
    if pos < len(text) and text[pos] == "'":
        close = text.find("'", pos + 1)
        if 0 < close < (text.find("\n", pos) % (len(text) + 1)):
            repaired = text[:pos] + '"' + text[pos + 1 : close] + '"' + text[close + 1 :]
            return Diagnosis(pos, say("json.single_quote"), say("hint.single_quote"), repaired, True)
    match = _WORD.match(text, pos)
    if match is None or not exc.msg.startswith(("Expecting value", "Expecting property name")):
        return None
    word = match.group(0)
    if exc.msg.startswith("Expecting property name"):
        return Diagnosis(pos, say("json.bare_key", word=word), say("hint.quote_keys"))
    if word in _PYTHON:
        fixed = _PYTHON[word]
        return Diagnosis(
            pos,
            say("json.bare_word", word=word),
            say("hint.python_word", fixed=fixed),
            _blank(text, pos, match.end(), fixed),
            True,
        )
    if word in _BOOLEAN_WORDS:
        hint = say("hint.yes_no")
    elif word in _UNKNOWN_WORDS:
        hint = say("hint.unknown_null")
    else:
        hint = say("hint.quote_text", word=word)
    return Diagnosis(pos, say("json.bare_word", word=word), hint, _blank(text, pos, match.end(), "0"))


def _missing_comma(text: str, pos: int, exc: json.JSONDecodeError) -> Diagnosis | None:
    if not exc.msg.startswith("Expecting ',' delimiter") or pos >= len(text):
        return None  # at the end of the text: cut short, not a missing comma
    before = _previous(text, pos)
    if (
        text[before] == '"'
        and text[pos : pos + 1] not in ('"', "{", "[", "")
        and "\n" not in text[before:pos]
    ):
        return Diagnosis(before, say("json.inner_quote"), say("hint.inner_quote"))
    gap = text[before + 1 : pos]
    space = next((i for i, c in enumerate(gap) if c in " \t"), None)
    repaired = None if space is None else text[: before + 1 + space] + "," + text[before + 2 + space :]
    return Diagnosis(before + 1, say("json.missing_comma"), say("hint.missing_comma"), repaired, True)


def _control_or_escape(text: str, pos: int, exc: json.JSONDecodeError) -> Diagnosis | None:
    if exc.msg.startswith("Invalid control character"):
        repaired = text[:pos] + " " + text[pos + 1 :] if text[pos] == "\t" else None
        return Diagnosis(pos, say("json.control_char"), say("hint.control_char"), repaired, True)
    if exc.msg.startswith("Invalid \\escape") and text[pos] == "\\":
        repaired = text[:pos] + "/" + text[pos + 1 :]
        return Diagnosis(pos, say("json.bad_escape"), say("hint.backslash"), repaired, True)
    return None
