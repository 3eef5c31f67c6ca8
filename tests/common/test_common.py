"""Common items: a fragment used by a standard resolves into plain rules; every misuse is a located lint error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker import Catalog, StandardError, check, load_standard, parse_audit
from checker.cli.main import cli
from checker.core.lint import lint_file
from checker.core.schema import bundled_schema
from checker.core.yaml_source import parse_yaml

from ..conftest import FIXTURES
from .derive_schema import derive

HERE = FIXTURES / "common"
DEMO = HERE / "uses-demo.yaml"
FRAGMENT = HERE / "common" / "rail-demo.yaml"


def _tree(tmp_path: Path, standard: str | None = None, fragment: str | None = None) -> Path:
    """A copy of the fixture standard and its common/ folder, optionally edited."""
    (tmp_path / "common").mkdir()
    text = DEMO.read_text(encoding="utf-8")
    frag = FRAGMENT.read_text(encoding="utf-8")
    (tmp_path / "uses-demo.yaml").write_text(
        standard(text) if callable(standard) else standard or text, "utf-8"
    )
    (tmp_path / "common" / "rail-demo.yaml").write_text(
        fragment(frag) if callable(fragment) else fragment or frag, "utf-8"
    )
    return tmp_path / "uses-demo.yaml"


def _swap(old: str, new: str):  # type: ignore[no-untyped-def]
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def test_uses_resolve_into_plain_rules_in_place() -> None:
    std = load_standard(DEMO)
    assert [r.id for r in std.sections[0].rules] == ["U-01", "U-02", "U-03", "U-09"]
    rail, low = std.rule_map["U-02"], std.rule_map["U-03"]
    assert rail.mandatory and rail.require == {"field": "rail_m", "gte": 1.3}
    assert rail.title.zh == "栏杆净高 ≥ 1.30 m" and rail.remediation is not None
    assert rail.remediation.en == "Raise to 1.30 m"
    assert low.points == 3 and low.title.en == "Drop below 24 m"
    assert low.applies_when == {"field": "gate", "eq": True}
    assert [f.id for f in std.fields] == ["gate", "rail_m", "drop_m"]
    assert std.reference("GB50352") is not None
    assert std.fragments["rail-demo"].version == "2026.2"
    assert std.common_origin["U-03"][1] == "low_drop"


def test_resolved_rules_score_like_written_ones() -> None:
    catalog = Catalog([load_standard(DEMO)])
    doc = {
        "format": 1, "standard": "uses-demo", "facility": {"name": "f"}, "assessor": {"name": "a"},
        "audited_on": "2026-06-02", "observations": {"gate": True, "rail_m": 1.2, "drop_m": 30},
    }  # fmt: skip
    result = check(parse_audit(json.dumps(doc), catalog, "a.json"), catalog)
    status = {r.id: r.status for r in result.rules}
    assert status == {"U-01": "pass", "U-02": "fail", "U-03": "fail", "U-09": "pass"}
    doc["observations"] = {"gate": True, "rail_m": 1.3, "drop_m": 23.9}
    result = check(parse_audit(json.dumps(doc), catalog, "a.json"), catalog)
    assert {r.id: r.status for r in result.rules} == dict.fromkeys(status, "pass")


def test_show_and_docs_name_the_item_version_and_parameters() -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["show", str(DEMO), "--lang", "en"]).output
    assert "defined in: common item rail-demo 2026.2 (Rails (test), rule rail)" in out
    assert "Rail height = 1.30 m (default 1.10)" in out and "why it differs: Younger children" in out
    zh = runner.invoke(cli, ["show", str(DEMO), "--lang", "zh"]).output
    assert "定义于: 共用条目 rail-demo 2026.2（栏杆（测试），条款 low_drop）" in zh
    md = runner.invoke(cli, ["show", str(DEMO), "--format", "markdown"]).output
    assert "## 共用条目 / Common items" in md
    assert "| `rail-demo` 栏杆（测试） / Rails (test) | 2026.2 | rail → `U-02`, low_drop → `U-03` |" in md
    assert "U-01" not in md.split("## 共用条目")[1].split("## 安全")[0]


def test_the_reason_for_a_changed_weight_is_shown_without_parameters() -> None:
    """A use that only re-weights a rule (no `with`) still says why, in check show and on the page."""
    runner = CliRunner()
    en = runner.invoke(cli, ["show", "yuzhong-hospital", "--lang", "en"]).output
    line = next(x for x in en.splitlines() if "common item aed" in x)
    assert "why it differs: Clinical departments already hold resuscitation equipment" in line
    zh = runner.invoke(cli, ["show", "yuzhong-hospital", "--lang", "zh"]).output
    assert "不同之处的理由：医院临床科室已配备儿科抢救设备" in zh
    md = runner.invoke(cli, ["show", "yuzhong-hospital", "--format", "markdown"]).output
    row = next(x for x in md.splitlines() if x.startswith("| `aed`"))
    assert "医院临床科室已配备儿科抢救设备" in row and "Clinical departments already hold" in row


def test_catalogue_does_not_list_fragments(tmp_path: Path) -> None:
    _tree(tmp_path)
    shutil.copy(FRAGMENT, tmp_path / "stray-fragment.yaml")
    catalog = Catalog.discover([tmp_path], builtin=False, environment=False)
    assert catalog.ids() == ["uses-demo"]
    assert catalog.errors == []


def test_fixture_files_lint_clean_and_match_their_schemas() -> None:
    assert lint_file(DEMO) == [] and lint_file(FRAGMENT) == []
    data, _ = parse_yaml(FRAGMENT.read_text(encoding="utf-8"), "f")
    jsonschema.Draft202012Validator(bundled_schema("common")).validate(data)
    data, _ = parse_yaml(DEMO.read_text(encoding="utf-8"), "s")
    jsonschema.Draft202012Validator(bundled_schema("standard")).validate(data)


def test_common_schema_is_derived_from_the_standard_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(bundled_schema("common"))
    assert bundled_schema("common") == json.loads(json.dumps(derive())), "run tests/common/derive_schema.py"


STANDARD_ERRORS = [
    # (edit of the standard, edit of the fragment, located at (line of the standard), en fragment, zh fragment)
    (
        _swap("common: rail-demo", "common: rail-dem"),
        None,
        24,
        "there is no common item 'rail-dem'",
        "没有名为 'rail-dem' 的共用条目",
        "did you mean 'rail-demo'?",
    ),
    (
        _swap("with: {height_m: 1.3}", "with: {heigth_m: 1.3}"),
        None,
        28,
        "common item rail-demo declares no parameter heigth_m",
        "没有声明参数 heigth_m",
        "did you mean 'height_m'?",
    ),
    (
        _swap("    because: {zh: 儿童更小, en: Younger children}\n", ""),
        None,
        28,
        "needs the reason (`because`)",
        "必须说明理由（because）",
        "because",
    ),
    (
        _swap("rules: {rail: U-02, ", "rules: {"),
        None,
        27,
        "rule rail of common item rail-demo has no rule id",
        "条款 rail 没有对应本标准的条款编号",
        "map it",
    ),
    (
        _swap("rail: U-02", "rail: U-02, rial: U-05"),
        None,
        27,
        "common item rail-demo has no rule rial",
        "没有条款 rial",
        "did you mean 'rail'?",
    ),
    (
        _swap("fields:\n", "fields:\n  - {id: rail_m, label: {zh: 栏杆, en: Rail}, type: number}\n"),
        None,
        25,
        "field 'rail_m' of the common item differs",
        "与本标准中同名字段的定义不同",
        "$.fields[0]",
    ),
    (
        _swap("section: safety", "section: safty"),
        None,
        25,
        "this standard has no section 'safty'",
        "没有分项 'safty'",
        "did you mean 'safety'?",
    ),
    (
        _swap("after: U-01", "after: U-07"),
        None,
        26,
        "the section has no rule 'U-07'",
        "没有条款 'U-07'",
        "after",
    ),
    (
        _swap("height_m: 1.3}", "height_m: 2.0}"),
        None,
        28,
        "outside the allowed range 0.9 to 1.5",
        "超出允许范围",
        "range",
    ),
    (
        _swap("rail: U-02,", "rail: {id: U-02, mandatory: false, points: 2},"),
        None,
        27,
        "is a prerequisite; making it a scored rule",
        "改为评分项",
        "because",
    ),
    (_swap("rail: U-02,", "rail: U-01,"), None, 27, "duplicate rule id 'U-01'", "U-01", ""),
]


@pytest.mark.parametrize(("standard", "fragment", "line", "en", "zh", "hint"), STANDARD_ERRORS)
def test_every_misuse_is_a_located_lint_error_exit_2(  # type: ignore[no-untyped-def]
    tmp_path: Path, standard, fragment, line: int, en: str, zh: str, hint: str
) -> None:
    if "mandatory: false" in standard(DEMO.read_text(encoding="utf-8")):
        standard_text = standard(_swap("    with: {height_m: 1.3}\n    because: {zh: 儿童更小, en: Younger children}\n", "")(
            DEMO.read_text(encoding="utf-8")))  # fmt: skip
        path = _tree(tmp_path, standard_text)
    else:
        path = _tree(tmp_path, standard, fragment)
    assert_lint_error(path, line, en, zh, hint)


def assert_lint_error(path: Path, line: int, en: str, zh: str, hint: str) -> None:
    """check lint exits 2 with the problem located at ``line`` in both languages; loading refuses it."""
    runner = CliRunner()
    result = runner.invoke(cli, ["lint", str(path), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}:" in result.output and en in result.output and hint in result.output, result.output
    assert zh in runner.invoke(cli, ["lint", str(path), "--lang", "zh"]).output
    with pytest.raises(StandardError):
        load_standard(path)


FRAGMENT_ERRORS = [
    (
        _swap("gte: {param: height_m}", "gte: {param: hieght_m}"),
        21,
        "uses the undeclared parameter 'hieght_m'",
    ),
    (_swap('"Raise to {height_m} m"', '"Raise to {hight} m"'), 22, "uses the undeclared parameter 'hight'"),
    (_swap("common: rail-demo", "common: rail-demos"), 3, "differs from its file name rail-demo"),
    (_swap("default: 24,", "default: 24.5,"), 9, "takes a whole number"),
    (_swap("  - key: low_drop\n", "  - low: x\n"), 23, "needs a `key`"),
    (_swap("{field: drop_m, lt:", "{field: drop, lt:"), 27, "field 'drop' is not declared"),
]


@pytest.mark.parametrize(("fragment", "line", "en"), FRAGMENT_ERRORS)
def test_fragment_errors_are_located_in_the_fragment(tmp_path: Path, fragment, line: int, en: str) -> None:  # type: ignore[no-untyped-def]
    path = _tree(tmp_path, None, fragment)
    frag = tmp_path / "common" / "rail-demo.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["lint", str(frag), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert f"{frag}:{line}:" in result.output and en in result.output, result.output
    through = runner.invoke(cli, ["lint", str(path), "--lang", "en"])
    assert through.exit_code == 2 and f"{frag}:" in through.output, through.output


def test_a_fragment_is_not_a_standard() -> None:
    with pytest.raises(StandardError) as info:
        load_standard(FRAGMENT)
    assert "this is a common item" in str(info.value.problems[0])


def test_reference_resolver_agrees() -> None:
    """tests/reference.py writes the uses out on its own; both must give the same rules and fields."""
    import yaml

    from ..reference import resolve_uses

    doc = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    want = resolve_uses(doc, {"rail-demo": yaml.safe_load(FRAGMENT.read_text(encoding="utf-8"))})
    got = load_standard(DEMO).model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    assert [s["rules"] for s in got["sections"]] == [s["rules"] for s in want["sections"]]
    assert got["fields"] == want["fields"]


def test_a_use_may_state_its_own_weaker_grade(tmp_path: Path) -> None:
    """A building clause applied outdoors is [S]: the standard says so for its rule; the item's own grade stays."""
    note = "{zh: 室外适用为本区补充要求, en: Applied outdoors by the district}"
    path = _tree(
        tmp_path, _swap("{rail: U-02,", "{rail: {id: U-02, source: {status: S, note: " + note + "}},")
    )
    assert lint_file(path) == []
    rail = load_standard(path).rule_map["U-02"]
    assert rail.source is not None and rail.source.status == "S"
    assert rail.source.note is not None and rail.source.note.en == "Applied outdoors by the district"
    assert rail.ref is not None and rail.ref.clause == "6.7.3"
    assert load_standard(DEMO).rule_map["U-02"].source.status == "R"  # type: ignore[union-attr]
    (tmp_path / "bad").mkdir()
    bad = _tree(tmp_path / "bad", _swap("{rail: U-02,", "{rail: {id: U-02, source: {status: Q}},"))
    assert lint_file(bad) != []
