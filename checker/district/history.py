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

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.district.history_errors import HistoryError, database_error
from checker.district.history_errors import history_error as _error

if TYPE_CHECKING:
    from checker.district.digest import Digest

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "HistoryError",
    "RecordStats",
    "database_error",
    "database_errors",
    "default_path",
    "migrate",
    "open_history",
    "record",
    "schema_version",
    "where",
]

DEFAULT_DB = "history.sqlite3"
"""The file's name in the per-user data directory (``platformdirs.user_data_dir("tongcheck")``)."""
LEGACY_DB = "tongcheck-history.sqlite3"
"""Where earlier versions put the history: the working directory (``check history where`` points it out)."""
ENV_VAR = "TONGCHECK_DB"
LEGACY_ENV_VAR = "TONGCHECK_HISTORY"

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


def default_path() -> Path:
    """``$TONGCHECK_DB`` (or the older ``$TONGCHECK_HISTORY``), else one file per user.

    The per-user file is ``history.sqlite3`` in the platform's data directory
    (``~/.local/share/tongcheck`` on Linux, ``$XDG_DATA_HOME`` when set;
    ``~/Library/Application Support/tongcheck`` on macOS; ``%LOCALAPPDATA%\\tongcheck``
    on Windows), so every command finds the same history wherever it is run.
    """
    return where()[0]


@contextlib.contextmanager
def database_errors(path: str | Path | None) -> Iterator[None]:
    """Turn a SQLite error while reading or writing the history at ``path`` (default: the
    per-user file) into a HistoryError naming that file and the fix."""
    try:
        yield
    except sqlite3.Error as exc:
        raise database_error(path if path is not None else default_path(), exc) from None


def where(given: str | Path | None = None) -> tuple[Path, str]:
    """The history file and what chose it: ``--db``, ``$TONGCHECK_DB``, ``$TONGCHECK_HISTORY`` or
    ``default``."""
    if given is not None:
        return Path(given), "--db"
    for var in (ENV_VAR, LEGACY_ENV_VAR):
        if os.environ.get(var):
            return Path(os.environ[var]), f"${var}"
    from platformdirs import user_data_dir

    return Path(user_data_dir("tongcheck", appauthor=False)) / DEFAULT_DB, "default"


def open_history(path: str | Path | None = None, *, create: bool = True) -> sqlite3.Connection:
    """Open (and migrate) the history database; ``create=False`` refuses a missing file."""
    target = Path(path) if path is not None else default_path()
    if create and path is None:
        try:  # the per-user directory may not exist yet
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(
                target,
                f"cannot create the directory of the history database: {exc.strerror} "
                "/ 无法创建历史数据库所在目录",
                f"give --db FILE or set ${ENV_VAR} / 请指定 --db 文件或设置 ${ENV_VAR}",
            ) from None
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
        _check_tables(conn, target)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_error(target, exc) from None
    except HistoryError:
        conn.close()
        raise
    return conn


_TABLES = ("audits", "rule_statuses", "certificates", "issuers")


def _check_tables(conn: sqlite3.Connection, target: Path) -> None:
    """Every table the schema version promises is there (a file edited by hand may lack one)."""
    found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [name for name in _TABLES if name not in found]
    if missing:
        raise _error(
            target,
            f"the history database says schema version {schema_version(conn)} but lacks the table(s) "
            f"{', '.join(missing)} / 历史数据库缺少数据表 {', '.join(missing)}（文件已被改动）",
            "restore it from a backup, or record into a new file with --db "
            "/ 请从备份恢复，或用 --db 记录到新文件",
        )


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
        with contextlib.suppress(sqlite3.Error):
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
        with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse the rollback too
            conn.execute("ROLLBACK")
        raise
    return RecordStats(added, unchanged)
