"""Operators, tolerance and value formatting shared by every condition node.

Numbers compare with an absolute tolerance of 1e-9, as the format requires;
operators are plain functions in a dict so a lookup names its key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from checker.core.messages import Msg
from checker.core.text import Lang

EPS = 1e-9

Obs = Mapping[str, Any]
Tri = bool | None


class FieldLike(Protocol):
    """What conditions need to know of a field (the standard's Field model)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    def unit_in(self, lang: Lang) -> str: ...
    def label_in(self, lang: Lang) -> str: ...
    def value_label(self, value: str, lang: Lang) -> str: ...


@dataclass(frozen=True, slots=True)
class ConditionProblem:
    path: tuple[str | int, ...]
    message: Msg
    hint: Msg


def _num_in(x: float, v: Sequence[float]) -> bool:
    return any(abs(x - e) <= EPS for e in v)


NUMERIC_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda x, v: abs(x - v) <= EPS,
    "ne": lambda x, v: abs(x - v) > EPS,
    "gt": lambda x, v: x > v + EPS,
    "gte": lambda x, v: x >= v - EPS,
    "lt": lambda x, v: x < v - EPS,
    "lte": lambda x, v: x <= v + EPS,
    "in": _num_in,
    "not_in": lambda x, v: not _num_in(x, v),
    "between": lambda x, v: v[0] - EPS <= x <= v[1] + EPS,
}
EXACT_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda x, v: x == v,
    "ne": lambda x, v: x != v,
    "in": lambda x, v: x in v,
    "not_in": lambda x, v: x not in v,
}
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "boolean": ("eq", "ne"),
    "enum": ("eq", "ne", "in", "not_in"),
    "text": ("eq", "ne", "in", "not_in"),
    "integer": tuple(NUMERIC_OPS),
    "number": tuple(NUMERIC_OPS),
    "date": tuple(NUMERIC_OPS),
}
ALL_OPS = tuple(NUMERIC_OPS)
FORMS = ("field", "per", "count", "all", "any", "not", "cases")

REQUIRE_TEXT = {
    "zh": {
        "eq": "= {v}",
        "ne": "≠ {v}",
        "gt": "> {v}",
        "gte": "≥ {v}",
        "lt": "< {v}",
        "lte": "≤ {v}",
        "in": "为 {v} 之一",
        "not_in": "不为 {v}",
        "between": "在 {v} 之间",
    },
    "en": {
        "eq": "= {v}",
        "ne": "≠ {v}",
        "gt": "> {v}",
        "gte": "≥ {v}",
        "lt": "< {v}",
        "lte": "≤ {v}",
        "in": "one of {v}",
        "not_in": "none of {v}",
        "between": "between {v}",
    },
}
FAIL_TEXT = {
    "zh": {
        "gte": "{l} {x}，低于要求 {v}",
        "gt": "{l} {x}，未超过 {v}",
        "lte": "{l} {x}，超过上限 {v}",
        "lt": "{l} {x}，未低于 {v}",
    },
    "en": {
        "gte": "{l} {x} is below the required {v}",
        "gt": "{l} {x} is not above {v}",
        "lte": "{l} {x} exceeds the maximum {v}",
        "lt": "{l} {x} is not below {v}",
    },
}


class Decimals(float):
    """A number that came from a common item's parameter, written with the parameter's ``decimals``.

    It compares, adds and hashes as the float it is; only ``fmt_number`` reads
    ``decimals``, so every text a person reads (requirement sentences, reasons,
    ``check show``, docs pages, form hints) writes 1.10, never 1.1. Only
    comparison limits are made of it (``common_resolve``), never points or
    anything a result or hash writes.
    """

    __slots__ = ("decimals",)
    decimals: int

    def __new__(cls, value: float, decimals: int) -> Decimals:
        out = super().__new__(cls, value)
        out.decimals = decimals
        return out

    def __reduce__(self) -> tuple[type[Decimals], tuple[float, int]]:
        return Decimals, (float(self), self.decimals)


def is_limit(path: Sequence[Any]) -> bool:
    """A number at ``path`` is a comparison limit (``gte: 1.10``, ``between: [0.70, 0.85]``): the only
    numbers that may become ``Decimals``."""
    keys = [k for k in path if isinstance(k, str)]
    return bool(keys) and keys[-1] in NUMERIC_OPS


def not_recorded(label: str, lang: Lang) -> str:
    """A fact the assessor did not record: "未记录楼梯井净宽" / "Stair gap not recorded"."""
    return f"未记录{label}" if lang == "zh" else f"{label} not recorded"


def fmt_number(x: float) -> str:
    if type(x) is Decimals:
        return f"{x:.{x.decimals}f}"
    if isinstance(x, int) or float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


def fmt_value(field: FieldLike, value: Any, lang: Lang) -> str:
    """A value as a reader expects it: units, yes/no, enum labels, dates."""
    kind = field.type
    if kind == "boolean":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if kind == "enum":
        return field.value_label(value, lang)
    if kind == "date":
        return dt.date.fromordinal(value).isoformat() if isinstance(value, int) else str(value)
    if kind == "text":
        return f"“{value}”"
    text = fmt_number(value)
    unit = field.unit_in(lang)
    if not unit:
        return text
    tight = unit in ("%", "‰", "°") or (lang == "zh" and not unit.isascii())
    return f"{text}{unit}" if tight else f"{text} {unit}"


class PlainField:
    """A stand-in field for formatting bare numbers (computed quantities, counts)."""

    id = ""
    type = "number"

    def unit_in(self, lang: Lang) -> str:
        return ""

    def label_in(self, lang: Lang) -> str:
        return ""

    def value_label(self, value: str, lang: Lang) -> str:
        return value
