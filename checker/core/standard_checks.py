"""The cross-checks of a standard that no schema can express.

Unique ids, declared fields, operators that fit field types, declared
references, level order and credit arithmetic; every problem located.
"""

from __future__ import annotations

from typing import Any

from checker.core.conditions import parse_condition
from checker.core.errors import Problem
from checker.core.sources import Located, format_path
from checker.core.standard import FieldSpec, Rule, Standard

__all__ = ["cross_check"]


def cross_check(standard: Standard, located: Located, name: str) -> list[Problem]:
    """Everything a schema cannot say; returns all problems, in file order."""
    out: list[Problem] = []

    def fail(path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        out.append(located.problem(name, path, message, hint))

    _check_ids(standard, fail)
    _check_fields(standard, fail)
    _check_levels(standard, fail)
    fields = standard.field_map
    refs = {r.id for r in standard.references}
    for si, section in enumerate(standard.sections):
        for ri, rule in enumerate(section.rules):
            _check_rule(rule, ("sections", si, "rules", ri), fields, refs, fail)
    return out


def _check_ids(standard: Standard, fail: Any) -> None:
    def unique(items: list[tuple[str, tuple[str | int, ...]]], what: str) -> None:
        first: dict[str, tuple[str | int, ...]] = {}
        for ident, path in items:
            if ident in first:
                fail(
                    (*path, "id"),
                    f"duplicate {what} id {ident!r}",
                    f"ids must be unique; the first is at {format_path(first[ident])}",
                )
            else:
                first[ident] = path

    unique([(f.id, ("fields", i)) for i, f in enumerate(standard.fields)], "field")
    unique([(r.id, ("references", i)) for i, r in enumerate(standard.references)], "reference")
    unique([(lv.id, ("levels", i)) for i, lv in enumerate(standard.levels)], "level")
    unique([(s.id, ("sections", i)) for i, s in enumerate(standard.sections)], "section")
    unique(
        [
            (r.id, ("sections", si, "rules", ri))
            for si, s in enumerate(standard.sections)
            for ri, r in enumerate(s.rules)
        ],
        "rule",
    )


def _check_fields(standard: Standard, fail: Any) -> None:
    for i, f in enumerate(standard.fields):
        path: tuple[str | int, ...] = ("fields", i)
        numeric = f.type in ("integer", "number")
        if not numeric and (f.min is not None or f.max is not None):
            fail(
                (*path, "min" if f.min is not None else "max"),
                f"min/max apply to integer and number fields, not {f.type}",
                "remove them",
            )
        if f.min is not None and f.max is not None and f.min > f.max:
            fail((*path, "min"), f"min {f.min} is above max {f.max}", "swap them")
        if f.type == "enum":
            if not f.values:
                fail((*path, "values"), "an enum field needs values: [...]", "list the allowed values")
            elif len(set(f.values)) != len(f.values):
                fail((*path, "values"), "enum values repeat", "list each value once")
        elif f.values is not None:
            fail((*path, "values"), f"values: applies to enum fields, not {f.type}", "remove it")
        if f.value_labels is not None:
            unknown = [v for v in f.value_labels if v not in (f.values or [])]
            for v in unknown:
                fail(
                    (*path, "value_labels", v),
                    f"label for undeclared value {v!r}",
                    "add it to values: or remove the label",
                )


def _check_levels(standard: Standard, fail: Any) -> None:
    previous: float | None = None
    for i, level in enumerate(standard.levels):
        if previous is not None and not level.min_score > previous:
            fail(
                ("levels", i, "min_score"),
                f"levels must be listed in strictly ascending min_score ({level.min_score} after {previous})",
                "order the levels from lowest to highest",
            )
        previous = level.min_score


def _check_rule(
    rule: Rule, path: tuple[str | int, ...], fields: dict[str, FieldSpec], refs: set[str], fail: Any
) -> None:
    if rule.ref is not None and rule.ref.doc not in refs:
        fail(
            (*path, "ref", "doc"),
            f"reference {rule.ref.doc!r} is not declared in references:",
            f"declared: {', '.join(sorted(refs)) or 'none'}",
        )
    if rule.mandatory:
        for key in ("points", "credit"):
            if getattr(rule, key) is not None:
                fail(
                    (*path, key),
                    f"a mandatory rule has no {key}",
                    "mandatory rules (控制项) only gate levels; remove it or set mandatory: false",
                )
        if rule.bonus:
            fail((*path, "bonus"), "a mandatory rule cannot be a bonus", "remove bonus: true")
        if rule.require is None:
            fail(path, "a mandatory rule needs require:", "state the condition that must hold")
    else:
        if rule.points is None:
            fail(path, "a scored rule needs points: (or mandatory: true)", "add points: N")
        if (rule.require is None) == (rule.credit is None):
            fail(
                path,
                "a scored rule needs exactly one of require: (all or nothing) or credit: (partial)",
                "keep one of them",
            )
    for key in ("applies_when", "require"):
        raw = getattr(rule, key)
        if raw is not None:
            _, problems = parse_condition(raw, (*path, key), fields)
            for p in problems:
                fail(p.path, p.message, p.hint)
    if rule.credit is not None:
        _check_credit(rule, (*path, "credit"), fields, fail)
    if rule.deadline is not None and (rule.deadline.days is None) == (rule.deadline.until is None):
        fail(
            (*path, "deadline"),
            "a deadline needs exactly one of days: N or until: reaudit|renovation",
            "keep one of them",
        )


def _check_credit(rule: Rule, path: tuple[str | int, ...], fields: dict[str, FieldSpec], fail: Any) -> None:
    credit = rule.credit
    assert credit is not None
    if (credit.linear is None) == (credit.tiers is None):
        fail(path, "credit needs exactly one of linear: or tiers:", "keep one of them")
        return
    if credit.linear is not None:
        lin = credit.linear
        field = fields.get(lin.field)
        if field is None:
            fail(
                (*path, "linear", "field"),
                f"field {lin.field!r} is not declared in fields:",
                "declare it under fields:",
            )
        elif field.type not in ("integer", "number"):
            fail(
                (*path, "linear", "field"),
                f"linear credit needs an integer or number field; {lin.field} is {field.type}",
            )
        if abs(lin.zero_at - lin.full_at) <= 1e-9:
            fail(
                (*path, "linear"),
                "zero_at and full_at are equal",
                "they must differ (zero_at may be above full_at for less-is-better)",
            )
        return
    tiers = credit.tiers or []
    previous = 0.0
    for i, tier in enumerate(tiers):
        tpath = (*path, "tiers", i)
        if not tier.points > previous:
            fail(
                (*tpath, "points"),
                "tiers must be listed in strictly ascending points",
                "order them from fewest to most points",
            )
        if rule.points is not None and tier.points > rule.points + 1e-9:
            fail(
                (*tpath, "points"),
                f"tier points {tier.points} exceed the rule's points {rule.points}",
                "lower the tier",
            )
        previous = tier.points
        _, problems = parse_condition(tier.when, (*tpath, "when"), fields)
        for p in problems:
            fail(p.path, p.message, p.hint)
    if rule.points is not None and tiers and abs(tiers[-1].points - rule.points) > 1e-9:
        fail(
            (*path, "tiers", len(tiers) - 1, "points"),
            f"the last tier must be worth the rule's points ({rule.points})",
            "make the top tier full credit",
        )
