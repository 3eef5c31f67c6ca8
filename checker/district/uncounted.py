"""What a progress report must not drop silently: audits no target counts, and files not checked.

A facility's latest audit can count toward no target: its standard has no
target in the plan (a commercial audit of a single building when the plan
counts 商圈), it is outside every target's ``where`` scope, it is not among
the facilities a target names, or its scope cannot be told (a ``where``
field not recorded). Invalid files count nowhere either. Both are listed,
with why, in the text, the PDF and ``progress.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from checker.district.plan import target_scope

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.errors import Problem
    from checker.district.latest import LatestAudit, LatestAudits
    from checker.district.plan import Plan, Target

__all__ = ["InvalidAudit", "Unmatched", "Why", "facility_dict", "unmatched"]


def facility_dict(a: LatestAudit) -> dict[str, Any]:
    return {
        "facility": a.facility_id,
        "name": a.facility_name,
        "standard": a.standard,
        "level": a.level,
        "verdict": a.verdict,
        "audited_on": a.audited_on,
        "score": a.score,
        "valid_until": a.valid_until,
        "blocking": list(a.blocking),
    }


Why = Literal["no_target", "out_of_scope", "not_named", "scope_unknown"]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A facility's latest audit that counts toward no target, and why."""

    audit: LatestAudit
    why: Why
    target: Target | None = None
    """The target the reason refers to (the first that could have counted it)."""

    def to_dict(self) -> dict[str, Any]:
        target = None if self.target is None else self.target.id
        return {**facility_dict(self.audit), "why": self.why, "target": target}


@dataclass(frozen=True, slots=True)
class InvalidAudit:
    """A file that could not be checked, so counts nowhere (listed, never dropped silently)."""

    path: str
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "problems": [p.to_dict() for p in self.problems]}


def unmatched(plan: Plan, latest: LatestAudits, catalog: Catalog) -> tuple[Unmatched, ...]:
    """Latest audits no target counts, with the first reason found (no target for the standard,
    outside every target's scope, not among the facilities a target names, scope unknown)."""
    out: list[Unmatched] = []
    for sid, facilities in sorted(latest.by_standard.items()):
        standard = catalog.find_quietly(sid)
        targets = [t for t in plan.targets if t.status != "no_standard" and sid in t.standard_ids]
        for _, audit in sorted(facilities.items()):
            why: Why | None = "no_target"
            about = targets[0] if targets else None
            for target in targets:
                scope = target_scope(target, standard)[0] if standard is not None else None
                inside = True if scope is None else scope.evaluate(dict(audit.facts))
                if inside is None:
                    why = "scope_unknown"
                elif not inside:
                    why = why if why in ("not_named", "scope_unknown") else "out_of_scope"
                elif target.named is not None and audit.facility_id not in {n.id for n in target.named}:
                    why = "not_named"
                else:
                    why = None
                    break
            if why is not None:
                out.append(Unmatched(audit, why, about))
    return tuple(out)
