"""The shipped standards, schemas and catalogue meet the project's own bar."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from checker import Catalog, check, load_audit
from checker.cli.main import cli
from checker.core.lint import lint_file
from checker.core.schema import audit_schema_for, bundled_schema, generated_result_schema
from checker.core.standard_load import load_standard
from checker.forms.json_template import audit_template
from checker.report.catalogue import render_markdown

ROOT = Path(__file__).resolve().parent.parent
STANDARD_FILES = sorted((ROOT / "standards").glob("*.yaml"))
CATALOG = Catalog.discover(environment=False)


@pytest.mark.parametrize("path", STANDARD_FILES, ids=[p.stem for p in STANDARD_FILES])
def test_shipped_standard_is_complete(path: Path) -> None:
    assert lint_file(path) == []
    std = load_standard(path)
    rules = list(std.rule_map.values())
    assert 20 <= len(rules) <= 45  # 2026.2 (issue #11): common items split rails, legacy allowance and gaps
    assert 4 <= len(std.sections) <= 6
    assert sum(r.mandatory for r in rules) >= 8
    assert 1 <= sum(r.bonus for r in rules) <= 3
    assert sum(r.credit is not None for r in rules) >= 3
    assert [lv.id for lv in std.levels] == ["compliant", "exemplary"]
    assert std.scoring is not None and std.scoring.bonus_cap_percent == 10
    for rule in rules:
        assert rule.source is not None, rule.id
        assert rule.remediation is not None and rule.remediation.zh and rule.remediation.en, rule.id
    for f in std.fields:
        if f.type == "enum":
            assert f.value_labels is not None and set(f.value_labels) == set(f.values or []), f.id


def _fields_named(node: object, out: set[str]) -> set[str]:
    """Every field a condition, requirement or credit names (``field:`` and ``of:``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("field", "of") and isinstance(value, str):
                out.add(value)
            _fields_named(value, out)
    elif isinstance(node, list):
        for value in node:
            _fields_named(value, out)
    return out


@pytest.mark.parametrize("path", STANDARD_FILES, ids=[p.stem for p in STANDARD_FILES])
def test_every_field_on_the_form_is_read(path: Path) -> None:
    """A field no rule reads and no shipped plan counts by is a question on the form that decides nothing."""
    std = load_standard(path)
    read: set[str] = set()
    for rule in std.rule_map.values():
        _fields_named(rule.model_dump(mode="python", by_alias=True), read)
    for plan in sorted((ROOT / "plans").glob("*.yaml")):
        _fields_named(yaml.safe_load(plan.read_text(encoding="utf-8")), read)
    assert [f.id for f in std.fields if f.id not in read] == []


@pytest.mark.parametrize("path", STANDARD_FILES, ids=[p.stem for p in STANDARD_FILES])
def test_catalogue_page_is_current(path: Path) -> None:
    std = load_standard(path)
    page = ROOT / "docs" / "standards" / f"{std.id}.md"
    assert page.read_text(encoding="utf-8") == render_markdown(std), "run `check docs`"


def test_docs_check_command_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert CliRunner().invoke(cli, ["docs", "--check"]).exit_code == 0


def test_bundled_schemas_are_valid_and_result_schema_is_current() -> None:
    for name in ("standard", "audit", "result"):
        jsonschema.Draft202012Validator.check_schema(bundled_schema(name))
    assert bundled_schema("result") == json.loads(json.dumps(generated_result_schema()))


def test_template_standard_lints() -> None:
    assert lint_file(ROOT / "docs" / "standard-template.yaml") == []


@pytest.mark.parametrize("standard_id", CATALOG.ids())
def test_examples_and_template_validate_against_the_published_schemas(standard_id: str) -> None:
    std = CATALOG.get(standard_id)
    audit_validator = jsonschema.Draft202012Validator(audit_schema_for(std))
    result_validator = jsonschema.Draft202012Validator(bundled_schema("result"))
    stem = Path(CATALOG.path_of(standard_id)).stem
    for example in sorted((ROOT / "examples" / stem).glob("*.json")):
        data = json.loads(example.read_text(encoding="utf-8"))
        errors = list(audit_validator.iter_errors(data))
        if example.stem.startswith("invalid"):
            assert errors
            continue
        assert errors == [], example
        result = check(load_audit(example, CATALOG), CATALOG)
        assert list(result_validator.iter_errors(json.loads(result.to_json()))) == []
    template = audit_template(std)
    template.update(audited_on="2026-12-01", facility={"name": "示例"}, assessor={"name": "评估员"})
    assert list(audit_validator.iter_errors(template)) == []
