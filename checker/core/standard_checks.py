"""The cross-checks of a standard that no schema can express.

Unique ids, declared fields, operators that fit field types, declared
references, level order and credit arithmetic; every problem located.
"""

from __future__ import annotations

from typing import Any

from checker.core.conditions import parse_condition
from checker.core.conditions.ops import NUMERIC_OPS
from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.core.sources import Located, format_path
from checker.core.standard import FieldSpec, Rule, Standard

__all__ = ["cross_check"]


def cross_check(standard: Standard, located: Located, name: str) -> list[Problem]:
    """Everything a schema cannot say; returns all problems, in file order."""
    out: list[Problem] = []

    def fail(path: tuple[str | int, ...], message: Msg, hint: Msg) -> None:
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
                    say("standard.duplicate_id", what=say(f"word.{what}"), id=repr(ident)),
                    say("hint.unique_ids", first=format_path(first[ident])),
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
                say("standard.bounds_type", type=f.type),
                say("hint.remove_them"),
            )
        if f.type == "integer":
            for key in ("min", "max"):
                bound = getattr(f, key)
                if bound is not None and not float(bound).is_integer():
                    fail(
                        (*path, key),
                        say("standard.integer_bound", key=key, value=bound),
                        say("hint.whole_bound"),
                    )
        if f.min is not None and f.max is not None and f.min > f.max:
            fail((*path, "min"), say("standard.min_above_max", min=f.min, max=f.max), say("hint.swap"))
        if f.type == "enum":
            if not f.values:
                fail((*path, "values"), say("standard.enum_needs_values"), say("hint.list_values"))
            elif len(set(f.values)) != len(f.values):
                fail((*path, "values"), say("standard.enum_repeat"), say("hint.each_once"))
        elif f.values is not None:
            fail((*path, "values"), say("standard.values_type", type=f.type), say("hint.remove_it"))
        if f.value_labels is not None:
            unknown = [v for v in f.value_labels if v not in (f.values or [])]
            for v in unknown:
                fail(
                    (*path, "value_labels", v),
                    say("standard.label_undeclared", value=repr(v)),
                    say("hint.label_undeclared"),
                )


def _check_levels(standard: Standard, fail: Any) -> None:
    previous: float | None = None
    for i, level in enumerate(standard.levels):
        if previous is not None and not level.min_score > previous:
            fail(
                ("levels", i, "min_score"),
                say("standard.levels_order", score=level.min_score, previous=previous),
                say("hint.levels_order"),
            )
        previous = level.min_score


def _check_rule(
    rule: Rule, path: tuple[str | int, ...], fields: dict[str, FieldSpec], refs: set[str], fail: Any
) -> None:
    if rule.ref is not None and rule.ref.doc not in refs:
        fail(
            (*path, "ref", "doc"),
            say("standard.ref_undeclared", doc=repr(rule.ref.doc)),
            say("hint.declared", ids=", ".join(sorted(refs)) or "-"),
        )
    if rule.mandatory:
        for key in ("points", "credit"):
            if getattr(rule, key) is not None:
                fail((*path, key), say("standard.mandatory_has", key=key), say("hint.mandatory_gate"))
        if rule.bonus:
            fail((*path, "bonus"), say("standard.mandatory_bonus"), say("hint.remove_bonus"))
        if rule.require is None:
            fail(path, say("standard.mandatory_require"), say("hint.state_condition"))
    else:
        if rule.points is None:
            fail(path, say("standard.scored_points"), say("hint.add_points"))
        if (rule.require is None) == (rule.credit is None):
            fail(path, say("standard.require_or_credit"), say("hint.keep_one"))
    for key in ("applies_when", "require"):
        raw = getattr(rule, key)
        if raw is not None:
            _, problems = parse_condition(raw, (*path, key), fields)
            for p in problems:
                fail(p.path, p.message, p.hint)
            _check_counts(raw, (*path, key), fail)
    if rule.credit is not None:
        _check_credit(rule, (*path, "credit"), fields, fail)
    if rule.deadline is not None and (rule.deadline.days is None) == (rule.deadline.until is None):
        fail(
            (*path, "deadline"),
            "a deadline needs exactly one of days: N or until: reaudit|renovation",
            "keep one of them",
        )


def _check_counts(raw: Any, path: tuple[str | int, ...], fail: Any) -> None:
    """A ``count`` runs from 0 to its number of conditions: a threshold that holds for none or for
    all of those counts makes a rule that can never pass, or that always does."""
    if not isinstance(raw, dict):
        return
    parts = raw.get("count")
    if isinstance(parts, list):
        for op in (o for o in NUMERIC_OPS if o in raw):
            try:
                holds = {NUMERIC_OPS[op](k, raw[op]) for k in range(len(parts) + 1)}
            except (TypeError, IndexError, KeyError):
                continue  # a malformed threshold: the condition parser words that
            if holds != {True, False}:
                key = "cond.count_always" if True in holds else "cond.count_never"
                value = raw[op] if not isinstance(raw[op], list) else ", ".join(map(str, raw[op]))
                fail((*path, op), say(key, n=len(parts), op=op, value=value), say("hint.count_threshold"))
    for group in ("all", "any", "count"):
        items = raw.get(group)
        if isinstance(items, list):
            for i, item in enumerate(items):
                _check_counts(item, (*path, group, i), fail)
    if "not" in raw:
        _check_counts(raw["not"], (*path, "not"), fail)


def _check_credit(rule: Rule, path: tuple[str | int, ...], fields: dict[str, FieldSpec], fail: Any) -> None:
    credit = rule.credit
    assert credit is not None
    if (credit.linear is None) == (credit.tiers is None):
        fail(path, say("standard.linear_or_tiers"), say("hint.keep_one"))
        return
    if credit.linear is not None:
        lin = credit.linear
        field = fields.get(lin.field)
        if field is None:
            fail(
                (*path, "linear", "field"),
                say("cond.undeclared_field", field=repr(lin.field)),
                say("hint.declare_field"),
            )
        elif field.type not in ("integer", "number"):
            fail(
                (*path, "linear", "field"),
                say("standard.linear_type", field=lin.field, type=field.type),
                say("hint.numeric_field"),
            )
        if abs(lin.zero_at - lin.full_at) <= 1e-9:
            fail((*path, "linear"), say("standard.linear_equal"), say("hint.linear_differ"))
        return
    tiers = credit.tiers or []
    previous = 0.0
    for i, tier in enumerate(tiers):
        tpath = (*path, "tiers", i)
        if not tier.points > previous:
            fail((*tpath, "points"), say("standard.tiers_order"), say("hint.tiers_order"))
        if rule.points is not None and tier.points > rule.points + 1e-9:
            fail(
                (*tpath, "points"),
                say("standard.tier_exceeds", tier=tier.points, points=rule.points),
                say("hint.lower_tier"),
            )
        previous = tier.points
        _, problems = parse_condition(tier.when, (*tpath, "when"), fields)
        for p in problems:
            fail(p.path, p.message, p.hint)
        _check_counts(tier.when, (*tpath, "when"), fail)
    if rule.points is not None and tiers and abs(tiers[-1].points - rule.points) > 1e-9:
        fail(
            (*path, "tiers", len(tiers) - 1, "points"),
            say("standard.last_tier", points=rule.points),
            say("hint.top_tier"),
        )
