"""The standard (建设指引) as typed models, and loading it with every error reported.

Loading runs in three passes so an author sees all problems at once: the
strict pydantic models (shape and types; the same contract as the published
``standard.schema.json``, which ``check lint`` also applies), then the
cross-checks no schema can express (unique ids, declared fields, operators
that fit field types, declared references, level order, credit arithmetic).
Each problem is located as ``file:line:col`` from the YAML node marks.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from checker.core.conditions import parse_condition
from checker.core.errors import Problem, StandardError
from checker.core.sources import MAX_STANDARD_BYTES, Located, SourceProblem, parse_yaml, read_bytes
from checker.core.text import Lang, Text

if TYPE_CHECKING:
    from checker.core.engine import CompiledStandard

__all__ = [
    "FACILITY_TYPES",
    "FIELD_TYPES",
    "SOURCE_STATUSES",
    "Credit",
    "FieldSpec",
    "Level",
    "Linear",
    "Reference",
    "Rule",
    "Section",
    "Standard",
    "Tier",
    "load_standard",
    "parse_standard",
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

    format: Literal[1]
    id: Annotated[StrictStr, Field(pattern=r"^[a-z0-9-]+$", max_length=64)]
    version: StrictStr
    facility_type: FacilityType
    title: Text
    issuer: Text | None = None
    effective: IsoDate | None = None
    validity_years: Annotated[StrictInt, Field(ge=1, le=10)] = 3
    description: Text | None = None
    references: list[Reference] = []
    scoring: Scoring | None = None
    levels: Annotated[list[Level], Field(min_length=1)]
    fields: list[FieldSpec] = []
    sections: Annotated[list[Section], Field(min_length=1)]

    @field_validator("effective")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            dt.date.fromisoformat(value)
        return value

    @cached_property
    def field_map(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self.fields}

    @cached_property
    def rule_map(self) -> dict[str, Rule]:
        return {r.id: r for s in self.sections for r in s.rules}

    @cached_property
    def compiled(self) -> CompiledStandard:
        from checker.core.engine import compile_standard

        return compile_standard(self)

    def reference(self, doc_id: str) -> Reference | None:
        return next((r for r in self.references if r.id == doc_id), None)


def load_standard(path: str | Path) -> Standard:
    """Read, validate and cross-check one standard file; raises StandardError."""
    path = Path(path)
    name = str(path)
    try:
        text = read_bytes(path, name, MAX_STANDARD_BYTES)
    except SourceProblem as exc:
        raise StandardError([exc.problem]) from None
    return parse_standard(text, name)


def parse_standard(text: str, name: str = "<standard>") -> Standard:
    try:
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        raise StandardError([exc.problem]) from None
    return build_standard(data, located, name)


def build_standard(data: Any, located: Located, name: str) -> Standard:
    if not isinstance(data, dict):
        raise StandardError(
            [
                Problem(
                    name,
                    "a standard must be a mapping (format:, id:, ...)",
                    hint="start from docs/standard-template.yaml",
                )
            ]
        )
    try:
        standard = Standard.model_validate(data)
    except ValidationError as exc:
        raise StandardError(_model_problems(exc, data, located, name)) from None
    problems = cross_check(standard, located, name)
    if problems:
        raise StandardError(problems)
    return standard


def _model_problems(exc: ValidationError, data: Any, located: Located, name: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = _clean_loc(error["loc"])
        key = (loc, error["type"])
        if key in seen or loc in {s[0] for s in seen if s[1] == "extra_forbidden"}:
            continue
        seen.add(key)
        message, hint = _describe(error, loc)
        problems.append(located.problem(name, loc, message, hint))
        if len(problems) >= 200:
            break
    return problems


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union/type tags from a location so it is a real JSON path."""
    skip = {
        "int",
        "float",
        "str",
        "bool",
        "list",
        "dict",
        "constrained-str",
        "function-after",
        "lax-or-strict",
        "literal",
        "tagged-union",
        "none",
    }
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (part in skip or part.startswith(("function-", "json-or-python"))):
            continue
        if isinstance(part, str) and "[" in part:
            continue
        out.append(part)
    return tuple(out)


_TEXT_KEYS = {"title", "label", "remediation", "description", "note", "help", "issuer", "unit"}
_HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "quote the value (YAML reads 2024.10 as a number and no as false)",
    "bool_type": "write true or false (yes/no/on/off are not accepted)",
    "int_type": "write a whole number",
    "float_type": "write a number",
    "literal_error": "use one of the listed values",
    "string_pattern_mismatch": "use lower-case letters, digits, _ or -",
    "too_short": "add at least one item",
    "greater_than": "use a larger number",
    "less_than_equal": "use a smaller number",
}


def _describe(error: Any, loc: tuple[str | int, ...]) -> tuple[str, str]:
    kind = error["type"]
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"required key {key!r} is missing", _HINTS["missing"]
    if kind == "extra_forbidden":
        parent = loc[-2] if len(loc) > 1 else ""
        if parent in _TEXT_KEYS or (isinstance(key, str) and len(loc) > 1 and " " in key):
            return f"unknown key {key!r}", (
                'quote the text: in {zh: ..., en: ...} a comma starts a new key, so write en: "a, b"'
            )
        return f"unknown key {key!r}", _HINTS["extra_forbidden"]
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{error['msg']} (found {shown})", _HINTS.get(kind, "see docs/formats.md")


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
                    f"ids must be unique; the first is at {_fmt_path(first[ident])}",
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


def _fmt_path(path: tuple[str | int, ...]) -> str:
    from checker.core.sources import format_path

    return format_path(path)


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
