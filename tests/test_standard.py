from __future__ import annotations

from pathlib import Path

import pytest

from checker import StandardError, load_standard, parse_standard
from checker.core.lint import lint_text

from .conftest import FIXTURE_STANDARD

BASE = FIXTURE_STANDARD.read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    with pytest.raises(StandardError) as info:
        parse_standard(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def _swap(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_fixture_loads(fixture_standard) -> None:  # type: ignore[no-untyped-def]
    assert fixture_standard.id == "test-fixture"
    assert len(fixture_standard.rule_map) == 14
    assert lint_text(BASE, "fixture.yaml") == []


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('version: "1.0"', "version: 1.10", "expected text (in double quotes), found 1.1"),
        ("id: T-S2\n", "id: T-S1\n", "duplicate rule id 'T-S1'"),
        (
            "{field: gate, eq: true}\n        remediation",
            "{field: gat, eq: true}\n        remediation",
            "field 'gat' is not declared",
        ),
        (
            "{field: surface, in: [rubber, sand]}",
            "{field: surface, in: [rubber, sandy]}",
            "'sandy' is not a declared value of surface",
        ),
        (
            "{field: gate, eq: true}\n        remediation",
            "{field: gate, gte: 1}\n        remediation",
            "operator 'gte' does not fit a boolean field",
        ),
        (
            "{field: gate, eq: true}\n        remediation",
            "{field: gate, eq: no}\n        remediation",
            "expected true or false",
        ),
        ("ref: {doc: DOC,", "ref: {doc: DOX,", "reference 'DOX' is not declared"),
        ("min_score: 80", "min_score: 50", "strictly ascending min_score"),
        (
            "{points: 1, when: {field: count_n, gte: 1}}",
            "{points: 4, when: {field: count_n, gte: 1}}",
            "exceed the rule's points",
        ),
        ("zero_at: 20, full_at: 50", "zero_at: 20, full_at: 20", "zero_at and full_at are equal"),
        (
            "mandatory: true\n        ref",
            "mandatory: true\n        points: 3\n        ref",
            "a mandatory rule has no points",
        ),
        (
            "points: 4\n        require",
            "points: 4\n        credit: {linear: {field: shade_pct, zero_at: 1, full_at: 2}}\n        require",
            "exactly one of require",
        ),
        (
            "{points: 3, when: {field: count_n, gte: 3}}",
            "{points: 2, when: {field: count_n, gte: 3}}",
            "last tier must be worth",
        ),
        ("{field: height_m, gte: 1.1}", "{field: height_m, gte: 1.1, lte: 3}", "exactly one operator"),
        ("{field: height_m, gte: 1.1}", "{field: height_m, gte: 1.1, foo: 3}", "unexpected key 'foo'"),
        (
            "{field: height_m, between: [0.6, 0.9]}",
            "{field: height_m, between: [0.9, 0.6]}",
            "low 0.9 is above high 0.6",
        ),
        ("{all: [{field: surface", "{all: [], any: [{field: surface", "exactly one of"),
        ("per: 1000}", "per: 0}", "per must be a number above 0"),
        (
            "{per: {field: count_n, of: kids",
            "{per: {field: surface, of: kids",
            "per: needs integer or number",
        ),
        (
            '{field: inspected_on, gte: "2025-01-01"}',
            '{field: inspected_on, gte: "2025-13-01"}',
            "expected a date",
        ),
        ("facility_type: park", "facility_type: pool", 'expected one of "school", "hospital"'),
        ("values: [rubber, sand, concrete]", "values: [rubber, sand, rubber]", "enum values repeat"),
        ("min: 0, max: 5}", "min: 6, max: 5}", "min 6 is above max 5"),
        ("bonus_cap_percent: 10", "bonus_cap_percent: 10\n  extra_key: 1", "unknown key 'extra_key'"),
    ],
)
def test_invalid_standard(old: str, new: str, fragment: str) -> None:
    problems = _problems(_swap(old, new))
    assert any(fragment in p for p in problems), problems
    assert all(p.startswith("s.yaml:") for p in problems)
    # lint agrees: the same text is refused there too
    assert lint_text(_swap(old, new), "s.yaml")


def test_problem_location_is_exact() -> None:
    text = _swap(
        "{field: gate, eq: true}\n        remediation", "{field: gat, eq: true}\n        remediation"
    )
    (problem,) = _problems(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "field: gat," in row)
    assert problem.startswith(f"s.yaml:{line}:")
    assert "did you mean 'gate'" in problem


def test_all_errors_at_once() -> None:
    text = _swap("ref: {doc: DOC,", "ref: {doc: DOX,")
    text = _swap("{field: surface, in: [rubber, sand]}", "{field: surfac, in: [rubber]}", text)
    text = _swap("id: T-S2\n", "id: T-S1\n", text)
    problems = _problems(text)
    assert len(problems) == 3


def test_mandatory_rule_without_require() -> None:
    text = _swap("        require: {field: gate, eq: true}\n", "")
    assert any("a mandatory rule needs require" in p for p in _problems(text))


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StandardError, match="cannot read"):
        load_standard(tmp_path / "nope.yaml")


def test_not_a_mapping() -> None:
    assert "must be a mapping" in _problems("- a\n- b\n")[0]


def test_bilingual_unit_and_comma_hint() -> None:
    text = BASE.replace(
        "{id: kids, label: {zh: 儿童数, en: Children}, type: integer, min: 0}",
        "{id: kids, label: {zh: 儿童数, en: Children}, type: integer, min: 0, unit: {zh: 人, en: children}}",
    )
    std = parse_standard(text, "s.yaml")
    kids = std.field_map["kids"]
    assert (kids.unit_in("zh"), kids.unit_in("en")) == ("人", "children")
    from checker.core.conditions import fmt_value

    assert fmt_value(kids, 12, "zh") == "12人"
    assert fmt_value(kids, 12, "en") == "12 children"
    broken = BASE.replace("title: {zh: 门, en: Gate}", "title: {zh: 门, en: Gate, door}")
    (problem,) = _problems(broken)
    assert "quote the text" in problem



@pytest.mark.parametrize("deadline", ["{days: 30, until: reaudit}", "{reason: {zh: 原因, en: why}}"])
def test_a_deadline_says_days_or_until(deadline: str) -> None:
    text = _swap("        require: {field: gate, eq: true}\n", f"        require: {{field: gate, eq: true}}\n        deadline: {deadline}\n")
    assert any("a deadline needs exactly one of days" in p for p in _problems(text))


def test_owner_facing_rule_texts_load() -> None:
    extra = (
        "        require: {field: gate, eq: true}\n"
        "        requirement: {zh: 须设门禁, en: a gate is required}\n"
        "        responsible: {zh: 物业, en: the property manager}\n"
        "        deadline: {until: renovation, reason: {zh: 须结合改造, en: needs rebuilding}}\n"
    )
    standard = parse_standard(_swap("        require: {field: gate, eq: true}\n", extra), "s.yaml")
    rule = next(r for r in standard.rule_map.values() if r.requirement is not None)
    assert rule.deadline is not None and rule.deadline.until == "renovation"
    assert standard.follow_up.prerequisite_days == 30 and standard.follow_up.reaudit_days == 180


def test_lint_schema_knows_the_owner_facing_texts() -> None:
    extra = (
        "        require: {field: gate, eq: true}\n"
        "        requirement: {zh: 须设门禁, en: a gate is required}\n"
        "        deadline: {days: 60}\n"
    )
    assert lint_text(_swap("        require: {field: gate, eq: true}\n", extra), "s.yaml") == []
