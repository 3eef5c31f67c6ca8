"""A generated district: audits for the shipped standards, several per facility, some corrupt.

Built from the shipped examples (one of the four verdict examples per
standard is the starting point of each audit) with observations moved
within their declared bounds, flipped or left out, as happens from one site
visit to the next. File names are random tokens, so the order of the files
says nothing about the order of the audits: "latest wins" must come from
the dates. The manifest records what was written, so tests can compute
what a batch must report with the single-audit library path as the oracle.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import Catalog, Standard

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
STREETS = ("解放碑街道", "七星岗街道", "两路口街道", "上清寺街道", "大坪街道", "化龙桥街道", "石油路街道")
KINDS = ("compliant", "exemplary", "incomplete", "not-certified")

# Deliberately broken files, each a different way an assessor's file goes wrong.
CORRUPT: tuple[tuple[str, bytes], ...] = (
    ("truncated", b'{"format": 1, "standard": "yuzhong-school", "facility": {"na'),
    ("empty", b""),
    ("not-utf8", b'{"format": 1, "standard": "\xff\xfe"}'),
    ("not-object", b"[1, 2, 3]"),
    ("nan", b'{"format": 1, "standard": "yuzhong-park", "x": NaN}'),
    ("duplicate-key", b'{"format": 1, "format": 1}'),
)


@dataclass(frozen=True)
class Written:
    path: Path
    standard: str
    facility_id: str
    audited_on: str


@dataclass
class Manifest:
    root: Path
    audits: list[Written] = field(default_factory=list)
    corrupt: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.audits) + len(self.corrupt)


def bases() -> dict[str, list[dict[str, Any]]]:
    """The shipped example audits (the valid ones) by standard id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(EXAMPLES.glob("*/*.json")):
        if path.stem not in KINDS:
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        out.setdefault(doc["standard"], []).append(doc)
    return out


def vary(doc: dict[str, Any], standard: Standard, rng: random.Random, change: float = 0.06) -> dict[str, Any]:
    """A copy of ``doc`` with some observations moved within bounds, flipped or dropped."""
    doc = json.loads(json.dumps(doc))
    fields = standard.field_map
    obs = doc["observations"]
    for key in list(obs):
        f = fields[key]
        roll = rng.random()
        if roll < 0.01:
            obs[key] = None
            continue
        if roll > change:
            continue
        if f.type == "boolean":
            obs[key] = rng.random() < 0.75
        elif f.type == "number":
            low = f.min if f.min is not None else 0
            raw = obs[key]["value"] if isinstance(obs[key], dict) else obs[key]
            high = (
                f.max if f.max is not None else (float(raw) * 2 + 1 if isinstance(raw, int | float) else 10)
            )
            obs[key] = round(rng.uniform(low, high), 2)
        elif f.type == "integer":
            low = int(f.min) if f.min is not None else 0
            high = int(f.max) if f.max is not None else low + 20
            obs[key] = rng.randint(low, high)
        elif f.type == "enum" and f.values:
            obs[key] = rng.choice(f.values)
    return doc


def _token(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(12))


def generate_district(
    root: Path,
    catalog: Catalog,
    *,
    facilities: int = 24,
    max_audits: int = 4,
    corrupt: int = 12,
    seed: int = 2026,
) -> Manifest:
    """``facilities`` per shipped standard, 1..``max_audits`` dated audits each, ``corrupt`` bad files."""
    rng = random.Random(seed)
    manifest = Manifest(root)
    start = dt.date(2024, 3, 1)
    for standard_id, docs in sorted(bases().items()):
        standard = catalog.get(standard_id)
        prefix = standard_id.removeprefix("yuzhong-").upper()[:3]
        for k in range(facilities):
            facility_id = f"GEN-{prefix}-{k:03d}"
            street = rng.choice(STREETS)
            day = start + dt.timedelta(days=rng.randint(0, 200))
            for _ in range(rng.randint(1, max_audits)):
                doc = vary(rng.choice(docs), standard, rng)
                doc["facility"] = {"id": facility_id, "name": f"生成设施{prefix}{k:03d}", "street": street}
                doc["audited_on"] = day.isoformat()
                folder = root / street / standard_id
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{_token(rng)}.json"
                path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
                manifest.audits.append(Written(path, standard_id, facility_id, doc["audited_on"]))
                day += dt.timedelta(days=rng.randint(30, 240))
    for i in range(corrupt):
        kind, data = CORRUPT[i % len(CORRUPT)]
        folder = root / rng.choice(STREETS) / "broken"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{kind}-{_token(rng)}.json"
        path.write_bytes(data)
        manifest.corrupt.append(path)
    return manifest


def generate_flat(root: Path, catalog: Catalog, n: int, seed: int = 7) -> list[Path]:
    """Exactly ``n`` valid audits in one directory, round-robin over the standards (for the benchmark)."""
    rng = random.Random(seed)
    pools = sorted(bases().items())
    standards = {sid: catalog.get(sid) for sid, _ in pools}
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        standard_id, docs = pools[i % len(pools)]
        doc = vary(rng.choice(docs), standards[standard_id], rng)
        doc["facility"] = {"id": f"BENCH-{i:05d}", "name": f"基准设施{i:05d}"}
        path = root / f"{i:05d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths
