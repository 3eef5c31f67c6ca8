"""Scoring: from rule outcomes to score, section percentages, level and verdict.

Pure and unrounded: rounding happens only when a result is written, and every
decision (thresholds, floors) uses the exact values with the 1e-9 tolerance,
so that 4 + 0.1 points out of 5 reach exactly 82.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from checker.core.conditions import EPS
from checker.core.engine import RuleOutcome, Status

if TYPE_CHECKING:
    from checker.core.standard import Level, Standard

__all__ = ["Score", "SectionScore", "Verdict", "score"]

_FAIL, _MISSING = Status.FAIL, Status.MISSING
_SKIP = frozenset({Status.NOT_APPLICABLE, Status.WAIVED})


class Verdict(StrEnum):
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    INCOMPLETE = "incomplete"


@dataclass(slots=True)
class SectionScore:
    id: str
    earned: float
    possible: float

    @property
    def percent(self) -> float | None:
        return None if self.possible <= 0 else 100.0 * self.earned / self.possible


@dataclass(slots=True)
class Score:
    score: float
    earned: float
    possible: float
    bonus: float
    bonus_raw: float
    sections: list[SectionScore]
    level: Level | None
    verdict: Verdict
    mandatory_failed: list[str]
    mandatory_missing: list[str]


def score(standard: Standard, outcomes: Sequence[RuleOutcome]) -> Score:
    """Score one evaluated audit exactly as the format specifies."""
    earned = possible = bonus_raw = 0.0
    per_section: dict[str, list[float]] = {s.id: [0.0, 0.0] for s in standard.sections}
    failed: list[str] = []
    missing: list[str] = []
    skip = _SKIP
    for o in outcomes:
        cr = o.compiled
        status = o.status
        if cr.mandatory:
            if status is _FAIL:
                failed.append(cr.rule.id)
            elif status is _MISSING:
                missing.append(cr.rule.id)
            continue
        if cr.bonus:
            bonus_raw += o.earned
            continue
        if status in skip:
            continue
        acc = per_section[cr.section]
        acc[0] += o.earned
        acc[1] += o.possible
        earned += o.earned
        possible += o.possible
    bonus = bonus_raw
    cap = standard.scoring.bonus_cap_percent if standard.scoring else None
    if cap is not None:
        bonus = min(bonus, cap / 100.0 * possible)
    raw = 0.0 if possible <= 0 else 100.0 * (earned + bonus) / possible
    if not (math.isfinite(raw) and math.isfinite(possible)):
        # a standard that slipped past its checks must never certify: NaN would pass min() as 100
        raise ValueError(f"score of {standard.id} is not a finite number ({earned} + {bonus} of {possible})")
    total = max(0.0, min(100.0, raw))
    sections = [SectionScore(sid, e, p) for sid, (e, p) in per_section.items()]
    level = _level(standard, total, sections, bool(failed or missing))
    if failed:
        verdict = Verdict.NOT_CERTIFIED
    elif missing:
        verdict = Verdict.INCOMPLETE
    elif level is not None:
        verdict = Verdict.CERTIFIED
    else:
        verdict = Verdict.NOT_CERTIFIED
    return Score(total, earned, possible, bonus, bonus_raw, sections, level, verdict, failed, missing)


def level_holds(level: Level, total: float, sections: Sequence[SectionScore]) -> bool:
    """Whether score and section floors reach ``level`` (mandatory rules aside)."""
    if total < level.min_score - EPS:
        return False
    floor = level.min_section_percent
    if floor is None:
        return True
    for section in sections:
        percent = section.percent
        if percent is not None and percent < floor - EPS:
            return False
    return True


def _level(standard: Standard, total: float, sections: Sequence[SectionScore], blocked: bool) -> Level | None:
    if blocked:
        return None
    for level in reversed(standard.levels):
        if level_holds(level, total, sections):
            return level
    return None
