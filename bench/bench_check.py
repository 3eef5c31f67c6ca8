"""Checking speed: audits scored per second in-process, and a cold `check` process.

Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_check.py
Goals (issue #2): >= 20,000 audits/s per core in-process for schools.yaml;
a cold `check examples/schools/exemplary.json` within 15x a bare `python -c pass`.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import Catalog, check, evaluate, parse_audit, score  # noqa: E402

EXAMPLE = ROOT / "examples" / "schools" / "exemplary.json"


def variants(base: dict, standard, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    """n audits around the example: some values moved, some dropped (as on site)."""
    rng = random.Random(7)
    out = []
    fields = standard.field_map
    for _ in range(n):
        doc = json.loads(json.dumps(base))
        obs = doc["observations"]
        for key in list(obs):
            raw = obs[key]["value"] if isinstance(obs[key], dict) else obs[key]
            f = fields[key]
            roll = rng.random()
            if roll < 0.05:
                obs[key] = None
            elif roll < 0.3 and f.type == "number" and isinstance(raw, int | float):
                low = f.min if f.min is not None else 0
                high = f.max if f.max is not None else raw * 2 + 1
                obs[key] = round(rng.uniform(low, high), 2)
            elif roll < 0.3 and f.type == "boolean":
                obs[key] = rng.random() < 0.8
        out.append(json.dumps(doc, ensure_ascii=False))
    return out


def rate(fn, items) -> float:  # type: ignore[no-untyped-def]
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = max(best, len(items) / (time.perf_counter() - start))
    return best


def wall(cmd: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    catalog = Catalog.discover(environment=False)
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    standard = catalog.get(base["standard"])
    texts = variants(base, standard, 2000)
    audits = [parse_audit(t, catalog, "bench.json") for t in texts]
    rules = len(standard.rule_map)

    scored = rate(lambda a: score(standard, evaluate(standard, a).outcomes), audits)
    full = rate(lambda t: check(parse_audit(t, catalog, "bench.json"), standard), texts)
    print(f"standard {standard.id} ({rules} rules, {len(standard.fields)} fields)")
    print(f"in-process evaluate+score:                 {scored:10,.0f} audits/s (goal >= 20,000)")
    print(f"in-process parse+validate+evaluate+result: {full:10,.0f} audits/s")

    python = sys.executable
    check_bin = str(Path(python).with_name("check"))
    bare = wall([python, "-c", "pass"])
    cold = wall([check_bin, str(EXAMPLE)])
    print(f"python -c pass:                       {bare * 1000:7.1f} ms")
    print(f"check {EXAMPLE.relative_to(ROOT)}: {cold * 1000:7.1f} ms  ({cold / bare:.1f}x, goal <= 15x)")
    probe = (
        "import io, sys, contextlib\n"
        "from checker.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        cli([sys.argv[1]])\n    except SystemExit:\n        pass\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'jsonschema') if m in sys.modules]\n"
        "print(', '.join(heavy) or '(none)')\n"
    )
    modules = subprocess.run(
        [python, "-c", probe, str(EXAMPLE)], capture_output=True, text=True, encoding="utf-8", check=False
    )
    print(f"heavy modules imported by a plain check: {modules.stdout.strip()}")


if __name__ == "__main__":
    main()
