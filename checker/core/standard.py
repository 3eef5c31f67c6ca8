"""The standard (建设指引) as typed, frozen models.

Strict pydantic models carry the same contract as the published
``standard.schema.json`` (which ``check lint`` also applies); loading and
the cross-checks live in ``standard_load`` and ``standard_checks``.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)
from pydantic_core import PydanticCustomError

from checker.core.audit import FormatOne
from checker.core.common import Fragment, Use
from checker.core.text import Lang, Text

__all__ = [
    "FACILITY_TYPES",
    "FIELD_TYPES",
    "SOURCE_STATUSES",
    "Credit",
    "Deadline",
    "FieldSpec",
    "FollowUp",
    "Level",
    "Linear",
    "Reference",
    "Rule",
    "Section",
    "Standard",
    "Tier",
]

FacilityType = Literal[
    "school",
    "hospital",
    "park",
    "scenic_spot",
    "commercial",
    "community",
    "route",
    "cultural_venue",
    "study_base",
    "kindergarten",
]
FieldType = Literal["boolean", "integer", "number", "enum", "text", "date"]
SourceStatus = Literal["R", "E", "K", "E-low", "M", "S"]
FACILITY_TYPES: tuple[str, ...] = get_args(FacilityType)
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
SOURCE_STATUSES: tuple[str, ...] = get_args(SourceStatus)
LOCAL_STATUSES = ("M", "S")

Number = StrictInt | StrictFloat
Id = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
RawCondition = dict[str, Any]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Reference(_Model):
    """A document rules cite (a national code, a policy opinion, the district plan)."""

    id: Id
    code: StrictStr
    title: Text
    year: StrictInt | None = None
    url: StrictStr | None = None


class Scoring(_Model):
    bonus_cap_percent: Annotated[Number, Field(ge=0, le=100)] | None = None


class Level(_Model):
    id: Id
    label: Text
    min_score: Annotated[Number, Field(gt=0, le=100)]
    min_section_percent: Annotated[Number, Field(ge=0, le=100)] | None = None
    description: Text | None = None


class FieldSpec(_Model):
    """One observation an assessor records on site."""

    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    label: Text
    type: FieldType
    unit: StrictStr | Text | None = None
    min: Number | None = None
    max: Number | None = None
    values: list[StrictStr] | None = None
    value_labels: dict[StrictStr, Text] | None = None
    evidence: Literal["photo", "document", "measurement"] | None = None
    help: Text | None = None

    def label_in(self, lang: Lang) -> str:
        return self.label(lang)

    def unit_in(self, lang: Lang) -> str:
        """The unit as written for ``lang`` (a plain string serves both languages)."""
        if self.unit is None:
            return ""
        return self.unit if isinstance(self.unit, str) else self.unit(lang)

    def value_label(self, value: str, lang: Lang) -> str:
        if self.value_labels and value in self.value_labels:
            return self.value_labels[value](lang)
        return value


class RuleRef(_Model):
    doc: Id
    clause: StrictStr


class Source(_Model):
    """How well the rule's criterion is sourced (the research brief's labels).

    ``M`` (unverified) and ``S`` (local suggestion) mark a local rule, not a
    citation; reports must show the difference.
    """

    status: SourceStatus
    note: Text | None = None


class Linear(_Model):
    field: StrictStr
    zero_at: Number
    full_at: Number


class Tier(_Model):
    points: Annotated[Number, Field(gt=0)]
    when: RawCondition


class Credit(_Model):
    linear: Linear | None = None
    tiers: Annotated[list[Tier], Field(min_length=1)] | None = None


class FollowUp(_Model):
    """When an owner must act after an audit: prerequisites within days, everything by the re-audit."""

    prerequisite_days: Annotated[StrictInt, Field(ge=1, le=730)] = 30
    reaudit_days: Annotated[StrictInt, Field(ge=1, le=1095)] = 180


class Deadline(_Model):
    """When a rule's action is due, where the standard's ``follow_up`` default does not fit."""

    days: Annotated[StrictInt, Field(ge=1, le=1095)] | None = None
    until: Literal["reaudit", "renovation"] | None = None
    reason: Text | None = None


class Rule(_Model):
    id: Id
    title: Text
    mandatory: StrictBool = False
    points: Annotated[Number, Field(gt=0)] | None = None
    bonus: StrictBool = False
    ref: RuleRef | None = None
    source: Source | None = None
    applies_when: RawCondition | None = None
    require: RawCondition | None = None
    credit: Credit | None = None
    description: Text | None = None
    remediation: Text | None = None
    requirement: Text | None = None
    responsible: Text | None = None
    deadline: Deadline | None = None

    @property
    def is_local(self) -> bool:
        """True when the rule is a district choice or unverified, not a code citation."""
        return self.source is not None and self.source.status in LOCAL_STATUSES


class Section(_Model):
    id: Id
    title: Text
    rules: Annotated[list[Rule], Field(min_length=1)]
    description: Text | None = None


class Standard(_Model):
    """A whole guideline: what to observe, the rules over it, and how it scores."""

    format: FormatOne
    id: Annotated[StrictStr, Field(pattern=r"^[a-z0-9-]+$", max_length=64)]
    version: StrictStr
    facility_type: FacilityType
    title: Text
    issuer: Text | None = None
    designation: Text | None = None
    effective: IsoDate | None = None
    follow_up: FollowUp = FollowUp()
    validity_years: Annotated[StrictInt, Field(ge=1, le=10)] = 3
    description: Text | None = None
    references: list[Reference] = []
    scoring: Scoring | None = None
    levels: Annotated[list[Level], Field(min_length=1)]
    fields: list[FieldSpec] = []
    uses: list[Use] = []
    sections: Annotated[list[Section], Field(min_length=1)]
    _fragments: dict[str, Fragment] = PrivateAttr(default_factory=dict)

    @field_validator("effective")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError("date_not_real", "not a real date") from None
        return value

    @cached_property
    def field_map(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self.fields}

    @cached_property
    def rule_map(self) -> dict[str, Rule]:
        return {r.id: r for s in self.sections for r in s.rules}

    @cached_property
    def memo(self) -> dict[str, Any]:
        """Derived data other modules compute once per standard (the engine's compiled
        rules), kept here so the model need not import them."""
        return {}

    @property
    def fragments(self) -> dict[str, Fragment]:
        """The common items this standard uses, by id (set when it is loaded)."""
        return self._fragments

    @cached_property
    def common_origin(self) -> dict[str, tuple[Use, str]]:
        """Rule id -> (the use that brought it in, the fragment's rule key)."""
        return {rid: (use, key) for use in self.uses for key, rid in use.rule_ids().items()}

    def reference(self, doc_id: str) -> Reference | None:
        return next((r for r in self.references if r.id == doc_id), None)
