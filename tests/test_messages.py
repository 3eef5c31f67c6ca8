"""The message catalogue: complete in both languages, used everywhere, and no library text leaks.

Also the assessor's view of it: JSON syntax hints for what people actually
type, every problem of an audit in one pass, Chinese-only output with --lang zh,
and Chinese for an empty or C locale.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from checker import AuditError, Catalog, Problem, StandardError, parse_audit, parse_standard
from checker.core.audit import Assessor, Audit, Facility, Waiver
from checker.core.messages import catalogue, plain, say
from checker.core.standard import FIELD_TYPES
from checker.core.text import default_lang

from .conftest import FIXTURE_STANDARD, GOOD, ROOT, audit_doc

CHECKER = ROOT / "checker"
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
# families of keys built at run time (f-strings): every member must exist
DYNAMIC = {
    "want.": [f"want.{t}" for t in FIELD_TYPES if t not in ("integer", "number")]
    + [f"want.{k}{s}" for k in ("integer", "number") for s in ("", "_range", "_min", "_max")],
    "source.": [f"source.{k}" for k in ("zip", "xls", "pdf", "image")],
    "word.": [f"word.{k}" for k in ("field", "reference", "level", "section", "rule")],
    "audit.": [f"audit.placeholder_{k}" for k in ("facility", "assessor")],
    "hint.": [f"hint.{k}" for k in ("zip", "xls", "pdf", "image")]
    + [f"hint.type_{w}" for w in ("text", "integer", "number", "boolean", "object", "list", "date")],
}
LEAKS = ("Input should", "Value should", "String should", "Field required", "Expecting", "Extra inputs")


def _source_keys() -> set[str]:
    found: set[str] = set()
    for path in CHECKER.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"""["']((?:[a-z]+)\.[a-z_0-9]+)["']""", text))
    return found


def test_every_entry_has_both_languages_and_the_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        assert CJK.search(entry["zh"]) or key.startswith("want."), f"{key}: zh has no Chinese"
        zh, en = set(PLACEHOLDER.findall(entry["zh"])), set(PLACEHOLDER.findall(entry["en"]))
        # only {detail}, a library's own English words, may be left out of the Chinese
        assert zh == en - {"detail"}, key


def test_every_key_used_exists_and_every_entry_is_used() -> None:
    used = _source_keys()
    for family in DYNAMIC.values():
        used.update(family)
    known = set(catalogue())
    prefixes = {k.split(".")[0] for k in known}
    missing = sorted(k for k in used if k.split(".")[0] in prefixes and k not in known and "." in k)
    # string literals that merely look like keys (file names, attributes) are not messages
    missing = [k for k in missing if not re.search(r"\.(json|yaml|md|py|txt|xlsx|pdf|csv)$", k)]
    assert missing == [], missing
    assert sorted(known - used) == []


def test_say_renders_both_languages() -> None:
    msg = say("obs.unknown_field", key="'x'", standard="s")
    assert (msg.key, msg("en")) == ("obs.unknown_field", "unknown field 'x' for s")
    assert msg("zh") == "s 中没有字段 'x'"
    bilingual = say("hint.did_you_mean", word=say("word.list"))
    assert "列表" in bilingual.zh and "a list" in bilingual.en
    assert say("hint.declared", ids=[plain("a"), plain("b")]).zh == "已声明：a、b"
    assert say("no.such_key", x=1).en == "no.such_key x=1"  # never a crash on a missing entry


def test_problem_carries_both_languages() -> None:
    problem = Problem.of("a.json", say("json.trailing_comma"), say("hint.trailing_comma"), line=3, column=4)
    assert str(problem) == "a.json:3:4: a comma after the last item — remove this comma"
    assert problem.text("zh") == "a.json:3:4: 最后一项后面多了一个逗号 — 删除这个逗号"
    data = problem.to_dict()
    assert data["code"] == "json.trailing_comma"
    assert data["message"] == {"zh": "最后一项后面多了一个逗号", "en": "a comma after the last item"}
    assert pickle.loads(pickle.dumps(problem)) == problem
    legacy = Problem("a.json", "plain text", hint="fix")  # plain strings still work
    assert legacy.text("zh") == legacy.text("en") == "a.json: plain text — fix"


def _problems(catalog: Catalog, text: str) -> list[Problem]:
    with pytest.raises(AuditError) as info:
        parse_audit(text, catalog, "a.json")
    return info.value.problems


def _doc(obs: dict[str, Any] | None = None, **changes: Any) -> str:
    return json.dumps(audit_doc({**GOOD, **(obs or {})}, **changes), ensure_ascii=False, indent=1)


@pytest.mark.parametrize(
    ("old", "new", "code", "hint_fragment"),
    [
        ('"count_n": 3,', '"count_n": 3，', "json.full_width", "，"),
        ('"name": "测试公园"', '"name": “测试公园”', "json.full_width", "“"),
        ('"height_m": 0.7', '"height_m": 70%', "json.number_unit", "0.4"),
        ('"height_m": 0.7', '"height_m": 1.05m', "json.number_unit", "1.05"),
        ('"count_n": 3,', '"count_n": 3, // 备注', "json.comment", "note"),
        ('"gate": true', '"gate": 是', "json.bare_word", "true"),
        ('"height_m": 0.7', '"height_m": 不详', "json.bare_word", "null"),
        ('"gate": true', '"gate": True', "json.bare_word", "true"),
    ],
)
def test_json_hints_for_what_assessors_type(
    fixture_catalog: Catalog, old: str, new: str, code: str, hint_fragment: str
) -> None:
    text = _doc()
    assert old in text
    problems = _problems(fixture_catalog, text.replace(old, new, 1))
    first = problems[0]
    assert first.code == code, [str(p) for p in problems]
    line = next(i for i, row in enumerate(text.replace(old, new, 1).splitlines(), 1) if new in row)
    assert first.line == line
    assert hint_fragment in first.hint_in("zh") or hint_fragment in first.hint_in("en")


def test_trailing_comma_and_several_syntax_errors_in_one_run(fixture_catalog: Catalog) -> None:
    text = _doc().replace('"count_n": 3,', '"count_n": 3，').replace('"kids": 300,', '"kids": 300，')
    text = text.replace("\n }\n}", ",\n }\n}")  # a trailing comma after the last observation
    problems = _problems(fixture_catalog, text)
    assert [p.code for p in problems] == ["json.full_width", "json.full_width", "json.trailing_comma"]


def test_repaired_punctuation_lets_validation_go_on(fixture_catalog: Catalog) -> None:
    text = _doc({"height_m": 9}).replace('"count_n": 3,', '"count_n": 3，')
    codes = [p.code for p in _problems(fixture_catalog, text)]
    assert sorted(codes) == ["json.full_width", "obs.out_of_range"]


def test_guessed_values_stop_after_syntax(fixture_catalog: Catalog) -> None:
    text = _doc({"kids": 9999999}).replace('"height_m": 0.7', '"height_m": 70%')
    assert [p.code for p in _problems(fixture_catalog, text)] == ["json.number_unit"]


def test_header_and_observation_errors_together(fixture_catalog: Catalog) -> None:
    text = _doc(
        {"height_m": "1.05m", "gate": "否", "surface": "橡胶", "count_n": 2.5},
        audited_on="2026年5月12日",
        facility={"name": ""},
        waivers=[{"rule": "T-M1", "reason": "r", "approved_by": "b", "expires": "soon"}],
    )
    problems = _problems(fixture_catalog, text)
    by_path = {p.path: p for p in problems}
    assert by_path["$.audited_on"].hint == 'write "2026-05-12"'
    assert by_path["$.facility.name"].code == "model.text_too_short"
    assert by_path["$.observations.height_m"].hint == "write 1.05 without quotes and without the unit"
    assert by_path["$.observations.gate"].hint_in("zh") == "写 false，不加引号（不写 否）"
    assert by_path["$.observations.count_n"].hint == "write a whole number"
    assert by_path["$.waivers[0].rule"].code == "waiver.prerequisite"
    assert by_path["$.waivers[0].expires"].code == "model.date_format"
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_template_placeholder_date_is_named(fixture_catalog: Catalog) -> None:
    (problem,) = _problems(fixture_catalog, _doc(audited_on="YYYY-MM-DD"))
    assert problem.code == "model.date_placeholder" and "2026-05-12" in problem.hint


def test_a_workbook_given_as_json_is_named(fixture_catalog: Catalog) -> None:
    with pytest.raises(AuditError) as info:
        parse_audit(b"PK\x03\x04" + bytes(range(256)), fixture_catalog, "a.xlsx")
    assert info.value.problems[0].code == "source.zip"
    assert "check" in info.value.problems[0].hint


def test_gbk_file_is_named(fixture_catalog: Catalog) -> None:
    with pytest.raises(AuditError) as info:
        parse_audit(_doc().encode("gbk"), fixture_catalog, "a.json")
    assert "GBK" in info.value.problems[0].hint


# --- no library text, Chinese only with --lang zh ------------------------------------------------

BAD_AUDITS = [
    _doc(audited_on="12/05/2026", facility={"name": ""}, assessor={"nam": "x"}),
    _doc({"height_m": "3.2公顷", "gate": "部分有", "surface": "rubbr", "heigth_m": 1}),
    _doc({"height_m": {"value": 1, "evidence": "IMG_2034.jpg"}, "kids": 30000, "inspected_on": "2025/2/30"}),
    _doc(format=2, observations=[], waivers={}),
    _doc(standard="test-fixtur"),
    _doc(standard_version="0.9"),
    json.dumps({"format": 1}),
    "[1, 2]",
    "",
    _doc().replace('"gate": true', '"gate": yes').replace('"kids": 300', '"kids": 300 人'),
    _doc().replace('"operator_name": "city"', "'operator_name': 'city'"),
]


def _allowed_words(catalog: Catalog) -> set[str]:
    std = next(iter(catalog))
    words = {"JSON", "YAML", "UTF", "GBK", "GB18030", "null", "true", "false", "YYYY", "MM", "DD", "check"}
    words |= {"template", "show", "list", "import", "xlsx", "Excel", "Tab", "standards", "yes", "from"}
    words |= set(Audit.model_fields) | set(Facility.model_fields) | set(Assessor.model_fields)
    words |= set(Waiver.model_fields) | {"value", "evidence", "note", "photos", "jpg", "std", "nam"}
    words |= {f.id for f in std.fields} | {std.id} | {f.unit_in("zh") for f in std.fields if f.unit}
    words |= {v for f in std.fields for v in f.values or []}
    return words


def _latin_words(text: str, allowed: set[str]) -> list[str]:
    text = re.sub(r'"[^"]*"|\'[^\']*\'|“[^”]*”', "", text)  # quoted values as typed
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_0-9-]*", text) if w not in allowed and len(w) > 1]


@pytest.mark.parametrize("text", BAD_AUDITS, ids=range(len(BAD_AUDITS)))
def test_no_library_text_and_chinese_only(fixture_catalog: Catalog, text: str) -> None:
    allowed = _allowed_words(fixture_catalog)
    for problem in _problems(fixture_catalog, text):
        both = problem.text("zh") + problem.text("en")
        assert not any(leak in both for leak in LEAKS), both
        assert problem.message_zh and problem.code, problem  # from the catalogue
        chinese = problem.message_in("zh") + " " + problem.hint_in("zh")
        assert _latin_words(chinese, allowed) == [], chinese


def test_invalid_example_in_chinese_only() -> None:
    from click.testing import CliRunner

    from checker.cli.main import cli

    result = CliRunner().invoke(cli, ["--lang", "zh", str(ROOT / "examples/schools/invalid.json")])
    catalog = Catalog.discover(environment=False)
    std = catalog.get("yuzhong-school")
    allowed = {f.id for f in std.fields} | {"stairwell_gap", std.id, "m", "YYYY", "MM", "DD"}
    for line in result.stderr.splitlines():
        body = line.split(": $.", 1)[1].split(": ", 1)[1]
        assert _latin_words(body, allowed) == [], line


def test_standard_errors_have_no_library_text() -> None:
    base = FIXTURE_STANDARD.read_text(encoding="utf-8")
    broken = base.replace('version: "1.0"', "version: 1.10").replace(
        "facility_type: park", "facility_type: x"
    )
    with pytest.raises(StandardError) as info:
        parse_standard(broken, "s.yaml")
    for problem in info.value.problems:
        assert problem.message_zh and not any(leak in str(problem) for leak in LEAKS)


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "zh"),
        ({"LANG": ""}, "zh"),
        ({"LANG": "C"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),
        ({"LANG": "C", "LANGUAGE": "en"}, "zh"),  # gettext ignores LANGUAGE in the C locale
    ],
)
def test_default_lang(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_lang() == lang


def test_catalogue_ships_with_the_package() -> None:
    assert (CHECKER / "core" / "messages.yaml").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "core/*.yaml" in pyproject
    assert Path(CHECKER / "core" / "messages.yaml").read_text(encoding="utf-8").count("\n  zh: ") == len(
        catalogue()
    )
