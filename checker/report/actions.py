"""The action list an owner works from: what to do, what was found, by when, who.

Pure. Each row is one open rule of :func:`~checker.report.gaps.gap_plan`'s
action list with

* the requirement as a sentence (the standard's ``requirement`` text, or one
  generated from the condition: never a formula or a case selector);
* what was found (the recorded values the rule reads);
* a deadline: prerequisites within ``follow_up.prerequisite_days`` of the
  audit, the rest by the re-audit, unless the rule sets its own ``deadline``
  (days, the re-audit, or the next renovation, with the reason);
* who acts, where the standard names one (``responsible``);
* the kinds of evidence owed, for a prerequisite that could not be decided.

Rows are split in two: what the target level needs (see
:mod:`~checker.report.standing`), and the other open items, which are
optional improvements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.core.requirement import observed, requirement

if TYPE_CHECKING:
    from checker.core.result import Result, ResultRule
    from checker.core.standard import Standard
    from checker.core.text import Text
    from checker.report.gaps import Action, GapPlan, LevelPlan
    from checker.report.standing import Deadlines

__all__ = ["ActionRow", "action_rows"]


@dataclass(frozen=True, slots=True)
class ActionRow:
    rule: ResultRule
    kind: str
    points: float
    score: float
    requirement: Text | None
    observed: Text | None
    deadline_class: str
    deadline_days: int | None
    deadline: str
    deadline_reason: Text | None
    responsible: Text | None
    evidence: tuple[str, ...]
    needed: bool


def _needed(result: Result, target: LevelPlan | None) -> set[str]:
    """Every open prerequisite (each one blocks every level) and the target's scored rules."""
    ids = {r.id for r in result.rules if r.mandatory and r.status in ("fail", "missing")}
    return ids if target is None else ids | {g.rule.id for g in target.rules}


def _evidence_kinds(plan: GapPlan, rule_id: str) -> tuple[str, ...]:
    for level in plan.levels[:1]:
        for e in level.evidence:
            if e.rule.id == rule_id:
                return e.kinds
    return ()


def _row(
    action: Action,
    result: Result,
    standard: Standard,
    plan: GapPlan,
    due: Deadlines,
    needed: set[str],
) -> ActionRow:
    rule = action.rule
    spec = standard.rule_map.get(rule.id)
    own = spec.deadline if spec else None
    klass, days, date = due.for_rule(own, rule.mandatory)
    return ActionRow(
        rule=rule,
        kind=action.kind,
        points=action.points,
        score=action.score,
        requirement=requirement(standard, rule.id),
        observed=observed(standard, rule.id, result.audit.values),
        deadline_class=klass,
        deadline_days=days,
        deadline=date,
        deadline_reason=own.reason if own is not None else None,
        responsible=spec.responsible if spec else None,
        evidence=_evidence_kinds(plan, rule.id) if action.kind == "mandatory_missing" else (),
        needed=rule.id in needed,
    )


def action_rows(
    result: Result, standard: Standard, plan: GapPlan, target: LevelPlan | None, due: Deadlines
) -> tuple[list[ActionRow], list[ActionRow]]:
    """(what the target level needs, every other open item), each in priority order."""
    needed = _needed(result, target)
    rows = [_row(a, result, standard, plan, due, needed) for a in plan.actions]
    return [r for r in rows if r.needed], [r for r in rows if not r.needed]
