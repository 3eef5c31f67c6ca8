"""What a plan counts: the period, validity at the due date, several standards, scopes, named facilities."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click
import pytest

from checker import Catalog
from checker.cli.district_text import render_progress
from checker.core.text import Lang
from checker.district.batch import check_paths
from checker.district.digest import Digest
from checker.district.paths import expand_paths
from checker.district.plan import PlanError, check_plan, parse_plan
from checker.district.progress import LatestAudits, Progress, compute_progress

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _plan(targets: str, period: tuple[str, str] = ("2024-01-01", "2026-12-31"), counting: str = "") -> str:
    head = textwrap.dedent(f"""\
        format: 1
        id: test-plan
        title: {{zh: 测试计划, en: Test plan}}
        period: {{start: "{period[0]}", end: "{period[1]}"}}
        """)
    return head + counting + "targets:\n" + textwrap.indent(textwrap.dedent(targets), "  ")


# a period already over, so that an audit after it is not dated in the future (which is refused)
PAST = ("2024-01-01", "2025-12-31")

PARKS = """\
- id: parks
  facility_type: park
  title: {zh: 公园, en: Parks}
  standard: yuzhong-park
  level: compliant
  count: 2
"""


def _doc(folder: str, kind: str, **changes: object) -> dict[str, object]:
    doc: dict[str, object] = json.loads((EXAMPLES / folder / f"{kind}.json").read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def _digests(tmp_path: Path, docs: list[dict[str, object]], catalog: Catalog) -> list[Digest]:
    folder = tmp_path / "audits"
    folder.mkdir(exist_ok=True)
    for i, doc in enumerate(docs):
        (folder / f"{i:02d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    items = list(check_paths(expand_paths([str(folder)]), workers=1, with_json=False, catalog=catalog))
    assert all(i.digest is not None for i in items), [i.messages for i in items]
    return [i.digest for i in items if i.digest is not None]


def _progress(text: str, digests: list[Digest], catalog: Catalog) -> Progress:
    plan = parse_plan(text, "plan.yaml")
    assert check_plan(plan, catalog) == []
    return compute_progress(plan, LatestAudits.for_plan(plan).add_all(digests), catalog)


def _text(progress: Progress, lang: Lang) -> str:
    return click.unstyle(render_progress(progress, lang))


def _errors(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, "plan.yaml")
    return [str(p) for p in info.value.problems]


# --- within the period, valid at the due date ------------------------------------------------------


def test_only_audits_within_the_period_count(tmp_path: Path, catalog: Catalog) -> None:
    one, two = {"id": "P-1", "name": "一号公园"}, {"id": "P-2", "name": "二号公园"}
    docs = [
        _doc("parks", "compliant", facility=one, audited_on="2025-11-10"),
        # after the period: does not withdraw P-1's designation within it
        _doc("parks", "not-certified", facility=one, audited_on="2026-01-05"),
        # before the period: does not count at all
        _doc("parks", "exemplary", facility=two, audited_on="2023-12-31"),
    ]
    progress = _progress(_plan(PARKS, period=PAST), _digests(tmp_path, docs, catalog), catalog)
    (parks,) = progress.targets
    assert [a.facility_id for a in parks.certified] == ["P-1"] and parks.audited == 1
    assert progress.outside_period == 2 and progress.audits_seen == 3
    assert "2 audits dated outside the plan period 2024-01-01 – 2025-12-31" in _text(progress, "en")
    # a plan that says so counts every audit: then the 2026 audit is P-1's latest
    every = _plan(PARKS, period=PAST, counting="counting: {within_period: false, valid_at_due: false}\n")
    (parks,) = _progress(every, _digests(tmp_path, docs, catalog), catalog).targets
    assert [a.facility_id for a in parks.certified] == ["P-2"] and parks.not_certified == 1


def test_latest_audits_not_limited_to_the_period_are_refused(tmp_path: Path, catalog: Catalog) -> None:
    docs = [_doc("parks", "compliant", facility={"id": "P-1", "name": "一"}, audited_on="2026-01-05")]
    plan = parse_plan(_plan(PARKS, period=PAST))
    with pytest.raises(ValueError, match="for_plan"):
        compute_progress(plan, LatestAudits().add_all(_digests(tmp_path, docs, catalog)), catalog)


@pytest.mark.parametrize(
    ("waiver", "due", "counted"),
    [
        (False, "2029-05-31", True),  # audited 2026-06-01, valid 3 years: to 2029-05-31
        (False, "2029-06-01", False),
        (
            True,
            "2027-03-31",
            True,
        ),  # a waiver relied on until 2027-03-31 cuts it short, as on the certificate
        (True, "2027-04-01", False),
    ],
)
def test_designation_must_be_valid_at_the_due_date(
    tmp_path: Path, catalog: Catalog, waiver: bool, due: str, counted: bool
) -> None:
    doc = _doc("parks", "compliant", facility={"id": "P-1", "name": "一"}, audited_on="2026-06-01")
    assert [w["expires"] for w in doc["waivers"]] == ["2027-03-31"]  # type: ignore[union-attr,index]
    if not waiver:
        doc["waivers"] = []
    text = _plan(PARKS + f'  due: "{due}"\n', period=("2024-01-01", "2030-12-31"))
    progress = _progress(text, _digests(tmp_path, [doc], catalog), catalog)
    (parks,) = progress.targets
    assert (len(parks.certified), parks.expired) == ((1, 0) if counted else (0, 1))
    assert parks.valid_at == due
    if not counted:
        assert f"designation expires before {due}" in _text(progress, "en")


# --- several standards, one facility once --------------------------------------------------------


@pytest.fixture(scope="module")
def twin_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The shipped standards and a copy of the park standard under another id (as campuses have two)."""
    folder = tmp_path_factory.mktemp("standards")
    text = (ROOT / "standards" / "parks.yaml").read_text(encoding="utf-8")
    (folder / "twin.yaml").write_text(
        text.replace("id: yuzhong-park\n", "id: test-park-twin\n", 1), encoding="utf-8"
    )
    return Catalog.discover([folder], environment=False)


def test_a_facility_under_two_standards_counts_once(tmp_path: Path, twin_catalog: Catalog) -> None:
    one, two = {"id": "P-1", "name": "一"}, {"id": "P-2", "name": "二"}
    docs = [
        _doc("parks", "not-certified", facility=one),
        _doc("parks", "exemplary", facility=one, standard="test-park-twin"),
        _doc("parks", "compliant", facility=two, standard="test-park-twin"),
        _doc("parks", "compliant", facility=two),
        _doc("parks", "incomplete", facility={"id": "P-3", "name": "三"}),
    ]
    text = _plan(PARKS.replace("standard: yuzhong-park", "standards: [yuzhong-park, test-park-twin]"))
    (parks,) = _progress(text, _digests(tmp_path, docs, twin_catalog), twin_catalog).targets
    assert [(a.facility_id, a.standard) for a in parks.certified] == [
        ("P-1", "test-park-twin"),
        ("P-2", "yuzhong-park"),
    ]  # P-1 by its better standing under the twin; P-2 once
    assert parks.audited == 3 and parks.incomplete == 1 and parks.not_certified == 0 and parks.met


def test_a_standard_not_yet_available_is_named_and_the_others_count(tmp_path: Path, catalog: Catalog) -> None:
    docs = [_doc("parks", "compliant", facility={"id": "P-1", "name": "一"})]
    text = _plan(PARKS.replace("standard: yuzhong-park", "standards: [yuzhong-park, yuzhong-park-future]"))
    (parks,) = _progress(text, _digests(tmp_path, docs, catalog), catalog).targets
    assert (
        parks.available and parks.missing_standards == ("yuzhong-park-future",) and len(parks.certified) == 1
    )
    assert parks.status == "open"


# --- scopes and named facilities ----------------------------------------------------------------------

DISTRICTS = """\
- id: districts
  facility_type: commercial
  title: {zh: 三大商圈, en: Three districts}
  standards: [yuzhong-commercial]
  where: {field: scope, eq: "district"}
  level: compliant
  count: 2
  named:
    - {id: YZ-COM-A, name: 甲商圈}
    - {id: YZ-COM-B, name: 乙商圈}
    - {id: YZ-COM-C, name: 丙商圈}
"""


def _district_docs() -> tuple[str, list[str]]:
    """The shipped commercial example of each scope (kind names), district first."""
    by_scope: dict[str, list[str]] = {}
    for kind in ("compliant", "exemplary", "not-certified", "incomplete"):
        doc = _doc("commercial", kind)
        by_scope.setdefault(str(doc["observations"]["scope"]), []).append(kind)  # type: ignore[index]
    return by_scope["district"][0], by_scope["building"]


def test_where_counts_only_that_kind_and_named_only_those(tmp_path: Path, catalog: Catalog) -> None:
    district, buildings = _district_docs()
    docs = [
        _doc("commercial", district, facility={"id": "YZ-COM-A", "name": "甲商圈"}),
        _doc("commercial", district, facility={"id": "YZ-COM-X", "name": "另一商圈"}),
        *(_doc("commercial", kind, facility={"id": f"B-{kind}", "name": kind}) for kind in buildings),
    ]
    progress = _progress(_plan(DISTRICTS), _digests(tmp_path, docs, catalog), catalog)
    (target,) = progress.targets
    assert [a.facility_id for a in target.certified] == ["YZ-COM-A"]
    assert target.not_named == 1 and target.audited == 1 and target.gap == 1
    assert [(n.id, n.state) for n in target.named] == [
        ("YZ-COM-A", "certified"),
        ("YZ-COM-B", "not_audited"),
        ("YZ-COM-C", "not_audited"),
    ]
    text = _text(progress, "zh")
    assert "✓ YZ-COM-A 甲商圈 · 已认定" in text and "· YZ-COM-B 乙商圈 · 尚无评估" in text
    assert "1 个同类设施不在计划所列名单中，不计入" in text
    data = progress.to_dict()["targets"][0]
    assert data["named"][0]["state"] == "certified" and data["not_named"] == 1


def test_an_audit_without_the_scope_field_is_shown_as_unknown(tmp_path: Path, catalog: Catalog) -> None:
    district, _ = _district_docs()
    doc = _doc("commercial", district, facility={"id": "YZ-COM-A", "name": "甲商圈"})
    doc["observations"] = {**doc["observations"], "scope": None}  # type: ignore[dict-item]
    (target,) = _progress(_plan(DISTRICTS), _digests(tmp_path, [doc], catalog), catalog).targets
    assert target.scope_unknown == 1 and target.certified == () and target.audited == 0


def test_track_lists_without_a_gap(tmp_path: Path, catalog: Catalog) -> None:
    docs = [_doc("parks", "compliant", facility={"id": "P-1", "name": "一"})]
    text = _plan(PARKS.replace("count: 2", "track: true"))
    progress = _progress(text, _digests(tmp_path, docs, catalog), catalog)
    (parks,) = progress.targets
    assert (
        parks.status == "tracked"
        and parks.gap is None
        and parks.required is None
        and len(parks.certified) == 1
    )
    out = _text(progress, "en")
    assert "target no number in the plan · certified 1 · tracked" in out and "gap" not in out.split("\n")[3]


def test_a_target_without_a_guideline_is_listed_not_measured(catalog: Catalog) -> None:
    text = _plan("""\
        - id: shelters
          plan_item: "(41)"
          status: no_standard
          title: {zh: 避难场所母婴室, en: Shelter rooms}
          share: 1.0
          measure: {zh: 总数未定, en: total not given}
        """)
    progress = _progress(text, [], catalog)
    (row,) = progress.targets
    assert row.status == "no_guideline" and row.gap is None and not row.met
    out = _text(progress, "en")
    assert "target 100 % (total not given) · no guideline (not measured)" in out
    assert "How it could be measured: total not given" in out


# --- errors --------------------------------------------------------------------------------------------


def test_where_must_name_a_declared_kind_field(catalog: Catalog) -> None:
    cases = {
        '{field: scope, eq: "mall"}': "'mall' is not a declared value of scope",
        "{field: building_gfa_m2, gt: 10000}": "building_gfa_m2 is a number field; where may name only enum and boolean fields",
        '{field: scoop, eq: "district"}': "field 'scoop' is not declared",
    }
    for where, message in cases.items():
        plan = parse_plan(_plan(DISTRICTS.replace('{field: scope, eq: "district"}', where)), "plan.yaml")
        problems = [str(p) for p in check_plan(plan, catalog)]
        assert any(
            p.startswith("plan.yaml:") and "$.targets[0].where" in p and message in p for p in problems
        ), (
            where,
            problems,
        )


def test_structure_errors_are_located() -> None:
    both = _errors(_plan(PARKS.replace("standard: yuzhong-park", "standard: yuzhong-park\n  standards: [x]")))
    assert any("$.targets[0]: a target needs exactly one of standard and standards" in e for e in both)
    neither = _errors(_plan(PARKS.replace("  standard: yuzhong-park\n", "")))
    assert any("exactly one of standard and standards" in e for e in neither)
    twice = _errors(_plan(PARKS.replace("standard: yuzhong-park", "standards: [yuzhong-park, yuzhong-park]")))
    assert any("$.targets[0].standards[1]: 'yuzhong-park' is listed twice" in e for e in twice)
    tracked = _errors(_plan(PARKS + "  track: true\n"))
    assert any("exactly one of count, share and track: true" in e for e in tracked)
    unmeasured = _errors(_plan(PARKS.replace("facility_type: park", "status: no_standard")))
    assert any(
        "$.targets[0].standard: a target without a guideline (status: no_standard) takes no standard" in e
        for e in unmeasured
    )
    assert any("$.targets[0].level: a target without a guideline" in e for e in unmeasured)
    measure = _errors(_plan(PARKS + "  measure: {zh: 甲, en: a}\n"))
    assert any("$.targets[0].measure: measure belongs to a target without a guideline" in e for e in measure)
    named = _errors(_plan(DISTRICTS.replace("count: 2", "count: 4").replace("YZ-COM-C", "YZ-COM-A")))
    assert any("$.targets[0].count: count 4 is more than the 3 facilities named" in e for e in named)
    assert any("$.targets[0].named[2].id: facility 'YZ-COM-A' is named twice" in e for e in named)
    dates = _errors(_plan(PARKS).replace("period:", 'issued: "2024-02-30"\nperiod:'))
    assert any("$.issued: not a real date" in e for e in dates)
