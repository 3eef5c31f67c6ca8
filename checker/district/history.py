"""The audit history: every checked audit, kept in one SQLite file, so re-audits show progress.

SQLite because a district office has no server to run and a single file is
easy to back up and hand over. The schema carries its version in the
``schema_version`` table and the tool migrates it forward itself, one
transaction per step, so an old file keeps working after an upgrade and a
file from a newer tongcheck is refused rather than damaged.

Recording is idempotent: an audit is identified by (facility, standard,
audit date, content hash), so checking the same district twice records
nothing the second time, while a corrected file for the same day is a new
row. What is kept is the digest (verdict, level, score, one status per
rule), not the rule texts: those live in the standard.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.errors import CheckerError, Problem

if TYPE_CHECKING:
    from checker.district.batch import Digest

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "FacilityRow",
    "HistoryError",
    "RecordStats",
    "TimelineEntry",
    "default_path",
    "digests",
    "facilities",
    "migrate",
    "open_history",
    "record",
    "schema_version",
    "timeline",
]

DEFAULT_DB = "tongcheck-history.sqlite3"
ENV_VAR = "TONGCHECK_HISTORY"

# Each step is applied once, in order, inside one transaction with the version bump.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE audits (
            id INTEGER PRIMARY KEY,
            facility_key TEXT NOT NULL,
            facility_id TEXT,
            facility_name TEXT NOT NULL,
            street TEXT,
            standard TEXT NOT NULL,
            standard_version TEXT NOT NULL,
            facility_type TEXT NOT NULL,
            audited_on TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            path TEXT NOT NULL,
            verdict TEXT NOT NULL,
            level TEXT,
            score REAL NOT NULL,
            earned REAL NOT NULL,
            possible REAL NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (facility_key, standard, audited_on, content_hash)
        )""",
        """CREATE TABLE rule_statuses (
            audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (audit_id, position)
        ) WITHOUT ROWID""",
    ),
    (
        # timelines and "latest per facility" read audits by facility and date
        "CREATE INDEX audits_by_facility ON audits (facility_key, standard, audited_on, id)",
        "CREATE INDEX audits_by_standard ON audits (standard, audited_on)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(CheckerError):
    """The history database cannot be opened, is not one of ours, or is from a newer version."""

    kind = "history"


def default_path() -> Path:
    """``$TONGCHECK_HISTORY``, else ``tongcheck-history.sqlite3`` in the working directory."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DB)


def _error(path: str | Path, message: str, hint: str) -> HistoryError:
    return HistoryError([Problem(str(path), message, hint=hint)])


def open_history(path: str | Path | None = None, *, create: bool = True) -> sqlite3.Connection:
    """Open (and migrate) the history database; ``create=False`` refuses a missing file."""
    target = Path(path) if path is not None else default_path()
    if not create and not target.exists():
        raise _error(
            target,
            "no history database here / 此处没有历史数据库",
            "record audits first with `check history record DIR`, or give --db "
            "/ 请先用 `check history record 目录` 记录评估，或指定 --db",
        )
    try:
        conn = sqlite3.connect(str(target), timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise _error(
            target, f"cannot open the history database: {exc} / 无法打开历史数据库", "check the path"
        ) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, str(target))
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _error(
            target,
            f"not a tongcheck history database ({exc}) / 不是 tongcheck 历史数据库",
            "give another --db path / 请指定其他 --db 路径",
        ) from None
    except HistoryError:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, name: str = "<history>", target: int = SCHEMA_VERSION) -> int:
    """Bring the schema to ``target`` (default: current); returns the version found before."""
    conn.execute("BEGIN IMMEDIATE")  # one writer migrates; others wait, then see the new version
    try:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone():
            others = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            if others:
                raise _error(
                    name,
                    "this SQLite file holds other tables, not a tongcheck history "
                    "/ 此 SQLite 文件不是 tongcheck 历史数据库",
                    "give another --db path / 请指定其他 --db 路径",
                )
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
        found = schema_version(conn)
        if found > SCHEMA_VERSION:
            raise _error(
                name,
                f"the history database has schema version {found}, newer than this tongcheck "
                f"({SCHEMA_VERSION}) / 历史数据库由更新版本的 tongcheck 创建",
                "upgrade tongcheck / 请升级 tongcheck",
            )
        now = _now()
        for version in range(found + 1, target + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, now))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class RecordStats:
    added: int
    unchanged: int


def record(conn: sqlite3.Connection, items: Iterable[Digest], *, batch: int = 500) -> RecordStats:
    """Record digests; one already recorded (same facility, standard, date, content) is skipped.

    Commits every ``batch`` audits so a long run keeps memory flat and an
    interruption loses at most one batch (re-running fills it in).
    """
    added = unchanged = pending = 0
    now = _now()
    conn.execute("BEGIN")
    try:
        for d in items:
            cur = conn.execute(
                "INSERT OR IGNORE INTO audits (facility_key, facility_id, facility_name, street, standard, "
                "standard_version, facility_type, audited_on, content_hash, path, verdict, level, score, "
                "earned, possible, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    now,
                ),
            )
            if cur.rowcount == 0:
                unchanged += 1
                continue
            added += 1
            audit_id = cur.lastrowid
            kinds = d.rule_kinds or ("scored",) * len(d.rule_ids)
            conn.executemany(
                "INSERT INTO rule_statuses (audit_id, position, rule, kind, status) VALUES (?, ?, ?, ?, ?)",
                [
                    (audit_id, i, rule, kind, status)
                    for i, (rule, kind, status) in enumerate(zip(d.rule_ids, kinds, d.statuses, strict=True))
                ],
            )
            pending += 1
            if pending >= batch:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                pending = 0
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return RecordStats(added, unchanged)


# --- reading back ------------------------------------------------------------------------

_COLUMNS = (
    "id, facility_key, facility_id, facility_name, street, standard, standard_version, facility_type, "
    "audited_on, content_hash, path, verdict, level, score, earned, possible"
)


def _statuses(
    conn: sqlite3.Connection, audit_id: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    rows = conn.execute(
        "SELECT rule, kind, status FROM rule_statuses WHERE audit_id = ? ORDER BY position", (audit_id,)
    ).fetchall()
    return tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows)


def _digest(conn: sqlite3.Connection, row: Any, with_rules: bool) -> Digest:
    from checker.district.batch import Digest

    rules, kinds, statuses = _statuses(conn, row[0]) if with_rules else ((), (), ())
    return Digest(
        standard=row[5],
        version=row[6],
        facility_type=row[7],
        facility_id=row[2],
        facility_name=row[3],
        street=row[4],
        audited_on=row[8],
        verdict=row[11],
        level=row[12],
        score=row[13],
        earned=row[14],
        possible=row[15],
        rule_ids=rules,
        statuses=statuses,
        content_hash=row[9],
        path=row[10],
        rule_kinds=kinds,
    )


def digests(
    conn: sqlite3.Connection, *, standard: str | None = None, with_rules: bool = False
) -> Iterator[Digest]:
    """Every recorded audit, by date then in the order recorded (what "latest wins" needs); streamed."""
    sql = f"SELECT {_COLUMNS} FROM audits"
    args: tuple[Any, ...] = ()
    if standard is not None:
        sql += " WHERE standard = ?"
        args = (standard,)
    cursor = conn.execute(sql + " ORDER BY audited_on, id", args)
    while True:
        rows = cursor.fetchmany(500)
        if not rows:
            break
        for row in rows:
            yield _digest(conn, row, with_rules)


@dataclass(frozen=True, slots=True)
class FacilityRow:
    facility_key: str
    facility_name: str
    standard: str
    audits: int
    first: str
    latest: str
    latest_verdict: str
    latest_level: str | None
    latest_score: float


def facilities(conn: sqlite3.Connection) -> list[FacilityRow]:
    """One row per (facility, standard): how many audits, first and latest, and where it stands now."""
    rows = conn.execute(
        """SELECT a.facility_key, a.facility_name, a.standard, s.n, s.first, a.audited_on,
                  a.verdict, a.level, a.score
           FROM audits a
           JOIN (SELECT facility_key, standard, COUNT(*) AS n, MIN(audited_on) AS first,
                        MAX(audited_on || printf('%012d', id)) AS last_key
                 FROM audits GROUP BY facility_key, standard) s
             ON s.facility_key = a.facility_key AND s.standard = a.standard
            AND a.audited_on || printf('%012d', a.id) = s.last_key
           ORDER BY a.standard, a.facility_key"""
    ).fetchall()
    return [FacilityRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One audit of a facility, and what changed since the one before (same standard)."""

    standard: str
    facility_name: str
    audited_on: str
    verdict: str
    level: str | None
    score: float
    path: str
    previous_score: float | None
    fixed: tuple[str, ...]
    newly_failing: tuple[str, ...]

    @property
    def score_change(self) -> float | None:
        return None if self.previous_score is None else round(self.score - self.previous_score, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard,
            "facility_name": self.facility_name,
            "audited_on": self.audited_on,
            "verdict": self.verdict,
            "level": self.level,
            "score": self.score,
            "score_change": self.score_change,
            "path": self.path,
            "fixed": list(self.fixed),
            "newly_failing": list(self.newly_failing),
        }


_BAD = {"fail", "missing"}


def diff_statuses(before: dict[str, str], after: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(fixed, newly failing) between two audits' rule statuses.

    Fixed: failed or had no data before, passes now. Newly failing: fails
    now and did not before (including a rule new in this edition).
    """
    fixed = tuple(rule for rule, status in after.items() if status == "pass" and before.get(rule) in _BAD)
    newly = tuple(rule for rule, status in after.items() if status == "fail" and before.get(rule) != "fail")
    return fixed, newly


def find_facility(conn: sqlite3.Connection, facility: str) -> str | None:
    """The facility key for an id or an exact name (ids first, as everywhere)."""
    row = conn.execute(
        "SELECT facility_key FROM audits WHERE facility_key = ? LIMIT 1", (facility,)
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT facility_key FROM audits WHERE facility_name = ? ORDER BY id DESC LIMIT 1", (facility,)
        ).fetchone()
    return None if row is None else str(row[0])


def timeline(conn: sqlite3.Connection, facility_key: str, standard: str | None = None) -> list[TimelineEntry]:
    """A facility's audits in date order (per standard), each compared with the previous one."""
    sql = f"SELECT {_COLUMNS} FROM audits WHERE facility_key = ?"
    args: tuple[Any, ...] = (facility_key,)
    if standard is not None:
        sql += " AND standard = ?"
        args = (facility_key, standard)
    rows = conn.execute(sql + " ORDER BY standard, audited_on, id", args).fetchall()
    out: list[TimelineEntry] = []
    previous: dict[str, tuple[float, dict[str, str]]] = {}
    for row in rows:
        d = _digest(conn, row, with_rules=True)
        now = d.status_map()
        before = previous.get(d.standard)
        fixed, newly = diff_statuses(before[1], now) if before is not None else ((), ())
        out.append(
            TimelineEntry(
                d.standard,
                d.facility_name,
                d.audited_on,
                d.verdict,
                d.level,
                d.score,
                d.path,
                before[0] if before is not None else None,
                fixed,
                newly,
            )
        )
        previous[d.standard] = (d.score, now)
    return out
