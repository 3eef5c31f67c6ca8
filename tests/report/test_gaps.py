"""The next-level plan: priority order, and the smallest set of scored rules (checked by brute force)."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from checker import Result, Standard
from checker.report.gaps import gap_plan, next_level

from .builders import long_audit, long_standard, result_for


def _value(result: Result, standard: Standard, ids: set[str]) -> tuple[float, dict[str, float], float]:
    """Earned, per-section earned and counted bonus if the rules ``ids`` were fixed."""
    cap = standard.scoring.bonus_cap_percent if standard.scoring else None
    earned = result.earned
    per = {s.id: s.earned for s in result.sections}
    bonus = sum(r.earned for r in result.rules if r.bonus)
    for r in result.rules:
        if r.id in ids:
            gain = r.points - r.earned
            if r.bonus:
                bonus += gain
            else:
                earned += gain
                per[r.section] += gain
    if cap is not None:
        bonus = min(bonus, cap / 100 * result.possible)
    return earned, per, bonus


def _reaches(result: Result, standard: Standard, level: Any, ids: set[str]) -> bool:
    earned, per, bonus = _value(result, standard, ids)
    if 100 * (earned + bonus) / result.possible < level.min_score - 1e-6:
        return False
    if level.min_section_percent is not None:
        for s in result.sections:
            if s.possible > 0 and 100 * per[s.id] / s.possible < level.min_section_percent - 1e-6:
                return False
    return True


def test_action_list_priority(failing: Result, long_std: Standard) -> None:
    actions = gap_plan(failing, long_std).actions
    kinds = [a.kind for a in actions]
    order = {"mandatory_fail": 0, "mandatory_missing": 1, "scored": 2}
    assert kinds == sorted(kinds, key=order.__getitem__)
    assert "mandatory_fail" in kinds and "mandatory_missing" in kinds and "scored" in kinds
    scored = [a.points for a in actions if a.kind == "scored"]
    assert scored == sorted(scored, reverse=True)
    fails = {r.id for r in failing.rules if r.mandatory and r.status == "fail"}
    assert {a.rule.id for a in actions if a.kind == "mandatory_fail"} == fails
    open_scored = {
        r.id for r in failing.rules if not r.mandatory and r.status in ("fail", "partial", "missing")
    }
    assert {a.rule.id for a in actions if a.kind == "scored"} <= open_scored


def test_plan_lists_prerequisites_and_evidence(failing: Result, long_std: Standard) -> None:
    plan = gap_plan(failing, long_std)
    nxt = plan.next
    assert nxt is not None and nxt.level.id == "compliant"
    assert {r.id for r in nxt.to_fix} == {r.id for r in failing.rules if r.mandatory and r.status == "fail"}
    assert {e.rule.id for e in nxt.evidence} == {
        r.id for r in failing.rules if r.mandatory and r.status == "missing"
    }
    for e in nxt.evidence:
        assert e.fields, "a prerequisite reads at least one field"
        assert set(e.kinds) <= {"photo", "document", "measurement"}
    assert [p.level.id for p in plan.levels] == ["compliant", "exemplary"]


def test_plan_closes_the_gap(failing: Result, long_std: Standard) -> None:
    for plan in gap_plan(failing, long_std).levels:
        ids = {g.rule.id for g in plan.rules}
        assert plan.reachable
        assert _reaches(failing, long_std, plan.level, ids)
        assert plan.projected_score >= plan.level.min_score - 1e-6


def test_certified_top_level_has_no_plan(long_std: Standard) -> None:
    doc = long_audit(long_std, seed=9, good=1.0, missing=0.0, mandatory_ok=True)
    result = result_for(doc, long_std)
    assert result.level == "exemplary"
    plan = gap_plan(result, long_std)
    assert plan.next is None and next_level(result) is None


def test_certified_plan_targets_next_level(certified: Result, long_std: Standard) -> None:
    assert certified.level == "compliant"
    plan = gap_plan(certified, long_std)
    assert plan.next is not None and plan.next.level.id == "exemplary"
    assert not plan.next.to_fix and not plan.next.evidence
    assert any(a.in_plan for a in plan.actions)


@pytest.mark.parametrize("seed", range(12))
def test_smallest_set_by_brute_force(seed: int) -> None:
    """On small standards, no set of fewer rules reaches the level; the plan reaches it."""
    standard = long_standard(sections=3, rules_per_section=6)
    rng = random.Random(seed)
    doc = long_audit(
        standard,
        seed=seed,
        good=rng.uniform(0.1, 0.6),
        missing=rng.uniform(0, 0.2),
        mandatory_ok=True,
        waivers=rng.choice([0, 1]),
    )
    result = result_for(doc, standard)
    plan = gap_plan(result, standard)
    cands = [
        r.id
        for r in result.rules
        if not r.mandatory and r.status in ("fail", "partial", "missing") and r.points > r.earned
    ]
    for lp in plan.levels:
        chosen = {g.rule.id for g in lp.rules}
        if not lp.reachable:
            assert not _reaches(result, standard, lp.level, set(cands))
            continue
        assert _reaches(result, standard, lp.level, chosen)
        for k in range(len(chosen)):
            for combo in itertools.combinations(cands, k):
                assert not _reaches(result, standard, lp.level, set(combo)), (seed, lp.level.id, combo)


def test_bonus_counts_only_up_to_the_cap(long_std: Standard) -> None:
    doc = long_audit(long_std, seed=4, good=0.5, missing=0.0, mandatory_ok=True)
    result = result_for(doc, long_std)
    plan = gap_plan(result, long_std)
    assert plan.headroom is not None
    bonus_points = sum(a.points for a in plan.actions if a.rule.bonus)
    assert bonus_points <= plan.headroom * len([a for a in plan.actions if a.rule.bonus]) + 1e-9
    for a in plan.actions:
        if a.rule.bonus:
            assert a.points <= min(a.rule.points - a.rule.earned, plan.headroom) + 1e-9


def test_fixture_standard_plan(fixture_std: Standard) -> None:
    """The shared test standard: a failed gate and a bonus rule."""
    import json

    from checker import Catalog, check, parse_audit

    doc = {
        "format": 1,
        "standard": "test-fixture",
        "facility": {"name": "测试公园"},
        "assessor": {"name": "王"},
        "audited_on": "2026-05-12",
        "observations": {
            "gate": False,
            "has_water": True,
            "surface": "concrete",
            "shade_pct": 30,
            "noise_db": 65,
            "count_n": 1,
            "kids": 500,
            "operator_name": "city",
        },
    }
    cat = Catalog([fixture_std])
    result = check(parse_audit(json.dumps(doc).encode(), cat, "a.json"), cat)
    plan = gap_plan(result, fixture_std)
    assert result.verdict == "not_certified"
    assert plan.actions[0].rule.id == "T-M1" and plan.actions[0].kind == "mandatory_fail"
    assert plan.actions[1].rule.id == "T-M2" and plan.actions[1].kind == "mandatory_missing"
    assert plan.next is not None and plan.next.level.id == "compliant"


def test_evidence_names_the_fields_of_nested_conditions(fixture_std: Standard) -> None:
    from checker.report.gaps import _condition_fields

    out: list[str] = []
    _condition_fields(
        {
            "all": [
                {"field": "a", "gte": 1},
                {"not": {"per": {"field": "b", "of": "c"}, "gt": 2}},
                {"count": [{"field": "a", "eq": 1}, {"field": "d", "present": True}], "gte": 1},
            ]
        },
        out,
    )
    assert out == ["a", "b", "c", "d"]
