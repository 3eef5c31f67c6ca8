"""The register of issued certificates: the district's public record, in the history's SQLite file.

A signed certificate is recorded when it is written: its number, facility,
standard and version, level, score, dates, result hash, the signing key's id
and the signed payload itself. The issuer certificates (FILE.pub) that
signed them are kept too, so ``check verify --register DB`` needs no
``--pub``.

* **Re-issue** of the same number (another language, a lost copy) records
  nothing new and keeps the first issue date, so every copy carries the same
  payload.
* **Supersede:** a certificate for a newer audit of the same facility under
  the same standard supersedes the current one (``superseded_by``); one for
  an older audit is recorded as already superseded by the newer.
* **Revoke** with a reason and a date; a revoked certificate stays in the
  register (as BREEAM's and LEED's directories keep withdrawn entries).

Status on a given day: revoked, else superseded, else expired (after
``valid_until``), else valid.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from checker.core.errors import Problem, UsageError

if TYPE_CHECKING:
    from checker.core.result import Result
    from checker.report.issue import IssueFacts
    from checker.report.keys import Issuer

__all__ = [
    "Entry",
    "Status",
    "add_issuer",
    "entries",
    "entry_for",
    "issued_dates",
    "issuers",
    "lookup",
    "record",
    "revoke",
]

Status = Literal["valid", "revoked", "superseded", "expired"]
_COLUMNS = (
    "number, facility_key, facility_id, facility_name, standard, standard_version, level, score, "
    "audited_on, issued_on, valid_until, result_hash, key_id, payload, superseded_by, superseded_on, "
    "revoked_on, revoked_reason, recorded_at"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One issued certificate as the register holds it."""

    number: str
    facility_key: str
    facility_id: str | None
    facility_name: str
    standard: str
    standard_version: str
    level: str
    score: float
    audited_on: str
    issued_on: str
    valid_until: str
    result_hash: str
    key_id: str
    payload: str
    superseded_by: str | None = None
    superseded_on: str | None = None
    revoked_on: str | None = None
    revoked_reason: str | None = None
    recorded_at: str = ""

    def status(self, today: str | None = None) -> Status:
        if self.revoked_on:
            return "revoked"
        if self.superseded_by:
            return "superseded"
        if (today or dt.date.today().isoformat()) > self.valid_until:
            return "expired"
        return "valid"

    def to_dict(self, today: str | None = None) -> dict[str, Any]:
        return {**asdict(self), "status": self.status(today)}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _row(row: tuple[Any, ...]) -> Entry:
    return Entry(*row)


def entry_for(result: Result, issued: IssueFacts) -> Entry:
    """The register entry of a signed certificate (``issued`` must carry a payload)."""
    if issued.facts is None or issued.token is None:
        raise ValueError("only signed certificates are registered")
    facility = result.audit.facility
    fid = str(facility.get("id") or "") or None
    name = str(facility.get("name") or "")
    return Entry(
        number=issued.number,
        facility_key=fid or f"name:{name}",
        facility_id=fid,
        facility_name=name,
        standard=result.standard.id,
        standard_version=result.standard.version,
        level=result.level or "",
        score=result.score,
        audited_on=result.audit.audited_on,
        issued_on=issued.issued_on,
        valid_until=issued.valid_until,
        result_hash=issued.facts.result_hash,
        key_id=issued.facts.key_id,
        payload=issued.token,
    )


def lookup(conn: sqlite3.Connection, number: str) -> Entry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM certificates WHERE number = ?", (number.strip().upper(),)
    ).fetchone()
    return None if row is None else _row(row)


def issued_dates(conn: sqlite3.Connection, numbers: list[str]) -> dict[str, str]:
    """Issue dates of the numbers already registered (a re-issue keeps the first date)."""
    out: dict[str, str] = {}
    for number in numbers:
        entry = lookup(conn, number)
        if entry is not None:
            out[number] = entry.issued_on
    return out


def record(conn: sqlite3.Connection, entry: Entry) -> list[str]:
    """Record an issued certificate; returns the numbers it supersedes (none for a re-issue)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if lookup(conn, entry.number) is not None:
            conn.execute("COMMIT")
            return []
        now = _now()
        values = asdict(entry) | {"recorded_at": now}
        conn.execute(
            f"INSERT INTO certificates ({_COLUMNS}) VALUES ({', '.join('?' * 19)})",
            tuple(values[c.strip()] for c in _COLUMNS.split(",")),
        )
        current = conn.execute(
            "SELECT number, audited_on, issued_on FROM certificates WHERE facility_key = ? AND standard = ? "
            "AND number != ? AND superseded_by IS NULL AND revoked_on IS NULL",
            (entry.facility_key, entry.standard, entry.number),
        ).fetchall()
        superseded: list[str] = []
        for number, audited_on, issued_on in current:
            if (audited_on, issued_on) <= (entry.audited_on, entry.issued_on):
                older, newer = number, entry.number
                superseded.append(number)
            else:
                older, newer = entry.number, number
            conn.execute(
                "UPDATE certificates SET superseded_by = ?, superseded_on = ? WHERE number = ? "
                "AND superseded_by IS NULL",
                (newer, entry.issued_on, older),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return superseded


def revoke(conn: sqlite3.Connection, number: str, reason: str, on: str | None = None) -> Entry:
    """Revoke a certificate with a reason; refuses an unknown number, a blank reason, a second revocation."""
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError(
            [Problem("--reason", "a reason is required / 须填写撤销原因", hint='e.g. --reason "复评不合格"')]
        )
    entry = lookup(conn, number)
    if entry is None:
        raise UsageError(
            [Problem(number, "no certificate with this number in the register / 登记簿中没有此证书编号",
                     hint="`check register list` shows the numbers / 用 `check register list` 查看")]
        )  # fmt: skip
    if entry.revoked_on:
        raise UsageError(
            [Problem(number, f"already revoked on {entry.revoked_on} ({entry.revoked_reason}) "
                             f"/ 已于 {entry.revoked_on} 撤销")]
        )  # fmt: skip
    day = on or dt.date.today().isoformat()
    conn.execute(
        "UPDATE certificates SET revoked_on = ?, revoked_reason = ? WHERE number = ?",
        (day, reason, entry.number),
    )
    found = lookup(conn, entry.number)
    assert found is not None
    return found


def entries(
    conn: sqlite3.Connection,
    *,
    facility: str | None = None,
    status: str | None = None,
    today: str | None = None,
) -> list[Entry]:
    """Every certificate, newest first; optionally one facility's (id or exact name), or one status."""
    sql = f"SELECT {_COLUMNS} FROM certificates"
    args: tuple[str, ...] = ()
    if facility:
        sql += " WHERE facility_id = ? OR facility_name = ?"
        args = (facility, facility)
    rows = [_row(r) for r in conn.execute(sql + " ORDER BY issued_on DESC, number", args)]
    return [e for e in rows if status is None or e.status(today) == status]


def add_issuer(conn: sqlite3.Connection, issuer: Issuer) -> None:
    """Keep the issuer certificate that signs, so the register alone can verify its certificates."""
    conn.execute(
        "INSERT OR IGNORE INTO issuers (key_id, subject, certificate, added_at) VALUES (?, ?, ?, ?)",
        (issuer.key_id, issuer.subject, issuer.pem.decode("ascii"), _now()),
    )


def issuers(conn: sqlite3.Connection) -> list[Issuer]:
    from checker.report.keys import issuer_from_pem

    return [
        issuer_from_pem(pem.encode("ascii"), f"register issuer {kid}")
        for kid, pem in conn.execute("SELECT key_id, certificate FROM issuers ORDER BY added_at")
    ]
