"""How far the district is from its plan's targets.

Progress counts facilities, not audits: for each (standard, facility) only
the latest audit counts (a school certified in 2025 and failed in 2026 is
not certified), and it counts toward a target when it is certified at the
target's level or above. A facility is identified by its ``facility.id``,
or by its name when an audit has no id. A target whose standard does not
exist yet is kept and shown as such: the plan still promises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from checker.district.plan import Plan, Target

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.district.digest import Digest

__all__ = ["LatestAudit", "LatestAudits", "Progress", "TargetProgress", "compute_progress"]


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


@dataclass
class LatestAudits:
    """The latest audit per (standard, facility); grows with facilities, not with audits.

    On equal dates the audit added last wins, so feed audits in a stable
    order (sorted paths, or history in the order recorded).
    """

    by_standard: dict[str, dict[str, LatestAudit]] = field(default_factory=dict)
    seen: int = 0

    def add(self, digest: Digest) -> None:
        self.seen += 1
        facilities = self.by_standard.setdefault(digest.standard, {})
        key = digest.facility_key
        current = facilities.get(key)
        if current is None or digest.audited_on >= current.audited_on:
            facilities[key] = LatestAudit(
                key,
                digest.facility_id,
                digest.facility_name,
                digest.street,
                digest.audited_on,
                digest.verdict,
                digest.level,
                digest.score,
                digest.path,
            )

    def add_all(self, digests: Iterable[Digest]) -> LatestAudits:
        for digest in digests:
            self.add(digest)
        return self

    def latest_date(self) -> str | None:
        dates = [a.audited_on for facilities in self.by_standard.values() for a in facilities.values()]
        return max(dates) if dates else None


@dataclass(frozen=True)
class TargetProgress:
    """Where one target stands: facilities certified at its level or above, and the gap."""

    target: Target
    available: bool
    certified: tuple[LatestAudit, ...] = ()
    below_level: int = 0
    not_certified: int = 0
    incomplete: int = 0

    @property
    def required(self) -> int:
        return self.target.required

    @property
    def audited(self) -> int:
        return len(self.certified) + self.below_level + self.not_certified + self.incomplete

    @property
    def gap(self) -> int:
        return max(0, self.required - len(self.certified))

    @property
    def met(self) -> bool:
        return self.available and self.gap == 0

    @property
    def status(self) -> Literal["met", "open", "no_standard"]:
        return "no_standard" if not self.available else "met" if self.met else "open"

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        return {
            "id": t.id,
            "plan_item": t.plan_item,
            "facility_type": t.facility_type,
            "title": t.title.model_dump(),
            "standard": t.standard,
            "standard_available": self.available,
            "level": t.level,
            "count": t.count,
            "share": t.share,
            "denominator": t.denominator,
            "due": t.due,
            "required": self.required,
            "certified": len(self.certified),
            "gap": self.gap,
            "status": self.status,
            "audited": self.audited,
            "below_level": self.below_level,
            "not_certified": self.not_certified,
            "incomplete": self.incomplete,
            "certified_facilities": [
                {
                    "facility": a.facility_id,
                    "name": a.facility_name,
                    "level": a.level,
                    "audited_on": a.audited_on,
                    "score": a.score,
                }
                for a in self.certified
            ],
        }


@dataclass(frozen=True)
class Progress:
    plan: Plan
    targets: tuple[TargetProgress, ...]
    audits_seen: int
    latest_audit: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": {
                "id": self.plan.id,
                "title": self.plan.title.model_dump(),
                "period": self.plan.period.model_dump(),
            },
            "audits_seen": self.audits_seen,
            "latest_audit": self.latest_audit,
            "targets": [t.to_dict() for t in self.targets],
        }


def compute_progress(plan: Plan, latest: LatestAudits, catalog: Catalog) -> Progress:
    """Each target's certified facilities (latest audit, at or above the level) and its gap."""
    rows: list[TargetProgress] = []
    for target in plan.targets:
        standard = catalog.find_quietly(target.standard)
        if standard is None:
            rows.append(TargetProgress(target, available=False))
            continue
        rank = {lv.id: i for i, lv in enumerate(standard.levels)}
        floor = rank.get(target.level, len(rank))
        certified: list[LatestAudit] = []
        below = not_certified = incomplete = 0
        for audit in latest.by_standard.get(target.standard, {}).values():
            if audit.verdict == "certified" and rank.get(audit.level or "", -1) >= floor:
                certified.append(audit)
            elif audit.verdict == "certified":
                below += 1
            elif audit.verdict == "incomplete":
                incomplete += 1
            else:
                not_certified += 1
        certified.sort(key=lambda a: (a.facility_key, a.audited_on))
        rows.append(TargetProgress(target, True, tuple(certified), below, not_certified, incomplete))
    return Progress(plan, tuple(rows), latest.seen, latest.latest_date())
