from __future__ import annotations

import json
from typing import Any

import pytest

from checker import Catalog, Standard, check, evaluate, parse_audit, parse_standard, score
from checker.core.engine import Status

from .conftest import GOOD, audit_doc


def _result(catalog: Catalog, obs: dict[str, Any], **kw: Any):  # type: ignore[no-untyped-def]
    audit = parse_audit(json.dumps(audit_doc(obs, **kw)), catalog, "a.json")
    return check(audit, catalog)


def _status(result: Any, rule: str) -> str:
    return next(r.status for r in result.rules if r.id == rule)


def test_everything_passes(fixture_catalog: Catalog) -> None:
    result = _result(fixture_catalog, GOOD)
    assert result.verdict == "certified"
    assert result.level == "exemplary"
    assert result.score == 100
    assert [r.id for r in result.rules] == list(fixture_catalog.get("test-fixture").rule_map)


def test_mandatory_fail_blocks_every_level(fixture_catalog: Catalog) -> None:
    result = _result(fixture_catalog, {**GOOD, "gate": False})
    assert (result.verdict, result.level) == ("not_certified", None)
    assert result.score > 80


def test_mandatory_missing_is_incomplete(fixture_catalog: Catalog) -> None:
    obs = {k: v for k, v in GOOD.items() if k != "has_water"}
    result = _result(fixture_catalog, obs)
    assert _status(result, "T-M2") == "missing"
    assert (result.verdict, result.level) == ("incomplete", None)


def test_fail_beats_missing(fixture_catalog: Catalog) -> None:
    obs = {k: v for k, v in GOOD.items() if k != "has_water"}
    assert _result(fixture_catalog, {**obs, "gate": False}).verdict == "not_certified"


def test_linear_credit_boundaries(fixture_catalog: Catalog) -> None:
    for shade, status, earned in [
        (20, "fail", 0),
        (50, "pass", 6),
        (35, "partial", 3),
        (10, "fail", 0),
        (80, "pass", 6),
    ]:
        result = _result(fixture_catalog, {**GOOD, "shade_pct": shade})
        rule = next(r for r in result.rules if r.id == "T-S4")
        assert (rule.status, rule.earned) == (status, earned), shade
    less_is_better = _result(fixture_catalog, {**GOOD, "noise_db": 60})
    assert next(r.earned for r in less_is_better.rules if r.id == "T-S5") == 1


def test_tiers(fixture_catalog: Catalog) -> None:
    for n, status, earned in [(0, "fail", 0), (1, "partial", 1), (2, "partial", 1), (3, "pass", 3)]:
        rule = next(r for r in _result(fixture_catalog, {**GOOD, "count_n": n}).rules if r.id == "T-S6")
        assert (rule.status, rule.earned) == (status, earned)


def test_missing_scored_rule_stays_in_possible(fixture_catalog: Catalog) -> None:
    full = _result(fixture_catalog, GOOD)
    obs = {k: v for k, v in GOOD.items() if k != "shade_pct"}
    result = _result(fixture_catalog, obs)
    assert _status(result, "T-S4") == "missing"
    assert result.possible == full.possible
    assert result.score < full.score


def test_waiver_in_force_and_expired(fixture_catalog: Catalog) -> None:
    obs = {**GOOD, "shade_pct": 10}
    waived = _result(
        fixture_catalog,
        obs,
        waivers=[{"rule": "T-S4", "reason": "树木新栽", "approved_by": "区城管局", "expires": "2026-05-12"}],
    )
    assert _status(waived, "T-S4") == "waived"
    assert waived.possible == _result(fixture_catalog, GOOD).possible - 6
    assert "树木新栽" in next(r.reason.zh for r in waived.rules if r.id == "T-S4")
    expired = _result(
        fixture_catalog,
        obs,
        waivers=[{"rule": "T-S4", "reason": "r", "approved_by": "b", "expires": "2026-05-11"}],
    )
    assert _status(expired, "T-S4") == "fail"
    assert [w.code for w in expired.warnings] == ["waiver_expired"]


def test_waiver_on_not_applicable_rule_is_unused(
    fixture_catalog: Catalog, fixture_standard: Standard
) -> None:
    doc = fixture_standard.model_dump()
    assert doc  # the fixture has no waivable N/A rule; build one on the fly
    text = """
format: 1
id: na
version: "1"
facility_type: park
title: {zh: 测试, en: t}
levels: [{id: ok, label: {zh: 达标, en: ok}, min_score: 50}]
fields: [{id: a, label: {zh: 甲, en: a}, type: boolean}]
sections:
  - id: s
    title: {zh: 节, en: s}
    rules:
      - {id: R1, title: {zh: 一, en: one}, points: 1, applies_when: {field: a, eq: true}, require: {field: a, eq: true}}
      - {id: R2, title: {zh: 二, en: two}, points: 1, require: {field: a, eq: false}}
"""
    std = parse_standard(text, "na.yaml")
    catalog = Catalog([std])
    audit = parse_audit(
        json.dumps(
            audit_doc(
                {"a": False},
                standard="na",
                standard_version="1",
                waivers=[{"rule": "R1", "reason": "r", "approved_by": "b", "expires": "2027-01-01"}],
            )
        ),
        catalog,
        "a.json",
    )
    result = check(audit, catalog)
    assert _status(result, "R1") == "not_applicable"
    assert [w.code for w in result.warnings] == ["waiver_unused"]
    assert result.score == 100


def test_bonus_cap_and_bonus_never_adds_possible(fixture_catalog: Catalog) -> None:
    result = _result(fixture_catalog, {**GOOD, "shade_pct": 20})
    bonus_rule = next(r for r in result.rules if r.id == "T-B1")
    assert (bonus_rule.status, bonus_rule.earned, bonus_rule.possible) == ("pass", 5, 0)
    assert result.bonus == pytest.approx(0.1 * result.possible, abs=0.01)
    assert result.score == pytest.approx(100 * (result.earned + result.bonus) / result.possible, abs=0.01)


def test_section_floor_demotes_to_lower_level() -> None:
    text = """
format: 1
id: floor
version: "1"
facility_type: park
title: {zh: 测试, en: t}
levels:
  - {id: low, label: {zh: 达标, en: low}, min_score: 60}
  - {id: high, label: {zh: 示范, en: high}, min_score: 80, min_section_percent: 50}
fields: [{id: a, label: {zh: 甲, en: a}, type: number}]
sections:
  - id: s1
    title: {zh: 一, en: one}
    rules: [{id: R1, title: {zh: 一, en: one}, points: 9, require: {field: a, gte: 1}}]
  - id: s2
    title: {zh: 二, en: two}
    rules: [{id: R2, title: {zh: 二, en: two}, points: 1, require: {field: a, gte: 2}}]
"""
    std = parse_standard(text, "floor.yaml")
    catalog = Catalog([std])
    audit = parse_audit(
        json.dumps(audit_doc({"a": 1}, standard="floor", standard_version="1")), catalog, "a.json"
    )
    result = check(audit, catalog)
    assert result.score == 90
    assert result.level == "low"
    assert [s.percent for s in result.sections] == [100, 0]


def test_exactly_82() -> None:
    text = """
format: 1
id: eighty-two
version: "1"
facility_type: park
title: {zh: 测试, en: t}
levels: [{id: l, label: {zh: 达标, en: l}, min_score: 82}]
fields: [{id: x, label: {zh: 甲, en: x}, type: number}]
sections:
  - id: s
    title: {zh: 节, en: s}
    rules:
      - {id: R1, title: {zh: 一, en: one}, points: 4, require: {field: x, gte: 0}}
      - {id: R2, title: {zh: 二, en: two}, points: 1, credit: {linear: {field: x, zero_at: 0, full_at: 10}}}
"""
    std = parse_standard(text, "e.yaml")
    evaluation = evaluate(
        std,
        parse_audit(
            json.dumps(audit_doc({"x": 1}, standard="eighty-two", standard_version="1")),
            Catalog([std]),
            "a.json",
        ),
    )
    scored = score(std, evaluation.outcomes)
    assert scored.level is not None and scored.level.id == "l"


def test_nothing_possible_scores_zero(fixture_catalog: Catalog) -> None:
    text = """
format: 1
id: empty
version: "1"
facility_type: park
title: {zh: 测试, en: t}
levels: [{id: l, label: {zh: 达标, en: l}, min_score: 10}]
fields: [{id: x, label: {zh: 甲, en: x}, type: boolean}]
sections:
  - id: s
    title: {zh: 节, en: s}
    rules: [{id: M, title: {zh: 一, en: one}, mandatory: true, require: {field: x, eq: true}}]
"""
    std = parse_standard(text, "e.yaml")
    catalog = Catalog([std])
    result = check(
        parse_audit(json.dumps(audit_doc({"x": True}, standard="empty", standard_version="1")), catalog, "a"),
        catalog,
    )
    assert (result.score, result.level, result.verdict) == (0, None, "not_certified")
    assert result.sections[0].percent is None


def test_reasons_for_every_status(fixture_catalog: Catalog) -> None:
    result = _result(fixture_catalog, {"gate": False, "has_water": True, "shade_pct": 35, "count_n": 1})
    reasons = {r.id: (r.status, r.reason.en, r.reason.zh) for r in result.rules}
    assert (reasons["T-M1"][0] == "fail" and "Gate: no" in reasons["T-M1"][1]) or "Gate no" in reasons[
        "T-M1"
    ][1]
    assert reasons["T-M2"][0] == "missing" and reasons["T-M2"][1] == "missing data: Height"
    assert reasons["T-M2"][2] == "缺少数据：高度"
    assert reasons["T-S4"][0] == "partial" and "3 of 6 points" in reasons["T-S4"][1]
    assert reasons["T-S6"][0] == "partial" and reasons["T-S6"][1].startswith("tier of 1/3 points reached")
    assert all(r.reason.zh and r.reason.en for r in result.rules)


def test_status_enum_values() -> None:
    assert [s.value for s in Status] == ["not_applicable", "waived", "missing", "pass", "partial", "fail"]
