from __future__ import annotations

from typing import Any

import pytest

from checker import Standard
from checker.core.conditions import parse_condition


def _eval(std: Standard, raw: dict[str, Any], obs: dict[str, Any]) -> bool | None:
    node, problems = parse_condition(raw, (), std.field_map)
    assert node is not None, problems
    return node.evaluate(obs)


T, F, U = {"gate": True}, {"gate": False}, {}
GT, GF = {"field": "gate", "eq": True}, {"field": "gate", "eq": False}


@pytest.mark.parametrize(
    ("raw", "obs", "want"),
    [
        ({"field": "height_m", "gte": 1.1}, {"height_m": 1.1}, True),
        ({"field": "height_m", "gte": 1.1}, {"height_m": 1.1 - 1e-10}, True),
        ({"field": "height_m", "gte": 1.1}, {"height_m": 1.0999}, False),
        ({"field": "height_m", "gt": 1.1}, {"height_m": 1.1 + 1e-10}, False),
        ({"field": "height_m", "lt": 1.1}, {"height_m": 1.1}, False),
        ({"field": "height_m", "lte": 1.1}, {"height_m": 1.1}, True),
        ({"field": "height_m", "eq": 0.3}, {"height_m": 0.1 + 0.2}, True),
        ({"field": "height_m", "ne": 0.3}, {"height_m": 0.1 + 0.2}, False),
        ({"field": "height_m", "between": [1, 2]}, {"height_m": 2}, True),
        ({"field": "height_m", "between": [1, 2]}, {"height_m": 2.01}, False),
        ({"field": "count_n", "in": [1, 2]}, {"count_n": 2}, True),
        ({"field": "count_n", "not_in": [1, 2]}, {"count_n": 2}, False),
        ({"field": "surface", "in": ["rubber"]}, {"surface": "sand"}, False),
        ({"field": "surface", "ne": "sand"}, {"surface": "sand"}, False),
        ({"field": "inspected_on", "lt": "2025-01-01"}, {"inspected_on": 738000}, True),
        ({"field": "height_m", "gte": 1}, {}, None),
        ({"field": "height_m", "present": True}, {}, False),
        ({"field": "height_m", "present": False}, {}, True),
        ({"field": "height_m", "present": True}, {"height_m": 0}, True),
        ({"field": "operator_name", "eq": ""}, {"operator_name": ""}, True),
    ],
)
def test_compare(
    fixture_standard: Standard, raw: dict[str, Any], obs: dict[str, Any], want: bool | None
) -> None:
    assert _eval(fixture_standard, raw, obs) is want


@pytest.mark.parametrize(
    ("form", "a", "b", "want"),
    [
        ("all", T, T, True),
        ("all", T, U, None),
        ("all", F, U, False),
        ("all", U, U, None),
        ("any", F, F, False),
        ("any", F, U, None),
        ("any", T, U, True),
        ("any", U, U, None),
    ],
)
def test_logic_tables(
    fixture_standard: Standard, form: str, a: dict[str, Any], b: dict[str, Any], want: bool | None
) -> None:
    raw = {form: [{"field": "gate", "eq": True}, {"field": "has_water", "eq": True}]}
    obs = {**({"gate": a["gate"]} if a else {}), **({"has_water": b["gate"]} if b else {})}
    assert _eval(fixture_standard, raw, obs) is want


def test_not_keeps_unknown(fixture_standard: Standard) -> None:
    assert _eval(fixture_standard, {"not": GT}, {}) is None
    assert _eval(fixture_standard, {"not": GT}, F) is True


@pytest.mark.parametrize(
    ("op", "v", "obs", "want"),
    [
        ("eq", 0, {"gate": True, "has_water": None}, False),  # 1 true, 1 unknown: never 0
        ("gte", 1, {"gate": True}, True),
        ("gte", 2, {"gate": True}, None),
        ("lte", 2, {}, True),  # 0..2 all <= 2
        ("eq", 1, {"gate": False, "has_water": False}, False),
        ("between", [0, 1], {"gate": True}, None),
    ],
)
def test_count_is_decided_only_when_all_completions_agree(
    fixture_standard: Standard, op: str, v: Any, obs: dict[str, Any], want: bool | None
) -> None:
    raw = {"count": [{"field": "gate", "eq": True}, {"field": "has_water", "eq": True}], op: v}
    obs = {k: val for k, val in obs.items() if val is not None}
    assert _eval(fixture_standard, raw, obs) is want


@pytest.mark.parametrize(
    ("obs", "want"),
    [
        ({"count_n": 5, "kids": 1000}, True),
        ({"count_n": 4, "kids": 1000}, False),
        ({"count_n": 5, "kids": 0}, False),
        ({"kids": 0}, False),  # zero denominator is false even with A unknown
        ({"count_n": 5}, None),
        ({"kids": 10}, None),
    ],
)
def test_per(fixture_standard: Standard, obs: dict[str, Any], want: bool | None) -> None:
    raw = {"per": {"field": "count_n", "of": "kids", "per": 1000}, "gte": 5}
    assert _eval(fixture_standard, raw, obs) is want
    assert _eval(fixture_standard, {"not": raw}, obs) is (None if want is None else not want)


def test_explanations_are_bilingual(fixture_standard: Standard) -> None:
    node, _ = parse_condition({"field": "height_m", "gte": 1.1}, (), fixture_standard.field_map)
    assert node is not None
    assert node.explain({"height_m": 1.05}, "zh") == "高度 1.05 m，低于要求 1.1 m"
    assert node.explain({"height_m": 1.05}, "en") == "Height 1.05 m is below the required 1.1 m"
    assert node.explain({}, "en") == "Height not recorded"
