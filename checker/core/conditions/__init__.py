"""Conditions: parsed once against the standard's fields, then evaluated in three values.

A condition evaluates to True, False or None (unknown: a field it needs was not
observed). Parsing checks everything a schema cannot: the field is declared,
the operator fits the field's type, the value has the field's type. Evaluation
is pure and hot (thousands of audits per second), so nodes are small slotted
classes and operators are plain functions in a dict. Numbers compare with an
absolute tolerance of 1e-9, as the format requires.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from checker.core.text import Lang

__all__ = [
    "EPS",
    "NUMERIC_OPS",
    "OPS_BY_TYPE",
    "Condition",
    "ConditionProblem",
    "FieldLike",
    "fmt_number",
    "fmt_value",
    "parse_condition",
]

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
    message: str
    hint: str = ""


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
FORMS = ("field", "per", "count", "all", "any", "not")

_REQ = {
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
_FAIL = {
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


def fmt_number(x: float) -> str:
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


class Condition:
    """Base of condition nodes: ``evaluate`` is pure; ``explain`` says why in words."""

    __slots__ = ()

    def evaluate(self, obs: Obs) -> Tri:
        raise NotImplementedError

    def compile(self) -> Callable[[Obs], Tri]:
        """A closure equivalent to ``evaluate``, for the hot path (no attribute lookups)."""
        return self.evaluate

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        raise NotImplementedError

    def unknown_fields(self, obs: Obs) -> list[str]:
        """Fields whose absence makes this condition unknown (for "missing" reasons)."""
        raise NotImplementedError

    def field_ids(self) -> list[str]:
        raise NotImplementedError


class Compare(Condition):
    __slots__ = ("_req", "fid", "field", "fn", "op", "value")

    def __init__(self, field: FieldLike, op: str, value: Any) -> None:
        self.field, self.fid, self.op, self.value = field, field.id, op, value
        self._req: dict[str, str] = {}
        exact = field.type in ("boolean", "enum", "text")
        self.fn = (EXACT_OPS if exact else NUMERIC_OPS)[op]

    def evaluate(self, obs: Obs) -> Tri:
        x = obs.get(self.fid)
        if x is None:
            return None
        return self.fn(x, self.value)

    def compile(self) -> Callable[[Obs], Tri]:
        fid, v, op = self.fid, self.value, self.op
        if self.field.type in ("integer", "number", "date") and op in ("gte", "lte", "gt", "lt"):
            bound = v - EPS if op in ("gte", "lt") else v + EPS
            if op == "gte":
                return lambda obs: None if (x := obs.get(fid)) is None else x >= bound
            if op == "gt":
                return lambda obs: None if (x := obs.get(fid)) is None else x > bound
            if op == "lte":
                return lambda obs: None if (x := obs.get(fid)) is None else x <= bound
            return lambda obs: None if (x := obs.get(fid)) is None else x < bound
        if op == "eq" and self.field.type in ("boolean", "enum", "text"):
            return lambda obs: None if (x := obs.get(fid)) is None else x == v
        fn = self.fn
        return lambda obs: None if (x := obs.get(fid)) is None else fn(x, v)

    def requirement(self, lang: Lang) -> str:
        cache: dict[str, str] | None = getattr(self, "_req", None)
        if cache is None:
            return self._requirement(lang)
        text = cache.get(lang)
        if text is None:
            text = cache[lang] = self._requirement(lang)
        return text

    def _requirement(self, lang: Lang) -> str:
        v = self.value
        if self.op == "between":
            text = f"{self._fmt(v[0], lang)}–{self._fmt(v[1], lang)}"
        elif self.op in ("in", "not_in"):
            text = ("、" if lang == "zh" else ", ").join(self._fmt(e, lang) for e in v)
        else:
            text = self._fmt(v, lang)
        return _REQ[lang][self.op].format(v=text)

    def _fmt(self, v: Any, lang: Lang) -> str:
        return fmt_value(self.field, v, lang)

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        """Why this comparison holds or not. ``plain`` (inside ``any``/``count``, where a
        comparison is one option among several) avoids verdict words like "below the
        required", which would misread a case selector as a violation."""
        label = self.field.label_in(lang)
        x = obs.get(self.fid)
        if x is None:
            return f"未记录{label}" if lang == "zh" else f"{label} not recorded"
        shown = self._fmt(x, lang)
        ok = self.fn(x, self.value)
        if self.field.type in ("boolean", "enum", "text"):
            if ok:
                return f"{label}：{shown}" if lang == "zh" else f"{label}: {shown}"
            req = self.requirement(lang)
            return f"{label}：{shown}（要求 {req}）" if lang == "zh" else f"{label}: {shown} (required {req})"
        if ok:
            return (
                f"{label} {shown}，符合 {self.requirement(lang)}"
                if lang == "zh"
                else f"{label} {shown} meets {self.requirement(lang)}"
            )
        template = None if plain else _FAIL[lang].get(self.op)
        if template:
            return template.format(l=label, x=shown, v=self._fmt(self.value, lang))
        return (
            f"{label} {shown}（要求 {self.requirement(lang)}）"
            if lang == "zh"
            else f"{label} {shown} (required {self.requirement(lang)})"
        )

    def unknown_fields(self, obs: Obs) -> list[str]:
        return [self.fid] if obs.get(self.fid) is None else []

    def field_ids(self) -> list[str]:
        return [self.fid]


class Present(Condition):
    __slots__ = ("fid", "field", "want")

    def __init__(self, field: FieldLike, want: bool) -> None:
        self.field, self.fid, self.want = field, field.id, want

    def evaluate(self, obs: Obs) -> Tri:
        return (obs.get(self.fid) is not None) == self.want

    def compile(self) -> Callable[[Obs], Tri]:
        fid, want = self.fid, self.want
        return lambda obs: (obs.get(fid) is not None) == want

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        label = self.field.label_in(lang)
        if obs.get(self.fid) is None:
            return f"未记录{label}" if lang == "zh" else f"{label} not recorded"
        shown = fmt_value(self.field, obs[self.fid], lang)
        return f"已记录{label}：{shown}" if lang == "zh" else f"{label} recorded: {shown}"

    def unknown_fields(self, obs: Obs) -> list[str]:
        return []

    def field_ids(self) -> list[str]:
        return [self.fid]


class Per(Condition):
    __slots__ = ("a", "b", "fn", "op", "per", "value")

    def __init__(self, a: FieldLike, b: FieldLike, per: float, op: str, value: Any) -> None:
        self.a, self.b, self.per, self.op, self.value = a, b, per, op, value
        self.fn = NUMERIC_OPS[op]

    def quantity(self, obs: Obs) -> float | None:
        x, y = obs.get(self.a.id), obs.get(self.b.id)
        if x is None or y is None or y == 0:
            return None
        return float(x) / float(y) * self.per

    def evaluate(self, obs: Obs) -> Tri:
        y = obs.get(self.b.id)
        if y is not None and y == 0:
            return False
        q = self.quantity(obs)
        return None if q is None else self.fn(q, self.value)

    def compile(self) -> Callable[[Obs], Tri]:
        a, b, per, fn, v = self.a.id, self.b.id, self.per, self.fn, self.value

        def ratio(obs: Obs) -> Tri:
            y = obs.get(b)
            if y is None:
                return None
            if y == 0:
                return False
            x = obs.get(a)
            return None if x is None else fn(x / y * per, v)

        return ratio

    def _label(self, lang: Lang) -> str:
        per = "" if self.per == 1 else f" × {fmt_number(self.per)}"
        return f"{self.a.label_in(lang)} ÷ {self.b.label_in(lang)}{per}"

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        label = self._label(lang)
        if obs.get(self.b.id) == 0:
            zero = self.b.label_in(lang)
            return f"{zero}为 0，无法计算{label}" if lang == "zh" else f"{zero} is 0: {label} is undefined"
        unknown = self.unknown_fields(obs)
        if unknown:
            return (
                "；".join(f"未记录{f}" for f in self._labels(unknown, lang))
                if lang == "zh"
                else "; ".join(f"{f} not recorded" for f in self._labels(unknown, lang))
            )
        q = self.quantity(obs)
        assert q is not None
        req = Compare.__new__(Compare)
        req.field, req.op, req.value = _Plain(), self.op, self.value
        shown = f"{label} = {fmt_number(round(q, 4))}"
        if self.fn(q, self.value):
            return (
                f"{shown}，符合 {req.requirement(lang)}"
                if lang == "zh"
                else f"{shown} meets {req.requirement(lang)}"
            )
        return (
            f"{shown}，要求 {req.requirement(lang)}"
            if lang == "zh"
            else f"{shown}, required {req.requirement(lang)}"
        )

    def _labels(self, ids: list[str], lang: Lang) -> list[str]:
        return [(self.a if i == self.a.id else self.b).label_in(lang) for i in ids]

    def unknown_fields(self, obs: Obs) -> list[str]:
        if obs.get(self.b.id) == 0:
            return []
        return [f.id for f in (self.a, self.b) if obs.get(f.id) is None]

    def field_ids(self) -> list[str]:
        return [self.a.id, self.b.id]


class _Plain:
    """A stand-in field for formatting bare numbers (computed quantities, counts)."""

    id = ""
    type = "number"

    def unit_in(self, lang: Lang) -> str:
        return ""

    def label_in(self, lang: Lang) -> str:
        return ""

    def value_label(self, value: str, lang: Lang) -> str:
        return value


class _Group(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Condition]) -> None:
        self.parts = parts

    def unknown_fields(self, obs: Obs) -> list[str]:
        out: list[str] = []
        for part in self.parts:
            if part.evaluate(obs) is None:
                out.extend(f for f in part.unknown_fields(obs) if f not in out)
        return out

    def field_ids(self) -> list[str]:
        return [f for part in self.parts for f in part.field_ids()]

    def _join(self, parts: list[Condition], obs: Obs, lang: Lang, plain: bool = False) -> str:
        return ("；" if lang == "zh" else "; ").join(p.explain(obs, lang, plain) for p in parts)


class All(_Group):
    __slots__ = ()

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)

        def all_of(obs: Obs) -> Tri:
            result: Tri = True
            for fn in fns:
                value = fn(obs)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result

        return all_of

    def evaluate(self, obs: Obs) -> Tri:
        result: Tri = True
        for part in self.parts:
            value = part.evaluate(obs)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        state = self.evaluate(obs)
        if state is True:
            return self._join(self.parts, obs, lang, plain)
        wanted = False if state is False else None
        return self._join([p for p in self.parts if p.evaluate(obs) is wanted], obs, lang, plain)


class AnyOf(_Group):
    __slots__ = ()

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)

        def any_of(obs: Obs) -> Tri:
            result: Tri = False
            for fn in fns:
                value = fn(obs)
                if value is True:
                    return True
                if value is None:
                    result = None
            return result

        return any_of

    def evaluate(self, obs: Obs) -> Tri:
        result: Tri = False
        for part in self.parts:
            value = part.evaluate(obs)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        state = self.evaluate(obs)
        if state is True:
            first = next(p for p in self.parts if p.evaluate(obs) is True)
            return first.explain(obs, lang, plain)
        text = self._join(self.parts, obs, lang, plain=True)
        prefix = "以下均不满足：" if lang == "zh" else "none of these holds: "
        return prefix + text if state is False else text


class Not(Condition):
    __slots__ = ("part",)

    def __init__(self, part: Condition) -> None:
        self.part = part

    def compile(self) -> Callable[[Obs], Tri]:
        fn = self.part.compile()
        return lambda obs: None if (value := fn(obs)) is None else not value

    def evaluate(self, obs: Obs) -> Tri:
        value = self.part.evaluate(obs)
        return None if value is None else not value

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        inner = self.part.explain(obs, lang, plain=True)
        if self.part.evaluate(obs) is None:
            return inner
        return f"不应满足：{inner}" if lang == "zh" else f"must not hold: {inner}"

    def unknown_fields(self, obs: Obs) -> list[str]:
        return self.part.unknown_fields(obs)

    def field_ids(self) -> list[str]:
        return self.part.field_ids()


class Count(_Group):
    __slots__ = ("fn", "op", "value")

    def __init__(self, parts: list[Condition], op: str, value: Any) -> None:
        super().__init__(parts)
        self.op, self.value = op, value
        self.fn = NUMERIC_OPS[op]

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)
        op, v = self.fn, self.value

        def count(obs: Obs) -> Tri:
            true = unknown = 0
            for fn in fns:
                value = fn(obs)
                if value is True:
                    true += 1
                elif value is None:
                    unknown += 1
            first = op(true, v)
            for n in range(true + 1, true + unknown + 1):
                if op(n, v) != first:
                    return None
            return first

        return count

    def evaluate(self, obs: Obs) -> Tri:
        true = unknown = 0
        for part in self.parts:
            value = part.evaluate(obs)
            if value is True:
                true += 1
            elif value is None:
                unknown += 1
        first = self.fn(true, self.value)
        for n in range(true + 1, true + unknown + 1):
            if self.fn(n, self.value) != first:
                return None
        return first

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        states = [p.evaluate(obs) for p in self.parts]
        true = states.count(True)
        req = Compare.__new__(Compare)
        req.field, req.op, req.value = _Plain(), self.op, self.value
        head = (
            f"满足 {true}/{len(states)} 项（要求 {req.requirement(lang)}）"
            if lang == "zh"
            else f"{true} of {len(states)} hold (required {req.requirement(lang)})"
        )
        want = bool(self.evaluate(obs))
        shown = [p for p, s in zip(self.parts, states, strict=True) if s is want or s is None]
        return (
            f"{head}：{self._join(shown, obs, lang, plain=True)}"
            if lang == "zh"
            else f"{head}: {self._join(shown, obs, lang, plain=True)}"
        )


# --- parsing ---------------------------------------------------------------

Path = tuple[str | int, ...]


class _Parser:
    def __init__(self, fields: Mapping[str, FieldLike]) -> None:
        self.fields = fields
        self.problems: list[ConditionProblem] = []

    def fail(self, path: Path, message: str, hint: str = "") -> None:
        self.problems.append(ConditionProblem(path, message, hint))

    def parse(self, raw: Any, path: Path) -> Condition | None:
        if not isinstance(raw, dict):
            self.fail(
                path,
                "a condition must be a mapping such as {field: F, gte: 1}",
                "see docs/formats.md, section Conditions",
            )
            return None
        forms = [k for k in FORMS if k in raw]
        if len(forms) != 1:
            listed = ", ".join(forms) if forms else "none"
            self.fail(
                path,
                f"a condition needs exactly one of {', '.join(FORMS)} (found: {listed})",
                "split it into several conditions under all: or any:",
            )
            return None
        form = forms[0]
        if form in ("all", "any"):
            return self._group(raw, path, form)
        if form == "not":
            self._only(raw, path, {"not"})
            inner = self.parse(raw["not"], (*path, "not"))
            return Not(inner) if inner is not None else None
        if form == "count":
            return self._count(raw, path)
        if form == "per":
            return self._per(raw, path)
        return self._field(raw, path)

    def _only(self, raw: dict[str, Any], path: Path, allowed: set[str]) -> bool:
        extra = [k for k in raw if k not in allowed]
        for key in extra:
            hint = (
                "a condition has exactly one operator; combine several with all:"
                if key in ALL_OPS or key == "present"
                else f"allowed here: {', '.join(sorted(allowed))}"
            )
            self.fail((*path, key), f"unexpected key {key!r} in this condition", hint)
        return not extra

    def _list(self, raw: Any, path: Path, what: str) -> list[Condition] | None:
        if not isinstance(raw, list) or not raw:
            self.fail(path, f"{what} must be a non-empty list of conditions")
            return None
        parts = [self.parse(item, (*path, i)) for i, item in enumerate(raw)]
        if any(p is None for p in parts):
            return None
        return [p for p in parts if p is not None]

    def _group(self, raw: dict[str, Any], path: Path, form: str) -> Condition | None:
        self._only(raw, path, {form})
        parts = self._list(raw[form], (*path, form), f"{form}:")
        if parts is None:
            return None
        return All(parts) if form == "all" else AnyOf(parts)

    def _operator(
        self, raw: dict[str, Any], path: Path, extra: set[str], allowed: tuple[str, ...], what: str
    ) -> str | None:
        ops = [k for k in raw if k in ALL_OPS]
        if len(ops) != 1:
            found = ", ".join(ops) if ops else "none"
            self.fail(
                path,
                f"{what} needs exactly one operator (found: {found})",
                f"use one of: {', '.join(allowed)}",
            )
            self._only(raw, path, extra | set(ALL_OPS))
            return None
        op = ops[0]
        ok = self._only(raw, path, extra | {op})
        if op not in allowed:
            self.fail(
                (*path, op), f"operator {op!r} does not fit {what}", f"use one of: {', '.join(allowed)}"
            )
            return None
        return op if ok else None

    def _numbers(self, raw: Any, path: Path, op: str) -> Any:
        def number(v: Any, p: Path) -> bool:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                self.fail(p, f"expected a number, found {v!r}", "write a plain number such as 1.1")
                return False
            return True

        return self._shaped(raw, path, op, number)

    def _shaped(self, raw: Any, path: Path, op: str, check: Callable[[Any, Path], bool]) -> Any:
        if op in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                self.fail(path, f"{op} needs a non-empty list of values", "write [a, b, ...]")
                return None
            oks = [check(v, (*path, i)) for i, v in enumerate(raw)]
            return list(raw) if all(oks) else None
        if op == "between":
            if not isinstance(raw, list) or len(raw) != 2:
                self.fail(path, "between needs [low, high]", "write for example [0.6, 0.9]")
                return None
            if not (check(raw[0], (*path, 0)) and check(raw[1], (*path, 1))):
                return None
            if raw[0] > raw[1]:
                self.fail(path, f"between: low {raw[0]} is above high {raw[1]}", "swap them")
                return None
            return [raw[0], raw[1]]
        return raw if check(raw, path) else None

    def _count(self, raw: dict[str, Any], path: Path) -> Condition | None:
        op = self._operator(raw, path, {"count"}, ALL_OPS, "count:")
        parts = self._list(raw["count"], (*path, "count"), "count:")
        if op is None or parts is None:
            return None
        value = self._numbers(raw[op], (*path, op), op)
        return None if value is None else Count(parts, op, value)

    def _numeric_field(self, raw: Any, path: Path) -> FieldLike | None:
        field = self._declared(raw, path)
        if field is not None and field.type not in ("integer", "number"):
            self.fail(path, f"field {field.id!r} is {field.type}; per: needs integer or number fields")
            return None
        return field

    def _per(self, raw: dict[str, Any], path: Path) -> Condition | None:
        op = self._operator(raw, path, {"per"}, ALL_OPS, "per:")
        spec = raw["per"]
        ppath = (*path, "per")
        if not isinstance(spec, dict):
            self.fail(ppath, "per: needs {field: A, of: B, per: 1000}")
            return None
        bad = [k for k in spec if k not in ("field", "of", "per")]
        for key in bad:
            self.fail((*ppath, key), f"unexpected key {key!r} in per:", "allowed: field, of, per")
        a = self._numeric_field(spec.get("field"), (*ppath, "field"))
        b = self._numeric_field(spec.get("of"), (*ppath, "of"))
        per = spec.get("per", 1)
        if isinstance(per, bool) or not isinstance(per, int | float) or not per > 0:
            self.fail((*ppath, "per"), f"per must be a number above 0, found {per!r}")
            return None
        if op is None or a is None or b is None or bad:
            return None
        value = self._numbers(raw[op], (*path, op), op)
        return None if value is None else Per(a, b, float(per), op, value)

    def _declared(self, fid: Any, path: Path) -> FieldLike | None:
        if not isinstance(fid, str):
            self.fail(path, "field must name a declared field id")
            return None
        field = self.fields.get(fid)
        if field is None:
            close = _closest(fid, list(self.fields))
            hint = f"did you mean {close!r}?" if close else "declare it under fields:"
            self.fail(path, f"field {fid!r} is not declared in fields:", hint)
        return field

    def _field(self, raw: dict[str, Any], path: Path) -> Condition | None:
        field = self._declared(raw["field"], (*path, "field"))
        if "present" in raw:
            ok = self._only(raw, path, {"field", "present"})
            want = raw["present"]
            if not isinstance(want, bool):
                self.fail((*path, "present"), "present must be true or false")
                return None
            return Present(field, want) if field is not None and ok else None
        if field is None:
            self._only(raw, path, {"field", *ALL_OPS})
            return None
        op = self._operator(
            raw, path, {"field"}, OPS_BY_TYPE[field.type], f"a {field.type} field ({field.id})"
        )
        if op is None:
            return None
        value = self._typed(field, raw[op], (*path, op), op)
        return None if value is None else Compare(field, op, value)

    def _typed(self, field: FieldLike, raw: Any, path: Path, op: str) -> Any:
        kind = field.type
        if kind in ("integer", "number"):
            return self._numbers(raw, path, op)
        if kind == "date":

            def date(v: Any, p: Path) -> bool:
                if isinstance(v, str):
                    try:
                        dt.date.fromisoformat(v)
                        return len(v) == 10
                    except ValueError:
                        pass
                self.fail(p, f"expected a date YYYY-MM-DD, found {v!r}", 'quote it: "2026-05-12"')
                return False

            value = self._shaped(raw, path, op, date)
            if value is None:
                return None
            if isinstance(value, list):
                return [dt.date.fromisoformat(v).toordinal() for v in value]
            return dt.date.fromisoformat(value).toordinal()
        if kind == "boolean":
            if not isinstance(raw, bool):
                self.fail(
                    path,
                    f"{field.id} is a boolean field; expected true or false, found {raw!r}",
                    "write true or false (yes/no/on/off are not accepted)",
                )
                return None
            return raw
        values = getattr(field, "values", None) or []

        def text(v: Any, p: Path) -> bool:
            if not isinstance(v, str):
                self.fail(p, f"expected text, found {v!r}", "quote the value")
                return False
            if kind == "enum" and v not in values:
                close = _closest(v, list(values))
                hint = f"did you mean {close!r}?" if close else f"declared values: {', '.join(values)}"
                self.fail(p, f"{v!r} is not a declared value of {field.id}", hint)
                return False
            return True

        value = self._shaped(raw, path, op, text)
        return value


def _closest(word: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def parse_condition(
    raw: Any, path: Path, fields: Mapping[str, FieldLike]
) -> tuple[Condition | None, list[ConditionProblem]]:
    """Parse and type-check one condition; returns the node and every problem found."""
    parser = _Parser(fields)
    node = parser.parse(raw, path)
    return (node if not parser.problems else None), parser.problems
