"""Checking speed: the hot path stage by stage against its floor, then `check DIR` end to end.

Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_check.py [N_CLI] [--rounds R]
[--only in-process|cli]

In-process, one core, 1,000 school audits (the example moved, flipped and
dropped as on site), µs per audit. Every figure is taken in the same run,
stage after stage in interleaved rounds (best round each), so load from other
processes hits them alike; only the ratios mean anything from one machine to
the next. Times are CPU time of this process (``time.process_time``), so a
busy machine slows every figure but does not count its waits. A first
round on 1,000 other audits warms up (rules compiled, memos filled as in a
long batch) and is not counted; every round then runs on audits no memo has
seen, so a value is worded again unless it really recurs, as in a district.

- ``json.loads``: the bare stdlib parse of the bytes.
- typed floor: ``json.loads`` plus a strict pydantic model of the observations
  (each field its type, bare or in the ``{value, evidence, note}`` form).
- engine: ``evaluate`` + ``score`` on validated audits.
- pipeline stages, bytes → result JSON, as ``check`` runs them on a file's
  bytes (``district.worker.check_one``): strict JSON (UTF-8, no
  duplicate keys, no NaN), validation (envelope, observations against the
  standard, waivers), engine, result (rows with bilingual reasons), JSON.
- goal (issue #8): the whole pipeline within 2x of typed floor + engine.

Then the CLI on N_CLI (default 5,000) generated audits of the five standards:
`check DIR --format json > /dev/null` and `check DIR > /dev/null` on every core
and on one, with a bare `python -c pass` and a loop of `json.loads` over the same
files in this process for scale: wall time (what the goal
of 2,000 audits/s on two cores is about; meaningful only on an otherwise idle
machine) and the CPU time of the whole process tree (less sensitive to other
load). And a cold single `check` of one example (goal: within 15x bare
python), with the heavy modules it must not import. Commands run with their
compiled modules kept, as a user has them after the first run (``USER_ENV``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, create_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import Catalog, Standard, evaluate, score  # noqa: E402
from checker.core.audit_load import validate_audit  # noqa: E402
from checker.core.json_source import parse_json_bytes  # noqa: E402
from checker.core.result_build import build_result  # noqa: E402
from checker.core.sources import MAX_AUDIT_BYTES  # noqa: E402

EXAMPLE = ROOT / "examples" / "schools" / "exemplary.json"


def variants(base: dict[str, Any], standard: Standard, n: int, seed: int = 7) -> list[bytes]:
    """n audits around the example: some values moved, some dropped (as on site)."""
    rng = random.Random(seed)
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
        out.append(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    return out


def floor_model(standard: Standard) -> type[BaseModel]:
    """A strict typed model of the observations: what any typed decoding costs at least."""
    strict = ConfigDict(strict=True, extra="forbid")
    specs: dict[str, Any] = {}
    for f in standard.fields:
        kind: Any = {"boolean": StrictBool, "integer": StrictInt, "number": float}.get(f.type, StrictStr)
        if f.type == "enum":
            kind = Literal[tuple(f.values or ())]
        wrapped = create_model(
            f"Obs_{f.id}",
            __config__=strict,
            value=(kind | None, ...),
            evidence=(list[str], []),
            note=(str | None, None),
        )
        specs[f.id] = (kind | wrapped | None, None)
    return create_model("Observations", __config__=strict, **specs)


STAGES = ("1 strict JSON", "2 validation", "3 engine", "4 result (rows, reasons)", "5 result JSON")


ROUNDS = 7


def in_process(rounds: int = ROUNDS) -> None:
    catalog = Catalog.discover(environment=False)
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    standard = catalog.get(base["standard"])
    n = 1000
    sets = [variants(base, standard, n, seed) for seed in range(1 + 2 * rounds)]
    floor = floor_model(standard)
    audits = [
        validate_audit(parse_json_bytes(b, "b.json", MAX_AUDIT_BYTES, repair=True), catalog) for b in sets[0]
    ]
    clock = time.process_time

    def staged(blobs: list[bytes], spent: list[float]) -> None:
        """The pipeline, bytes to result JSON, with a clock between stages."""
        for blob in blobs:
            t0 = clock()
            doc = parse_json_bytes(blob, "b.json", MAX_AUDIT_BYTES, repair=True)
            t1 = clock()
            audit = validate_audit(doc, catalog)
            t2 = clock()
            evaluation = evaluate(standard, audit)
            scored = score(standard, evaluation.outcomes)
            t3 = clock()
            result = build_result(standard, audit, evaluation, scored)
            t4 = clock()
            result.json_bytes()
            t5 = clock()
            for i, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
                spent[i] += b - a

    def full(blobs: list[bytes]) -> None:
        for blob in blobs:
            audit = validate_audit(parse_json_bytes(blob, "b.json", MAX_AUDIT_BYTES, repair=True), catalog)
            evaluation = evaluate(standard, audit)
            build_result(standard, audit, evaluation, score(standard, evaluation.outcomes)).json_bytes()

    simple: dict[str, Callable[[list[bytes]], object]] = {
        "json.loads": lambda blobs: [json.loads(b) for b in blobs],
        "typed floor": lambda blobs: [floor.model_validate(json.loads(b)["observations"]) for b in blobs],
        "engine (evaluate + score)": lambda blobs: [
            score(standard, evaluate(standard, a).outcomes) for a in audits
        ],
        "full pipeline": full,
    }
    best = dict.fromkeys([*simple, *STAGES], float("inf"))
    full(sets[0])  # warm-up: rules compiled, memos filled as in a long batch
    for r in range(rounds):
        fresh, other = sets[1 + 2 * r], sets[2 + 2 * r]  # audits the memos have not seen
        for name, run in simple.items():
            start = clock()
            run(fresh)
            best[name] = min(best[name], (clock() - start) / n * 1e6)
        spent = [0.0] * len(STAGES)
        staged(other, spent)
        for name, total in zip(STAGES, spent, strict=True):
            best[name] = min(best[name], total / n * 1e6)
    print(
        f"in-process, one core, {n:,} audits of {standard.id} "
        f"({len(standard.rule_map)} rules, {len(standard.fields)} fields); µs per audit, best of {rounds}"
    )
    for name in [*list(simple)[:3], *STAGES, "full pipeline"]:
        print(f"  {name:<28}{best[name]:8.1f}")
    target = best["typed floor"] + best["engine (evaluate + score)"]
    print(
        f"  full / (typed floor + engine) = {best['full pipeline']:.0f} / {target:.0f} = "
        f"{best['full pipeline'] / target:.2f}x   (goal <= 2x)"
    )
    print(f"  full / json.loads = {best['full pipeline'] / best['json.loads']:.1f}x")


USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The environment commands run in: Python keeps compiled modules as it does for a user (after the
first run, or from the install), even where the shell forbids writing them."""


def wall(cmd: Sequence[str], runs: int) -> tuple[float, float]:
    """Best wall time of ``runs`` runs, and the CPU time (user + system, all processes) of that run."""
    best = (float("inf"), 0.0)
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=USER_ENV)
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = min(best, (took, cpu))
    return best


def _loads_loop(files: list[Path]) -> tuple[float, float]:
    """Best of three: one process reading and ``json.loads``-ing every file (wall, CPU seconds)."""
    best = (float("inf"), 0.0)
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        for path in files:
            json.loads(path.read_bytes())
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu))
    return best


def cli(n: int) -> None:
    from tests.district.generate import generate_flat

    python = sys.executable
    check_bin = str(Path(python).with_name("check"))
    bare = statistics.median(wall([python, "-c", "pass"], 1)[0] for _ in range(15))
    catalog = Catalog.discover(environment=False)
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tongcheck-bench-") as tmp:
        generate_flat(Path(tmp), catalog, n)
        print(
            f"\nCLI end to end, {n:,} generated audits (5 standards), {cores} cores, load {load:.1f}; "
            f"python -c pass: {bare * 1000:.0f} ms"
        )
        print(f"  {'':<30}{'wall':>8}{'audits/s':>10}{'CPU s':>8}{'audits per CPU s':>18}")
        files = sorted(Path(tmp).rglob("*.json"))
        loads_wall, loads_cpu = _loads_loop(files)
        print(
            f"  {'json.loads loop, in-process':<30}{loads_wall:7.2f}s{n / loads_wall:10,.0f}{loads_cpu:8.2f}"
            f"{n / loads_cpu:18,.0f}"
        )
        for label, extra in (
            ("check DIR --format json", ["--format", "json"]),
            ("check DIR (text)", []),
            ("check DIR --format json -j 1", ["--format", "json", "-j", "1"]),
        ):
            took, cpu = wall([check_bin, tmp, *extra], 2)
            print(
                f"  {label:<30}{took:7.2f}s{n / took:10,.0f}{cpu:8.2f}{n / cpu:18,.0f}"
                f"   wall {took / loads_wall:.1f}x the json.loads loop, load {os.getloadavg()[0]:.1f}"
            )
    print(
        "  goal: >= 2,000 audits/s on 2 cores (wall: only on an otherwise idle machine; the json.loads\n"
        "  loop, one process reading and parsing the same files, scales the figure to another machine)"
    )
    wall([check_bin, str(EXAMPLE)], 1)  # a user's first run: the modules compiled and kept
    cold = statistics.median(wall([check_bin, str(EXAMPLE)], 1)[0] for _ in range(11))
    print(
        f"\ncold check {EXAMPLE.relative_to(ROOT)}: {cold * 1000:.0f} ms ({cold / bare:.1f}x python -c pass, "
        "goal <= 15x)"
    )
    probe = (
        "import io, sys, contextlib\n"
        "from checker.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        cli([sys.argv[1]])\n    except SystemExit:\n        pass\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'jsonschema', 'multiprocessing') if m in sys.modules]\n"
        "print(', '.join(heavy) or '(none)')\n"
    )
    modules = subprocess.run(
        [python, "-c", probe, str(EXAMPLE)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env=USER_ENV,
    )
    print(f"heavy modules imported by a plain check: {modules.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Checking speed: the hot path stage by stage against its floor, then `check DIR`.",
        epilog="example: .venv/bin/python bench/bench_check.py --rounds 11 --only in-process",
    )
    parser.add_argument("n_cli", nargs="?", type=int, default=5000, help="audits for the CLI part (5000)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"in-process rounds, best kept ({ROUNDS})")
    parser.add_argument("--only", choices=("in-process", "cli"), help="run one part only")
    args = parser.parse_args()
    if args.only != "cli":
        in_process(args.rounds)
    if args.only != "in-process":
        cli(args.n_cli)


if __name__ == "__main__":
    main()
