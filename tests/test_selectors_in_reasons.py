"""No shipped standard's reason reads a case selector as a requirement (issue #11).

A selector is what picks the case a requirement applies in: the enrolment a
fitting count is divided by, "boys = 0" (nothing needed), "old building" (the
1.05 m allowance), a floor-area band, a ``cases`` ``when``. Every rule of every
shipped standard is checked against every shipped example and every rule case
(tests/cases), in both languages: a selector's label may be followed by its
observed value, never by "（要求 …）", "低于要求", "(required …)" and the like.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import Catalog, check, parse_audit
from checker.core.compiled import compiled
from checker.core.conditions import Condition
from checker.core.conditions.cases import Cases
from checker.core.conditions.nodes import Compare
from checker.core.conditions.selectors import (
    Alternatives,
    _divisors,
    _exempting,
    _flat_all,
    _leaf_fields,
    _targets,
)
from checker.core.errors import CheckerError

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Catalog.discover(environment=False)
ZH = r"(?:：| )[^；，（]*?(?:（要求|，低于要求|，超过上限|，未超过|，未低于)"
EN = r"(?::| )[^;,(]*?(?: \(required| is below the required| exceeds the maximum| is not above| is not below)"


def selectors(node: Condition | None) -> set[str]:
    """The fields that choose a case anywhere in ``node``."""
    if node is None:
        return set()
    out: set[str] = set()
    if isinstance(node, Cases):
        for case in node.cases:
            out |= set(case.when.field_ids())
            out |= selectors(case.when) | selectors(case.require)
        return out
    if isinstance(node, Alternatives):
        branches = list(node.parts)
        divisors = set().union(*(_divisors(b) for b in branches))
        exempt = [b for b in branches if _exempting(b, branches, divisors)]
        real = [b for b in branches if b not in exempt]
        out |= {f for b in exempt for f in b.field_ids()}
        targets = _targets(real[0], real) if real else set()
        for branch in real:
            leaves = _flat_all(branch)
            if len(leaves) > 1:
                out |= {f for leaf in leaves if isinstance(leaf, Compare) and not _leaf_fields(leaf) & targets
                        for f in leaf.field_ids()}  # fmt: skip
    for part in getattr(node, "parts", None) or []:
        out |= selectors(part)
    inner = getattr(node, "part", None)
    return out | selectors(inner)


def _audits(stem: str, standard_id: str) -> list[dict[str, Any]]:
    docs = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / stem).glob("*.json"))
    ]
    docs = [d for d in docs if d.get("standard") == standard_id]
    cases = ROOT / "tests" / "cases" / f"{stem}.yaml"
    if cases.exists():
        for case in yaml.safe_load(cases.read_text(encoding="utf-8"))["cases"]:
            docs.append({
                "format": 1, "standard": standard_id, "facility": {"name": "case"}, "assessor": {"name": "case"},
                "audited_on": "2026-06-01", "observations": case["observations"],
            })  # fmt: skip
    return docs


def _applies_only(applies: Condition | None, require: Condition | None) -> set[str]:
    """Fields that pick whether a rule applies, less those its requirement also bounds.

    A fall height that makes a rule apply above 0.6 m and must stay at most 3 m is
    both: the reason may say it exceeds its maximum.
    """
    if applies is None:
        return set()
    required = set(require.field_ids() if require is not None else ()) - selectors(require)
    return set(applies.field_ids()) - required


STEMS = sorted(p.stem for p in (ROOT / "standards").glob("*.yaml"))


@pytest.mark.parametrize("stem", STEMS)
def test_no_reason_reads_a_selector_as_a_requirement(stem: str) -> None:
    standard_id = yaml.safe_load((ROOT / "standards" / f"{stem}.yaml").read_text(encoding="utf-8"))["id"]
    std = CATALOG.get(standard_id)
    chosen = {
        cr.rule.id: selectors(cr.require)
        | {f for _, w in cr.tiers or [] for f in selectors(w)}
        | _applies_only(cr.applies, cr.require)
        for cr in compiled(std).rules
    }
    assert any(chosen.values()) or stem not in ("schools", "parks"), "the selector finder found nothing"
    bad = []
    for i, doc in enumerate(_audits(stem, standard_id)):
        try:
            result = check(parse_audit(json.dumps(doc), CATALOG, f"{stem}-{i}.json"), CATALOG)
        except CheckerError:  # an invalid case file is test_cases' business
            continue
        for row in result.rules:
            for fid in chosen.get(row.id, ()):
                field = std.field_map[fid]
                for lang, pattern in (("zh", ZH), ("en", EN)):
                    text = row.reason(lang)
                    if re.search(re.escape(field.label(lang)) + pattern, text):
                        bad.append((row.id, fid, text))
    assert bad == [], bad[:5]
