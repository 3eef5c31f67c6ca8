"""The district plan's targets: reading and checking a plan file.

A plan file (``plans/*.yaml``, described in ``docs/plans.md``) turns the
plan's sentences ("到2026年，建成儿童友好校园10个以上") into numbers tied to a
standard and a level. It is read with the same safe YAML reader as the
standards and every mistake is reported with ``file:line:col`` and a fix.

How far the district is from the targets is computed in ``progress``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from checker.core.errors import CheckerError, Problem
from checker.core.messages import Msg, say
from checker.core.model_problems import model_problems
from checker.core.sources import MAX_STANDARD_BYTES, Located, SourceProblem, read_bytes
from checker.core.yaml_source import parse_yaml
from checker.district.plan_model import Plan, Target

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.conditions import Condition
    from checker.core.standard import Standard

__all__ = [
    "Plan",
    "PlanError",
    "Target",
    "builtin_plan",
    "check_plan",
    "load_plan",
    "parse_plan",
    "target_scope",
]

# What `where:` may name: what kind of facility an audit is about, never a measurement.
SCOPE_TYPES = ("enum", "boolean")


class PlanError(CheckerError):
    """A plan file is invalid, or does not fit the standards it names."""

    kind = "plan"


def builtin_plan() -> Path:
    """The shipped plan: 重庆市渝中区儿童友好城市建设三年行动计划（2024—2026年）."""
    return Path(__file__).resolve().parents[1] / "plans" / "yuzhong-2024-2026.yaml"


# --- loading ---------------------------------------------------------------------------


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file; raises PlanError with every problem located."""
    name = str(path)
    try:
        text = read_bytes(Path(path), name, MAX_STANDARD_BYTES)
    except SourceProblem as exc:
        raise PlanError(exc.problems) from None
    return parse_plan(text, name)


def parse_plan(text: str, name: str = "<plan>") -> Plan:
    try:
        data, located = parse_yaml(text, name, kind="plan")
    except SourceProblem as exc:
        raise PlanError(exc.problems) from None
    if not isinstance(data, dict):
        raise PlanError([Problem.of(name, say("plan.not_mapping"), say("hint.plans_doc"))])
    missing = _missing_keys(data, located, name)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_model_problems(exc, located, name) + missing) from None
    if missing:
        raise PlanError(missing)
    plan._located = located
    plan._name = name
    problems = _cross_check(plan)
    if problems:
        raise PlanError(problems)
    return plan


_PLAN_HINTS = {
    "string_type": "hint.yaml_quote",
    "string_pattern_mismatch": "hint.plan_pattern",
    "greater_than": "hint.plan_positive",
    "less_than_equal": "hint.plan_share",
}


def _model_problems(exc: ValidationError, located: Located, name: str) -> list[Problem]:
    return model_problems(
        exc,
        lambda loc, message, hint: located.problem(name, loc, message, hint),
        kind_hints=_PLAN_HINTS,
        default_hint="hint.plans_doc",
    )


def _real_date(value: str | None) -> bool:
    if value is None:
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _cross_check(plan: Plan) -> list[Problem]:
    """What the model cannot say: real dates, the right keys for the kind of target, unique ids."""
    out: list[Problem] = []
    for key in ("start", "end"):
        if not _real_date(getattr(plan.period, key)):
            out.append(plan.problem(("period", key), say("plan.not_real_date"), say("hint.date_example")))
    for key in ("issued", "published"):
        if not _real_date(getattr(plan, key)):
            out.append(plan.problem((key,), say("plan.not_real_date"), say("hint.date_example")))
    if not out and plan.period.end < plan.period.start:
        out.append(plan.problem(("period", "end"), say("plan.period_order"), say("hint.swap")))
    seen: dict[str, int] = {}
    for i, target in enumerate(plan.targets):
        at: tuple[str | int, ...] = ("targets", i)
        if target.id in seen:
            out.append(
                plan.problem(
                    (*at, "id"),
                    say("plan.duplicate_target", id=repr(target.id), first=seen[target.id]),
                    say("hint.own_id"),
                )
            )
        seen.setdefault(target.id, i)
        out.extend(
            _unmeasured(plan, target, at) if target.status == "no_standard" else _measured(plan, target, at)
        )
        out.extend(_size(plan, target, at))
        if target.due is not None:
            if not _real_date(target.due):
                out.append(plan.problem((*at, "due"), say("plan.not_real_date"), say("hint.date_example")))
            elif not plan.period.start <= target.due <= plan.period.end:
                out.append(
                    plan.problem(
                        (*at, "due"),
                        say("plan.due_outside", due=target.due, start=plan.period.start, end=plan.period.end),
                        say("hint.correct_due"),
                    )
                )
    return out


def _missing_keys(data: dict[str, Any], located: Located, name: str) -> list[Problem]:
    """Keys a target measured by a standard needs (the model cannot say: unmeasured targets go without)."""
    targets = data.get("targets")
    out: list[Problem] = []
    for i, raw in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(raw, dict) or raw.get("status") == "no_standard":
            continue
        out.extend(
            located.problem(
                name, ("targets", i, key), say("model.missing", key=repr(key)), say("hint.add_key", key=key)
            )
            for key in ("facility_type", "level")
            if key not in raw
        )
    return out


def _repeats(
    plan: Plan, at: tuple[str | int, ...], items: list[str], key: str, where: tuple[str, ...]
) -> list[Problem]:
    return [
        plan.problem((*at, *where[:1], j, *where[1:]), say(key, id=repr(item)), say("hint.remove_repeat"))
        for j, item in enumerate(items)
        if item in items[:j]
    ]


def _measured(plan: Plan, target: Target, at: tuple[str | int, ...]) -> list[Problem]:
    """A target measured by standards: exactly one of standard and standards; no `measure`."""
    out: list[Problem] = []
    if (target.standard is None) == (target.standards is None):
        out.append(plan.problem(at, say("plan.standard_or_standards"), say("hint.standard_or_standards")))
    elif target.standards is not None:
        out.extend(_repeats(plan, at, target.standards, "plan.listed_twice", ("standards",)))
    if target.measure is not None:
        out.append(
            plan.problem((*at, "measure"), say("plan.measure_unmeasured"), say("hint.measure_to_note"))
        )
    if target.named is not None:
        ids = [n.id for n in target.named]
        out.extend(_repeats(plan, at, ids, "plan.named_twice", ("named", "id")))
        if target.count is not None and target.count > len(ids):
            out.append(
                plan.problem(
                    (*at, "count"),
                    say("plan.count_over_named", count=target.count, named=len(ids)),
                    say("hint.count_over_named"),
                )
            )
    return out


def _unmeasured(plan: Plan, target: Target, at: tuple[str | int, ...]) -> list[Problem]:
    """A target no guideline measures names no standard, level, scope or facilities, and is not tracked."""
    keys = ("standard", "standards", "level", "where", "named")
    out = [
        plan.problem((*at, key), say("plan.unmeasured_takes_no", key=key), say("hint.unmeasured_takes_no"))
        for key in keys
        if getattr(target, key) is not None
    ]
    if target.track:
        out.append(plan.problem((*at, "track"), say("plan.track_needs_standard"), say("hint.remove_it")))
    return out


def _size(plan: Plan, target: Target, at: tuple[str | int, ...]) -> list[Problem]:
    """Exactly one of count, share (with a denominator) and track: true; unmeasured targets may have none."""
    sizes = [k for k in ("count", "share") if getattr(target, k) is not None] + (
        ["track"] if target.track else []
    )
    unmeasured = target.status == "no_standard"
    out: list[Problem] = []
    if len(sizes) > 1 or (not sizes and not unmeasured):
        out.append(plan.problem(at, say("plan.count_or_share"), say("hint.count_or_share")))
    elif target.share is not None and target.denominator is None and not unmeasured:
        out.append(plan.problem((*at, "share"), say("plan.share_denominator"), say("hint.add_denominator")))
    if target.denominator is not None and (target.share is None or target.count is not None):
        out.append(plan.problem((*at, "denominator"), say("plan.denominator_count"), say("hint.use_share")))
    return out


# --- against the standards -----------------------------------------------------------------


def target_scope(target: Target, standard: Standard) -> tuple[Condition | None, list[tuple[Any, Msg, Msg]]]:
    """The target's ``where`` parsed against one of its standards, and the problems (path, message, hint)."""
    if target.where is None:
        return None, []
    from checker.core.conditions import parse_condition

    condition, problems = parse_condition(target.where, ("where",), standard.field_map)
    out = [(p.path, p.message, p.hint) for p in problems]
    if condition is not None:
        for fid in dict.fromkeys(condition.field_ids()):
            kind = standard.field_map[fid].type
            if kind not in SCOPE_TYPES:
                out.append((("where",), say("plan.where_kind", field=fid, type=kind), say("hint.where_kind")))
    return (condition if not out else None), out


# A facility type whose designation counts toward targets of another type: a kindergarten
# is designated 儿童友好校园, so it counts toward the plan's campus (school) target.
COUNTS_AS: dict[str, str] = {"kindergarten": "school"}


def check_plan(plan: Plan, catalog: Catalog) -> list[Problem]:
    """Problems between the plan and the standards it names (a missing standard is not one)."""
    out: list[Problem] = []
    for i, target in enumerate(plan.targets):
        at: tuple[str | int, ...] = ("targets", i)
        for sid in target.standard_ids:
            standard = catalog.find_quietly(sid)
            if standard is None:
                continue
            levels = [lv.id for lv in standard.levels]
            if target.level is not None and target.level not in levels:
                out.append(
                    plan.problem(
                        (*at, "level"),
                        say("plan.no_level", standard=sid, level=repr(target.level)),
                        say("hint.use_one_of", ops=", ".join(levels)),
                    )
                )
            if target.facility_type not in (standard.facility_type, COUNTS_AS.get(standard.facility_type)):
                out.append(
                    plan.problem(
                        (*at, "facility_type"),
                        say(
                            "plan.type_mismatch",
                            standard=sid,
                            type=standard.facility_type,
                            given=target.facility_type,
                        ),
                        say("hint.write_type", type=standard.facility_type),
                    )
                )
            for path, message, hint in target_scope(target, standard)[1]:
                out.append(
                    plan.problem((*at, *path), say("plan.in_standard", message=message, standard=sid), hint)
                )
    return out
