"""A standard compiled for the engine: conditions parsed once into nodes and closures.

Compiling happens once per standard object (cached on ``Standard.memo``), so
evaluating an audit is a loop over small objects, and whatever is derived
from a rule's outcome (its reason, its row in a result) can be memoised on the
compiled rule, which lives exactly as long as the standard it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from checker.core.conditions import Condition, parse_condition

if TYPE_CHECKING:
    from checker.core.standard import FieldSpec, Rule, Standard

__all__ = [
    "COUNTED",
    "STATUS_WORDS",
    "CompiledRule",
    "CompiledStandard",
    "Status",
    "compile_standard",
    "compiled",
]


class Status(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"
    MISSING = "missing"
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"


COUNTED = frozenset({Status.PASS, Status.PARTIAL, Status.FAIL, Status.MISSING})

STATUS_WORDS: dict[Status, str] = {status: status.value for status in Status}
"""Each status's word as results and digests write it (the enum's ``value`` property is slow, and
they read one per rule)."""

Check = Callable[[Mapping[str, Any]], bool | None]


@dataclass(slots=True)
class CompiledRule:
    """One rule, ready to evaluate: its condition nodes (for words) and closures (for speed).

    ``field_ids`` are every field the rule reads, in order; an outcome's
    status, tier and the values of these fields decide everything derived
    from it (see ``RuleOutcome.key``), and when the rule does not apply, the
    values of ``applies_ids`` alone do. ``memo`` holds such derived things
    for whoever derives them (the result rows, keyed by those values alone:
    the engine decides status and tier from them).
    """

    rule: Rule
    section: str
    applies: Condition | None
    require: Condition | None
    linear: tuple[FieldSpec, float, float] | None
    tiers: list[tuple[float, Condition]] | None
    points: float
    mandatory: bool
    bonus: bool
    applies_fn: Check | None = None
    require_fn: Check | None = None
    tier_fns: tuple[tuple[float, Check], ...] = ()
    counted: float = 0.0
    field_ids: tuple[str, ...] = ()
    applies_ids: tuple[str, ...] = ()
    read: Callable[[Mapping[str, Any]], Any] = field(default=tuple, repr=False)
    """The values of ``field_ids`` from a mapping that has every field (one C call)."""
    read_applies: Callable[[Mapping[str, Any]], Any] = field(default=tuple, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    words: Any = field(default=None, repr=False)
    """The rule's conditions compiled for wording (``explain``), made when first worded."""

    def __post_init__(self) -> None:
        self.counted = 0.0 if self.mandatory or self.bonus else self.points
        names: list[str] = []
        for node in (self.applies, self.require, *(when for _, when in self.tiers or ())):
            if node is not None:
                names.extend(node.field_ids())
        if self.linear is not None:
            names.append(self.linear[0].id)
        self.field_ids = tuple(dict.fromkeys(names))
        self.applies_ids = tuple(dict.fromkeys(self.applies.field_ids())) if self.applies is not None else ()
        self.read = itemgetter(*self.field_ids) if self.field_ids else _nothing
        self.read_applies = itemgetter(*self.applies_ids) if self.applies_ids else _nothing
        self.applies_fn = self.applies.compile() if self.applies is not None else None
        self.require_fn = self.require.compile() if self.require is not None else None
        self.tier_fns = tuple((points, when.compile()) for points, when in self.tiers or ())


def _nothing(values: Mapping[str, Any]) -> tuple[()]:
    return ()


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
