"""Requirement sentences for owners: no operators, cases read as cases, for any condition tree."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from checker import Catalog
from checker.core.requirement import observed, requirement
from checker.core.text import Text

from .strategies import build, standard_doc

CATALOG = Catalog.discover(environment=False)
STANDARDS = sorted(CATALOG.ids())
OPERATORS = re.compile(r"[=≠≤≥÷×<>]|以下均不满足|none of these|要求 ")


def _sentences(standard_id: str) -> list[tuple[str, Text]]:
    standard = CATALOG.get(standard_id)
    out = []
    for rule_id in standard.rule_map:
        text = requirement(standard, rule_id)
        assert text is not None
        out.append((rule_id, text))
    return out


@pytest.mark.parametrize("standard_id", STANDARDS)
def test_every_shipped_rule_reads_without_operators(standard_id: str) -> None:
    for rule_id, text in _sentences(standard_id):
        for lang in ("zh", "en"):
            sentence = text(lang)
            assert sentence.strip(), rule_id
            assert not OPERATORS.search(sentence), (rule_id, sentence)


def test_case_selectors_read_as_cases() -> None:
    school = dict(_sentences("yuzhong-school"))
    boys = school["SCH-HLT-08"].zh  # the case (boys enrolled) is the rule's applies_when, not a demand
    assert boys.startswith("按在校男生人数") and "要求 = 0" not in boys
    assert school["SCH-SAF-01"].zh == "临空处防护栏杆最低净高不小于 1.10 m"
    legacy = school["SCH-SAF-C1"]  # the 1.05 m allowance, by the drop below the older rails
    assert legacy.zh.startswith("当旧规范时期较低栏杆处的最大临空高度小于 24 m 时，临空处防护栏杆最低净高不小于 1.05 m；")
    assert "当临空高度达到 24 m 及以上（不适用放宽）时，临空处防护栏杆最低净高不小于 1.10 m" in legacy.zh
    assert "where the drop is 24 m or more (no allowance): " in legacy.en
    stairs = school["SCH-SAF-03"]
    assert stairs.zh.startswith("楼梯井最大净宽不大于 0.11 m（") and "时不作要求）" in stairs.zh
    assert "(not required where stairwell guarded" in stairs.en
    mall = dict(_sentences("yuzhong-commercial"))["COM-FAM-01"].zh
    assert "；当高峰日客流或建筑面积超过 10000 时，最大一间母婴室面积不小于 10m²；当" in mall  # common item
    park = dict(_sentences("yuzhong-park"))["PRK-HLT-03"].zh
    assert park.startswith("当公园面积不小于 10hm²时，") and "；当公园面积小于 10hm²时，" in park


def test_rule_sentence_from_the_standard_wins() -> None:
    from checker.core.standard_load import parse_standard

    source = (
        "format: 1\nid: t-req\nversion: '1'\nfacility_type: park\ntitle: {zh: 测, en: t}\n"
        "levels: [{id: ok, label: {zh: 达标, en: ok}, min_score: 60}]\n"
        "fields: [{id: gap_m, label: {zh: 楼梯井净宽, en: Stair gap}, type: number, unit: m}]\n"
        "sections:\n- id: s\n  title: {zh: 安全, en: Safety}\n  rules:\n"
        "  - id: R1\n    title: {zh: 楼梯井, en: Stairwell}\n    mandatory: true\n"
        "    require: {field: gap_m, lte: 0.11}\n"
        "    requirement: {zh: 楼梯井净宽不大于 0.11 m；超过时须设防坠网或封堵, en: Gap at most 0.11 m}\n"
    )
    standard = parse_standard(source, "t.yaml")
    assert requirement(standard, "R1") == Text(
        zh="楼梯井净宽不大于 0.11 m；超过时须设防坠网或封堵", en="Gap at most 0.11 m"
    )
    assert observed(standard, "R1", {"gap_m": 0.18}) == Text(zh="楼梯井净宽 0.18 m", en="Stair gap 0.18 m")
    assert observed(standard, "R1", {}) == Text(zh="未记录楼梯井净宽", en="Stair gap: not recorded")
    assert requirement(standard, "NOPE") is None


@settings(max_examples=60, deadline=None)
@given(standard_doc())
def test_any_condition_tree_gives_a_sentence_without_operators(doc: dict) -> None:  # type: ignore[type-arg]
    standard = build(doc)
    for rule_id in standard.rule_map:
        text = requirement(standard, rule_id)
        assert text is not None
        for lang in ("zh", "en"):
            assert text(lang).strip()
            assert not re.search(r"[=≠≤≥÷×<>]", text(lang)), text(lang)
