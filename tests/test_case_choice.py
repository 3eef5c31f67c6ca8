"""The ``cases`` condition form: a case selector decides which requirement applies and is never
read as a requirement itself (issue #11, "case selectors are not requirements")."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest

from checker import Catalog, StandardError, check, parse_audit, parse_standard
from checker.core.conditions import parse_condition
from checker.core.requirement import requirement
from checker.forms.conditions import in_words, relevant_xpath

from .reference import holds

STANDARD = """
format: 1
id: t-cases
version: "1"
facility_type: school
title: {zh: 测试, en: Test}
levels: [{id: ok, label: {zh: 达标, en: OK}, min_score: 50}]
fields:
  - {id: boys, label: {zh: 在校男生人数, en: Boys enrolled}, type: integer, min: 0, unit: {zh: 人, en: pupils}}
  - {id: wc, label: {zh: 男生大便器数, en: WCs for boys}, type: integer, min: 0, unit: {zh: 个, en: ""}}
  - {id: area, label: {zh: 商业建筑面积, en: Commercial floor area}, type: number, unit: m²}
  - {id: rooms, label: {zh: 母婴室数量, en: Mother-baby rooms}, type: integer}
  - {id: old, label: {zh: 既有建筑, en: Existing building}, type: boolean}
sections:
  - id: s
    title: {zh: 卫生, en: Hygiene}
    rules:
      - id: R1
        title: {zh: 厕位, en: WCs}
        mandatory: true
        require:
          cases:
            - when: {field: boys, gt: 0}
              require: {per: {field: wc, of: boys, per: 40}, gte: 1}
      - id: R2
        title: {zh: 母婴室, en: Mother-baby rooms}
        mandatory: true
        require:
          cases:
            - when: {field: area, lte: 10000}
              require: {field: rooms, gte: 1}
            - when: {field: area, gt: 10000}
              label: {zh: 大型商业建筑（1万 m² 以上）, en: "a large building (over 10,000 m²)"}
              require: {field: rooms, gte: 2}
      - id: R3
        title: {zh: 既有建筑豁免, en: Existing exempt}
        points: 2
        require:
          cases:
            - when: {field: old, eq: true}
            - when: {field: old, eq: false}
              require: {field: rooms, gte: 3}
"""
STD = parse_standard(STANDARD, "t.yaml")
CATALOG = Catalog([STD])


def _rows(obs: dict[str, Any]) -> dict[str, Any]:
    doc = {
        "format": 1, "standard": "t-cases", "facility": {"name": "f"}, "assessor": {"name": "a"},
        "audited_on": "2026-06-02", "observations": obs,
    }  # fmt: skip
    return {r.id: r for r in check(parse_audit(json.dumps(doc), CATALOG, "a.json"), CATALOG).rules}


def test_the_reason_reads_as_the_case_applied() -> None:
    r = _rows({"boys": 540, "wc": 12, "area": 42000, "rooms": 1, "old": True})
    assert r["R1"].status == "fail"
    assert r["R1"].reason.zh == "按在校男生人数 540人计，需男生大便器数 ≥ 14个：现有 12个"
    assert r["R1"].reason.en == "for boys enrolled 540 pupils, WCs for boys must be ≥ 14: found 12"
    assert r["R2"].status == "fail" and r["R2"].reason.zh.startswith("大型商业建筑（1万 m² 以上），")
    assert "要求 ≤" not in r["R2"].reason.zh and "required ≤" not in r["R2"].reason.en
    assert r["R3"].status == "pass" and r["R3"].reason.zh == "既有建筑：是，不作要求"
    r = _rows({"boys": 0, "wc": 0, "area": 800, "rooms": 1, "old": False})
    assert r["R1"].status == "pass" and r["R1"].reason.zh == "在校男生人数 0人：无此项要求"
    assert r["R2"].status == "pass" and r["R2"].reason.zh == "按商业建筑面积 800m²计，母婴室数量 1，符合 ≥ 1"
    assert r["R3"].status == "fail"


def test_an_unknown_selector_asks_for_the_selector() -> None:
    r = _rows({"wc": 3, "rooms": 2})
    assert r["R1"].status == "missing" and r["R1"].reason.zh == "缺少数据：在校男生人数"
    assert r["R2"].status == "missing" and r["R2"].reason.en == "missing data: Commercial floor area"


def test_requirement_sentence_names_each_case() -> None:
    text = requirement(STD, "R2")
    assert text is not None
    assert (
        text.zh
        == "当商业建筑面积不大于 10000m²时，母婴室数量不小于 2；当大型商业建筑（1万 m² 以上）时，母婴室数量不小于 2".replace(
            "不小于 2；", "不小于 1；"
        )
    )


@pytest.mark.parametrize("rule", ["R1", "R2", "R3"])
def test_engine_reference_and_form_xpath_agree(rule: str) -> None:
    """Every combination of values: the engine equals the reference; the XPath that hides or shows
    is sound (surely false only where the engine says false, and so on)."""
    raw = STD.rule_map[rule].require
    assert raw is not None
    node, _ = parse_condition(raw, (), STD.field_map)
    assert node is not None
    fields = {f.id: f.model_dump() for f in STD.fields}
    false = relevant_xpath(node, lambda fid: f"V['{fid}']")
    assert (false is None) is (rule == "R1")  # a ratio cannot be said in the forms' XPath: it hides nothing
    for values in itertools.product(
        [None, 0, 539, 540, 10000, 10001], [None, 0, 13, 14], [None, 1, 2, 3], [None, True, False]
    ):
        obs = {k: v for k, v in zip(("boys", "area", "wc", "rooms", "old"), (values[0], values[0], values[1], values[2], values[3]), strict=True) if v is not None}  # fmt: skip
        want = node.evaluate(obs)
        assert holds(raw, obs, fields) is want, obs
        assert node.compile()(obs) is want, obs
        if false is not None:
            assert _xpath(false, obs) or want is False, (obs, false)


def _xpath(expr: str, obs: dict[str, Any]) -> bool:
    """A tiny evaluator for the XPath subset the forms write (answers are strings in a form)."""
    form = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in obs.items()}
    py = re.sub(r"string-length\((V\['\w+'\])\) > 0", r"(\1 != '')", expr)
    py = py.replace("true()", "True").replace("number(", "num(")
    py = re.sub(r"(?<![!<>=])=(?!=)", "==", py)

    def num(x: str) -> float:
        return float(x) if x != "" else float("nan")

    return bool(eval(py, {"V": _Answers(form), "num": num}))  # test-only: our own expression


class _Answers(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def test_forms_say_the_cases_in_words() -> None:
    raw = STD.rule_map["R2"].require
    node, _ = parse_condition(raw, (), STD.field_map)
    assert node is not None
    assert in_words(node, "zh").startswith("按情形——当商业建筑面积 ≤ 10000m²时：母婴室数量 ≥ 1；")
    assert in_words(node, "en").endswith("otherwise nothing required")


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ("cases: []", "cases: must be a non-empty list"),
        ("cases: [{require: {field: rooms, gte: 1}}]", "each entry of cases: must be"),
        ("cases: [{when: {field: old, eq: true}, label: x}]", "a case's label must be bilingual"),
        ("cases: [{when: {field: olde, eq: true}}]", "field 'olde' is not declared"),
        ("cases: [{when: {field: old, eq: true}, need: {field: rooms, gte: 1}}]", "unexpected key 'need'"),
    ],
)
def test_malformed_cases_are_located(cases: str, message: str) -> None:
    text = STANDARD.replace(
        "require:\n          cases:\n            - when: {field: old, eq: true}\n            - when: {field: old, eq: false}\n              require: {field: rooms, gte: 3}",
        "require: {" + cases + "}",
    )  # fmt: skip
    assert text != STANDARD
    with pytest.raises(StandardError) as info:
        parse_standard(text, "t.yaml")
    shown = " ".join(str(p) for p in info.value.problems)
    assert message in shown and "t.yaml:" in shown, shown
