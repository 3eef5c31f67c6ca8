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

from checker.core.conditions.logic import All, AnyOf, Count, Not
from checker.core.conditions.nodes import Compare, Condition, case_facts
from checker.core.conditions.ops import FAIL_TEXT, FieldLike, PlainField, fmt_number, fmt_value
from checker.core.conditions.selectors import Alternatives, case_plan
from checker.core.text import Lang

__all__ = ["Pair", "Unknowns", "Words", "holding", "unknowns", "words"]

Pair = tuple[str, str]
Words = Callable[[Mapping[str, Any]], Pair]
Unknowns = Callable[[Mapping[str, Any]], list[str]]

_SAID_MAX = 64
"""Pairs a comparison keeps; once full, new values are worded but not kept (as ``Condition.explain``)."""


def words(node: Condition, plain: bool = False, share: dict[Any, Words] | None = None) -> Words:
    """The closure that words ``node`` in both languages (``plain`` as in ``Condition.explain``).

    Comparisons that word alike (the same field, operator and limit, as a rule's tiers repeat
    them) share one closure through ``share``, and so the pairs of the values it has met."""
    if share is None:
        share = {}
    kind = type(node)
    if kind is Compare:
        return _compare(node, plain, share)  # type: ignore[arg-type]
    if kind is All:
        return _all(node, plain, share)  # type: ignore[arg-type]
    if kind is Alternatives:
        return _alternatives(node, plain, share)  # type: ignore[arg-type]
    if kind is AnyOf:
        return _any(node, plain, share)  # type: ignore[arg-type]
    if kind is Count:
        return _count(node, share)  # type: ignore[arg-type]
    if kind is Not:
        return _not(node, share)  # type: ignore[arg-type]
    explain = node.explain
    return lambda obs: (explain(obs, "zh", plain), explain(obs, "en", plain))


def holding(node: Condition, share: dict[Any, Words]) -> Words:
    """``words(node)`` for values known to make ``node`` hold (a rule that passed, a tier reached):
    an ``all`` then says every part, so its parts need not be evaluated again."""
    if type(node) is not All:
        return words(node, False, share)
    every = tuple(words(p, False, share) for p in node.parts)
    return lambda obs: _joined([w(obs) for w in every])


def _compare(node: Compare, plain: bool, share: dict[Any, Words]) -> Words:
    """``Compare.explain`` in both languages, its fixed parts (labels, requirement, units) made once."""
    field, fid, fn, limit = node.field, node.fid, node.fn, node.value
    rz, re_ = node.requirement("zh"), node.requirement("en")
    fz, fe = (None, None) if plain else (FAIL_TEXT["zh"].get(node.op), FAIL_TEXT["en"].get(node.op))
    alike: Any = (id(field), node.op, rz, re_, fz, fe, tuple(limit) if isinstance(limit, list) else limit)
    try:
        found = share.get(alike)
    except TypeError:  # pragma: no cover - a limit that does not hash is worded on its own
        found, alike = None, None
    if found is not None:
        return found
    lz, le = field.label_in("zh"), field.label_in("en")
    vz = fmt_value(field, limit, "zh") if fz else ""
    ve = fmt_value(field, limit, "en") if fe else ""
    exact = field.type in ("boolean", "enum", "text")
    worded = field.type in ("boolean", "enum", "text", "date")  # by fmt_value; numbers here
    units = None if worded else (_unit(field, "zh"), _unit(field, "en"))
    unrecorded = f"未记录{lz}", f"{le} not recorded"
    said: dict[Any, Pair] = {}
    word: Callable[[Any], Pair]
    if units is not None:
        uz, ue = units
        met = (f"{lz} ", f"{uz}，符合 {rz}", f"{le} ", f"{ue} meets {re_}")
        short = (
            *_around(fz, lz, vz, uz, (f"{lz} ", f"{uz}（要求 {rz}）")),
            *_around(fe, le, ve, ue, (f"{le} ", f"{ue} (required {re_})")),
        )

        def word(x: Any) -> Pair:
            """A number between words made once."""
            number = fmt_number(x)
            head_zh, tail_zh, head_en, tail_en = met if fn(x, limit) else short
            return head_zh + number + tail_zh, head_en + number + tail_en

    else:

        def word(x: Any) -> Pair:
            sz, se = fmt_value(field, x, "zh"), fmt_value(field, x, "en")
            ok = fn(x, limit)
            if ok and exact:
                return f"{lz}：{sz}", f"{le}: {se}"
            if ok:
                return f"{lz} {sz}，符合 {rz}", f"{le} {se} meets {re_}"
            if exact:
                return f"{lz}：{sz}（要求 {rz}）", f"{le}: {se} (required {re_})"
            return (
                fz.format(l=lz, x=sz, v=vz) if fz else f"{lz} {sz}（要求 {rz}）",
                fe.format(l=le, x=se, v=ve) if fe else f"{le} {se} (required {re_})",
            )

    def compare(obs: Mapping[str, Any]) -> Pair:
        x = obs.get(fid)
        pair = said.get(x)
        if pair is not None:
            return pair
        if x is None:
            return unrecorded
        pair = word(x)
        if len(said) < _SAID_MAX:
            said[x] = pair
        return pair

    if alike is not None:
        share[alike] = compare
    return compare


def _around(template: str | None, label: str, limit: str, unit: str, default: Pair) -> Pair:
    """What a failed comparison says before and after the number (``FAIL_TEXT``'s ``{x}``)."""
    if template is None:
        return default
    before, after = template.split("{x}")  # every FAIL_TEXT says the number once
    return before.format(l=label, v=limit), unit + after.format(l=label, v=limit)


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
    if not pairs:
        return "", ""
    zh, en = zip(*pairs, strict=True)
    return "；".join(zh), "; ".join(en)


def _all(node: All, plain: bool, share: dict[Any, Words]) -> Words:
    fns = tuple(p.compile() for p in node.parts)
    every = tuple(words(p, plain, share) for p in node.parts)

    def all_of(obs: Mapping[str, Any]) -> Pair:
        held = [fn(obs) for fn in fns]
        if False in held:
            state: bool | None = False
        elif None in held:
            state = None
        else:
            return _joined([w(obs) for w in every])
        return _joined([w(obs) for w, value in zip(every, held, strict=True) if value is state])

    return all_of


def _any(node: AnyOf, plain: bool, share: dict[Any, Words]) -> Words:
    fns = tuple(p.compile() for p in node.parts)
    first = tuple(words(p, plain, share) for p in node.parts)
    options = first if plain else tuple(words(p, True, share) for p in node.parts)

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


def _alternatives(node: Alternatives, plain: bool, share: dict[Any, Words]) -> Words:
    """``Alternatives.explain``: when every alternative fails, the case that applied, as planned once."""
    fallback = _any(node, plain, share)
    plan = case_plan(node)
    if plan is None:
        return fallback
    fn = node.compile()
    branches = []
    for when, fields, need in plan.branches:
        said = tuple(words(leaf, True, share) for leaf in need)
        tests = tuple(leaf.compile() for leaf in need)
        checks = tuple(leaf.compile() for leaf in when)
        branches.append((checks, _facts(fields), tuple(zip(tests, said, strict=True)), said))
    facts = _facts(plan.facts)

    def alternatives(obs: Mapping[str, Any]) -> Pair:
        if fn(obs) is not False:
            return fallback(obs)
        zh: list[str] = []
        en: list[str] = []
        for when, head, need, every in branches:
            if any(w(obs) is False for w in when):
                continue  # another case: it says nothing about this facility
            said = [w(obs) for f, w in need if f(obs) is not True] or [w(obs) for w in every]
            bz, be = _joined(said)
            hz, he = head(obs)
            zh.append(f"{hz}，{bz}" if hz else bz)
            en.append(f"{he}, {be}" if he else be)
        if not zh:
            return fallback(obs)
        tz, te = "；".join(zh), "; ".join(en)
        if len(zh) > 1:
            tz, te = "以下均不满足：" + tz, "none of these holds: " + te
        hz, he = facts(obs)
        return (f"{hz}，{tz}" if hz else tz), (f"{he}, {te}" if he else te)

    return alternatives


def _facts(fields: list[FieldLike]) -> Words:
    """``case_facts`` of ``fields`` in both languages, kept for the values met first."""
    if not fields:
        return lambda obs: ("", "")
    fids = tuple(f.id for f in fields)
    said: dict[tuple[Any, ...], Pair] = {}

    def facts(obs: Mapping[str, Any]) -> Pair:
        key = tuple([obs.get(fid) for fid in fids])
        pair = said.get(key)
        if pair is None:
            pair = case_facts(fields, obs, "zh"), case_facts(fields, obs, "en")
            if len(said) < _SAID_MAX:
                said[key] = pair
        return pair

    return facts


def _count(node: Count, share: dict[Any, Words]) -> Words:
    """``Count.explain``: how many parts hold against the requirement, and the parts that decide."""
    fn = node.compile()
    fns = tuple(p.compile() for p in node.parts)
    options = tuple(words(p, True, share) for p in node.parts)
    req = Compare.__new__(Compare)
    req.field, req.op, req.value = PlainField(), node.op, node.value
    rz, re_ = req.requirement("zh"), req.requirement("en")
    n = len(fns)

    def count(obs: Mapping[str, Any]) -> Pair:
        states = [f(obs) for f in fns]
        true = states.count(True)
        want = bool(fn(obs))
        zh, en = _joined([w(obs) for w, s in zip(options, states, strict=True) if s is want or s is None])
        return f"满足 {true}/{n} 项（要求 {rz}）：{zh}", f"{true} of {n} hold (required {re_}): {en}"

    return count


def _not(node: Not, share: dict[Any, Words]) -> Words:
    fn = node.part.compile()
    inner = words(node.part, True, share)

    def not_(obs: Mapping[str, Any]) -> Pair:
        zh, en = inner(obs)
        if fn(obs) is None:
            return zh, en
        return "不应满足：" + zh, "must not hold: " + en

    return not_


_GROUPS = (All, AnyOf, Alternatives, Count)
"""Nodes whose unknown fields are those of their parts that are unknown (``_Group.unknown_fields``)."""


def unknowns(node: Condition) -> Unknowns:
    """``node.unknown_fields`` as a closure: groups ask their parts' compiled closures which are unknown."""
    kind = type(node)
    if kind is Compare:
        fid = node.field_ids()[0]
        return lambda obs: [fid] if obs.get(fid) is None else []
    if kind is Not:
        return unknowns(node.part)  # type: ignore[attr-defined]
    if kind not in _GROUPS:
        return node.unknown_fields
    kids: list[Condition] = node.parts  # type: ignore[attr-defined]
    parts = tuple((p.fid if type(p) is Compare else "", p.compile(), unknowns(p)) for p in kids)
    if all(fid for fid, _, _ in parts):  # comparisons only: one is unknown exactly when its field is
        fids = tuple(dict.fromkeys(fid for fid, _, _ in parts))
        return lambda obs: [fid for fid in fids if obs.get(fid) is None]

    def group(obs: Mapping[str, Any]) -> list[str]:
        out: list[str] = []
        for fid, fn, inner in parts:
            if fid:
                if obs.get(fid) is None and fid not in out:
                    out.append(fid)
            elif fn(obs) is None:
                out.extend(f for f in inner(obs) if f not in out)
        return out

    return group
