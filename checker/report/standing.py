"""Page 1 of the gap report in words: where the facility stands, why, and what it takes.

Pure: from a result, its standard and the :func:`~checker.report.gaps.gap_plan`.

* **Where:** the verdict, the level and the score, and when the score alone
  would place the facility at a level it did not get, that it is the
  prerequisites that hold it back.
* **Why:** every failing and undecided prerequisite by name, and each score
  or section floor a level above is not met by.
* **What it takes:** the *nearest level reachable* and the fewest actions to
  reach it, chosen across levels: when the set that reaches the next level
  also reaches the one above (fixing two prerequisites of a school scoring
  86 makes it 示范 at once), the target is the higher level. Then what each
  level beyond adds.
* **By when:** a failing prerequisite is due ``follow_up.prerequisite_days``
  after the audit (or as the rule's own ``deadline`` says), everything else by
  the re-audit, ``follow_up.reaudit_days`` after the audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.core.text import Text

if TYPE_CHECKING:
    from checker.core.result import Result, ResultLevel, ResultRule
    from checker.core.standard import Deadline, Standard
    from checker.report.gaps import GapPlan, LevelPlan

__all__ = ["Deadlines", "LevelGap", "Standing", "choose_target", "deadlines", "level_reasons", "standing"]


def _count(plan: LevelPlan) -> int:
    return len(plan.to_fix) + len(plan.evidence) + len(plan.rules)


def choose_target(plan: GapPlan) -> LevelPlan | None:
    """The nearest level reachable; a higher one when the same number of actions reaches it."""
    reachable = [p for p in plan.levels if p.reachable]
    if not reachable:
        return None
    fewest = _count(reachable[0])
    return [p for p in reachable if _count(p) == fewest][-1]


@dataclass(frozen=True, slots=True)
class LevelGap:
    """Why one level above the current one is not reached: prerequisites, score, section floors."""

    level: ResultLevel
    score_short: float
    sections: tuple[tuple[str, float, float], ...]  # (section id, percent, floor)
    prerequisites: int
    evidence: int

    @property
    def score_met(self) -> bool:
        return self.score_short <= 0 and not self.sections


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates an owner works to, all counted from the audit date."""

    audited_on: str
    prerequisite_days: int
    reaudit_days: int
    prerequisites_due: str
    reaudit_by: str

    def for_rule(self, rule: Deadline | None, mandatory: bool) -> tuple[str, int | None, str]:
        """(class, days, date): ``prerequisite`` or ``reaudit`` by default; the rule's own ``days``
        (class ``rule``), ``until: reaudit`` or ``until: renovation`` (no date) where it sets one."""
        if rule is not None and rule.days is not None:
            return "rule", rule.days, _plus(self.audited_on, rule.days)
        if rule is not None and rule.until == "renovation":
            return "renovation", None, ""
        if mandatory and (rule is None or rule.until is None):
            return "prerequisite", self.prerequisite_days, self.prerequisites_due
        return "reaudit", self.reaudit_days, self.reaudit_by


def _plus(day: str, days: int) -> str:
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return day


def deadlines(result: Result, standard: Standard) -> Deadlines:
    follow = standard.follow_up
    day = result.audit.audited_on
    return Deadlines(
        day,
        follow.prerequisite_days,
        follow.reaudit_days,
        _plus(day, follow.prerequisite_days),
        _plus(day, follow.reaudit_days),
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """Everything page 1 says in words."""

    current: ResultLevel | None
    top: bool
    failing: tuple[ResultRule, ...]
    owed: tuple[ResultRule, ...]
    gaps: tuple[LevelGap, ...]
    score_level: ResultLevel | None
    target: LevelPlan | None
    beyond: tuple[tuple[LevelPlan, int], ...]
    deadlines: Deadlines

    @property
    def blocked(self) -> bool:
        """The score reaches a level the verdict does not give: prerequisites hold it back."""
        return self.score_level is not None and (
            self.current is None or self.current.id != self.score_level.id
        )

    @property
    def actions_needed(self) -> int:
        return 0 if self.target is None else _count(self.target)


def _score_level(result: Result, gaps: dict[str, LevelGap]) -> ResultLevel | None:
    """The highest level whose score and section floors the result meets, prerequisites aside."""
    found = None
    for level in result.levels:
        gap = gaps.get(level.id)
        if level.reached or (gap is not None and gap.score_met):
            found = level
        else:
            break
    return found


def standing(result: Result, standard: Standard, plan: GapPlan) -> Standing:
    failing = tuple(r for r in result.rules if r.mandatory and r.status == "fail")
    owed = tuple(r for r in result.rules if r.mandatory and r.status == "missing")
    gaps: dict[str, LevelGap] = {}
    for p in plan.levels:
        sections = tuple((s.section.id, s.section.percent or 0.0, s.floor) for s in p.sections_short)
        gaps[p.level.id] = LevelGap(p.level, p.score_short, sections, len(p.to_fix), len(p.evidence))
    target = choose_target(plan)
    beyond: list[tuple[LevelPlan, int]] = []
    if target is not None:
        above = plan.levels[plan.levels.index(target) + 1 :]
        beyond = [(p, _count(p) - _count(target)) for p in above]
    return Standing(
        current=plan.current,
        top=not plan.levels,
        failing=failing,
        owed=owed,
        gaps=tuple(gaps.values()),
        score_level=_score_level(result, gaps),
        target=target,
        beyond=tuple(beyond),
        deadlines=deadlines(result, standard),
    )


def level_reasons(st: Standing) -> dict[str, Text]:
    """Why each level above is not reached, in a few words (the level table's status column)."""
    from checker.report.html import num
    from checker.report.strings import STRINGS

    out: dict[str, Text] = {}
    for gap in st.gaps:
        parts: list[tuple[str, dict[str, object]]] = []
        if gap.prerequisites:
            parts.append(("why_level_fix", {"n": gap.prerequisites}))
        if gap.evidence:
            parts.append(("why_level_owed", {"n": gap.evidence}))
        if gap.score_short > 0:
            parts.append(("why_level_score", {"short": num(gap.score_short)}))
        if gap.sections:
            parts.append(("why_level_sections", {"n": len(gap.sections)}))
        zh = "；".join(STRINGS[k][0].format(**v) for k, v in parts)
        en = "; ".join(STRINGS[k][1].format(**v) for k, v in parts)
        out[gap.level.id] = Text(zh=zh, en=en)
    return out
