"""The JSON template validates untouched (as incomplete) and marks prerequisites and conditions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checker import AuditError, Catalog, check, parse_audit
from checker.cli.main import cli
from checker.forms.json_template import audit_template

CATALOG = Catalog.discover(environment=False)


def test_every_untouched_template_checks_as_incomplete() -> None:
    for standard_id in CATALOG.ids():
        result = CliRunner().invoke(cli, ["template", standard_id])
        assert result.exit_code == 0
        audit = parse_audit(result.stdout, CATALOG, "t.json")
        assert check(audit, CATALOG).verdict == "incomplete", standard_id


def test_help_marks_prerequisites_and_conditions() -> None:
    template = audit_template(CATALOG.get("yuzhong-park"))
    help_ = template["_help"]
    assert "PRK-PLY-06" in help_["prerequisites"]["swing_front_rear_clear_m"]
    assert "设有秋千" in help_["only_when"]["swing_front_rear_clear_m"]
    assert "has_swings" in help_["prerequisites"] and "has_swings" not in help_["only_when"]
    note = template["observations"]["swing_front_rear_clear_m"]["note"]
    assert "控制项" in note and "仅当" in note


def test_placeholder_names_must_go_once_something_is_observed(tmp_path: Path) -> None:
    template = audit_template(CATALOG.get("yuzhong-park"))
    template["observations"]["has_swings"]["value"] = True
    try:
        parse_audit(json.dumps(template, ensure_ascii=False), CATALOG, "t.json")
    except AuditError as exc:
        paths = {p.path for p in exc.problems}
        assert paths == {"$.facility.name", "$.assessor.name"}
    else:
        raise AssertionError("placeholder names were accepted")


def test_template_from_an_earlier_audit(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples/parks/compliant.json"
    result = CliRunner().invoke(cli, ["template", "yuzhong-park", "--from", str(example)])
    audit = parse_audit(result.stdout, CATALOG, "t.json")
    assert audit.facility.name == json.loads(example.read_text(encoding="utf-8"))["facility"]["name"]
