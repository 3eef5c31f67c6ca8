"""Evaluating an audit against a standard: one outcome per rule, and what it earned.

Pure functions over already-validated inputs. The standard is compiled once
(``compiled``: conditions parsed into nodes and closures), so evaluating an
audit is a loop over small objects. Reasons are worded only when asked for
(``explain``), from the same observations, so a batch that only needs scores
does not pay for text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.core.compiled import COUNTED, CompiledRule, CompiledStandard, Status, compile_standard, compiled
from checker.core.conditions import EPS
from checker.core.explain import explain
from checker.core.explain import reasons as _reasons
from checker.core.text import Lang, Text

if TYPE_CHECKING:
    from checker.core.audit import Audit, Waiver
    from checker.core.standard import Rule, Standard

__all__ = [
    "COUNTED",
    "CompiledRule",
    "CompiledStandard",
    "Evaluation",
    "RuleOutcome",
    "Status",
    "Warning",
    "compile_standard",
    "evaluate",
    "evaluate_values",
]


@dataclass(frozen=True, slots=True)
class Warning:
    """Something the assessor should know that does not make the audit invalid."""

    code: str
    message: Text
    rule: str | None = None


@dataclass(slots=True)
class RuleOutcome:
    """The status of one rule in one audit, and what it earned."""

    compiled: CompiledRule = field(repr=False, compare=False)
    status: Status
    earned: float
    possible: float
    fraction: float | None = None
    tier: int | None = None
    waiver: Waiver | None = field(default=None, compare=False)
    values: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rule(self) -> Rule:
        return self.compiled.rule

    @property
    def id(self) -> str:
        return self.compiled.rule.id

    @property
    def section(self) -> str:
        return self.compiled.section

    @property
    def mandatory(self) -> bool:
        return self.compiled.mandatory

    @property
    def bonus(self) -> bool:
        return self.compiled.bonus

    def reason(self, lang: Lang) -> str:
        """Why the rule has this status, in words a facility owner understands."""
        return explain(self, lang)

    def reasons(self) -> Text:
        """Both languages at once."""
        return _reasons(self)

    def key(self) -> tuple[Any, ...] | None:
        """What, besides the rule itself, decides everything derived from this outcome.

        The status, the tier and the observed values of the fields the rule
        names decide the reason, the points earned and so the rule's row in a
        result; a district's audits repeat those a lot (yes/no answers, enum
        choices), so derived text is memoised on this key; an outcome of a rule
        that does not apply, on the fields of its ``applies_when``. None when waived:
        a waiver's own words make its outcome one of a kind.
        """
        if self.waiver is not None:
            return None
        if self.status is _NA:  # worded from the condition of ``applies_when`` alone
            return (_NA, None, *map(self.values.get, self.compiled.applies_ids))
        return (self.status, self.tier, *map(self.values.get, self.compiled.field_ids))


@dataclass(frozen=True, slots=True)
class Evaluation:
    outcomes: list[RuleOutcome]
    warnings: list[Warning]


def evaluate(standard: Standard, audit: Audit) -> Evaluation:
    """Evaluate every rule of ``standard`` on a validated ``audit``."""
    return evaluate_values(standard, audit.values, audit.audited_on, audit.waivers)


def evaluate_values(
    standard: Standard,
    values: Mapping[str, Any],
    audited_on: str,
    waivers: list[Waiver] | tuple[Waiver, ...] = (),
) -> Evaluation:
    """The engine proper: observations (unknowns absent), audit date and waivers in."""
    warnings: list[Warning] = []
    if standard.effective is not None and audited_on < standard.effective:
        warnings.append(
            Warning(
                "before_effective",
                Text(
                    zh=f"评估日期 {audited_on} 早于本指引生效日期 {standard.effective}",
                    en=f"the audit date {audited_on} is before the standard took effect "
                    f"({standard.effective})",
                ),
            )
        )
    in_force: dict[str, Waiver] = {}
    for waiver in waivers:
        if audited_on <= waiver.expires:
            in_force.setdefault(waiver.rule, waiver)
        else:
            warnings.append(
                Warning(
                    "waiver_expired",
                    Text(
                        zh=f"规则 {waiver.rule} 的豁免已于 {waiver.expires} 到期，已按常规评估",
                        en=f"the waiver for {waiver.rule} expired on {waiver.expires}; "
                        "the rule was evaluated as usual",
                    ),
                    waiver.rule,
                )
            )
    outcomes = [_rule_outcome(cr, values, in_force) for cr in compiled(standard).rules]
    for outcome in outcomes if in_force else ():
        if outcome.status is Status.NOT_APPLICABLE and outcome.id in in_force:
            warnings.append(
                Warning(
                    "waiver_unused",
                    Text(
                        zh=f"规则 {outcome.id} 不适用，其豁免未被使用",
                        en=f"rule {outcome.id} does not apply; its waiver was not used",
                    ),
                    outcome.id,
                )
            )
    return Evaluation(outcomes, warnings)


_NA, _WAIVED, _MISSING = Status.NOT_APPLICABLE, Status.WAIVED, Status.MISSING
_PASS, _PARTIAL, _FAIL = Status.PASS, Status.PARTIAL, Status.FAIL


def _rule_outcome(cr: CompiledRule, values: Mapping[str, Any], in_force: Mapping[str, Waiver]) -> RuleOutcome:
    """One rule's status; the first row of the format's status table that holds decides."""
    applies = cr.applies_fn(values) if cr.applies_fn is not None else True
    if applies is False:
        return RuleOutcome(cr, _NA, 0.0, 0.0, None, None, None, values)
    if in_force:
        waiver = in_force.get(cr.rule.id)
        if waiver is not None:
            return RuleOutcome(cr, _WAIVED, 0.0, 0.0, None, None, waiver, values)
    counted = cr.counted
    if applies is None:
        return RuleOutcome(cr, _MISSING, 0.0, counted, None, None, None, values)
    require = cr.require_fn
    if require is not None:
        held = require(values)
        if held is None:
            return RuleOutcome(cr, _MISSING, 0.0, counted, None, None, None, values)
        if held:
            return RuleOutcome(cr, _PASS, cr.points, counted, None, None, None, values)
        return RuleOutcome(cr, _FAIL, 0.0, counted, None, None, None, values)
    if cr.linear is not None:
        fld, zero, full = cr.linear
        x = values.get(fld.id)
        if x is None:
            return RuleOutcome(cr, _MISSING, 0.0, counted, None, None, None, values)
        frac = (x - zero) / (full - zero)
        if frac >= 1 - EPS:
            return RuleOutcome(cr, _PASS, cr.points, counted, 1.0, None, None, values)
        if frac <= EPS:
            return RuleOutcome(cr, _FAIL, 0.0, counted, 0.0, None, None, values)
        return RuleOutcome(cr, _PARTIAL, cr.points * frac, counted, frac, None, None, values)
    earned = 0.0
    reached: int | None = None
    for index, (points, when) in enumerate(cr.tier_fns):
        held = when(values)
        if held is None:
            return RuleOutcome(cr, _MISSING, 0.0, counted, None, None, None, values)
        if held:
            earned, reached = points, index
    if reached is None:
        return RuleOutcome(cr, _FAIL, 0.0, counted, 0.0, None, None, values)
    if earned >= cr.points - EPS:
        return RuleOutcome(cr, _PASS, cr.points, counted, 1.0, reached, None, values)
    return RuleOutcome(cr, _PARTIAL, earned, counted, earned / cr.points, reached, None, values)
