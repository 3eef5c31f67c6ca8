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
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.core.errors import CheckerError, Problem

if TYPE_CHECKING:
    from checker.district.digest import Digest

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "HistoryError",
    "RecordStats",
    "default_path",
    "migrate",
    "open_history",
    "record",
    "schema_version",
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
    (
        # the register of issued certificates (checker.district.register) lives in the same file
        """CREATE TABLE certificates (
            number TEXT PRIMARY KEY,
            facility_key TEXT NOT NULL,
            facility_id TEXT,
            facility_name TEXT NOT NULL,
            standard TEXT NOT NULL,
            standard_version TEXT NOT NULL,
            level TEXT NOT NULL,
            score REAL NOT NULL,
            audited_on TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            result_hash TEXT NOT NULL,
            key_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            superseded_by TEXT REFERENCES certificates(number),
            superseded_on TEXT,
            revoked_on TEXT,
            revoked_reason TEXT,
            recorded_at TEXT NOT NULL
        )""",
        "CREATE INDEX certificates_by_facility ON certificates (facility_key, standard, audited_on)",
        """CREATE TABLE issuers (
            key_id TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            certificate TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
    ),
    (
        # what kind of facility (enum and boolean observations, JSON), for plan targets' `where`,
        # and the last day the designation is valid (waivers included), for `valid_at_due`;
        # NULL for audits recorded before: such a target shows them as of unknown scope
        "ALTER TABLE audits ADD COLUMN facts TEXT",
        "ALTER TABLE audits ADD COLUMN valid_until TEXT",
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
                "earned, possible, recorded_at, facts, valid_until) "
                f"VALUES ({', '.join('?' * 18)})",
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
                    json.dumps(d.fact_map(), ensure_ascii=False),
                    d.valid_until,
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
