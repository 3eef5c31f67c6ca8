"""A rule's row of result JSON, written around the few values that change from audit to audit.

Rows of one rule differ in their status, points earned and possible, and
reason; everything else in a row (id, title, reference, source, remediation)
is the rule's own. A rule's first new row is written once with a marker in
each of those places, by the writer every row goes through (``result._row``),
and the bytes between the markers are kept: the JSON of a later new row of
the rule is those bytes with its five values, each written by orjson as it
writes them inside an object. So a new row costs a join instead of building
and writing a 16-key object, and its bytes are the same letter for letter
(``tests/test_result.py`` compares every row with the writer's).
"""

from __future__ import annotations

from dataclasses import replace

import orjson

from checker.core.result import ResultRule, _row
from checker.core.text import Text

__all__ = ["RowFrame"]

_MARKS = tuple(f"\x00tongcheck {place}\x00" for place in ("status", "earned", "possible", "zh", "en"))
_MARKED = tuple(orjson.dumps(mark) for mark in _MARKS)
_SET_JSON = ResultRule._json.__set__  # type: ignore[attr-defined]


class RowFrame:
    """The bytes of one rule's row between its five changing values (None when they cannot be told
    apart, and rows are then written whole)."""

    __slots__ = ("pieces",)

    def __init__(self, row: ResultRule) -> None:
        status, earned, possible, zh, en = _MARKS
        marked = replace(row, status=status, earned=earned, possible=possible, reason=Text(zh=zh, en=en))  # type: ignore[arg-type]
        written = orjson.dumps(_row(marked))
        self.pieces: tuple[bytes, ...] | None = None
        if all(written.count(mark) == 1 for mark in _MARKED):
            pieces = []
            for mark in _MARKED:
                head, _, written = written.partition(mark)
                pieces.append(head)
            self.pieces = (*pieces, written)

    def attach(self, row: ResultRule) -> None:
        """Give ``row`` (a row of this frame's rule, not waived) its JSON, as ``result._json_of`` would."""
        if self.pieces is None:
            return
        p0, p1, p2, p3, p4, p5 = self.pieces
        dumps = orjson.dumps
        reason = row.reason
        json = b"".join(
            (
                p0, dumps(row.status), p1, dumps(row.earned), p2, dumps(row.possible), p3,
                dumps(reason.zh), p4, dumps(reason.en), p5,
            )
        )  # fmt: skip
        _SET_JSON(row, orjson.Fragment(json))
