"""A condition's wording in both languages at once, compiled per node: the hot path of a result.

A result row needs its reason in Chinese and English. ``Condition.explain``
words one language at a time and, at every level of a tree, evaluates the
parts again to choose what to say; for a rule whose values changed since
the last audit that is most of the cost of a result. Here each node is
compiled once into a closure that returns the ``(zh, en)`` pair: the common
nodes (a comparison, ``all``, ``any``, ``not``) choose their parts with the
compiled evaluation closures and join the pairs of their parts, and a
comparison words a value with its fixed parts (labels, requirement, unit)
made once, and keeps the pairs of the values it has met; every other node
(``count``, ``per``, ``present``, a kind added later) is worded by its own
``explain``. The words are the nodes' own, letter for letter:
``tests/test_wording.py`` compares the two on every rule of every standard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checker.core.conditions.logic import All, AnyOf, Not
from checker.core.conditions.nodes import Compare, Condition
from checker.core.conditions.ops import FAIL_TEXT, FieldLike, fmt_number, fmt_value
from checker.core.text import Lang

__all__ = ["Pair", "Unknowns", "Words", "unknowns", "words"]

Pair = tuple[str, str]
Words = Callable[[Mapping[str, Any]], Pair]
Unknowns = Callable[[Mapping[str, Any]], list[str]]

_SAID_MAX = 64
"""Pairs a comparison keeps; once full, new values are worded but not kept (as ``Condition.explain``)."""


def words(node: Condition, plain: bool = False) -> Words:
    """The closure that words ``node`` in both languages (``plain`` as in ``Condition.explain``)."""
    kind = type(node)
    if kind is Compare:
        return _compare(node, plain)  # type: ignore[arg-type]
    if kind is All:
        return _all(node, plain)  # type: ignore[arg-type]
    if kind is AnyOf:
        return _any(node, plain)  # type: ignore[arg-type]
    if kind is Not:
        return _not(node)  # type: ignore[arg-type]
    explain = node.explain
    return lambda obs: (explain(obs, "zh", plain), explain(obs, "en", plain))


def _compare(node: Compare, plain: bool) -> Words:
    """``Compare.explain`` in both languages, its fixed parts (labels, requirement, units) made once."""
    field, fid, fn, limit = node.field, node.fid, node.fn, node.value
    lz, le = field.label_in("zh"), field.label_in("en")
    rz, re_ = node.requirement("zh"), node.requirement("en")
    fz, fe = (None, None) if plain else (FAIL_TEXT["zh"].get(node.op), FAIL_TEXT["en"].get(node.op))
    vz = fmt_value(field, limit, "zh") if fz else ""
    ve = fmt_value(field, limit, "en") if fe else ""
    exact = field.type in ("boolean", "enum", "text")
    worded = field.type in ("boolean", "enum", "text", "date")  # by fmt_value; numbers here
    units = None if worded else (_unit(field, "zh"), _unit(field, "en"))
    unrecorded = f"未记录{lz}", f"{le} not recorded"
    said: dict[Any, Pair] = {}

    def compare(obs: Mapping[str, Any]) -> Pair:
        x = obs.get(fid)
        pair = said.get(x)
        if pair is not None:
            return pair
        if x is None:
            return unrecorded
        if units is None:
            sz, se = fmt_value(field, x, "zh"), fmt_value(field, x, "en")
        else:
            number = fmt_number(x)
            sz, se = number + units[0], number + units[1]
        ok = fn(x, limit)
        if ok and exact:
            pair = f"{lz}：{sz}", f"{le}: {se}"
        elif ok:
            pair = f"{lz} {sz}，符合 {rz}", f"{le} {se} meets {re_}"
        elif exact:
            pair = f"{lz}：{sz}（要求 {rz}）", f"{le}: {se} (required {re_})"
        else:
            pair = (
                fz.format(l=lz, x=sz, v=vz) if fz else f"{lz} {sz}（要求 {rz}）",
                fe.format(l=le, x=se, v=ve) if fe else f"{le} {se} (required {re_})",
            )
        if len(said) < _SAID_MAX:
            said[x] = pair
        return pair

    return compare


def _unit(field: FieldLike, lang: Lang) -> str:
    """What ``fmt_value`` writes after a number of ``field``."""
    unit = field.unit_in(lang)
    if not unit:
        return ""
    tight = unit in ("%", "‰", "°") or (lang == "zh" and not unit.isascii())
    return unit if tight else f" {unit}"


def _joined(pairs: list[Pair]) -> Pair:
    if len(pairs) == 1:
        return pairs[0]
    return "；".join([p[0] for p in pairs]), "; ".join([p[1] for p in pairs])


def _all(node: All, plain: bool) -> Words:
    parts = tuple((p.compile(), words(p, plain)) for p in node.parts)
    every = tuple(w for _, w in parts)

    def all_of(obs: Mapping[str, Any]) -> Pair:
        state: bool | None = True
        held = []
        for fn, _ in parts:
            value = fn(obs)
            held.append(value)
            if value is False:
                state = False
            elif value is None and state is True:
                state = None
        if state is True:
            return _joined([w(obs) for w in every])
        return _joined([w(obs) for (_, w), value in zip(parts, held, strict=True) if value is state])

    return all_of


def _any(node: AnyOf, plain: bool) -> Words:
    fns = tuple(p.compile() for p in node.parts)
    first = tuple(words(p, plain) for p in node.parts)
    options = first if plain else tuple(words(p, True) for p in node.parts)

    def any_of(obs: Mapping[str, Any]) -> Pair:
        state: bool | None = False
        for fn, w in zip(fns, first, strict=True):
            value = fn(obs)
            if value is True:
                return w(obs)
            if value is None:
                state = None
        zh, en = _joined([w(obs) for w in options])
        if state is False:
            return "以下均不满足：" + zh, "none of these holds: " + en
        return zh, en

    return any_of


def _not(node: Not) -> Words:
    fn = node.part.compile()
    inner = words(node.part, True)

    def not_(obs: Mapping[str, Any]) -> Pair:
        zh, en = inner(obs)
        if fn(obs) is None:
            return zh, en
        return "不应满足：" + zh, "must not hold: " + en

    return not_


def unknowns(node: Condition) -> Unknowns:
    """``node.unknown_fields`` as a closure: groups ask their parts' compiled closures which are unknown."""
    kind = type(node)
    if kind is Compare:
        fid = node.field_ids()[0]
        return lambda obs: [fid] if obs.get(fid) is None else []
    if kind is Not:
        return unknowns(node.part)  # type: ignore[attr-defined]
    if kind is not All and kind is not AnyOf:
        return node.unknown_fields
    parts = tuple((p.compile(), unknowns(p)) for p in node.parts)  # type: ignore[attr-defined]

    def group(obs: Mapping[str, Any]) -> list[str]:
        out: list[str] = []
        for fn, inner in parts:
            if fn(obs) is None:
                out.extend(f for f in inner(obs) if f not in out)
        return out

    return group
