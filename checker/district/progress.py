"""How far the district is from its plan's targets.

Progress counts facilities, not audits: for each (standard, facility) only
the latest audit counts (a school certified in 2025 and failed in 2026 is
not certified), and it counts toward a target when it is certified at the
target's level or above. A facility is identified by its ``facility.id``,
or by its name when an audit has no id.

What counts follows the plan's ``counting``: only audits dated within the
plan period (an audit after the period does not replace the last one
within it), and only certificates still valid at the target's due date.
A target counted under several standards (campuses: schools and
kindergartens) counts each facility once; a target with ``where`` counts
only the audits of that kind (商圈: ``scope = district``); a target that
names its facilities counts only those. A target whose standard does not
exist yet is kept and shown as such: the plan still promises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from checker.core.validity import valid_until
from checker.district.latest import LatestAudit, LatestAudits
from checker.district.plan import Plan, Target, target_scope
from checker.district.uncounted import InvalidAudit, Unmatched, facility_dict, unmatched

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.standard import Standard

__all__ = [
    "FacilityState",
    "InvalidAudit",
    "LatestAudit",
    "LatestAudits",
    "NamedProgress",
    "Progress",
    "TargetProgress",
    "Unmatched",
    "compute_progress",
]

FacilityState = Literal["certified", "expired", "below_level", "incomplete", "not_certified"]
# best first: a facility counted under two standards takes its better state
_ORDER: tuple[FacilityState, ...] = ("certified", "expired", "below_level", "incomplete", "not_certified")
Status = Literal["met", "open", "tracked", "no_standard", "no_guideline"]


@dataclass(frozen=True, slots=True)
class NamedProgress:
    """A facility the plan names, and where it stands (``not_audited`` when no audit counts)."""

    id: str
    name: str
    state: FacilityState | Literal["not_audited"]
    audit: LatestAudit | None = None


@dataclass(frozen=True)
class TargetProgress:
    """Where one target stands: facilities certified at its level or above, and the gap."""

    target: Target
    available: bool
    certified: tuple[LatestAudit, ...] = ()
    below_level: int = 0
    not_certified: int = 0
    incomplete: int = 0
    expired: int = 0
    not_named: int = 0
    scope_unknown: int = 0
    named: tuple[NamedProgress, ...] = ()
    missing_standards: tuple[str, ...] = ()
    valid_at: str | None = None
    others: tuple[tuple[FacilityState, LatestAudit], ...] = ()
    """The facilities audited for this target that do not count yet, with why (their state)."""

    @property
    def required(self) -> int | None:
        return self.target.required

    @property
    def audited(self) -> int:
        return len(self.certified) + self.below_level + self.not_certified + self.incomplete + self.expired

    @property
    def gap(self) -> int | None:
        """Facilities still needed (None where the plan gives no number)."""
        if self.required is None or self.status == "no_guideline":
            return None
        return max(0, self.required - len(self.certified))

    @property
    def met(self) -> bool:
        return self.status == "met"

    @property
    def status(self) -> Status:
        if self.target.status == "no_standard":
            return "no_guideline"
        if not self.available:
            return "no_standard"
        if self.required is None:
            return "tracked"
        return "met" if len(self.certified) >= self.required else "open"

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        return {
            "id": t.id,
            "plan_item": t.plan_item,
            "facility_type": t.facility_type,
            "title": t.title.model_dump(),
            "quote": t.quote.model_dump() if t.quote else None,
            "standard": t.standard_ids[0] if t.standard_ids else None,
            "standards": list(t.standard_ids),
            "standard_available": self.available,
            "missing_standards": list(self.missing_standards),
            "where": t.where,
            "level": t.level,
            "count": t.count,
            "share": t.share,
            "denominator": t.denominator,
            "track": t.track,
            "measure": t.measure.model_dump() if t.measure else None,
            "due": t.due,
            "valid_at": self.valid_at,
            "required": self.required,
            "certified": len(self.certified),
            "gap": self.gap,
            "status": self.status,
            "audited": self.audited,
            "below_level": self.below_level,
            "not_certified": self.not_certified,
            "incomplete": self.incomplete,
            "expired": self.expired,
            "not_named": self.not_named,
            "scope_unknown": self.scope_unknown,
            "named": [
                {
                    "facility": n.id,
                    "name": n.name,
                    "state": n.state,
                    "level": n.audit.level if n.audit else None,
                    "audited_on": n.audit.audited_on if n.audit else None,
                }
                for n in self.named
            ],
            "certified_facilities": [facility_dict(a) for a in self.certified],
            "other_facilities": [{**facility_dict(a), "state": state} for state, a in self.others],
        }


@dataclass(frozen=True)
class Progress:
    plan: Plan
    targets: tuple[TargetProgress, ...]
    audits_seen: int
    latest_audit: str | None
    outside_period: int = 0
    unmatched: tuple[Unmatched, ...] = ()
    invalid: tuple[InvalidAudit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "plan": {
                "id": plan.id,
                "title": plan.title.model_dump(),
                "issuer": plan.issuer.model_dump() if plan.issuer else None,
                "document": plan.document,
                "period": plan.period.model_dump(),
                "counting": plan.counting.model_dump(),
            },
            "audits_seen": self.audits_seen,
            "outside_period": self.outside_period,
            "latest_audit": self.latest_audit,
            "targets": [t.to_dict() for t in self.targets],
            "unmatched_audits": [u.to_dict() for u in self.unmatched],
            "invalid_audits": len(self.invalid),
            "invalid_files": [i.to_dict() for i in self.invalid],
        }


def _state(audit: LatestAudit, standard: Standard, level: str, valid_at: str | None) -> FacilityState:
    rank = {lv.id: i for i, lv in enumerate(standard.levels)}
    if audit.verdict == "certified":
        if rank.get(audit.level or "", -1) < rank.get(level, len(rank)):
            return "below_level"
        if valid_at is not None:
            until = audit.valid_until or valid_until(audit.audited_on, standard.validity_years)
            if until < valid_at:
                return "expired"
        return "certified"
    return "incomplete" if audit.verdict == "incomplete" else "not_certified"


def _target(plan: Plan, target: Target, latest: LatestAudits, catalog: Catalog) -> TargetProgress:
    if target.status == "no_standard":
        return TargetProgress(target, available=False)
    found = [(sid, catalog.find_quietly(sid)) for sid in target.standard_ids]
    missing = tuple(sid for sid, s in found if s is None)
    standards = [s for _, s in found if s is not None]
    valid_at = plan.due(target) if plan.counting.valid_at_due else None
    if not standards:
        return TargetProgress(target, False, missing_standards=missing, valid_at=valid_at)
    best: dict[str, tuple[FacilityState, LatestAudit]] = {}
    unknown: set[str] = set()
    for standard in standards:
        scope = target_scope(target, standard)[0]
        for key, audit in latest.by_standard.get(standard.id, {}).items():
            if scope is not None:
                inside = scope.evaluate(dict(audit.facts))
                if inside is None:
                    unknown.add(key)
                if not inside:
                    continue
            state = _state(audit, standard, target.level or "", valid_at)
            if key not in best or _ORDER.index(state) < _ORDER.index(best[key][0]):
                best[key] = (state, audit)
    named: tuple[NamedProgress, ...] = ()
    not_named = 0
    if target.named is not None:
        by_id = {a.facility_id: (s, a) for s, a in best.values() if a.facility_id}
        named = tuple(
            NamedProgress(n.id, n.name, *by_id[n.id])
            if n.id in by_id
            else NamedProgress(n.id, n.name, "not_audited")
            for n in target.named
        )
        ids = {n.id for n in target.named}
        kept = {k: v for k, v in best.items() if v[1].facility_id in ids}
        not_named = len(best) - len(kept)
        best = kept
    states = [s for s, _ in best.values()]
    certified = sorted(
        (a for s, a in best.values() if s == "certified"), key=lambda a: (a.facility_key, a.audited_on)
    )
    others = sorted(
        ((s, a) for s, a in best.values() if s != "certified"),
        key=lambda pair: (_ORDER.index(pair[0]), pair[1].facility_key),
    )
    return TargetProgress(
        target,
        True,
        tuple(certified),
        below_level=states.count("below_level"),
        not_certified=states.count("not_certified"),
        incomplete=states.count("incomplete"),
        expired=states.count("expired"),
        not_named=not_named,
        scope_unknown=len(unknown - set(best)),
        named=named,
        missing_standards=missing,
        valid_at=valid_at,
        others=tuple(others),
    )


def compute_progress(
    plan: Plan, latest: LatestAudits, catalog: Catalog, invalid: Iterable[InvalidAudit] = ()
) -> Progress:
    """Each target's certified facilities (latest audit, at or above the level) and its gap."""
    if not latest.fits(plan.window):
        raise ValueError(
            "these latest audits were not limited to the plan period; "
            "build them with LatestAudits.for_plan(plan)"
        )
    rows = tuple(_target(plan, target, latest, catalog) for target in plan.targets)
    return Progress(
        plan,
        rows,
        latest.seen,
        latest.latest_date(),
        latest.outside,
        unmatched(plan, latest, catalog),
        tuple(invalid),
    )
