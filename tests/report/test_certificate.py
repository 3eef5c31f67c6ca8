"""Certificate number, result hash, validity (capped by waivers) and the QR path."""

from __future__ import annotations

import re
from dataclasses import replace

import segno

from checker import Result
from checker.report.certificate import (
    canonical_json,
    canonical_json_text,
    certificate_number,
    qr_code,
    relied_waivers,
    result_hash,
    validity,
)


def test_number_format_and_determinism(certified: Result) -> None:
    number = certificate_number(certified)
    assert re.fullmatch(r"YZ-PRK-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", number)
    assert certificate_number(certified) == number


def test_hash_ignores_path_but_not_content(certified: Result) -> None:
    moved = replace(certified, audit=replace(certified.audit, path="/elsewhere/a.json"))
    assert result_hash(moved) == result_hash(certified)
    changed = replace(certified, score=certified.score + 0.01)
    assert result_hash(changed) != result_hash(certified)
    assert certificate_number(changed) != certificate_number(certified)
    assert b'"path"' not in canonical_json(certified)


def test_hash_is_of_the_json_so_the_attachment_alone_rederives_it(certified: Result) -> None:
    assert canonical_json_text(certified.to_json(indent=2)) == canonical_json(certified)
    edited = certified.to_json().replace('"score":', '"score": 99.0, "x":', 1)
    assert canonical_json_text(edited) != canonical_json(certified)


def test_validity_years_leap_day_and_waiver_cap(certified: Result) -> None:
    waivers = relied_waivers(certified)
    assert waivers, "the fixture relies on a waiver"
    assert waivers == sorted(waivers, key=lambda w: (w[1], w[0]))
    start, end = validity(certified)
    assert start == "2026-05-12"
    assert end == min("2029-05-11", waivers[0][1])
    plain = replace(certified, rules=[r for r in certified.rules if r.status != "waived"])
    assert relied_waivers(plain) == []
    assert validity(plain) == ("2026-05-12", "2029-05-11")
    leap = replace(plain, audit=replace(plain.audit, audited_on="2028-02-29"))
    assert validity(leap) == ("2028-02-29", "2031-02-27")


def test_qr_path_draws_exactly_the_symbol() -> None:
    data = "https://verify.tongcheck.example/c?c=TC2~YZ-PRK-2026-ABCD-EFGH~" + "A" * 52
    qr = qr_code(data, border=2)
    matrix = segno.make(data, error="m", micro=False).matrix
    assert qr.size == len(matrix) + 4
    drawn = [[0] * qr.size for _ in range(qr.size)]
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", qr.path):
        for dx in range(int(w)):
            drawn[int(y)][int(x) + dx] = 1
    expected = [[0] * qr.size for _ in range(qr.size)]
    for y, row in enumerate(matrix):
        for x, bit in enumerate(row):
            expected[y + 2][x + 2] = 1 if bit else 0
    assert drawn == expected
    assert re.fullmatch(r"[Mhvz0-9 -]+", qr.path)
