"""Chart labels never overlap, whatever the score and the thresholds."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Result
from checker.report.charts import scale_chart, section_chart, text_width


def _span(x: float, text: str, size: float, anchor: str = "middle") -> tuple[float, float]:
    w = text_width(text, size)
    if anchor == "start":
        return x, x + w
    if anchor == "end":
        return x - w, x
    return x - w / 2, x + w / 2


def _apart(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] <= b[0] or b[1] <= a[0]


def _result(failing: Result, score: float, thresholds: list[float]) -> Any:
    levels = [
        failing.levels[0].model_copy(update={"id": f"l{i}", "min_score": t, "reached": False})
        for i, t in enumerate(thresholds)
    ]
    return failing.model_copy(update={"score": score, "levels": levels})


@settings(max_examples=200, deadline=None)
@given(
    score=st.floats(0, 100, allow_nan=False),
    thresholds=st.lists(st.floats(1, 100, allow_nan=False), min_size=1, max_size=4).map(sorted),
    words=st.sampled_from(
        [["达标", "示范", "卓越", "标杆"], ["Compliant", "Exemplary", "Outstanding", "Model"]]
    ),
)
def test_scale_labels_never_overlap(
    failing: Result, score: float, thresholds: list[float], words: list[str]
) -> None:
    chart = scale_chart(_result(failing, score, thresholds), words[: len(thresholds)])
    rows: dict[float, list[tuple[float, float]]] = {}
    for tick in chart["ticks"]:
        label = tick["label"]
        span = _span(label.x, label.text, 11)
        assert span[0] >= 0 and span[1] <= 640
        rows.setdefault(label.y, []).append(span)
    for spans in rows.values():
        for i, a in enumerate(spans):
            for b in spans[i + 1 :]:
                assert _apart(a, b), (a, b)
    assert max(rows) < chart["bar_y"] - 4  # threshold labels stay above the bar
    score_span = _span(chart["score"].x, chart["score"].text, 11)
    for end in chart["ends"]:
        assert _apart(score_span, _span(end["x"], end["text"], 10, end["anchor"]))


def test_score_near_100_drops_the_axis_end(failing: Result) -> None:
    chart = scale_chart(_result(failing, 98.91, [60, 80]), ["达标", "示范"])
    assert [e["text"] for e in chart["ends"]] == ["0"]
    chart = scale_chart(_result(failing, 50, [60, 80]), ["达标", "示范"])
    assert [e["text"] for e in chart["ends"]] == ["0", "100"]


def test_long_section_titles_wrap(failing: Result) -> None:
    titles = [["Management, services and participation of children and families"] for _ in failing.sections]
    floors = [f"{lv.label.en} ≥ {lv.min_section_percent}%" for lv in failing.levels if lv.min_section_percent]
    chart = section_chart(failing, titles, floors)
    assert len(chart["floors"]) == len(floors)
    for row in chart["rows"]:
        assert len(row["lines"]) == 2
        assert all(text_width(line, size) <= 186 for line, size in row["lines"])
