"""Evaluating an audit against a standard: one outcome per rule, with its reason.

Pure functions over already-validated inputs. The standard is compiled once
(conditions parsed into nodes) and cached on the model, so evaluating an audit
is a loop over small objects. Reasons are rendered only when asked for, from
the same observations, so a batch that only needs scores does not pay for text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from checker.core.conditions import EPS, Condition, fmt_number, fmt_value, parse_condition
from checker.core.text import Lang, Text

if TYPE_CHECKING:
    from checker.core.audit import Audit, Waiver
    from checker.core.standard import FieldSpec, Rule, Standard

__all__ = [
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


class Status(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"
    MISSING = "missing"
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"


COUNTED = frozenset({Status.PASS, Status.PARTIAL, Status.FAIL, Status.MISSING})


@dataclass(frozen=True, slots=True)
class Warning:
    """Something the assessor should know that does not make the audit invalid."""

    code: str
    message: Text
    rule: str | None = None


@dataclass(slots=True)
class CompiledRule:
    rule: Rule
    section: str
    applies: Condition | None
    require: Condition | None
    linear: tuple[FieldSpec, float, float] | None
    tiers: list[tuple[float, Condition]] | None
    points: float
    mandatory: bool
    bonus: bool
    applies_fn: Callable[[Mapping[str, Any]], bool | None] | None = None
    require_fn: Callable[[Mapping[str, Any]], bool | None] | None = None
    tier_fns: tuple[tuple[float, Callable[[Mapping[str, Any]], bool | None]], ...] = ()
    counted: float = 0.0
    field_ids: tuple[str, ...] = ()
    reason_memo: dict[tuple[Any, ...], Text] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.counted = 0.0 if self.mandatory or self.bonus else self.points
        names: list[str] = []
        for node in (self.applies, self.require, *(when for _, when in self.tiers or ())):
            if node is not None:
                names.extend(node.field_ids())
        if self.linear is not None:
            names.append(self.linear[0].id)
        self.field_ids = tuple(dict.fromkeys(names))
        self.applies_fn = self.applies.compile() if self.applies is not None else None
        self.require_fn = self.require.compile() if self.require is not None else None
        self.tier_fns = tuple((points, when.compile()) for points, when in self.tiers or ())


@dataclass(slots=True)
class CompiledStandard:
    rules: list[CompiledRule]


def _compile(raw: dict[str, Any] | None, fields: Mapping[str, FieldSpec]) -> Condition | None:
    if raw is None:
        return None
    node, problems = parse_condition(raw, (), fields)
    if node is None:  # pragma: no cover - guarded by load_standard's cross-checks
        raise ValueError(f"standard was not validated: {problems}")
    return node


def compiled(standard: Standard) -> CompiledStandard:
    """The standard's rules compiled to closures, once per standard object."""
    found = standard.memo.get("engine")
    if found is None:
        found = standard.memo["engine"] = compile_standard(standard)
    return found


def compile_standard(standard: Standard) -> CompiledStandard:
    fields = standard.field_map
    rules: list[CompiledRule] = []
    for section in standard.sections:
        for rule in section.rules:
            credit = rule.credit
            linear = None
            tiers = None
            if credit is not None and credit.linear is not None:
                lin = credit.linear
                linear = (fields[lin.field], float(lin.zero_at), float(lin.full_at))
            elif credit is not None and credit.tiers is not None:
                tiers = []
                for tier in credit.tiers:
                    node = _compile(tier.when, fields)
                    assert node is not None
                    tiers.append((float(tier.points), node))
            rules.append(
                CompiledRule(
                    rule=rule,
                    section=section.id,
                    applies=_compile(rule.applies_when, fields),
                    require=_compile(rule.require, fields),
                    linear=linear,
                    tiers=tiers,
                    points=float(rule.points or 0),
                    mandatory=rule.mandatory,
                    bonus=rule.bonus,
                )
            )
    return CompiledStandard(rules)


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
        """Both languages at once, memoised per rule on the values the rule reads.

        A reason is a pure function of the status, the tier, the waiver and the
        observed values of the fields the rule names; a district's audits repeat
        those a lot (yes/no answers, enum choices), and rendering text is most of
        the cost of a result.
        """
        cr = self.compiled
        values = self.values
        key = (self.status, self.tier, id(self.waiver), tuple([values.get(f) for f in cr.field_ids]))
        memo = cr.reason_memo
        text = memo.get(key)
        if text is None or self.waiver is not None:
            text = Text(zh=explain(self, "zh"), en=explain(self, "en"))
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[key] = text
        return text


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


_MEMO_LIMIT = 128
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


# --- reasons -----------------------------------------------------------------


def _missing(cr: CompiledRule, values: Mapping[str, Any], lang: Lang) -> str:
    fields: list[str] = []
    labels: list[str] = []
    nodes: list[Condition] = []
    if cr.applies is not None and cr.applies.evaluate(values) is None:
        nodes.append(cr.applies)
    else:
        if cr.require is not None:
            nodes.append(cr.require)
        for _, when in cr.tiers or []:
            nodes.append(when)
    for node in nodes:
        fields.extend(f for f in node.unknown_fields(values) if f not in fields)
    if cr.linear is not None and values.get(cr.linear[0].id) is None:
        labels.append(cr.linear[0].label_in(lang))
    for node in nodes:
        for fid in node.field_ids():
            if fid in fields:
                label = _label_of(node, fid, lang)
                if label and label not in labels:
                    labels.append(label)
    joined = "、".join(labels) if lang == "zh" else ", ".join(labels)
    return f"缺少数据：{joined}" if lang == "zh" else f"missing data: {joined}"


def _label_of(node: Condition, fid: str, lang: Lang) -> str:
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        for attr in ("field", "a", "b"):
            fld = getattr(item, attr, None)
            if fld is not None and getattr(fld, "id", None) == fid:
                return str(fld.label_in(lang))
        stack.extend(getattr(item, "parts", []) or [])
        inner = getattr(item, "part", None)
        if inner is not None:
            stack.append(inner)
    return fid


def explain(outcome: RuleOutcome, lang: Lang) -> str:
    cr, values, status = outcome.compiled, outcome.values, outcome.status
    if status is Status.NOT_APPLICABLE:
        assert cr.applies is not None
        text = cr.applies.explain(values, lang)
        return f"不适用：{text}" if lang == "zh" else f"not applicable: {text}"
    if status is Status.WAIVED:
        w = outcome.waiver
        assert w is not None
        return (
            f"已豁免：{w.reason}（{w.approved_by} 批准，有效期至 {w.expires}）"
            if lang == "zh"
            else f"waived: {w.reason} (approved by {w.approved_by}, until {w.expires})"
        )
    if status is Status.MISSING:
        return _missing(cr, values, lang)
    if cr.require is not None:
        return cr.require.explain(values, lang)
    if cr.linear is not None:
        fld, zero, full = cr.linear
        shown = fmt_value(fld, values[fld.id], lang)
        got, pts = fmt_number(round(outcome.earned, 2)), fmt_number(cr.points)
        z, f = fmt_value(fld, zero, lang), fmt_value(fld, full, lang)
        return (
            f"{fld.label_in(lang)} {shown}：得 {got}/{pts} 分（{z} 为 0 分，{f} 为满分）"
            if lang == "zh"
            else f"{fld.label_in(lang)} {shown}: {got} of {pts} points (none at {z}, full at {f})"
        )
    assert cr.tiers is not None
    if outcome.tier is None:
        first = cr.tiers[0][1].explain(values, lang)
        return f"未达到任何得分档：{first}" if lang == "zh" else f"no tier reached: {first}"
    points, when = cr.tiers[outcome.tier]
    text = when.explain(values, lang)
    pts = f"{fmt_number(points)}/{fmt_number(cr.points)}"
    reached = f"达到 {pts} 分档：{text}" if lang == "zh" else f"tier of {pts} points reached: {text}"
    if outcome.tier + 1 >= len(cr.tiers):
        return reached
    nxt_points, nxt = cr.tiers[outcome.tier + 1]
    gap = nxt.explain(values, lang)
    if lang == "zh":
        return f"{reached}；下一档（{fmt_number(nxt_points)} 分）还需：{gap}"
    return f"{reached}; next tier ({fmt_number(nxt_points)} points) needs: {gap}"
