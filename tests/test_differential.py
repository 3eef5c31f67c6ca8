"""Differential test: the checker agrees with tests/reference.py on thousands of audits.

Audits are built from the shipped standards with values chosen at and around
every threshold the standard names (exactly at it, within and beyond the 1e-9
tolerance, one step off), plus missing and null fields, waivers in force,
expired and on rules that may not apply, so boundaries are exercised rather
than sampled by luck.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import Catalog, check, parse_audit

from .reference import OPS, evaluate, resolve_uses

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = sorted((ROOT / "standards").glob("*.yaml"))
CATALOG = Catalog.discover(environment=False)
AUDITS_PER_STANDARD = 1000


def _thresholds(node: Any, out: dict[str, set[Any]]) -> None:
    if isinstance(node, dict):
        if "field" in node and isinstance(node.get("field"), str):
            for op in OPS:
                if op in node:
                    values = node[op] if isinstance(node[op], list) else [node[op]]
                    out.setdefault(node["field"], set()).update(v for v in values if not isinstance(v, list))
        if "zero_at" in node:
            out.setdefault(node["field"], set()).update([node["zero_at"], node["full_at"]])
        for value in node.values():
            _thresholds(value, out)
    elif isinstance(node, list):
        for item in node:
            _thresholds(item, out)


def _value(f: dict[str, Any], marks: set[Any], rng: random.Random) -> Any:
    kind = f["type"]
    if kind == "boolean":
        return rng.random() < 0.7
    if kind == "enum":
        return rng.choice(f["values"])
    if kind == "text":
        return rng.choice([*(m for m in marks if isinstance(m, str)), "x", ""])
    if kind == "date":
        base = dt.date.fromisoformat(rng.choice([*(m for m in marks if isinstance(m, str)), "2026-06-01"]))
        return (base + dt.timedelta(days=rng.choice([-1, 0, 0, 1, 400]))).isoformat()
    low, high = f.get("min", 0), f.get("max", 1000)
    numeric = [m for m in marks if isinstance(m, int | float) and not isinstance(m, bool)]
    if numeric and rng.random() < 0.75:
        mark = rng.choice(numeric)
        if kind == "integer":
            x = int(mark) + rng.choice([-1, 0, 0, 1])
        else:
            x = mark + rng.choice([0.0, 0.0, 1e-10, -1e-10, 1e-6, -1e-6, 0.01, -0.01, 1.0, -1.0])
    elif kind == "integer":
        x = rng.randint(int(low), int(min(high, low + 200)))
    else:
        x = round(rng.uniform(low, min(high, low + 200)), 3)
    return min(max(x, low), high)


def _audits(std_doc: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    marks: dict[str, set[Any]] = {}
    _thresholds(std_doc["sections"], marks)
    scored = [r["id"] for s in std_doc["sections"] for r in s["rules"] if not r.get("mandatory")]
    out = []
    for _ in range(AUDITS_PER_STANDARD):
        obs: dict[str, Any] = {}
        complete = rng.random() < 0.5
        for f in std_doc["fields"]:
            roll = rng.random()
            if not complete and roll < 0.08:
                continue
            if not complete and roll < 0.12:
                obs[f["id"]] = None
                continue
            value = _value(f, marks.get(f["id"], set()), rng)
            obs[f["id"]] = {"value": value, "evidence": ["p.jpg"]} if rng.random() < 0.1 else value
        waivers = []
        for rule_id in rng.sample(scored, k=min(len(scored), rng.choice([0, 0, 0, 1, 2]))):
            expires = rng.choice(["2026-12-31", "2026-06-01", "2026-06-02", "2027-01-01"])
            waivers.append({"rule": rule_id, "reason": "r", "approved_by": "b", "expires": expires})
        out.append({
            "format": 1, "standard": std_doc["id"], "facility": {"name": "f"}, "assessor": {"name": "a"},
            "audited_on": "2026-06-02", "observations": obs, "waivers": waivers,
        })  # fmt: skip
    return out


def _read(path: Path) -> dict[str, Any]:
    """The standard as plain data, its common items written out by the reference's own resolver."""
    doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    common = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (path.parent / "common").glob("*.yaml")}
    return resolve_uses(doc, common)


@pytest.mark.parametrize("path", STANDARDS, ids=[p.stem for p in STANDARDS])
def test_checker_agrees_with_reference(path: Path) -> None:
    std_doc = _read(path)
    for i, audit in enumerate(_audits(std_doc, seed=sum(path.stem.encode()))):
        want = evaluate(std_doc, audit)
        got = check(parse_audit(json.dumps(audit), CATALOG, f"gen-{i}.json"), CATALOG)
        context = (path.stem, i)
        assert [r.status for r in got.rules] == [r["status"] for r in want["rules"]], context
        assert [r.earned for r in got.rules] == [round(r["earned"], 2) for r in want["rules"]], context
        assert [r.possible for r in got.rules] == [round(r["possible"], 2) for r in want["rules"]], context
        assert got.score == round(want["score"], 2), context
        assert (got.level, got.verdict) == (want["level"], want["verdict"]), context
        assert [(s.earned, s.possible, s.percent) for s in got.sections] == [
            (
                round(s["earned"], 2),
                round(s["possible"], 2),
                None if s["percent"] is None else round(s["percent"], 2),
            )
            for s in want["sections"]
        ], context
