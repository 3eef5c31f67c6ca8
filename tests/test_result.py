"""The result object: memoised rows equal fresh ones, and the JSON says what the object holds."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from checker import Catalog, Result, check, load_audit, parse_audit
from checker.core.result import _json_of, _row
from checker.core.row_frame import RowFrame
from checker.core.text import Text
from tests.district.generate import bases, vary

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Catalog.discover(environment=False)
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.json") if not p.stem.startswith("invalid"))


def _generated(per_standard: int, seed: int = 5) -> list[str]:
    """Audits with moved, flipped and dropped observations, some with waivers or an early date."""
    rng = random.Random(seed)
    texts = []
    for standard_id, docs in sorted(bases().items()):
        standard = CATALOG.get(standard_id)
        waivable = [r.id for r in standard.rule_map.values() if not r.mandatory]
        for _ in range(per_standard):
            doc = vary(rng.choice(docs), standard, rng, change=0.4)
            if rng.random() < 0.2:
                expires = rng.choice(["2020-01-01", "2099-12-31"])
                doc["waivers"] = [
                    {"rule": rng.choice(waivable), "reason": "施工中", "approved_by": "区教委", "expires": expires}
                ]
            if rng.random() < 0.1:
                doc["audited_on"] = "2020-01-01"
            texts.append(json.dumps(doc, ensure_ascii=False))
    return texts


def _fresh(text: str) -> Result:
    """The result with every memo of the standard dropped first (rules compiled anew)."""
    audit = parse_audit(text, CATALOG, "a.json")
    CATALOG.get(audit.standard).memo.clear()
    return check(audit, CATALOG)


def test_memoised_rows_equal_fresh_ones() -> None:
    texts = _generated(40)
    warm = [check(parse_audit(t, CATALOG, "a.json"), CATALOG).to_json() for t in texts]
    assert len(set(warm)) > len(texts) * 0.9
    for text, written in zip(texts, warm, strict=True):
        fresh = _fresh(text)
        assert fresh.to_json() == written
        assert orjson.dumps(fresh.to_dict()) == fresh.json_bytes()  # the spelt-out writers write every field


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in EXAMPLES])
def test_json_is_the_object(path: Path) -> None:
    result = check(load_audit(path, CATALOG), CATALOG)
    check(load_audit(path, CATALOG), CATALOG).to_json()  # rows now come from the memo
    text = result.to_json()
    assert text == orjson.dumps(result.to_dict()).decode("utf-8")
    assert json.loads(result.to_json(indent=2)) == json.loads(text) == result.to_dict()
    assert result.to_json(indent=2).startswith('{\n  "format": 1,\n  "audit": {\n    "path": ')
    assert Result.from_json(text) == result
    assert Result.from_json(text).to_json() == text


def test_rows_are_shared_but_frozen() -> None:
    path = ROOT / "examples" / "schools" / "exemplary.json"
    first, second = (check(load_audit(path, CATALOG), CATALOG) for _ in range(2))
    assert first.rules[0] is second.rules[0]
    assert first.rules is not second.rules and first.levels is not second.levels
    with pytest.raises(AttributeError):
        first.rules[0].status = "fail"  # type: ignore[misc]


def test_a_rules_frame_writes_its_rows_as_the_writer_does() -> None:
    """A new row's JSON comes from its rule's frame (made from another row of the rule): it must be
    what the row writer writes, for every rule, status, number and reason, escapes included."""
    frames: dict[str, RowFrame] = {}
    odd = Text(zh='引号"与\\反斜杠\n换行\x01控制', en="quote \" backslash \\ tab\t \u2028")
    seen = 0
    for text in _generated(12, seed=11):
        for row in check(parse_audit(text, CATALOG, "a.json"), CATALOG).rules:
            if row.waiver is not None:
                continue
            frame = frames.setdefault(f"{row.id}@{row.section}", RowFrame(row))
            assert frame.pieces is not None
            for copy in (replace(row), replace(row, reason=odd, earned=0.1 + 0.2, possible=1e-7, status="partial")):
                frame.attach(copy)
                assert orjson.dumps(_json_of(copy)) == orjson.dumps(_row(copy))
                seen += 1
    assert seen > 1000 and len(frames) > 100
