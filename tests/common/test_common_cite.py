"""A standard's own citation for a rule it takes from a common item, and parameters written with their decimals."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from checker import Catalog, check, load_standard, parse_audit
from checker.cli.main import cli
from checker.core.conditions import Decimals, fmt_number
from checker.core.requirement import requirement
from checker.core.schema import bundled_schema
from checker.forms.json_template import audit_template
from checker.report.catalogue import render_markdown as markdown_page

from ..reference import resolve_uses
from .test_common import DEMO, FRAGMENT, _swap, _tree, assert_lint_error

OWN = (
    'rail: {id: U-02, ref: {doc: GB50099, clause: "8.1.6"}, source: {status: E, note: '
    "{zh: GB 50099-2011 第8.1.6条：栏杆净高不应低于1.10 m, en: GB 50099-2011 §8.1.6 - rails at least 1.10 m}}},"
)
REFS = (
    "references:\n  - {id: GB50099, code: GB 50099-2011, title: {zh: 中小学校设计规范, en: Code for design of schools}}\n"
    "fields:\n"
)


def _own(text: str) -> str:
    return _swap("fields:\n", REFS)(_swap("rail: U-02,", OWN)(text))


def test_a_use_may_cite_its_own_clause_with_its_own_grade(tmp_path: Path) -> None:
    path = _tree(tmp_path, _own)
    std = load_standard(path)
    rail = std.rule_map["U-02"]
    assert rail.ref is not None and (rail.ref.doc, rail.ref.clause) == ("GB50099", "8.1.6")
    assert rail.source is not None and rail.source.status == "E" and "§8.1.6" in rail.source.note.en  # type: ignore[union-attr]
    low = std.rule_map["U-03"]  # the other rule keeps the item's own citation
    assert low.source is not None and low.source.status == "S"
    runner = CliRunner()
    en = runner.invoke(cli, ["show", str(path), "--lang", "en"]).output
    assert "GB 50099-2011 8.1.6 · [E]" in en
    assert "cites this standard's own clause (the item cites GB 50352-2019 6.7.3 [R])" in en
    zh = runner.invoke(cli, ["show", str(path), "--lang", "zh"]).output
    assert "本标准引用自身条文（共用条目引用 GB 50352-2019 6.7.3 [R]）" in zh
    page = markdown_page(std)
    assert "rail → `U-02` (本标准引用 / cites GB 50099-2011 8.1.6 [E])" in page
    assert "low_drop → `U-03`," not in page and "low_drop → `U-03` |" in page
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(bundled_schema("standard")).validate(data)
    want = resolve_uses(data, {"rail-demo": yaml.safe_load(FRAGMENT.read_text(encoding="utf-8"))})
    got = std.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    assert [s["rules"] for s in got["sections"]] == [s["rules"] for s in want["sections"]]


CITE_ERRORS = [
    # (edit after _own, line of the standard, en, zh, hint)
    (
        _swap(", source: {status: E, note: {zh: GB 50099-2011 第8.1.6条：栏杆净高不应低于1.10 m, en: "
              "GB 50099-2011 §8.1.6 - rails at least 1.10 m}}}", "}"),
        29,
        "cites this standard's own clause (`ref`), so it needs its own grade and note (`source`)",
        "须同时写出其证据等级与说明",
        "weakest fact",
    ),
    (
        _swap("第8.1.6条", "第8.1.5条"),
        29,
        "the note of a rule citing clause 8.1.6 must name that clause",
        "须写明该条文",
        "write 8.1.6 in both",
    ),
    (_swap('clause: "8.1.6"', 'clause: "§8.1.6"'), 29, "clause", "clause", ""),
    (_swap("doc: GB50099, clause", "doc: GB50098, clause"), 29, "GB50098", "GB50098", ""),
]


@pytest.mark.parametrize(("edit", "line", "en", "zh", "hint"), CITE_ERRORS)
def test_a_citation_override_is_checked(  # type: ignore[no-untyped-def]
    tmp_path: Path, edit, line: int, en: str, zh: str, hint: str
) -> None:
    assert_lint_error(_tree(tmp_path, lambda text: edit(_own(text))), line, en, zh, hint)


def test_a_parameter_keeps_its_decimals_wherever_it_is_read() -> None:
    """with: {height_m: 1.3} and decimals 2: 1.30 in show, docs, requirement sentences, reasons and form hints."""
    std = load_standard(DEMO)
    assert fmt_number(Decimals(1.1, 2)) == "1.10" and fmt_number(1.1) == "1.1"
    rail = std.rule_map["U-02"]
    assert type(rail.require["gte"]) is Decimals  # type: ignore[index]
    sentence = requirement(std, "U-02")
    assert sentence is not None and "1.30" in sentence.zh and "1.30" in sentence.en
    runner = CliRunner()
    for lang in ("zh", "en"):
        out = runner.invoke(cli, ["show", str(DEMO), "--lang", lang]).output
        assert "≥ 1.30 m" in out and "≥ 1.3 m" not in out, out
    assert "≥ 1.30 m" in markdown_page(std)
    catalog = Catalog([std])
    doc = {
        "format": 1, "standard": "uses-demo", "facility": {"name": "f"}, "assessor": {"name": "a"},
        "audited_on": "2026-06-02", "observations": {"gate": True, "rail_m": 1.2, "drop_m": 30},
    }  # fmt: skip
    result = check(parse_audit(json.dumps(doc), catalog, "a.json"), catalog)
    row = next(r for r in result.rules if r.id == "U-02")
    assert "1.30" in row.reason.zh and "1.30" in row.reason.en, row.reason
    assert "1.3 " not in row.reason.en and "1.3m" not in row.reason.zh
    json.loads(result.to_json())  # the result's JSON writer meets no parameter number


def test_form_hints_say_a_parameter_with_its_decimals(tmp_path: Path) -> None:
    path = _tree(tmp_path, None, _swap("    points: 2\n", "    points: 2\n    applies_when: {field: rail_m, lt: {param: height_m}}\n"))
    note = audit_template(load_standard(path))["observations"]["drop_m"]["note"]
    assert "< 1.30 m" in note and "1.3 m" not in note, note


def test_shipped_rail_rules_say_1_10_not_1_1() -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["show", "yuzhong-school", "--lang", "en"]).output
    assert "Lowest guard rail height at drop edges ≥ 1.10 m" in out, out
    assert "≥ 1.1 m" not in out
