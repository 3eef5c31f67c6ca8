"""District batch throughput: audits checked per second with 1 and 2 workers, and peak memory.

Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_batch.py [N]
Goal (issue #5): >= 2,000 audits/s on 2 cores for 10,000 generated audits
with JSON results (what `check DIR --format json > out.jsonl` does; no PDF),
and memory that does not grow with the number of audits.

Each measurement runs in a fresh process, so its peak RSS (getrusage) is its
own: the parent (reading results, writing JSON Lines) and, separately, the
largest worker. Runs over 1/5 of the audits and over all of them show
whether memory grows with the batch. The "digests only" line is the path
that `check progress`, `check history record` and `check export` take (no
result JSON is built).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(directory: str, n: int, workers: int, with_json: bool) -> None:
    """In a child process: check the first n audits, write JSON Lines to /dev/null, print one line."""
    from checker.district.batch import check_paths
    from checker.district.paths import expand_paths

    paths = expand_paths([directory])[:n]
    start = time.perf_counter()
    done = 0
    with open(os.devnull, "wb") as sink:
        for item in check_paths(paths, workers=workers, with_json=with_json):
            if item.json is not None:
                sink.write(item.json + b"\n")
            done += 1
    elapsed = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{done} {elapsed:.4f} {me:.1f} {kids:.1f}")


def run(directory: str, n: int, workers: int, with_json: bool) -> tuple[float, float, float]:
    cmd = [sys.executable, __file__, "--measure", directory, str(n), str(workers), str(int(with_json))]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
    done, elapsed, parent, child = int(out[0]), float(out[1]), float(out[2]), float(out[3])
    return done / elapsed, parent, child


def main() -> None:
    from checker import Catalog
    from tests.district.generate import generate_flat

    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    small = max(1, total // 5)
    catalog = Catalog.discover(environment=False)
    with tempfile.TemporaryDirectory(prefix="tongcheck-bench-") as tmp:
        start = time.perf_counter()
        generate_flat(Path(tmp), catalog, total)
        took = time.perf_counter() - start
        print(f"generated {total:,} audits (5 standards) in {took:.1f} s; {os.cpu_count()} cores")
        print(f"{'mode':<22}{'workers':>8}{'audits':>8}{'audits/s':>11}{'parent RSS':>13}{'worker RSS':>13}")
        rows = [(True, 1, small), (True, 1, total), (True, 2, small), (True, 2, total), (False, 2, total)]
        for with_json, workers, n in rows:
            rate, parent, child = run(tmp, n, workers, with_json)
            mode = "JSON results" if with_json else "digests only"
            shown = f"{child:10.0f} MB" if workers > 1 else f"{'—':>13}"
            print(f"{mode:<22}{workers:>8}{n:>8,}{rate:>11,.0f}{parent:>10.0f} MB{shown}")
    print("goal: >= 2,000 audits/s with JSON results on 2 workers; RSS flat from 1/5 to all audits")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1")
    else:
        main()
