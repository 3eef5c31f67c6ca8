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
from typing import TYPE_CHECKING, Annotated, Any, Literal

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

_HELP = "see docs/plans.md / 见 docs/plans.md"

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

    def problem(self, path: tuple[str | int, ...], message: str, hint: str = "") -> Problem:
        return self._located.problem(self._name, path, message, hint)


# --- loading ---------------------------------------------------------------------------


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file; raises PlanError with every problem located."""
    name = str(path)
    try:
        text = read_bytes(Path(path), name, MAX_STANDARD_BYTES)
    except SourceProblem as exc:
        raise PlanError([exc.problem]) from None
    return parse_plan(text, name)


def parse_plan(text: str, name: str = "<plan>") -> Plan:
    try:
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        raise PlanError([exc.problem]) from None
    if not isinstance(data, dict):
        raise PlanError(
            [
                Problem(
                    name,
                    "a plan must be a mapping (format:, id:, targets: ...) / 计划文件须为映射",
                    hint=_HELP,
                )
            ]
        )
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


_SKIP = {"int", "float", "str", "bool", "list", "dict", "constrained-str", "literal", "none"}
_HINTS = {
    "missing": "add it / 请补上",
    "extra_forbidden": "remove it or check its spelling / 删除或检查拼写",
    "string_type": "quote the value / 请加引号",
    "int_type": "write a whole number / 请写整数",
    "literal_error": "use one of the listed values / 请使用所列值之一",
    "string_pattern_mismatch": "use lower-case letters, digits and - (dates as YYYY-MM-DD) "
    "/ 使用小写字母、数字和 -（日期写作 YYYY-MM-DD）",
    "greater_than": "use a number above 0 / 请使用大于 0 的数",
    "less_than_equal": "a share is at most 1 (write 0.70 for 70 %) / 比例不超过 1（70% 写作 0.70）",
}


def _model_problems(exc: ValidationError, located: Located, name: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and (p in _SKIP or p.startswith("function-")))
        )
        if loc in seen:
            continue
        seen.add(loc)
        kind = error["type"]
        key = loc[-1] if loc else ""
        if kind == "missing":
            message = f"required key {key!r} is missing / 缺少必填项 {key!r}"
        elif kind == "extra_forbidden":
            message = f"unknown key {key!r} / 未知的键 {key!r}"
        else:
            given = error.get("input")
            shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
            message = f"{error['msg']} (found {shown[:60]})"
        problems.append(located.problem(name, loc, message, _HINTS.get(kind, _HELP)))
    return problems


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
            out.append(plan.problem(("period", key), "not a real date / 不是有效日期", "write YYYY-MM-DD"))
    if not out and plan.period.end < plan.period.start:
        out.append(
            plan.problem(
                ("period", "end"), "the period ends before it starts / 期限结束早于开始", "swap them"
            )
        )
    seen: dict[str, int] = {}
    for i, target in enumerate(plan.targets):
        at: tuple[str | int, ...] = ("targets", i)
        if target.id in seen:
            out.append(
                plan.problem(
                    (*at, "id"),
                    f"target id {target.id!r} is already used by targets[{seen[target.id]}] / 目标编号重复",
                    "give each target its own id / 每个目标使用不同编号",
                )
            )
        seen.setdefault(target.id, i)
        if (target.count is None) == (target.share is None):
            out.append(
                plan.problem(
                    at,
                    "a target needs exactly one of count and share / 目标须且只能有 count 或 share 之一",
                    "count: 10 for a number of facilities, share: 0.70 with denominator: 79 for a share "
                    "/ 数量用 count，比例用 share 加 denominator",
                )
            )
        elif target.share is not None and target.denominator is None:
            out.append(
                plan.problem(
                    (*at, "share"),
                    "a share needs a denominator (how many facilities there are) "
                    "/ 比例目标须给出 denominator",
                    "add denominator: 79 (for example, the number of communities) / 例如社区总数 79",
                )
            )
        if target.count is not None and target.denominator is not None:
            out.append(
                plan.problem(
                    (*at, "denominator"),
                    "denominator belongs to a share target / denominator 只用于比例目标",
                    "remove it, or use share instead of count / 删除它，或改用 share",
                )
            )
        if target.due is not None:
            if not _real_date(target.due):
                out.append(plan.problem((*at, "due"), "not a real date / 不是有效日期", "write YYYY-MM-DD"))
            elif not plan.period.start <= target.due <= plan.period.end:
                out.append(
                    plan.problem(
                        (*at, "due"),
                        f"due {target.due} is outside the plan period {plan.period.start} – "
                        f"{plan.period.end} / 截止日期不在计划期限内",
                        "correct the date or the period / 请更正日期或期限",
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
                    f"{target.standard} has no level {target.level!r} / 标准中没有此等级",
                    f"use one of: {', '.join(levels)} / 可用等级：{', '.join(levels)}",
                )
            )
        if standard.facility_type != target.facility_type:
            out.append(
                plan.problem(
                    ("targets", i, "facility_type"),
                    f"{target.standard} is a standard for {standard.facility_type}, not "
                    f"{target.facility_type} / 设施类型与标准不符",
                    f"write facility_type: {standard.facility_type}",
                )
            )
    return out
