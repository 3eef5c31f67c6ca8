"""What a facility has to do to reach the next level: a pure function of the result.

Nothing here renders or reads files. :func:`gap_plan` takes a :class:`Result`
and its :class:`Standard` and returns

* the **action list**, in priority order: failed prerequisites (控制项), then
  prerequisites whose evidence is missing, then every scored rule that can
  still earn points, the most points first (file order breaks ties);
* one :class:`LevelPlan` per level above the one reached, ascending: the
  prerequisites to fix, the evidence owed, and the **smallest set of scored
  rules** whose points would lift the score and every section to that level.

The score being closed
----------------------

With ``E`` the earned points of non-bonus rules, ``P`` the possible points,
``B`` the raw bonus and ``c`` the standard's ``bonus_cap_percent``::

    score = min(100, 100 * (E + min(B, c/100 * P)) / P)

Fixing a scored rule never changes ``P`` (a ``fail``, ``partial`` or
``missing`` rule is already counted there), so the rule adds its missing
points ``points - earned`` to ``E``. A bonus rule adds to ``B``, but only up
to the cap's headroom ``c/100 * P - B``, which all bonus rules share. A level
needs ``E + bonus >= min_score * P / 100`` and, when it sets
``min_section_percent``, ``earned_s >= floor * possible_s / 100`` in every
section ``s`` with something possible (only non-bonus rules of ``s`` count
there).

The smallest set
----------------

1. **Section floors first.** Sections do not share rules, so for each
   section short of its floor the fewest rules are its largest gains taken
   in decreasing order until the floor is met; any other choice of as many
   rules from that section adds no more.
2. **Then the total.** The remaining candidates form one pool per section
   plus one pool of bonus rules; each pool is sorted by gain, largest first.
   The rule with the largest *marginal* gain is added until the total is
   reached: a non-bonus rule adds its gain, the next bonus rule adds
   ``min(gain, headroom left)``.

   Why this is the minimum: for any ``k``, the best total from ``k`` rules
   takes a prefix of each sorted pool (swapping a chosen rule for a larger
   one from the same pool never hurts a floor or the total). The value of a
   prefix of length ``j`` is concave in ``j`` in every pool (sorted gains;
   the bonus pool is also clipped at the headroom, which keeps it concave),
   and the greedy choice by marginal gain maximises a sum of concave
   functions under ``Σ j = k``. So the greedy set reaches the target with as
   few rules as any set can, given that each section first takes the
   minimum its floor forces.
3. **Least work among the smallest.** A chosen rule is swapped for a smaller
   unchosen one whenever the set still reaches the level, until no swap
   helps: the count stays minimal and the plan stops asking for 6 points
   where 1 would do.

The numbers are the result's, rounded to two decimals, so a plan computed
from a result with fractional (partial) points can be off by at most 0.005
points per partial rule. ``missing`` scored rules are candidates too: their
points come back once the data is supplied and passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from checker.core.result import Result, ResultLevel, ResultRule, ResultSection
    from checker.core.standard import FieldSpec, Standard

__all__ = [
    "Action",
    "Evidence",
    "Gain",
    "GapPlan",
    "LevelPlan",
    "SectionShortfall",
    "gap_plan",
    "next_level",
]

EPS = 1e-9
_OPEN = ("fail", "partial", "missing")
_SWAP_ROUNDS = 500


@dataclass(frozen=True, slots=True)
class Gain:
    """One scored rule of a plan and the points it adds to the total."""

    rule: ResultRule
    points: float
    score: float


@dataclass(frozen=True, slots=True)
class Evidence:
    """A prerequisite that could not be decided: the data it reads and the proof wanted."""

    rule: ResultRule
    fields: tuple[FieldSpec, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionShortfall:
    section: ResultSection
    floor: float
    points: float


@dataclass(frozen=True, slots=True)
class LevelPlan:
    """Everything between this result and ``level``."""

    level: ResultLevel
    to_fix: tuple[ResultRule, ...]
    evidence: tuple[Evidence, ...]
    points_short: float
    score_short: float
    sections_short: tuple[SectionShortfall, ...]
    rules: tuple[Gain, ...]
    reachable: bool
    projected_score: float

    @property
    def points_gained(self) -> float:
        return sum(g.points for g in self.rules)

    @property
    def score_met(self) -> bool:
        """The score and section floors already reach the level; only prerequisites remain."""
        return not self.rules and self.reachable


@dataclass(frozen=True, slots=True)
class Action:
    """One line of the action list."""

    rule: ResultRule
    kind: Literal["mandatory_fail", "mandatory_missing", "scored"]
    points: float
    score: float
    in_plan: bool = False


@dataclass(frozen=True, slots=True)
class GapPlan:
    current: ResultLevel | None
    levels: tuple[LevelPlan, ...]
    actions: tuple[Action, ...]
    headroom: float | None = field(default=None)

    @property
    def next(self) -> LevelPlan | None:
        return self.levels[0] if self.levels else None


@dataclass(slots=True)
class _Cand:
    rule: ResultRule
    gain: float
    order: int

    @property
    def bonus(self) -> bool:
        return self.rule.bonus


def next_level(result: Result) -> ResultLevel | None:
    """The lowest level above the one reached (the first level when none is)."""
    for level in result.levels:
        if not level.reached:
            return level
    return None


def _bonus_state(result: Result, standard: Standard) -> tuple[float, float]:
    """(bonus counted now, headroom left under the cap; inf without a cap)."""
    raw = sum(r.earned for r in result.rules if r.bonus)
    cap = standard.scoring.bonus_cap_percent if standard.scoring else None
    if cap is None:
        return raw, math.inf
    limit = cap / 100.0 * result.possible
    return min(raw, limit), max(0.0, limit - raw)


def _candidates(result: Result) -> list[_Cand]:
    out = []
    for i, r in enumerate(result.rules):
        if r.mandatory or r.status not in _OPEN:
            continue
        gain = r.points - r.earned
        if gain > EPS:
            out.append(_Cand(r, gain, i))
    return out


def _value(chosen: list[_Cand], headroom: float) -> tuple[float, dict[str, float]]:
    """Total points a set adds (bonus clipped at the headroom) and points per section."""
    per: dict[str, float] = {}
    total = bonus = 0.0
    for c in chosen:
        if c.bonus:
            bonus += c.gain
        else:
            total += c.gain
            per[c.rule.section] = per.get(c.rule.section, 0.0) + c.gain
    return total + min(bonus, headroom), per


def _feasible(chosen: list[_Cand], headroom: float, need: float, floors: dict[str, float]) -> bool:
    total, per = _value(chosen, headroom)
    if total < need - EPS:
        return False
    return all(per.get(sid, 0.0) >= pts - EPS for sid, pts in floors.items())


def _greedy(cands: list[_Cand], headroom: float, need: float, floors: dict[str, float]) -> list[_Cand] | None:
    key = lambda c: (-c.gain, c.order)  # noqa: E731
    chosen: list[_Cand] = []
    taken: set[int] = set()
    for sid, short in floors.items():
        got = 0.0
        for c in sorted((c for c in cands if not c.bonus and c.rule.section == sid), key=key):
            if got >= short - EPS:
                break
            chosen.append(c)
            taken.add(c.order)
            got += c.gain
        if got < short - EPS:
            return None
    rest = sorted((c for c in cands if not c.bonus and c.order not in taken), key=key)
    bonus = sorted((c for c in cands if c.bonus), key=key)
    total, _ = _value(chosen, headroom)
    left = headroom
    while total < need - EPS:
        plain = rest[0].gain if rest else 0.0
        extra = min(bonus[0].gain, left) if bonus else 0.0
        if max(plain, extra) <= EPS:
            return None
        if plain >= extra:
            chosen.append(rest.pop(0))
            total += plain
        else:
            chosen.append(bonus.pop(0))
            total += extra
            left -= extra
    return chosen


def _least_work(
    chosen: list[_Cand],
    cands: list[_Cand],
    headroom: float,
    need: float,
    floors: dict[str, float],
) -> list[_Cand]:
    """Swap chosen rules for smaller unchosen ones while the set still reaches the level."""
    for _ in range(_SWAP_ROUNDS):
        ids = {c.order for c in chosen}
        spare = sorted((c for c in cands if c.order not in ids), key=lambda c: (c.gain, c.order))
        swapped = False
        for out in sorted(chosen, key=lambda c: (-c.gain, c.order)):
            for alt in spare:
                if alt.gain >= out.gain - EPS:
                    break
                trial = [alt if c is out else c for c in chosen]
                if _feasible(trial, headroom, need, floors):
                    chosen = trial
                    swapped = True
                    break
            if swapped:
                break
        if not swapped:
            break
    return chosen


def _condition_fields(raw: Any, out: list[str]) -> None:
    """Field ids a condition (the format's raw form) reads, in order of appearance."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in ("field", "of") and isinstance(value, str):
                if value not in out:
                    out.append(value)
            elif key in ("all", "any", "count", "not", "per"):
                _condition_fields(value, out)
    elif isinstance(raw, list):
        for item in raw:
            _condition_fields(item, out)


def _evidence(rule: ResultRule, standard: Standard) -> Evidence:
    """The fields a prerequisite reads, and the kinds of proof they ask for."""
    ids: list[str] = []
    spec = standard.rule_map.get(rule.id)
    if spec is not None:
        _condition_fields(spec.applies_when, ids)
        _condition_fields(spec.require, ids)
        if spec.credit is not None and spec.credit.linear is not None:
            _condition_fields({"field": spec.credit.linear.field}, ids)
        for tier in (spec.credit.tiers or []) if spec.credit is not None else []:
            _condition_fields(tier.when, ids)
    fmap = standard.field_map
    fields = tuple(fmap[f] for f in ids if f in fmap)
    kinds = tuple(dict.fromkeys(f.evidence for f in fields if f.evidence))
    return Evidence(rule, fields, kinds)


def _plan(
    result: Result,
    standard: Standard,
    level: ResultLevel,
    cands: list[_Cand],
    counted_bonus: float,
    headroom: float,
) -> LevelPlan:
    possible = result.possible
    to_fix = tuple(r for r in result.rules if r.mandatory and r.status == "fail")
    evidence = tuple(_evidence(r, standard) for r in result.rules if r.mandatory and r.status == "missing")
    now = result.earned + counted_bonus
    if possible <= EPS:
        return LevelPlan(level, to_fix, evidence, 0.0, level.min_score, (), (), False, 0.0)
    need = max(0.0, level.min_score * possible / 100.0 - now)
    shortfalls: list[SectionShortfall] = []
    if level.min_section_percent is not None:
        for s in result.sections:
            if s.possible > EPS:
                short = level.min_section_percent * s.possible / 100.0 - s.earned
                if short > EPS:
                    shortfalls.append(SectionShortfall(s, level.min_section_percent, short))
    floors = {s.section.id: s.points for s in shortfalls}
    chosen = _greedy(cands, headroom, need, floors)
    reachable = chosen is not None
    chosen = [] if chosen is None else _least_work(chosen, cands, headroom, need, floors)
    chosen.sort(key=lambda c: (c.bonus, -c.gain, c.order))
    gains: list[Gain] = []
    left = headroom
    for c in chosen:
        pts = c.gain
        if c.bonus:
            pts = min(pts, left)
            left -= pts
        gains.append(Gain(c.rule, pts, 100.0 * pts / possible))
    after = min(100.0, 100.0 * (now + sum(g.points for g in gains)) / possible)
    return LevelPlan(
        level=level,
        to_fix=to_fix,
        evidence=evidence,
        points_short=need,
        score_short=100.0 * need / possible,
        sections_short=tuple(shortfalls),
        rules=tuple(gains),
        reachable=reachable,
        projected_score=after,
    )


def gap_plan(result: Result, standard: Standard) -> GapPlan:
    """The action list and one plan per level above the one reached (see the module doc)."""
    counted_bonus, headroom = _bonus_state(result, standard)
    cands = _candidates(result)
    current = next((lv for lv in reversed(result.levels) if lv.reached), None)
    above = [lv for lv in result.levels if not lv.reached]
    plans = tuple(_plan(result, standard, lv, cands, counted_bonus, headroom) for lv in above)
    in_plan = {g.rule.id for g in plans[0].rules} if plans else set()
    possible = result.possible if result.possible > EPS else 1.0
    actions: list[Action] = [
        Action(r, "mandatory_fail", 0.0, 0.0) for r in result.rules if r.mandatory and r.status == "fail"
    ]
    actions += [
        Action(r, "mandatory_missing", 0.0, 0.0)
        for r in result.rules
        if r.mandatory and r.status == "missing"
    ]
    scored = []
    for c in cands:
        pts = min(c.gain, headroom) if c.bonus else c.gain
        if pts > EPS:
            scored.append(
                (
                    -pts,
                    c.order,
                    Action(
                        c.rule,
                        "scored",
                        pts,
                        100.0 * pts / possible,
                        c.rule.id in in_plan,
                    ),
                )
            )
    actions += [a for _, _, a in sorted(scored, key=lambda t: (t[0], t[1]))]
    cap = None if math.isinf(headroom) else headroom
    return GapPlan(current, plans, tuple(actions), cap)
