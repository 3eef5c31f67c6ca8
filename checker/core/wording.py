"""A condition's wording in both languages at once, compiled per node: the hot path of a result.

A result row needs its reason in Chinese and English. ``Condition.explain``
words one language at a time and, at every level of a tree, evaluates the
parts again to choose what to say; for a rule whose values changed since
the last audit that is most of the cost of a result. Here each node is
compiled once into a closure that returns the ``(zh, en)`` pair: the common
nodes (a comparison, ``all``, ``any``, ``not``) choose their parts with the
compiled evaluation closures and join the pairs of their parts, and a
comparison keeps the pairs of the values it has met; every other node
(``count``, ``per``, ``present``, a kind added later) is worded by its own
``explain``. The words are the nodes' own, letter for letter:
``tests/test_wording.py`` compares the two on every rule of every standard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checker.core.conditions.logic import All, AnyOf, Not
from checker.core.conditions.nodes import Compare, Condition

__all__ = ["Pair", "Words", "words"]

Pair = tuple[str, str]
Words = Callable[[Mapping[str, Any]], Pair]

_SAID_MAX = 64
"""Pairs a comparison keeps; once full, new values are worded but not kept (as ``Condition.explain``)."""


def words(node: Condition, plain: bool = False) -> Words:
    """The closure that words ``node`` in both languages (``plain`` as in ``Condition.explain``)."""
    kind = type(node)
    if kind is Compare:
        return _compare(node, plain)
    if kind is All:
        return _all(node, plain)  # type: ignore[arg-type]
    if kind is AnyOf:
        return _any(node, plain)  # type: ignore[arg-type]
    if kind is Not:
        return _not(node)  # type: ignore[arg-type]
    explain = node.explain
    return lambda obs: (explain(obs, "zh", plain), explain(obs, "en", plain))


def _compare(node: Condition, plain: bool) -> Words:
    fid = node.field_ids()[0]
    explain = node.explain
    said: dict[Any, Pair] = {}

    def compare(obs: Mapping[str, Any]) -> Pair:
        x = obs.get(fid)
        pair = said.get(x)
        if pair is None:
            pair = (explain(obs, "zh", plain), explain(obs, "en", plain))
            if len(said) < _SAID_MAX:
                said[x] = pair
        return pair

    return compare


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
