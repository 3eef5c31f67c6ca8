"""Common items (共用条目): fields and rules defined once, with parameters, that standards ``use``.

A fragment ``standards/common/<item>.yaml`` defines a cross-cutting hazard
once (guard rails, AED, mother-baby room, ...); a standard names it in
``uses:`` with the section its rules go into, the rule id each fragment rule
gets, and any parameter it changes with the reason. ``common_resolve`` turns
that into ordinary fields and rules at load, so the engine, reports, forms and
docs see a plain standard; these models are what is kept to say where a rule
came from (``check show``, the docs pages).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from checker.core.text import Text

__all__ = [
    "CLAUSE", "COMMON_ID", "CiteRef", "CiteSource", "Fragment", "Parameter", "RuleUse", "Use", "format_param",
]  # fmt: skip

Number = StrictInt | StrictFloat
Id = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
COMMON_ID = r"^[a-z0-9-]+$"
CommonId = Annotated[StrictStr, Field(pattern=COMMON_ID, max_length=64)]
ParamName = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
CLAUSE = r"^(\d+(\.\d+)*|\(\d+\))(\(\d+\))?([,，、–-] ?(\d+(\.\d+)*|\(\d+\))(\(\d+\))?)*( 条文说明)?$"
"""A clause as the criteria brief numbers them: 8.1.6, 6.6.3(5), 8.6.1–8.6.3, (41), 8.3 条文说明."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Parameter(_Model):
    """A number a facility type may change (with a reason) when it uses the item."""

    type: Literal["number", "integer"]
    default: Number
    label: Text
    decimals: Annotated[StrictInt, Field(ge=0, le=4)] | None = None
    unit: StrictStr | Text | None = None
    min: Number | None = None
    max: Number | None = None


class Fragment(_Model):
    """One common item as read from its file; fields and rules stay raw until instantiated."""

    format: Literal[1]
    common: CommonId
    version: StrictStr
    title: Text
    description: Text
    parameters: dict[ParamName, Parameter] = {}
    references: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    rules: Annotated[list[dict[str, Any]], Field(min_length=1)]

    def keys(self) -> list[str]:
        return [str(r.get("key")) for r in self.rules]


class CiteRef(_Model):
    """The standard's own clause for a rule it takes from an item (``doc`` is one of its references)."""

    doc: Id
    clause: Annotated[StrictStr, Field(pattern=CLAUSE, max_length=40)]


class CiteSource(_Model):
    """This standard's grade and note for the rule; with its own ``ref`` the note must name the clause."""

    status: Literal["R", "E", "K", "E-low", "M", "S"]
    note: Text | None = None


class RuleUse(_Model):
    """A fragment rule's id in the standard, with the adjustments a standard may make."""

    id: Id
    mandatory: StrictBool | None = None
    points: Annotated[Number, Field(gt=0)] | None = None
    applies_when: dict[str, Any] | None = None
    ref: CiteRef | None = None
    source: CiteSource | None = None


class Use(_Model):
    """One entry of a standard's ``uses:``."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    common: CommonId
    section: Id
    rules: Annotated[dict[Id, Id | RuleUse], Field(min_length=1)]
    with_: Annotated[dict[ParamName, Number], Field(alias="with")] = {}
    because: Text | None = None
    after: Id | None = None
    before: Id | None = None

    def rule_ids(self) -> dict[str, str]:
        """Fragment rule key -> the standard's rule id."""
        return {k: v if isinstance(v, str) else v.id for k, v in self.rules.items()}


def format_param(value: float, spec: Parameter) -> str:
    """A parameter's value as text: with its declared decimals (1.10, never 1.1)."""
    if spec.decimals is not None:
        return f"{value:.{spec.decimals}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
