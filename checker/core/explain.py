"""Why a rule has its status, in words a facility owner understands (both languages).

One function per kind of outcome; each condition node words its own part
(``Condition.explain``), both languages in one pass through the closures
``wording`` compiles once per rule. A reason reads only the outcome's status,
tier, waiver, earned points and the values of the fields the rule names, which
is what lets a result memoise it (``RuleOutcome.key``): keep it that way when
adding a kind of reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from checker.core.compiled import CompiledRule, Status
from checker.core.conditions import Condition, fmt_number, fmt_value
from checker.core.conditions.logic import All
from checker.core.conditions.nodes import case_facts
from checker.core.conditions.ops import not_recorded
from checker.core.conditions.plain import where
from checker.core.text import Lang, Text
from checker.core.wording import Pair, Words, holding, unknowns, words

if TYPE_CHECKING:
    from checker.core.audit import Waiver

__all__ = ["Explained", "explain", "pair", "reasons"]


class Explained(Protocol):
    """What a reason is made from (an engine ``RuleOutcome``)."""

    @property
    def compiled(self) -> CompiledRule: ...
    @property
    def status(self) -> Status: ...
    @property
    def earned(self) -> float: ...
    @property
    def tier(self) -> int | None: ...
    @property
    def waiver(self) -> Waiver | None: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


_TEXT = Text.__pydantic_validator__
"""``Text(zh=..., en=...)`` without the keyword plumbing (the same validation)."""


def reasons(outcome: Explained) -> Text:
    """Both languages at once."""
    zh, en = _pair(outcome)
    return _TEXT.validate_python({"zh": zh, "en": en})  # type: ignore[no-any-return]


def explain(outcome: Explained, lang: Lang) -> str:
    return _pair(outcome)[0 if lang == "zh" else 1]


class _RuleWords:
    """A rule's conditions compiled for wording (``wording.words``), once per compiled rule."""

    __slots__ = ("applies", "held", "labels", "linear", "missing", "reached", "require", "steps", "tiers",
                 "unknowns")  # fmt: skip

    def __init__(self, cr: CompiledRule) -> None:
        share: dict[Any, Words] = {}
        self.applies = None if cr.applies is None else words(cr.applies, False, share)
        self.require = None if cr.require is None else words(cr.require, False, share)
        self.tiers: tuple[Words, ...] = tuple(words(when, False, share) for _, when in cr.tiers or ())
        self.held = None if cr.require is None else holding(cr.require, share)
        """``require`` worded when it holds (the rule passed)."""
        self.reached: tuple[Words, ...] = tuple(holding(when, share) for _, when in cr.tiers or ())
        """Each tier worded when it holds (it was reached)."""
        tiers = cr.tiers or []
        self.steps = tuple(
            (
                f"{fmt_number(points)}/{fmt_number(cr.points)}",
                fmt_number(tiers[i + 1][0]) if i + 1 < len(tiers) else None,
            )
            for i, (points, _) in enumerate(tiers)
        )
        """Per tier: its points as said ("2/6"), and the next tier's points (None after the last)."""
        self.linear = None if cr.linear is None else _linear_parts(cr)
        nodes = (cr.applies, cr.require, *(when for _, when in cr.tiers or ()))
        self.unknowns = {id(node): unknowns(node) for node in nodes if node is not None}
        self.labels: dict[Any, Any] = {}
        """For missing data: a node's field ids, and a field's label as ``_label_of`` finds it in a node."""
        self.missing: dict[tuple[Any, ...], Pair] = {}
        """Missing-data reasons by what decides them: which conditions and which fields are unknown."""


def _words(cr: CompiledRule) -> _RuleWords:
    found: _RuleWords | None = cr.words
    if found is None:
        found = cr.words = _RuleWords(cr)
    return found


_SAID_MAX = 64
"""Missing-data reasons kept per rule; once full, new ones are worded but not kept."""

_NA, _WAIVED, _MISSING, _PASS = Status.NOT_APPLICABLE, Status.WAIVED, Status.MISSING, Status.PASS


def pair(outcome: Explained) -> Pair:
    """The reason as a ``(zh, en)`` pair of strings (``reasons`` without making a ``Text``)."""
    return _pair(outcome)


def _pair(outcome: Explained) -> Pair:
    status = outcome.status
    cr = outcome.compiled
    values = outcome.values
    if status is _NA:
        return _not_applicable(cr, values, "zh"), _not_applicable(cr, values, "en")
    if status is _WAIVED:
        assert outcome.waiver is not None
        return _waived(outcome.waiver, "zh"), _waived(outcome.waiver, "en")
    if status is _MISSING:
        return _missing(cr, values)
    rule = _words(cr)
    if rule.require is not None:
        said = rule.held if status is _PASS else rule.require
        assert said is not None
        return said(values)
    if cr.linear is not None:
        return _linear(cr, values, outcome.earned)
    return _tiers(cr, values, outcome.tier)


def _not_applicable(cr: CompiledRule, values: Mapping[str, Any], lang: Lang) -> str:
    """The facts that put the facility outside the rule, and where the rule applies: the
    applicability condition is a case, never a requirement ("（要求 ≠ 幼儿园）")."""
    assert cr.applies is not None
    fids = dict.fromkeys(_deciding(cr.applies, values))
    fields = [f for fid in fids if (f := _field_of(cr.applies, fid))]
    unrecorded = [f.label_in(lang) for f in fields if values.get(f.id) is None]
    said = [case_facts(fields, values, lang, counted=False)]
    said += [not_recorded(label, lang) for label in unrecorded]
    facts = ("，" if lang == "zh" else ", ").join(t for t in said if t)
    cases = where(cr.applies, lang)
    if lang == "zh":
        return f"不适用：{facts}（本条适用于：{cases}）"
    return f"not applicable: {facts} (the rule applies where: {cases})"


def _deciding(node: Condition, values: Mapping[str, Any]) -> list[str]:
    """The fields of the parts that make ``node`` false (of ``all``: only its false parts)."""
    if isinstance(node, All):
        return [f for p in node.parts if p.evaluate(values) is False for f in _deciding(p, values)]
    return node.field_ids()


def _field_of(node: Condition, fid: str) -> Any:
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        for attr in ("field", "a", "b"):
            fld = getattr(item, attr, None)
            if fld is not None and getattr(fld, "id", None) == fid:
                return fld
        stack.extend(getattr(item, "parts", []) or [])
        inner = getattr(item, "part", None)
        if inner is not None:
            stack.append(inner)
        for case in getattr(item, "cases", None) or []:
            stack.extend(c for c in (case.when, case.require) if c is not None)
    return None


def _waived(w: Waiver, lang: Lang) -> str:
    return (
        f"已豁免：{w.reason}（{w.approved_by} 批准，有效期至 {w.expires}）"
        if lang == "zh"
        else f"waived: {w.reason} (approved by {w.approved_by}, until {w.expires})"
    )


def _missing(cr: CompiledRule, values: Mapping[str, Any]) -> Pair:
    """The unknown fields, by label; worded once per set of unknown fields (all the words depend on)."""
    fields: list[str] = []
    nodes: list[Condition] = []
    applies_unknown = cr.applies_fn is not None and cr.applies_fn(values) is None
    if applies_unknown:
        assert cr.applies is not None
        nodes.append(cr.applies)
    else:
        if cr.require is not None:
            nodes.append(cr.require)
        for _, when in cr.tiers or []:
            nodes.append(when)
    rule = _words(cr)
    for node in nodes:
        fields.extend(f for f in rule.unknowns[id(node)](values) if f not in fields)
    unmeasured = cr.linear is not None and values.get(cr.linear[0].id) is None
    key = (applies_unknown, unmeasured, *fields)
    found = rule.missing.get(key)
    if found is None:
        found = _missing_words(cr, nodes, fields, unmeasured, rule.labels)
        if len(rule.missing) < _SAID_MAX:
            rule.missing[key] = found
    return found


def _missing_words(
    cr: CompiledRule, nodes: list[Condition], fields: list[str], unmeasured: bool, known: dict[Any, Any]
) -> Pair:
    said: list[str] = []
    for lang in ("zh", "en"):
        labels: list[str] = []
        if unmeasured:
            assert cr.linear is not None
            labels.append(cr.linear[0].label_in(lang))
        for node in nodes:
            for fid in _field_ids(node, known):
                if fid in fields:
                    label = known.get((id(node), fid, lang))
                    if label is None:
                        label = known[id(node), fid, lang] = _label_of(node, fid, lang)
                    if label and label not in labels:
                        labels.append(label)
        said.append("、".join(labels) if lang == "zh" else ", ".join(labels))
    return f"缺少数据：{said[0]}", f"missing data: {said[1]}"


def _field_ids(node: Condition, known: dict[Any, Any]) -> list[str]:
    found: list[str] | None = known.get(id(node))
    if found is None:
        found = known[id(node)] = node.field_ids()
    return found


def _label_of(node: Condition, fid: str, lang: Lang) -> str:
    fld = _field_of(node, fid)
    return fid if fld is None else str(fld.label_in(lang))


def _linear_parts(cr: CompiledRule) -> tuple[str, str, str, str]:
    """A linear rule's words around the measured value and points earned, in both languages."""
    assert cr.linear is not None
    fld, zero, full = cr.linear
    pts = fmt_number(cr.points)
    zz, fz = fmt_value(fld, zero, "zh"), fmt_value(fld, full, "zh")
    ze, fe = fmt_value(fld, zero, "en"), fmt_value(fld, full, "en")
    return (
        f"{fld.label_in('zh')} ",
        f"/{pts} 分（{zz} 为 0 分，{fz} 为满分）",
        f"{fld.label_in('en')} ",
        f" of {pts} points (none at {ze}, full at {fe})",
    )


def _linear(cr: CompiledRule, values: Mapping[str, Any], earned: float) -> Pair:
    assert cr.linear is not None
    fld = cr.linear[0]
    parts = _words(cr).linear
    assert parts is not None
    head_zh, tail_zh, head_en, tail_en = parts
    x = values[fld.id]
    got = fmt_number(round(earned, 2))
    return (
        f"{head_zh}{fmt_value(fld, x, 'zh')}：得 {got}{tail_zh}",
        f"{head_en}{fmt_value(fld, x, 'en')}: {got}{tail_en}",
    )


def _tiers(cr: CompiledRule, values: Mapping[str, Any], tier: int | None) -> Pair:
    assert cr.tiers is not None
    rule = _words(cr)
    said = rule.tiers
    if tier is None:
        zh, en = said[0](values)
        return f"未达到任何得分档：{zh}", f"no tier reached: {en}"
    pts, nxt = rule.steps[tier]
    zh, en = rule.reached[tier](values)
    if nxt is None:
        return f"达到 {pts} 分档：{zh}", f"tier of {pts} points reached: {en}"
    gap_zh, gap_en = said[tier + 1](values)
    return (
        f"达到 {pts} 分档：{zh}；下一档（{nxt} 分）还需：{gap_zh}",
        f"tier of {pts} points reached: {en}; next tier ({nxt} points) needs: {gap_en}",
    )
