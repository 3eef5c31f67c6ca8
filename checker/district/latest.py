"""The audit that counts for each facility: the latest one, per standard, within the plan period.

Fed digests one by one (a batch, or the history), it keeps one small record
per (standard, facility), never the audits themselves, so its memory grows
with facilities, not with audits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.district.digest import Digest
    from checker.district.plan import Plan

__all__ = ["LatestAudit", "LatestAudits"]


@dataclass(frozen=True, slots=True)
class LatestAudit:
    """The audit that counts for one facility under one standard."""

    facility_key: str
    facility_id: str | None
    facility_name: str
    street: str | None
    audited_on: str
    verdict: str
    level: str | None
    score: float
    path: str
    standard: str = ""
    facts: tuple[tuple[str, str | bool], ...] = ()
    valid_until: str | None = None
    blocking: tuple[str, ...] = ()
    """The prerequisites that fail or lack data (what holds a facility back)."""


@dataclass
class LatestAudits:
    """The latest audit per (standard, facility); grows with facilities, not with audits.

    With a ``window`` (the plan period), audits dated outside it are left
    out before "latest" is decided, and counted in ``outside``. On equal
    dates the audit added last wins, so feed audits in a stable order
    (sorted paths, or history in the order recorded).
    """

    by_standard: dict[str, dict[str, LatestAudit]] = field(default_factory=dict)
    seen: int = 0
    window: tuple[str, str] | None = None
    outside: int = 0
    first: str | None = None
    last: str | None = None

    @classmethod
    def for_plan(cls, plan: Plan) -> LatestAudits:
        """Latest audits as the plan counts them (within its period when it says so)."""
        return cls(window=plan.window)

    def add(self, digest: Digest) -> None:
        self.seen += 1
        day = digest.audited_on
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last
        if self.window is not None and not self.window[0] <= day <= self.window[1]:
            self.outside += 1
            return
        facilities = self.by_standard.setdefault(digest.standard, {})
        key = digest.facility_key
        current = facilities.get(key)
        if current is None or day >= current.audited_on:
            facilities[key] = LatestAudit(
                key,
                digest.facility_id,
                digest.facility_name,
                digest.street,
                day,
                digest.verdict,
                digest.level,
                digest.score,
                digest.path,
                digest.standard,
                digest.facts,
                digest.valid_until,
                _blocking(digest),
            )

    def add_all(self, digests: Iterable[Digest]) -> LatestAudits:
        for digest in digests:
            self.add(digest)
        return self

    def latest_date(self) -> str | None:
        dates = [a.audited_on for facilities in self.by_standard.values() for a in facilities.values()]
        return max(dates) if dates else None

    def fits(self, window: tuple[str, str] | None) -> bool:
        """Whether these latest audits are what ``window`` would have kept."""
        if window is None or self.window == window:
            return True
        if self.window is not None:
            return False
        return self.first is None or (window[0] <= self.first and (self.last or "") <= window[1])


def _blocking(digest: Digest) -> tuple[str, ...]:
    kinds = digest.rule_kinds or ()
    return tuple(
        rule
        for rule, kind, status in zip(digest.rule_ids, kinds, digest.statuses, strict=False)
        if kind == "mandatory" and status in ("fail", "missing")
    )
