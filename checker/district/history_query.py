"""Reading the audit history back: digests for progress, a facility's timeline, the facilities kept.

What changed between two audits of a facility is derived here from the
per-rule statuses (fixed, newly failing), never stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.district.digest import Digest

__all__ = ["FacilityRow", "TimelineEntry", "digests", "facilities", "find_facility", "timeline"]


_COLUMNS = (
    "id, facility_key, facility_id, facility_name, street, standard, standard_version, facility_type, "
    "audited_on, content_hash, path, verdict, level, score, earned, possible, facts, valid_until"
)


def _statuses(
    conn: sqlite3.Connection, audit_id: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    rows = conn.execute(
        "SELECT rule, kind, status FROM rule_statuses WHERE audit_id = ? ORDER BY position", (audit_id,)
    ).fetchall()
    return tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows)


def _digest(conn: sqlite3.Connection, row: Any, with_rules: bool) -> Digest:
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
        facts=tuple(json.loads(row[16]).items()) if row[16] else (),
        valid_until=row[17],
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
