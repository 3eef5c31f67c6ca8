"""Where a rule applies, in words: alternatives stay alternatives, and no "recorded" noise."""

from __future__ import annotations

import json

from checker import Catalog, check, parse_audit
from checker.core.compiled import compiled
from checker.core.conditions.plain import where
from checker.core.standard_load import parse_standard
from checker.report.catalogue import describe

SOURCE = (
    "format: 1\nid: t-where\nversion: '1'\nfacility_type: park\ntitle: {zh: 测, en: t}\n"
    "levels: [{id: ok, label: {zh: 达标, en: ok}, min_score: 60}]\n"
    "fields:\n"
    "- {id: old, label: {zh: 栏杆均为旧栏杆, en: Rails all old}, type: boolean}\n"
    "- {id: visitors, label: {zh: 日客流, en: Visitors a day}, type: integer}\n"
    "- {id: gfa, label: {zh: 建筑面积, en: Floor area}, type: number, unit: m²}\n"
    "- {id: room, label: {zh: 母婴室, en: Nursing room}, type: boolean}\n"
    "sections:\n- id: s\n  title: {zh: 安全, en: Safety}\n  rules:\n"
    "  - id: NEW\n    title: {zh: 新栏杆, en: New rails}\n    mandatory: true\n"
    "    applies_when: {any: [{field: old, present: false}, {field: old, eq: false}]}\n"
    "    require: {field: room, eq: true}\n"
    "  - id: OLD\n    title: {zh: 旧栏杆, en: Old rails}\n    mandatory: true\n"
    "    applies_when: {all: [{field: old, present: true}, {field: old, eq: true}]}\n"
    "    require: {field: room, eq: true}\n"
    "  - id: BIG\n    title: {zh: 大场所, en: Big place}\n    mandatory: true\n"
    "    applies_when:\n      any:\n      - {field: visitors, gte: 5000}\n"
    "      - all: [{field: gfa, present: true}, {field: gfa, gte: 5000}]\n"
    "    require: {field: room, eq: true}\n"
)
STANDARD = parse_standard(SOURCE, "t.yaml")
APPLIES = {cr.rule.id: cr.applies for cr in compiled(STANDARD).rules}
RAW = {rule.id: rule.applies_when for section in STANDARD.sections for rule in section.rules}


def _where(rule_id: str, lang: str) -> str:
    node = APPLIES[rule_id]
    assert node is not None
    return where(node, lang)  # type: ignore[arg-type]


def test_not_recorded_or_no_reads_as_one_case() -> None:
    assert _where("NEW", "zh") == "栏杆均为旧栏杆为“否”或未记录"
    assert _where("NEW", "en") == "Rails all old: no, or not recorded"
    assert describe(RAW["NEW"], STANDARD, "zh") == "栏杆均为旧栏杆 = 否 或未记录"


def test_recorded_next_to_a_comparison_is_not_said() -> None:
    assert _where("OLD", "zh") == "栏杆均为旧栏杆"
    assert describe(RAW["OLD"], STANDARD, "en") == "Rails all old = yes"


def test_alternatives_are_cases_not_exemptions() -> None:
    assert _where("BIG", "zh") == "日客流不小于 5000，或建筑面积不小于 5000m²"
    assert "not required" not in _where("BIG", "en") and "不作要求" not in _where("BIG", "zh")


def test_not_applicable_names_what_was_not_recorded() -> None:
    audit = {
        "format": 1, "standard": "t-where", "standard_version": "1", "audited_on": "2026-12-01",
        "facility": {"id": "F-1", "name": "测试", "district": "渝中区"}, "assessor": {"name": "李"},
        "observations": {"old": True, "visitors": 3200, "room": True},
    }  # fmt: skip
    catalog = Catalog([STANDARD])
    result = check(parse_audit(json.dumps(audit), catalog, "a.json"), catalog)
    reasons = {row.id: row.reason for row in result.rules}
    assert reasons["NEW"].zh.startswith("不适用：栏杆均为旧栏杆：是（本条适用于：栏杆均为旧栏杆为“否”或未记录）")
    assert reasons["BIG"].zh == "不适用：日客流 3200，未记录建筑面积（本条适用于：日客流不小于 5000，或建筑面积不小于 5000m²）"
    assert reasons["BIG"].en.startswith("not applicable: Visitors a day 3200, Floor area not recorded")
