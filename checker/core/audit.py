"""Audits: what an assessor recorded on site, as typed models.

The envelope (facility, assessor, date, waivers) is a fixed strict model;
observations stay raw here and are checked against their standard's fields
in ``audit_checks`` (a model built once per standard).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "TEMPLATE_NAME",
    "Assessor",
    "Audit",
    "Facility",
    "FormatOne",
    "IsoDate",
    "SafeStr",
    "Waiver",
]

# what `check template` writes for the names: an untouched template still validates (as incomplete),
# but once anything is observed the names must be filled in
TEMPLATE_NAME = "（待填写）"


def _real_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_not_real", "not a real date") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_text", "text is blank")
    return value


def _exactly_one(value: Any) -> Any:
    # True and 1.0 are equal to 1 in Python, and pydantic's Literal takes them: a format is the integer 1
    if type(value) is not int:
        raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
    return value


SafeStr = Annotated[StrictStr, Field(max_length=10_000)]
"""Text of at most 10,000 characters and no lone surrogate: with a length bound, pydantic-core reads
the text as UTF-8 and refuses one (``string_unicode``; ``tests/test_audit.py`` holds it to that), so
no Python validator runs for every string of every audit."""
FormatOne = Annotated[Literal[1], BeforeValidator(_exactly_one)]
"""``format: 1`` of an audit, standard or plan: the integer, not ``true`` or ``1.0``."""
Name = Annotated[SafeStr, Field(min_length=1, max_length=500), AfterValidator(_not_blank)]
ExtraValue = Annotated[StrictStr, Field(max_length=1000)] | StrictInt | StrictFloat | StrictBool | None
"""A descriptive key of its own (district, phone...): short text, a number, true/false or null."""
IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]


def _json_object(value: Any) -> dict[str, Any]:
    # JSON objects have string keys: the object itself is kept (checked against its standard later)
    if type(value) is not dict:
        raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
    return value


RawObject = Annotated[dict[str, Any], PlainValidator(_json_object, json_schema_input_type=dict[str, Any])]
"""A JSON object taken as it is: validating ``dict[str, Any]`` copies every entry of the
observations (a third of the envelope's cost) to learn nothing JSON does not already say."""


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    __pydantic_extra__: dict[str, ExtraValue] = Field(init=False)


class Facility(_Open):
    """The facility audited; extra descriptive keys (district, phone...) are kept."""

    name: Name
    id: SafeStr | None = None
    address: SafeStr | None = None
    street: SafeStr | None = None


class Assessor(_Open):
    name: Name
    organisation: SafeStr | None = None


class Waiver(BaseModel):
    """An approved exemption from one scored or bonus rule, until ``expires``."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    rule: StrictStr
    reason: Name
    approved_by: Name
    expires: IsoDate


class Audit(BaseModel):
    """One audit file. ``values`` holds the observations the engine reads."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    format: FormatOne
    standard: StrictStr
    standard_version: StrictStr | None = None
    facility: Facility
    assessor: Assessor
    audited_on: IsoDate
    observations: RawObject
    waivers: Annotated[list[Waiver], Field(max_length=1000)] = []
    notes: SafeStr | None = None
    schema_: StrictStr | None = Field(default=None, alias="$schema")
    help_: dict[str, Any] | None = Field(default=None, alias="_help")

    _values: dict[str, Any] = PrivateAttr(default_factory=dict)
    _path: str = PrivateAttr(default="")

    @property
    def values(self) -> dict[str, Any]:
        """Observed values by field id; unknowns (null or absent) are left out."""
        # the private dict itself: ``self._values`` goes through pydantic's __getattr__ (a hot path)
        values: dict[str, Any] = self.__pydantic_private__["_values"]  # type: ignore[index]
        return values

    @property
    def path(self) -> str:
        path: str = self.__pydantic_private__["_path"]  # type: ignore[index]
        return path

    def evidence(self, field_id: str) -> list[str]:
        raw = self.observations.get(field_id)
        return list(raw.get("evidence") or []) if isinstance(raw, dict) else []

    def note(self, field_id: str) -> str | None:
        raw = self.observations.get(field_id)
        return raw.get("note") if isinstance(raw, dict) else None
