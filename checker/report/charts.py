"""Where the gap report's two charts put their marks and labels, so that no two labels overlap.

The template draws; this module measures. Text widths are estimated from
the font size (a CJK character is one em wide, Latin letters and digits
about 0.56 em): good enough to keep labels apart by a safe margin.
Labels that would collide move to another row; an axis end label ("0",
"100") is dropped where the score's own label would cover it; a section
title too long for its column wraps onto a second line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.report.html import num

if TYPE_CHECKING:
    from checker.core.result import Result

__all__ = ["scale_chart", "section_chart", "text_width"]

_LEFT, _WIDTH = 20.0, 600.0
_GAP = 6.0


def text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def _rows(spans: list[tuple[float, float]]) -> list[int]:
    """A row per span (x0, x1), the lowest row where it does not overlap anything placed before."""
    placed: list[list[tuple[float, float]]] = []
    out = []
    for x0, x1 in spans:
        for row, taken in enumerate(placed):
            if all(x1 + _GAP <= a or x0 >= b + _GAP for a, b in taken):
                taken.append((x0, x1))
                out.append(row)
                break
        else:
            placed.append([(x0, x1)])
            out.append(len(placed) - 1)
    return out


def _centred(x: float, width: float, lo: float, hi: float) -> float:
    """The centre of a label of ``width`` at ``x``, kept inside [lo, hi]."""
    return min(max(x, lo + width / 2), hi - width / 2)


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


def scale_chart(result: Result, labels: list[str]) -> dict[str, Any]:
    """The score bar: threshold labels above (stacked when close), score and axis ends below.

    ``labels`` are the level words in the document's primary language, one per level.
    """
    size = 11.0
    marks = []
    for level, word in zip(result.levels, labels, strict=True):
        x = _LEFT + _WIDTH * min(level.min_score, 100) / 100
        text = f"{word} ≥ {num(level.min_score)}"
        w = text_width(text, size)
        cx = _centred(x, w, 0, 640)
        marks.append((x, cx, text, w))
    rows = _rows([(cx - w / 2, cx + w / 2) for _, cx, _, w in marks])
    depth = max(rows, default=0)
    top = 14.0 * depth
    ticks = [
        {"x": x, "label": Label(cx, 16 + 14 * (depth - row), text)}
        for (x, cx, text, _), row in zip(marks, rows, strict=True)
    ]
    score = min(max(result.score, 0.0), 100.0)
    sx = _LEFT + _WIDTH * score / 100
    shown = num(result.score)
    sw = text_width(shown, size)
    scx = _centred(sx, sw, 0, 640)
    bottom = top + 71
    ends = []
    for x, text, anchor_x in ((_LEFT, "0", _LEFT + 3), (_LEFT + _WIDTH, "100", _LEFT + _WIDTH - 8)):
        if abs(anchor_x - scx) >= (sw + text_width(text, 10)) / 2 + _GAP:
            ends.append({"x": x, "text": text, "anchor": "start" if x == _LEFT else "end"})
    return {
        "height": top + 76,
        "bar_y": top + 30,
        "tick_y0": top + 22,
        "tick_y1": top + 54,
        "ticks": ticks,
        "fill_width": _WIDTH * score / 100,
        "marker_x": sx,
        "marker_y": top + 50,
        "score": Label(scx, bottom, shown),
        "ends": ends,
        "ends_y": top + 68,
    }


def _wrap(text: str, size: float, limit: float) -> list[str]:
    """One line, or two split at the space nearest the limit (CJK: the middle); the second cut with "…"."""
    if text_width(text, size) <= limit:
        return [text]
    words = text.split(" ")
    if len(words) > 1:
        best = min(range(1, len(words)), key=lambda i: abs(text_width(" ".join(words[:i]), size) - limit))
        first, rest = " ".join(words[:best]), " ".join(words[best:])
        while text_width(first, size) > limit and " " in first:
            first, rest = first.rsplit(" ", 1)[0], first.rsplit(" ", 1)[1] + " " + rest
    else:
        cut = len(text) // 2
        while cut > 1 and text_width(text[:cut], size) > limit:
            cut -= 1
        first, rest = text[:cut], text[cut:]
    while rest and text_width(rest, size) > limit:
        rest = rest[:-2] + "…"
    return [first, rest]


def section_chart(result: Result, titles: list[list[str]], floor_labels: list[str]) -> dict[str, Any]:
    """One bar per section; titles wrap to two lines; floor labels at the foot, stacked when close.

    ``titles`` holds, per section, the title lines to draw (one language, or
    Chinese then English for a bilingual document); ``floor_labels`` one
    label per level that sets a section floor.
    """
    rows = []
    y = 26.0
    for section, title in zip(result.sections, titles, strict=True):
        lines: list[tuple[str, float]] = []
        for i, text in enumerate(title):
            size = 11.0 if i == 0 else 8.5
            lines += [(line, size) for line in _wrap(text, size, 186)]
        height = max(24.0, 6 + sum(13.0 if s > 9 else 10.5 for _, s in lines))
        rows.append({"section": section, "y": y, "height": height, "lines": lines, "mid": y + height / 2})
        y += height
    floors = [lv for lv in result.levels if lv.min_section_percent is not None]
    spans = []
    for lv, text in zip(floors, floor_labels, strict=True):
        x = 200 + 3.6 * float(lv.min_section_percent or 0)
        spans.append((x, x + 3 + text_width(text, 8.5), text))
    stack = _rows([(a, b) for a, b, _ in spans])
    foot = [
        {"x": a, "label": Label(a + 3, y + 9 + 11 * row, text)}
        for (a, _, text), row in zip(spans, stack, strict=True)
    ]
    return {"rows": rows, "bars_end": y, "height": y + 4 + 11 * (max(stack, default=-1) + 1), "floors": foot}
