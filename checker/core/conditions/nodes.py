"""Leaf condition nodes: a comparison, presence, and a ratio of two fields.

Evaluation is pure and hot (thousands of audits per second), so nodes are
small slotted classes; ``compile`` returns a closure without attribute
lookups for the engine, ``explain`` says in words why a node holds or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from checker.core.conditions.ops import (
    EPS,
    EXACT_OPS,
    FAIL_TEXT,
    NUMERIC_OPS,
    REQUIRE_TEXT,
    FieldLike,
    Obs,
    PlainField,
    Tri,
    fmt_number,
    fmt_value,
    not_recorded,
)
from checker.core.text import Lang


class Condition:
    """Base of condition nodes: ``evaluate`` is pure; ``explain`` says why in words.

    ``explain`` must be a pure function of the language, ``plain`` and the
    observed values of ``field_ids()``: every node's ``explain`` is memoised on
    them (``_worded_once``), because a district's audits repeat most values
    and wording is most of the cost of a result. A node whose value changed
    is worded again; its unchanged neighbours in the same rule are not.
    """

    __slots__ = ("_fids", "_said")
    _fids: tuple[str, ...]
    _said: dict[tuple[Any, ...], str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "explain" in cls.__dict__:
            cls.explain = _worded_once(cls.__dict__["explain"])  # type: ignore[method-assign,assignment]

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


Explain = Callable[[Condition, Obs, Lang, bool], str]
_SAID_MAX = 64
"""Wordings kept per node; once full, new ones are worded but not kept, so memory stays flat and
the values met first (in a district, the common ones) stay remembered."""


def _worded_once(explain: Explain) -> Explain:
    def worded(node: Condition, obs: Obs, lang: Lang, plain: bool = False) -> str:
        try:
            said, fids = node._said, node._fids
        except AttributeError:  # first use (nodes do not call a base __init__)
            said, fids = node._said, node._fids = {}, tuple(dict.fromkeys(node.field_ids()))
        key = (lang, plain, *map(obs.get, fids))
        text: str | None = said.get(key)
        if text is None:
            text = explain(node, obs, lang, plain)
            if len(said) < _SAID_MAX:
                said[key] = text
        return text

    worded.__doc__ = explain.__doc__
    return worded


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
        return REQUIRE_TEXT[lang][self.op].format(v=text)

    def _fmt(self, v: Any, lang: Lang) -> str:
        return fmt_value(self.field, v, lang)

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        """Why this comparison holds or not. ``plain`` (inside ``any``/``count``, where a
        comparison is one option among several) avoids verdict words like "below the
        required", which would misread a case selector as a violation."""
        label = self.field.label_in(lang)
        x = obs.get(self.fid)
        if x is None:
            return not_recorded(label, lang)
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
        template = None if plain else FAIL_TEXT[lang].get(self.op)
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
            return not_recorded(label, lang)
        shown = fmt_value(self.field, obs[self.fid], lang)
        return f"已记录{label}：{shown}" if lang == "zh" else f"{label} recorded: {shown}"

    def unknown_fields(self, obs: Obs) -> list[str]:
        return []

    def field_ids(self) -> list[str]:
        return [self.fid]


def _at_least(need: float) -> int:
    return math.ceil(need - EPS)


def _above(need: float) -> int:
    return math.floor(need + EPS) + 1


def _at_most(need: float) -> int:
    return math.floor(need + EPS)


def _below(need: float) -> int:
    return math.ceil(need - EPS) - 1


_BOUNDS: dict[str, Callable[[float], int]] = {"gte": _at_least, "gt": _above, "lte": _at_most, "lt": _below}


def case_facts(fields: list[FieldLike], obs: Obs, lang: Lang, counted: bool = True) -> str:
    """The observed values that chose a case, as facts: "学校类型：小学，按在校男生人数 540人计"
    (``counted``: numbers as what a requirement is counted by; else plainly "在校男生人数 540人")."""
    known = [f for f in {f.id: f for f in fields}.values() if obs.get(f.id) is not None]
    numeric = [f for f in known if f.type in ("integer", "number", "date")]
    colon = "：" if lang == "zh" else ": "
    said = [f"{f.label_in(lang)}{colon}{fmt_value(f, obs[f.id], lang)}" for f in known if f not in numeric]
    if numeric and not counted:
        said.extend(f"{f.label_in(lang)} {fmt_value(f, obs[f.id], lang)}" for f in numeric)
    elif numeric:
        values = ("、" if lang == "zh" else ", ").join(
            f"{f.label_in(lang)} {fmt_value(f, obs[f.id], lang)}" for f in numeric
        )
        space = " " if values[-1].isascii() else ""
        said.append(f"按{values}{space}计" if lang == "zh" else f"for {_mid(values)}")
    return ("，" if lang == "zh" else ", ").join(said)


def _mid(text: str) -> str:
    """An English label inside a sentence: "Boys enrolled" → "boys enrolled", "AED" kept."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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
        if self.op in _BOUNDS and not isinstance(self.value, list | tuple):
            return self._as_count(obs, q, lang)
        req = Compare.__new__(Compare)
        req.field, req.op, req.value = PlainField(), self.op, self.value
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

    def needed(self, y: float) -> float:
        """The numerator the ratio asks for at denominator ``y`` (whole for an integer field)."""
        need = float(self.value) * float(y) / self.per
        if self.a.type == "integer":
            return float(_BOUNDS[self.op](need))
        return need

    def _as_count(self, obs: Obs, q: float, lang: Lang) -> str:
        """ "按在校男生人数 540 计，需男生大便器数 ≥ 14 个：现有 12 个" rather than a quotient."""
        a, b = self.a, self.b
        x, y = obs[a.id], obs[b.id]
        n = self.needed(y)
        sym = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}[self.op]
        if a.type == "integer" or float(n).is_integer():
            shown_n = fmt_value(a, round(n), lang)
            sym = {"gt": "≥", "lt": "≤"}.get(self.op, sym) if a.type == "integer" else sym
        else:
            shown_n = fmt_value(a, round(n, 2), lang)
        need, have = f"{sym} {shown_n}", fmt_value(a, x, lang)
        by = case_facts([b], obs, lang)
        if self.fn(q, self.value):
            return (
                f"{by}，{a.label_in(lang)}需 {need}：现有 {have}，符合"
                if lang == "zh"
                else f"{by}, {a.label_in(lang)} must be {need}: {have}, met"
            )
        return (
            f"{by}，需{a.label_in(lang)} {need}：现有 {have}"
            if lang == "zh"
            else f"{by}, {a.label_in(lang)} must be {need}: found {have}"
        )

    def _labels(self, ids: list[str], lang: Lang) -> list[str]:
        return [(self.a if i == self.a.id else self.b).label_in(lang) for i in ids]

    def unknown_fields(self, obs: Obs) -> list[str]:
        if obs.get(self.b.id) == 0:
            return []
        return [f.id for f in (self.a, self.b) if obs.get(f.id) is None]

    def field_ids(self) -> list[str]:
        return [self.a.id, self.b.id]
