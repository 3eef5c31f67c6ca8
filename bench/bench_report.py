"""Report rendering times: certificate, 10-page gap report, and a batch on every core.

Run from the repository root::

    .venv/bin/python bench/bench_report.py            # full: batch of 50
    .venv/bin/python bench/bench_report.py --batch 12 --repeat 3   # quicker

Prints, never asserts. Machines differ 2x, so the goals are ratios to a bare
``python -c pass`` start measured in the same run (median of ``--repeat``
starts): warm 10-page gap report <= 50x, warm certificate <= 8x (issue 13);
batch speed-up >= 1.7x on 2 cores (issue 4).

* "first" is the first render in this process after ``import checker.report``:
  it includes importing WeasyPrint, asking fontconfig for the CJK fonts and
  parsing the stylesheets (the cost a one-shot CLI call pays once).
* "warm" is the median of ``--repeat`` later renders (HTML + layout + PDF/A).
* The batch writes ``--batch`` reports (``--report auto``: certificates for
  certified audits, gap reports for the others) twice: with one process, then
  with a worker per core; the pool's start-up (spawn + WeasyPrint import per
  worker) is inside the measured time.

Figures (``--batch 0 --repeat 5``, 2 CPUs shared with other work; "before" is
main at f6b7dd1 run with this script, alternating with "after", same load):

==================  =======  ===============  ===============
document            load     before           after
==================  =======  ===============  ===============
certificate, warm   1.8-2.0  0.249 s  10.8x   0.136 s  5.7x
                             0.229 s   9.4x   0.138 s  5.7x
gap report, warm    1.8-2.0  1.672 s  72.6x   1.411 s 59.5x
                             1.628 s  67.3x   1.357 s 56.4x
PDF size (zh)                cert 281,057 B   cert 130,914 B
                             gap 467,346 B    gap 266,986 B
==================  =======  ===============  ===============

What made the difference (renders compared at 100-300 dpi, zh/en/bilingual):

* CJK text is set in working copies of the faces cut to GB 2312 + Latin and
  symbols (``checker.report.workfonts``): WeasyPrint keeps glyph numbers when
  it subsets, so every PDF carried ~60,000 empty glyph slots a face, and every
  document copied, subset and compressed the 20 MB collection. Most of the
  certificate's gain, half of every file's size, a part of the gap report's.
* The cascade: ``var()`` inlined from ``:root`` before parsing, and
  WeasyPrint's HTML stylesheet without its universal footnote, note and
  ``::marker`` rules (six pseudo-element styles computed for each of ~1,800
  elements): most of the gap report's gain (-17 % in all).
* Certificate drawing: the emblem's 24 rotated ellipses as two precomputed
  paths, the guilloche's polylines simplified (0.07 mm): -20 % of its calls.

Then the gap report was at 53-56x at low load (0.94-0.97 s against a 17-18 ms
bare start). A second round (main at 30a1a15 "before", alternating with
"after" = 702c955, ``--batch 0 --repeat 5``, load 0.8-0.9, bare start
17.2-18.3 ms but for one 26 ms outlier):

==================  ===============  ===============
document            before           after
==================  ===============  ===============
gap report (zh)     0.961 s  52.8x   0.779 s  45.1x
                    0.960 s  36.5x   0.788 s  43.1x
                    0.974 s  56.7x   0.778 s  44.9x
                    0.951 s  55.3x   0.783 s  44.1x
certificate (zh)    0.102 s   5.6x   0.083 s  4.8x
                    0.102 s   5.9x   0.084 s  4.9x
gap report (en)     1.078 s  61.7x   0.913 s  50.3x
gap report (bil.)   2.151 s 113.3x   1.729 s  94.6x
PDF size, gap zh    266,986 B        268,448 B
PDF size, cert zh   130,914 B        131,369 B
==================  ===============  ===============

(en and bilingual: one run each, "after" at 96511c2, just before the last step.)

What made the difference; every PDF byte for byte the same but for the deflate
level of its streams, every page's render the same pixel for pixel:

* The cycle collector held off during the render and run once after on the
  young generations (``pdffast.cycles_collected_after``): it ran ~160 times
  in a 10-page report, ~95 ms with a full pass over the heap (-8 %).
* Pango text layouts (``textfast``, WeasyPrint 70.0 only): contexts shared
  instead of one per text, and a line's layout kept for drawing instead of
  shaped a second time (-5 to -8 %).
* The HTML read by expat instead of tinyhtml5 when the tree is sure to be the
  same (``pdffast.own_html_tree``): 50 -> 4 ms.
* pydyf made and deflated every stream twice (once more to hash the file for
  the PDF/A identifier); now once, at level 6 instead of 9 (+0.6 % size;
  -4 to -6 %, the certificate -10 %).

Tried without gain (A/B in one process, alternating): a per-font cache of
Pango font descriptions (slower), a faster ``resolve_percentages`` (-0.8 %),
``page_values`` without its list (no gain), fixed margin-box widths (-2 %,
would change how long running headers wrap), chips without border or radius
(-1 %), ``<br>`` instead of the action cells' divs (+15 %: longer inline runs
cost more to break). What remains is WeasyPrint's Python: line layout (~35 %),
drawing (~20 %, glyph by glyph), cascade and box building (~10 %).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.report.builders import long_audit, long_standard, result_for  # noqa: E402


def _timed(fn: object) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()  # type: ignore[operator]
    return time.perf_counter() - start, value


def _bare_start(repeat: int) -> float:
    """Median wall time of ``python -c pass`` (the yardstick every figure is divided by)."""
    import subprocess

    times = []
    for _ in range(max(5, repeat)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available
        return "n/a"


def _pages(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7, help="warm renders per document (median)")
    parser.add_argument("--batch", type=int, default=50, help="reports in the batch (0: skip the batch)")
    parser.add_argument("--lang", default="zh", choices=["zh", "en", "bilingual"])
    parser.add_argument("--jobs", type=int, default=None, help="workers for the batch (default: all cores)")
    args = parser.parse_args()

    import checker.report as report

    standard = long_standard(sections=8, rules_per_section=11)  # a 10-page gap report in Chinese
    gap = result_for(long_audit(standard, seed=1), standard)
    cert = result_for(long_audit(standard, seed=3, good=0.65, missing=0.0, mandatory_ok=True), standard)

    from checker.report.batch import workers_for

    cores = workers_for(args.jobs, 1 << 20)
    print(f"python {sys.version.split()[0]} · {os.cpu_count()} CPUs · {cores} usable · lang {args.lang}")
    print(f"load average before: {_load()} (other processes on the machine skew every figure)")

    first_cert, pdf = _timed(lambda: report.render_pdf(cert, standard, kind="certificate", lang=args.lang))
    cert_pages = _pages(pdf)  # type: ignore[arg-type]
    first_gap, pdf = _timed(lambda: report.render_pdf(gap, standard, kind="gap", lang=args.lang))
    gap_pages = _pages(pdf)  # type: ignore[arg-type]
    gap_bytes = len(pdf)  # type: ignore[arg-type]

    warm_cert = [
        _timed(lambda: report.render_pdf(cert, standard, kind="certificate", lang=args.lang))[0]
        for _ in range(args.repeat)
    ]
    warm_gap = [
        _timed(lambda: report.render_pdf(gap, standard, kind="gap", lang=args.lang))[0]
        for _ in range(args.repeat)
    ]
    html_gap = [
        _timed(lambda: report.render_html(gap, standard, kind="gap", lang=args.lang))[0]
        for _ in range(args.repeat)
    ]

    bare = _bare_start(args.repeat)
    cert_med, gap_med = statistics.median(warm_cert), statistics.median(warm_gap)
    print(f"\nbare `python -c pass`: {bare * 1000:.1f} ms (median; every ratio below is against it)")
    print(f"\n{'document':<28}{'pages':>6}{'first':>9}{'warm':>9}{'min':>9}{'warm/bare':>11}   goal")
    print(
        f"{'certificate':<28}{cert_pages:>6}{first_cert:>8.3f}s{cert_med:>8.3f}s"
        f"{min(warm_cert):>8.3f}s{cert_med / bare:>10.1f}x   warm <= 8x"
    )
    print(
        f"{'gap report':<28}{gap_pages:>6}{first_gap:>8.3f}s{gap_med:>8.3f}s"
        f"{min(warm_gap):>8.3f}s{gap_med / bare:>10.1f}x   warm <= 50x"
    )
    print(f"{'gap report, HTML only':<28}{'':>6}{'':>9}{statistics.median(html_gap):>8.3f}s")
    print(f"gap report PDF size: {gap_bytes:,} bytes")

    if args.batch <= 0:
        print(f"load average after: {_load()}")
        return
    rng = random.Random(7)
    results = []
    for i in range(args.batch):
        good = rng.uniform(0.3, 0.95)
        doc = long_audit(
            standard,
            seed=100 + i,
            good=good,
            missing=rng.choice([0.0, 0.05]),
            mandatory_ok=rng.random() < 0.6,
            facility={"id": f"YZ-PRK-{i:03d}", "name": f"渝中区第{i + 1}号儿童友好公园"},
        )
        results.append((result_for(doc, standard), standard))
    certified = sum(r.verdict == "certified" for r, _ in results)

    with tempfile.TemporaryDirectory() as tmp:
        serial, _ = _timed(
            lambda: report.write_reports(results, Path(tmp) / "serial", lang=args.lang, jobs=1)
        )
        parallel, outcomes = _timed(
            lambda: report.write_reports(results, Path(tmp) / "parallel", lang=args.lang, jobs=cores)
        )
        errors = [o.error for o in outcomes if o.error is not None]  # type: ignore[attr-defined]
    print(
        f"\nbatch of {args.batch} (auto: {certified} certificates, {args.batch - certified} gap reports), "
        f"{cores} workers"
    )
    print(f"  one process : {serial:7.2f} s   {args.batch / serial:5.2f} reports/s")
    print(f"  all cores   : {parallel:7.2f} s   {args.batch / parallel:5.2f} reports/s")
    print(f"  speed-up    : {serial / parallel:7.2f}x   goal >= 1.7x on 2 cores")
    if errors:
        print(f"  errors: {len(errors)}: {errors[0]}")
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
