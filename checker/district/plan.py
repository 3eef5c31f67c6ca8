"""The district plan's targets: reading and checking a plan file.

A plan file (``plans/*.yaml``, described in ``docs/plans.md``) turns the
plan's sentences ("到2026年，建成儿童友好校园10个以上") into numbers tied to a
standard and a level. It is read with the same safe YAML reader as the
standards and every mistake is reported with ``file:line:col`` and a fix.

How far the district is from the targets is computed in ``progress``.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from checker.core.errors import CheckerError, Problem
from checker.core.messages import Msg, say
from checker.core.model_problems import model_problems
from checker.core.sources import MAX_STANDARD_BYTES, Located, SourceProblem, read_bytes
from checker.core.standard import FACILITY_TYPES
from checker.core.text import Text
from checker.core.yaml_source import parse_yaml

if TYPE_CHECKING:
    from checker.core.catalog import Catalog

__all__ = [
    "Plan",
    "PlanError",
    "Target",
    "builtin_plan",
    "check_plan",
    "load_plan",
    "parse_plan",
]

Id = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
LevelId = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class PlanError(CheckerError):
    """A plan file is invalid, or does not fit the standards it names."""

    kind = "plan"


def builtin_plan() -> Path:
    """The shipped plan: 渝中区建设儿童友好城区三年行动计划（2024—2026年）."""
    return Path(__file__).resolve().parents[1] / "plans" / "yuzhong-2024-2026.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Period(_Model):
    start: IsoDate
    end: IsoDate


class Target(_Model):
    """One promise of the plan: N facilities (or a share of them) certified at a level."""

    id: Id
    facility_type: Literal[FACILITY_TYPES]  # type: ignore[valid-type]
    title: Text
    standard: Id
    level: LevelId
    count: Annotated[StrictInt, Field(gt=0)] | None = None
    share: Annotated[StrictFloat | StrictInt, Field(gt=0, le=1)] | None = None
    denominator: Annotated[StrictInt, Field(gt=0)] | None = None
    plan_item: StrictStr | None = None
    due: IsoDate | None = None
    note: Text | None = None

    @property
    def required(self) -> int:
        """Facilities needed: the count, or the share of the denominator rounded up (70 % of 79 is 56)."""
        if self.count is not None:
            return self.count
        assert self.share is not None and self.denominator is not None
        return math.ceil(self.share * self.denominator - 1e-9)


class Plan(_Model):
    format: Literal[1]
    id: Id
    title: Text
    issuer: Text | None = None
    source: StrictStr | None = None
    period: Period
    targets: Annotated[list[Target], Field(min_length=1)]

    _located: Located = PrivateAttr(default_factory=lambda: Located({}))
    _name: str = PrivateAttr(default="<plan>")

    @property
    def name(self) -> str:
        """The file the plan was read from (for error messages)."""
        return self._name

    def problem(self, path: tuple[str | int, ...], message: Msg, hint: Msg) -> Problem:
        return self._located.problem(self._name, path, message, hint)


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
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        raise PlanError(exc.problems) from None
    if not isinstance(data, dict):
        raise PlanError([Problem.of(name, say("plan.not_mapping"), say("hint.plans_doc"))])
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_model_problems(exc, located, name)) from None
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
    """What the model cannot say: real dates, one kind of target size, unique ids."""
    out: list[Problem] = []
    for key in ("start", "end"):
        if not _real_date(getattr(plan.period, key)):
            out.append(plan.problem(("period", key), say("plan.not_real_date"), say("hint.date_example")))
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
        if (target.count is None) == (target.share is None):
            out.append(plan.problem(at, say("plan.count_or_share"), say("hint.count_or_share")))
        elif target.share is not None and target.denominator is None:
            out.append(
                plan.problem((*at, "share"), say("plan.share_denominator"), say("hint.add_denominator"))
            )
        if target.count is not None and target.denominator is not None:
            out.append(
                plan.problem((*at, "denominator"), say("plan.denominator_count"), say("hint.use_share"))
            )
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


def check_plan(plan: Plan, catalog: Catalog) -> list[Problem]:
    """Problems between the plan and the standards it names (a missing standard is not one)."""
    out: list[Problem] = []
    for i, target in enumerate(plan.targets):
        standard = catalog.find_quietly(target.standard)
        if standard is None:
            continue
        levels = [lv.id for lv in standard.levels]
        if target.level not in levels:
            out.append(
                plan.problem(
                    ("targets", i, "level"),
                    say("plan.no_level", standard=target.standard, level=repr(target.level)),
                    say("hint.use_one_of", ops=", ".join(levels)),
                )
            )
        if standard.facility_type != target.facility_type:
            out.append(
                plan.problem(
                    ("targets", i, "facility_type"),
                    say(
                        "plan.type_mismatch",
                        standard=target.standard,
                        type=standard.facility_type,
                        given=target.facility_type,
                    ),
                    say("hint.write_type", type=standard.facility_type),
                )
            )
    return out
