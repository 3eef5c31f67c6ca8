"""The register: recorded on issue, re-issue idempotent, supersede by newer audits, revoke."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from checker.core.errors import UsageError
from checker.district.history import SCHEMA_VERSION, open_history, schema_version
from checker.district.register import (
    Entry,
    add_issuer,
    entries,
    issued_dates,
    issuers,
    lookup,
    record,
    revoke,
)
from checker.report.keys import Issuer


def _entry(number: str, audited_on: str, facility: str = "F-1", **extra: object) -> Entry:
    base = Entry(
        number=number,
        facility_key=facility,
        facility_id=facility,
        facility_name="测试公园",
        standard="std",
        standard_version="1",
        level="compliant",
        score=70.0,
        audited_on=audited_on,
        issued_on=audited_on,
        valid_until="2029-01-01",
        result_hash="h",
        key_id="k",
        payload="TC2~x",
    )
    return replace(base, **extra)  # type: ignore[arg-type]


def test_register_lives_in_the_history_database(tmp_path: Path, issuer: Issuer) -> None:
    conn = open_history(tmp_path / "h.sqlite3")
    assert schema_version(conn) == SCHEMA_VERSION
    add_issuer(conn, issuer)
    add_issuer(conn, issuer)
    assert [i.key_id for i in issuers(conn)] == [issuer.key_id]


def test_supersede_reissue_and_revoke(tmp_path: Path) -> None:
    conn = open_history(tmp_path / "h.sqlite3")
    assert record(conn, _entry("A", "2026-01-01")) == []
    assert record(conn, _entry("A", "2026-01-01", issued_on="2026-09-09")) == []  # re-issue: nothing new
    assert issued_dates(conn, ["A", "Z"]) == {"A": "2026-01-01"}
    assert record(conn, _entry("B", "2026-06-01")) == ["A"]
    assert lookup(conn, "A").superseded_by == "B"  # type: ignore[union-attr]
    assert record(conn, _entry("OLD", "2025-06-01")) == []  # an older audit arrives late
    assert lookup(conn, "OLD").superseded_by == "B"  # type: ignore[union-attr]
    assert record(conn, _entry("X", "2026-02-01", facility="F-2")) == []  # another facility
    assert lookup(conn, "B").status("2026-07-01") == "valid"  # type: ignore[union-attr]
    assert lookup(conn, "B").status("2030-01-01") == "expired"  # type: ignore[union-attr]
    done = revoke(conn, "b", "护栏拆除，复评不合格", "2026-08-01")
    assert (done.number, done.revoked_on, done.status()) == ("B", "2026-08-01", "revoked")
    with pytest.raises(UsageError, match="already revoked"):
        revoke(conn, "B", "again")
    with pytest.raises(UsageError, match="reason"):
        revoke(conn, "X", "   ")
    with pytest.raises(UsageError, match="no certificate"):
        revoke(conn, "NOPE", "x")
    assert sorted(e.number for e in entries(conn, status="superseded")) == ["A", "OLD"]
    assert [e.number for e in entries(conn, facility="F-2")] == ["X"]
