"""Signing and verification: payload length, QR version, and times as ratios to a bare Python start.

Run from the repository root::

    .venv/bin/python bench/bench_trust.py              # --repeat 5 by default

Prints, never asserts. Every time is also given as a ratio to ``python -c
pass`` measured in the same run (machines differ 2x; the ratio does not):

* payload: characters of the signed payload and of the verification URL, and
  the QR version segno chooses (error correction M);
* in-process, warm (median of ``--repeat``): signing a rendered certificate
  with pyHanko, verifying the signed PDF, verifying a payload;
* cold (median of ``--repeat`` processes): ``check verify CERT.pdf --pub``
  and ``check verify PAYLOAD --pub``, each a fresh process, as a verifier
  runs them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.report.builders import long_audit, long_standard, result_for  # noqa: E402


def _median(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _process(args: list[str], repeat: int) -> float:
    return _median(lambda: subprocess.run(args, capture_output=True, check=False), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    import segno

    from checker.report import render_pdf
    from checker.report.issue import Issue, issue_facts
    from checker.report.keys import load_issuer, load_signing_key, write_key_pair
    from checker.report.pdfsign import sign_pdf
    from checker.report.verify import check_payload, check_pdf

    bare = _process([sys.executable, "-c", "pass"], repeat)
    std = long_standard(sections=3, rules_per_section=6)
    result = result_for(long_audit(std, seed=3, good=0.8, missing=0.0, mandatory_ok=True), std)
    with tempfile.TemporaryDirectory() as tmp:
        key_file, pub_file = write_key_pair(Path(tmp) / "d.pem", "重庆市渝中区妇女儿童工作委员会")
        key, issuer = load_signing_key(key_file), load_issuer(pub_file)
        issue = Issue(key=key, issued_on="2026-06-01", verify_url="https://verify.example.org/c")
        facts = issue_facts(result, std, issue)
        assert facts.token is not None and facts.url is not None
        unsigned = render_pdf(result, std, kind="certificate", lang="zh", issue=Issue(issued_on="2026-06-01"))
        sign_pdf(unsigned, key, reason="warm-up")
        signed = render_pdf(result, std, kind="certificate", lang="zh", issue=issue)
        check_pdf(signed, [issuer], today="2026-06-01")
        sign = _median(lambda: sign_pdf(unsigned, key, reason="bench"), repeat)
        verify_pdf = _median(lambda: check_pdf(signed, [issuer], today="2026-06-01"), repeat)
        verify_payload = _median(lambda: check_payload(facts.url, [issuer], today="2026-06-01"), repeat)
        pdf_path = Path(tmp) / "c.pdf"
        pdf_path.write_bytes(signed)
        check = str(Path(sys.executable).with_name("check"))
        cold_pdf = _process([check, "verify", str(pdf_path), "--pub", str(pub_file)], repeat)
        cold_payload = _process([check, "verify", facts.url, "--pub", str(pub_file)], repeat)

    qr = segno.make(facts.url, error="m", micro=False)
    print(
        f"payload: {len(facts.token)} characters; URL {len(facts.url)}; QR version {qr.version}-M "
        f"({qr.symbol_size(border=0)[0]} modules)"
    )
    print(f"python -c pass: {bare * 1000:.0f} ms (= 1.0x, the unit below)")
    for label, value in (
        ("sign a certificate PDF (warm)", sign),
        ("verify the signed PDF (warm)", verify_pdf),
        ("verify a payload URL (warm)", verify_payload),
        ("check verify CERT.pdf (cold process)", cold_pdf),
        ("check verify URL (cold process)", cold_payload),
    ):
        print(f"{label:<40} {value * 1000:8.1f} ms  {value / bare:6.2f}x")


if __name__ == "__main__":
    main()
