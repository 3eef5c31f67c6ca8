from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

from checker import Catalog
from checker.district import history_query
from checker.district.batch import check_paths
from checker.district.digest import Digest
from checker.district.history import (
    SCHEMA_VERSION,
    HistoryError,
    migrate,
    open_history,
    record,
    schema_version,
)
from checker.district.history_query import diff_statuses, facilities, find_facility, timeline
from checker.district.plan import builtin_plan, load_plan
from checker.district.progress import LatestAudits, compute_progress

from .generate import Manifest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_rerunning_the_same_batch_does_not_duplicate(
    tmp_path: Path, district: Manifest, district_paths: list[str], digests: list[Digest]
) -> None:
    conn = open_history(tmp_path / "h.sqlite3")
    first = record(
        conn, (i.digest for i in check_paths(district_paths, workers=2, with_json=False) if i.digest)
    )
    assert (first.added, first.unchanged) == (len(district.audits), 0)
    rules = _count(conn, "rule_statuses")
    assert rules == sum(len(d.rule_ids) for d in digests)
    again = record(
        conn, (i.digest for i in check_paths(district_paths, workers=2, with_json=False) if i.digest)
    )
    assert (again.added, again.unchanged) == (0, len(district.audits))
    assert _count(conn, "audits") == len(district.audits) and _count(conn, "rule_statuses") == rules
    conn.close()


def test_reformatted_file_is_the_same_audit_a_corrected_one_is_new(tmp_path: Path, catalog: Catalog) -> None:
    doc = json.loads((EXAMPLES / "schools" / "compliant.json").read_text(encoding="utf-8"))
    path = tmp_path / "a.json"
    conn = open_history(tmp_path / "h.sqlite3")

    def run() -> tuple[int, int]:
        items = check_paths([str(path)], workers=1, with_json=False, catalog=catalog)
        stats = record(conn, (i.digest for i in items if i.digest))
        return stats.added, stats.unchanged

    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    assert run() == (1, 0)
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    assert run() == (0, 1)
    doc["observations"]["daily_pe_minutes"] = 60
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run() == (1, 0)  # same facility and day, other content: kept as a correction
    conn.close()


def test_history_feeds_progress_like_the_batch(
    tmp_path: Path, digests: list[Digest], catalog: Catalog
) -> None:
    conn = open_history(tmp_path / "h.sqlite3")
    record(conn, digests)
    plan = load_plan(builtin_plan())
    from_batch = compute_progress(plan, LatestAudits().add_all(digests), catalog)
    from_db = compute_progress(plan, LatestAudits().add_all(history_query.digests(conn, with_rules=True)), catalog)
    assert from_db.to_dict() == from_batch.to_dict()
    back = list(history_query.digests(conn, with_rules=True))
    assert sorted((d.path, d.statuses, d.rule_ids, d.rule_kinds) for d in back) == sorted(
        (d.path, d.statuses, d.rule_ids, d.rule_kinds) for d in digests
    )
    rows = facilities(conn)
    assert len(rows) == len({(d.standard, d.facility_key) for d in digests})
    assert sum(r.audits for r in rows) == len(digests)
    conn.close()


def _school(kind: str, day: str, **obs: object) -> dict[str, object]:
    doc: dict[str, object] = json.loads((EXAMPLES / "schools" / f"{kind}.json").read_text(encoding="utf-8"))
    doc["facility"] = {"id": "YZ-SCH-900", "name": "渝中区测试小学"}
    doc["audited_on"] = day
    doc["observations"].update(obs)  # type: ignore[attr-defined]
    return doc


def test_timeline_shows_score_level_and_rule_changes(tmp_path: Path, catalog: Catalog) -> None:
    docs = [
        _school("exemplary", "2026-09-01"),
        _school("not-certified", "2025-03-01"),
        _school("compliant", "2025-09-01"),
    ]
    paths = []
    for i, doc in enumerate(docs):
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    got = [i.digest for i in check_paths(paths, workers=1, with_json=False, catalog=catalog) if i.digest]
    conn = open_history(tmp_path / "h.sqlite3")
    record(conn, got)
    assert find_facility(conn, "YZ-SCH-900") == "YZ-SCH-900"
    assert find_facility(conn, "渝中区测试小学") == "YZ-SCH-900"
    entries = timeline(conn, "YZ-SCH-900")
    assert [e.audited_on for e in entries] == ["2025-03-01", "2025-09-01", "2026-09-01"]
    by_date = {d.audited_on: d for d in got}
    for before, after in itertools.pairwise(entries):
        old, new = by_date[before.audited_on].status_map(), by_date[after.audited_on].status_map()
        assert after.fixed == tuple(
            r for r, s in new.items() if s == "pass" and old[r] in ("fail", "missing")
        )
        assert after.newly_failing == tuple(r for r, s in new.items() if s == "fail" and old[r] != "fail")
        assert after.previous_score == before.score
        assert after.score_change == round(after.score - before.score, 2)
    assert entries[0].previous_score is None and entries[0].fixed == ()
    assert entries[1].fixed  # not-certified -> compliant fixes something
    assert [e.verdict for e in entries] == ["not_certified", "certified", "certified"]
    assert entries[2].level == "exemplary"
    conn.close()


def test_diff_statuses() -> None:
    before = {"A": "fail", "B": "missing", "C": "pass", "D": "partial", "E": "fail"}
    after = {"A": "pass", "B": "pass", "C": "fail", "D": "fail", "E": "fail", "F": "fail"}
    assert diff_statuses(before, after) == (("A", "B"), ("C", "D", "F"))


# --- schema and migrations -----------------------------------------------------------------


def test_migrates_an_old_database_forward(tmp_path: Path, digests: list[Digest]) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 0
    assert schema_version(conn) == 1
    _record_v1(conn, digests[:5])
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audits_by_facility'").fetchone()
    conn.close()
    conn = open_history(path)
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audits_by_facility'").fetchone()
    assert _count(conn, "audits") == 5
    assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == list(
        range(1, SCHEMA_VERSION + 1)
    )
    conn.close()
    conn = open_history(path)  # opening again changes nothing
    assert _count(conn, "schema_version") == SCHEMA_VERSION
    conn.close()


def _record_v1(conn: sqlite3.Connection, digests: list[Digest]) -> None:
    """Audits as tongcheck recorded them before facts were kept (schema 1 and 2)."""
    for d in digests:
        conn.execute(
            "INSERT INTO audits (facility_key, facility_id, facility_name, street, standard, "
            "standard_version, facility_type, audited_on, content_hash, path, verdict, level, score, "
            "earned, possible, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01')",
            (
                d.facility_key,
                d.facility_id,
                d.facility_name,
                d.street,
                d.standard,
                d.version,
                d.facility_type,
                d.audited_on,
                d.content_hash,
                d.path,
                d.verdict,
                d.level,
                d.score,
                d.earned,
                d.possible,
            ),
        )


def test_facts_round_trip_and_old_rows_have_none(tmp_path: Path, catalog: Catalog) -> None:
    district = EXAMPLES / "commercial" / "compliant.json"
    item = next(iter(check_paths([str(district)], workers=1, with_json=False, catalog=catalog)))
    assert item.digest is not None and item.digest.fact_map()["scope"] in ("building", "district")
    path = tmp_path / "h.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    _record_v1(conn, [item.digest])
    conn.close()
    conn = open_history(path)
    record(conn, [item.digest.__class__(**{**_fields(item.digest), "audited_on": "2026-12-31"})])
    old, new = list(history_query.digests(conn))
    assert old.facts == () and new.facts == item.digest.facts
    conn.close()


def _fields(d: Digest) -> dict[str, object]:
    return {name: getattr(d, name) for name in d.__dataclass_fields__}


def test_refuses_a_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_history(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, '2099-01-01')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError) as info:
        open_history(path)
    assert "newer than this tongcheck" in str(info.value)


def test_refuses_files_that_are_not_a_history(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="other tables"):
        open_history(other)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(HistoryError, match="not a tongcheck history"):
        open_history(garbage)
    with pytest.raises(HistoryError, match="no history database"):
        open_history(tmp_path / "absent.sqlite3", create=False)
    assert not (tmp_path / "absent.sqlite3").exists()


def test_default_path_is_per_user_and_overridable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.district.history import DEFAULT_DB, LEGACY_DB, default_path, where

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TONGCHECK_DB", raising=False)
    monkeypatch.delenv("TONGCHECK_HISTORY", raising=False)
    # one place per user (the platform's data directory), wherever a command is run
    assert default_path() == tmp_path / "data" / "tongcheck" / DEFAULT_DB
    open_history().close()  # creates the directory too
    assert default_path().exists() and not (tmp_path / LEGACY_DB).exists()
    monkeypatch.setenv("TONGCHECK_HISTORY", str(tmp_path / "older.sqlite3"))  # the earlier name still works
    assert where() == (tmp_path / "older.sqlite3", "$TONGCHECK_HISTORY")
    monkeypatch.setenv("TONGCHECK_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert where() == (tmp_path / "elsewhere.sqlite3", "$TONGCHECK_DB")
    open_history().close()
    assert (tmp_path / "elsewhere.sqlite3").exists()
    assert where(tmp_path / "given.sqlite3") == (tmp_path / "given.sqlite3", "--db")


def test_recording_is_atomic_per_batch(tmp_path: Path, digests: list[Digest]) -> None:
    conn = open_history(tmp_path / "h.sqlite3")

    def interrupted():  # type: ignore[no-untyped-def]
        yield from digests[:3]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        record(conn, interrupted(), batch=2)
    assert _count(conn, "audits") == 2  # the committed batch stays; the open one is rolled back
    stats = record(conn, digests[:3])
    assert (stats.added, stats.unchanged) == (1, 2)
    conn.close()
