from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from checker import Catalog, check, load_audit
from checker.district.batch import check_paths
from checker.district.digest import Digest
from checker.district.paths import expand_paths
from checker.district.plan import PlanError, builtin_plan, check_plan, load_plan, parse_plan
from checker.district.progress import LatestAudits, compute_progress

from .generate import Manifest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

HEAD = """\
format: 1
id: test-plan
title: {zh: 测试计划, en: Test plan}
period: {start: "2024-01-01", end: "2026-12-31"}
targets:
"""
SCHOOLS = """\
  - id: schools
    facility_type: school
    title: {zh: 校园, en: Schools}
    standard: yuzhong-school
    level: compliant
    count: 2
"""


def _plan(body: str) -> str:
    return HEAD + textwrap.dedent(body)


def _errors(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, "plan.yaml")
    return [str(p) for p in info.value.problems]


# --- the shipped plan ---------------------------------------------------------------------------


def test_shipped_plan_holds_the_plans_targets(catalog: Catalog) -> None:
    plan = load_plan(builtin_plan())
    assert plan.title.zh == "重庆市渝中区儿童友好城市建设三年行动计划（2024—2026年）"
    assert plan.issuer is not None and plan.issuer.zh == "重庆市渝中区人民政府办公室"
    assert (plan.document, plan.issued, plan.published) == ("渝中府办〔2024〕7号", "2024-03-14", "2024-04-01")
    assert plan.counting.within_period and plan.counting.valid_at_due
    measured = [t for t in plan.targets if t.status is None]
    assert [(t.plan_item, t.standard_ids, t.required, t.where) for t in measured] == [
        ("(8)", ("yuzhong-community",), 56, {"field": "scope", "eq": "community"}),
        ("(8)", ("yuzhong-community",), None, {"field": "scope", "eq": "block"}),
        ("(9)", ("yuzhong-school", "yuzhong-kindergarten"), 10, None),
        ("(10)", ("yuzhong-hospital",), 10, None),
        ("(11)", ("yuzhong-park",), 3, None),
        ("(12)", ("yuzhong-scenic-spot",), 3, None),
        ("(13)", ("yuzhong-route",), 5, {"field": "route_type", "eq": "shancheng_trail"}),
        ("(15)", ("yuzhong-cultural-venue",), None, None),
        ("(16)", ("yuzhong-study-base",), 3, None),
        ("(42)", ("yuzhong-study-base",), 1, {"field": "law_education_base", "eq": True}),
        ("(45)", ("yuzhong-commercial",), 3, {"field": "scope", "eq": "district"}),
    ]
    communities = plan.targets[0]
    assert communities.share == 0.70 and communities.denominator == 79
    districts = measured[-1]
    assert districts.named is not None and [n.name for n in districts.named] == [
        "解放碑—朝天门商圈",
        "龙湖时代天街商圈",
        "化龙桥商圈",
    ]
    unmeasured = {t.id: t for t in plan.targets if t.status == "no_standard"}
    assert (
        unmeasured["shelters-mother-baby"].share == 1.0
        and unmeasured["shelters-mother-baby"].required is None
    )
    assert unmeasured["childcare-every-community"].required == 79
    assert all(t.quote is not None for t in plan.targets)
    assert check_plan(plan, catalog) == []


# --- located errors --------------------------------------------------------------------------------


def test_count_and_share_together_is_located() -> None:
    errors = _errors(_plan(SCHOOLS + "    share: 0.5\n    denominator: 20\n"))
    assert any(
        e.startswith("plan.yaml:6:3: $.targets[0]: a target needs exactly one of count, share and track")
        for e in errors
    )
    assert any(e.startswith("plan.yaml:13:16: $.targets[0].denominator: denominator belongs") for e in errors)


def test_share_without_denominator_and_share_above_one() -> None:
    body = SCHOOLS.replace("count: 2", "share: 0.7")
    assert any(
        e.startswith("plan.yaml:11:10: $.targets[0].share: a share needs a denominator")
        for e in _errors(_plan(body))
    )
    body = SCHOOLS.replace("count: 2", "share: 70\n    denominator: 79")
    assert any(
        e.startswith("plan.yaml:11:10: $.targets[0].share") and "0.70" in e for e in _errors(_plan(body))
    )


def test_model_errors_name_line_and_fix() -> None:
    body = SCHOOLS.replace("facility_type: school", "facility_type: schools").replace(
        "    level: compliant\n", ""
    )
    errors = _errors(_plan(body))
    assert any(
        e.startswith("plan.yaml:7:18: $.targets[0].facility_type:") and '"study_base"' in e for e in errors
    )
    assert any(
        e.startswith("plan.yaml:6:3: $.targets[0].level: required key 'level' is missing") for e in errors
    )


def test_unknown_key_duplicate_id_and_due_outside_period() -> None:
    body = SCHOOLS + SCHOOLS.replace("count: 2", 'count: 3\n    due: "2027-06-30"\n    colour: red')
    errors = _errors(_plan(body))
    assert any(e.startswith("plan.yaml:19:11: $.targets[1].colour: unknown key 'colour'") for e in errors)
    body = SCHOOLS + SCHOOLS.replace("count: 2", 'count: 3\n    due: "2027-06-30"')
    errors = _errors(_plan(body))
    assert any(
        e.startswith("plan.yaml:12:7: $.targets[1].id: target id 'schools' is already used") for e in errors
    )
    assert any(e.startswith("plan.yaml:18:8: $.targets[1].due: due 2027-06-30 is outside") for e in errors)


def test_yaml_syntax_and_unreal_dates() -> None:
    errors = _errors(HEAD + "  - id: [unclosed\n")
    assert errors[0].startswith("plan.yaml:") and "YAML syntax error" in errors[0]
    errors = _errors(_plan(SCHOOLS).replace('"2026-12-31"', '"2026-02-30"'))
    assert any("$.period.end: not a real date" in e for e in errors)


def test_plan_against_the_standards(catalog: Catalog) -> None:
    body = SCHOOLS.replace("level: compliant", "level: gold").replace(
        "facility_type: school", "facility_type: park"
    )
    plan = parse_plan(_plan(body), "plan.yaml")
    problems = [str(p) for p in check_plan(plan, catalog)]
    assert problems[0].startswith("plan.yaml:10:10: $.targets[0].level: yuzhong-school has no level 'gold'")
    assert "compliant, exemplary" in problems[0]
    assert problems[1].startswith(
        "plan.yaml:7:18: $.targets[0].facility_type: yuzhong-school is a standard for school"
    )


# --- progress ----------------------------------------------------------------------------------------


def test_latest_audit_per_facility_wins(
    district: Manifest,
    digests: list[Digest],
    catalog: Catalog,
    oracle: dict[str, tuple[str, str | None, float]],
) -> None:
    plan = load_plan(builtin_plan())
    progress = compute_progress(plan, LatestAudits().add_all(digests), catalog)
    # the oracle: for each facility, the audit with the latest date (dates are unique per facility)
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for w in district.audits:
        key = (w.standard, w.facility_id)
        if key not in latest or w.audited_on > latest[key][0]:
            latest[key] = (w.audited_on, str(w.path))
    for tp in progress.targets:
        if not tp.available:
            assert tp.status in ("no_standard", "no_guideline") and tp.certified == ()
            assert tp.gap == (tp.required if tp.status == "no_standard" else None)
            continue
        if tp.target.where is not None or len(tp.target.standard_ids) > 1:
            continue  # scopes and several standards: tests/district/test_plan_counting.py
        mine = {k: v for k, v in latest.items() if k[0] in tp.target.standard_ids}
        verdicts = {k: oracle[path] for k, (_, path) in mine.items()}
        certified = sorted(fid for (_, fid), (v, lv, _) in verdicts.items() if v == "certified")
        assert [a.facility_id for a in tp.certified] == certified
        assert tp.audited == len(mine)
        assert tp.incomplete == sum(v == "incomplete" for v, _, _ in verdicts.values())
        # a tracked target (no number in the plan, e.g. cultural venues) has no gap
        assert tp.gap == (None if tp.required is None else max(0, tp.required - len(certified)))
        for a in tp.certified:
            assert a.audited_on == latest[(a.standard, a.facility_id or "")][0]
    # several audits per facility, so counting audits would give other numbers
    assert (
        progress.audits_seen
        == len(district.audits)
        > sum(len(v) for v in LatestAudits().add_all(digests).by_standard.values())
    )


def _audit(kind: str, **changes: object) -> dict[str, object]:
    doc: dict[str, object] = json.loads((EXAMPLES / "parks" / f"{kind}.json").read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def _digests(tmp_path: Path, docs: list[dict[str, object]], catalog: Catalog) -> list[Digest]:
    for i, doc in enumerate(docs):
        (tmp_path / f"{i:02d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    items = check_paths(expand_paths([str(tmp_path)]), workers=1, with_json=False, catalog=catalog)
    return [i.digest for i in items if i.digest is not None]


def test_a_later_failed_audit_withdraws_the_certification(tmp_path: Path, catalog: Catalog) -> None:
    facility = {"id": "P-1", "name": "公园"}
    docs = [
        _audit("not-certified", facility=facility, audited_on="2026-06-01"),  # the latest, listed first
        _audit("exemplary", facility=facility, audited_on="2025-06-01"),
        _audit("compliant", facility={"id": "P-2", "name": "二号公园"}, audited_on="2025-01-01"),
    ]
    plan = load_plan(builtin_plan())
    progress = compute_progress(plan, LatestAudits().add_all(_digests(tmp_path, docs, catalog)), catalog)
    parks = next(tp for tp in progress.targets if tp.target.id == "parks")
    assert [a.facility_id for a in parks.certified] == ["P-2"]
    assert parks.not_certified == 1 and parks.gap == 2


def test_facility_name_stands_in_for_a_missing_id(tmp_path: Path, catalog: Catalog) -> None:
    docs = [
        _audit("compliant", facility={"name": "无编号公园"}, audited_on="2025-01-01"),
        _audit("exemplary", facility={"name": "无编号公园"}, audited_on="2025-03-01"),
        _audit("compliant", facility={"name": "另一个公园"}, audited_on="2025-03-01"),
    ]
    latest = LatestAudits().add_all(_digests(tmp_path, docs, catalog))
    parks = latest.by_standard["yuzhong-park"]
    assert set(parks) == {"name:无编号公园", "name:另一个公园"}
    assert parks["name:无编号公园"].level == "exemplary"


def test_level_at_or_above_the_target(tmp_path: Path, catalog: Catalog) -> None:
    docs = [
        _audit("compliant", facility={"id": "P-1", "name": "一"}),
        _audit("exemplary", facility={"id": "P-2", "name": "二"}),
    ]
    digests = _digests(tmp_path, docs, catalog)
    text = HEAD + textwrap.dedent("""\
      - id: parks-exemplary
        facility_type: park
        title: {zh: 示范公园, en: Exemplary parks}
        standard: yuzhong-park
        level: exemplary
        count: 1
      - id: parks
        facility_type: park
        title: {zh: 公园, en: Parks}
        standard: yuzhong-park
        level: compliant
        share: 0.5
        denominator: 5
    """)
    progress = compute_progress(parse_plan(text), LatestAudits().add_all(digests), catalog)
    exemplary, compliant = progress.targets
    assert (
        [a.facility_id for a in exemplary.certified] == ["P-2"]
        and exemplary.below_level == 1
        and exemplary.met
    )
    assert len(compliant.certified) == 2 and compliant.required == 3 and compliant.gap == 1


def test_progress_json_shape(digests: list[Digest], catalog: Catalog) -> None:
    progress = compute_progress(load_plan(builtin_plan()), LatestAudits().add_all(digests), catalog)
    data = json.loads(json.dumps(progress.to_dict()))
    assert [t["id"] for t in data["targets"]][:3] == ["communities", "blocks", "campuses"]
    communities = data["targets"][0]
    assert communities["standard_available"] is True and communities["standards"] == ["yuzhong-community"]
    assert communities["status"] == ("met" if communities["certified"] >= 56 else "open")
    assert communities["required"] == 56 and communities["gap"] == 56 - communities["certified"]
    campuses = data["targets"][2]
    assert campuses["standards"] == ["yuzhong-school", "yuzhong-kindergarten"]
    assert data["plan"]["counting"] == {"within_period": True, "valid_at_due": True}
    for t in data["targets"]:
        assert t["certified"] == len(t["certified_facilities"])
        if t["required"] is not None and t["status"] != "no_guideline":
            assert t["gap"] == max(0, t["required"] - t["certified"])
        else:
            assert t["gap"] is None


def test_equal_dates_the_later_input_wins(tmp_path: Path, catalog: Catalog) -> None:
    facility = {"id": "P-1", "name": "公园"}
    docs = [
        _audit("exemplary", facility=facility, audited_on="2026-01-01"),
        _audit("not-certified", facility=facility, audited_on="2026-01-01"),
    ]
    latest = LatestAudits().add_all(_digests(tmp_path, docs, catalog))
    assert latest.by_standard["yuzhong-park"]["P-1"].verdict == "not_certified"


def test_oracle_is_the_library(catalog: Catalog) -> None:
    # the progress above relies on digests agreeing with check(); spot-check one directly
    result = check(load_audit(EXAMPLES / "parks" / "exemplary.json", catalog), catalog)
    item = next(iter(check_paths([str(EXAMPLES / "parks" / "exemplary.json")], workers=1, catalog=catalog)))
    assert item.digest is not None
    assert (item.digest.verdict, item.digest.level, item.digest.score) == (
        result.verdict,
        result.level,
        result.score,
    )
    assert item.digest.statuses == tuple(r.status for r in result.rules)
