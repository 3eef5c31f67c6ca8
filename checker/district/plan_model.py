"""The plan file's model: targets, sizes, scopes and how audits count.

Kept apart from reading and checking (``plan``) so the model stays one
screen: every constraint the model cannot express is checked in ``plan``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

from checker.core.audit import FormatOne
from checker.core.errors import Problem
from checker.core.messages import Msg
from checker.core.sources import Located
from checker.core.standard import FACILITY_TYPES
from checker.core.text import Lang, Text

__all__ = ["Counting", "Named", "Period", "Plan", "Quote", "Target"]

Id = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
LevelId = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Period(_Model):
    start: IsoDate
    end: IsoDate


class Counting(_Model):
    """Which audits count: dated within the period; certificates still valid at the due date."""

    within_period: StrictBool = True
    valid_at_due: StrictBool = True


class Quote(_Model):
    """The plan's sentence, verbatim (Chinese), with an optional English rendering."""

    zh: Annotated[StrictStr, Field(min_length=1)]
    en: StrictStr | None = None

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" and self.en else self.zh


class Named(_Model):
    """A facility the plan names; matched by the ``facility.id`` of its audits."""

    id: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]


class Target(_Model):
    """One promise of the plan: N facilities (or a share of them) certified at a level.

    Or, with ``track: true``, a plan item without a number (progress lists the
    certified facilities, no gap); or, with ``status: no_standard``, a target
    no guideline measures (listed so that the plan's promise is not dropped).
    """

    id: Id
    title: Text
    plan_item: StrictStr | None = None
    quote: Quote | None = None
    status: Literal["no_standard"] | None = None
    facility_type: Literal[FACILITY_TYPES] | None = None  # type: ignore[valid-type]
    standard: Id | None = None
    standards: Annotated[list[Id], Field(min_length=1)] | None = None
    where: dict[str, Any] | None = None
    level: LevelId | None = None
    count: Annotated[StrictInt, Field(gt=0)] | None = None
    share: Annotated[StrictFloat | StrictInt, Field(gt=0, le=1)] | None = None
    denominator: Annotated[StrictInt, Field(gt=0)] | None = None
    track: StrictBool = False
    named: Annotated[list[Named], Field(min_length=1)] | None = None
    measure: Text | None = None
    due: IsoDate | None = None
    note: Text | None = None

    @property
    def standard_ids(self) -> tuple[str, ...]:
        """The standards a facility may be certified under to count (one, or several for campuses)."""
        if self.standards is not None:
            return tuple(self.standards)
        return (self.standard,) if self.standard is not None else ()

    @property
    def required(self) -> int | None:
        """Facilities needed: the count, or the share of the denominator rounded up (70 % of 79 is 56).

        None when the plan gives no number (``track``, or a share of an unknown whole).
        """
        if self.count is not None:
            return self.count
        if self.share is not None and self.denominator is not None:
            return math.ceil(self.share * self.denominator - 1e-9)
        return None


class Plan(_Model):
    format: FormatOne
    id: Id
    title: Text
    issuer: Text | None = None
    document: StrictStr | None = None
    issued: IsoDate | None = None
    published: IsoDate | None = None
    source: StrictStr | None = None
    period: Period
    counting: Counting = Counting()
    targets: Annotated[list[Target], Field(min_length=1)]

    _located: Located = PrivateAttr(default_factory=lambda: Located({}))
    _name: str = PrivateAttr(default="<plan>")

    @property
    def name(self) -> str:
        """The file the plan was read from (for error messages)."""
        return self._name

    @property
    def window(self) -> tuple[str, str] | None:
        """The dates an audit must lie within to count (None when the plan counts every audit)."""
        return (self.period.start, self.period.end) if self.counting.within_period else None

    def due(self, target: Target) -> str:
        """The date a target is judged at: its own due date, else the end of the period."""
        return target.due or self.period.end

    def problem(self, path: tuple[str | int, ...], message: Msg, hint: Msg) -> Problem:
        return self._located.problem(self._name, path, message, hint)
