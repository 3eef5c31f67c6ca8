"""Per-rule cases: every rule of every shipped standard passes and fails on real data.

Cases live in ``tests/cases/<standard file stem>.yaml`` so reviewers can add
one without writing Python::

    standard: yuzhong-school
    cases:
      - rule: SCH-SAF-01
        expect: pass            # not_applicable | missing | pass | partial | fail
        earned: 4               # optional: points earned, for scored rules
        note: railing exactly at 1.10 m passes
        observations: {has_drop_edges: true, railing_height_m: 1.10}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import Catalog, evaluate
from checker.core.audit import Audit
from checker.core.audit_load import validate_audit
from checker.core.json_source import JsonDoc

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))


def _catalog() -> Catalog:
    return Catalog.discover(builtin=True, environment=False)


CATALOG = _catalog()


def _load(path: Path) -> tuple[str, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["standard"], data["cases"]


def _params() -> list[Any]:
    out = []
    for path in CASES:
        standard_id, cases = _load(path)
        for i, case in enumerate(cases):
            ident = f"{path.stem}-{case['rule']}-{i}-{case['expect']}"
            out.append(pytest.param(standard_id, case, id=ident))
    return out


def _audit(standard_id: str, observations: dict[str, Any]) -> Audit:
    doc = {
        "format": 1,
        "standard": standard_id,
        "facility": {"name": "case"},
        "assessor": {"name": "case"},
        "audited_on": "2026-06-01",
        "observations": observations,
    }
    return validate_audit(JsonDoc(doc, "", "<case>"), CATALOG)


@pytest.mark.parametrize(("standard_id", "case"), _params())
def test_rule_case(standard_id: str, case: dict[str, Any]) -> None:
    standard = CATALOG.get(standard_id)
    audit = _audit(standard_id, case.get("observations") or {})
    outcomes = {o.id: o for o in evaluate(standard, audit).outcomes}
    outcome = outcomes[case["rule"]]
    assert outcome.status.value == case["expect"], (case.get("note"), outcome.reason("en"))
    if "earned" in case:
        assert outcome.earned == pytest.approx(case["earned"], abs=1e-6)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_rule_passes_and_fails(path: Path) -> None:
    standard_id, cases = _load(path)
    standard = CATALOG.get(standard_id)
    seen: dict[str, set[str]] = {}
    for case in cases:
        seen.setdefault(case["rule"], set()).add(case["expect"])
    for rule_id in standard.rule_map:
        statuses = seen.get(rule_id, set())
        assert "pass" in statuses, f"{rule_id}: no passing case"
        assert "fail" in statuses, f"{rule_id}: no failing case"
