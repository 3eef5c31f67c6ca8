"""Why a rule has its status, in words a facility owner understands (both languages).

One function per kind of outcome; each condition node words its own part
(``Condition.explain``). A reason reads only the outcome's status, tier,
waiver, earned points and the values of the fields the rule names, which is
what lets a result memoise it (``RuleOutcome.key``): keep it that way when
adding a kind of reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from checker.core.compiled import CompiledRule, Status
from checker.core.conditions import Condition, fmt_number, fmt_value
from checker.core.text import Lang, Text

if TYPE_CHECKING:
    from checker.core.audit import Waiver

__all__ = ["Explained", "explain", "reasons"]


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


def reasons(outcome: Explained) -> Text:
    """Both languages at once."""
    return Text(zh=explain(outcome, "zh"), en=explain(outcome, "en"))


def explain(outcome: Explained, lang: Lang) -> str:
    status = outcome.status
    if status is Status.NOT_APPLICABLE:
        return _not_applicable(outcome.compiled, outcome.values, lang)
    if status is Status.WAIVED:
        assert outcome.waiver is not None
        return _waived(outcome.waiver, lang)
    if status is Status.MISSING:
        return _missing(outcome.compiled, outcome.values, lang)
    cr = outcome.compiled
    if cr.require is not None:
        return cr.require.explain(outcome.values, lang)
    if cr.linear is not None:
        return _linear(cr, outcome.values, outcome.earned, lang)
    return _tiers(cr, outcome.values, outcome.tier, lang)


def _not_applicable(cr: CompiledRule, values: Mapping[str, Any], lang: Lang) -> str:
    assert cr.applies is not None
    text = cr.applies.explain(values, lang)
    return f"不适用：{text}" if lang == "zh" else f"not applicable: {text}"


def _waived(w: Waiver, lang: Lang) -> str:
    return (
        f"已豁免：{w.reason}（{w.approved_by} 批准，有效期至 {w.expires}）"
        if lang == "zh"
        else f"waived: {w.reason} (approved by {w.approved_by}, until {w.expires})"
    )


def _missing(cr: CompiledRule, values: Mapping[str, Any], lang: Lang) -> str:
    fields: list[str] = []
    labels: list[str] = []
    nodes: list[Condition] = []
    if cr.applies is not None and cr.applies.evaluate(values) is None:
        nodes.append(cr.applies)
    else:
        if cr.require is not None:
            nodes.append(cr.require)
        for _, when in cr.tiers or []:
            nodes.append(when)
    for node in nodes:
        fields.extend(f for f in node.unknown_fields(values) if f not in fields)
    if cr.linear is not None and values.get(cr.linear[0].id) is None:
        labels.append(cr.linear[0].label_in(lang))
    for node in nodes:
        for fid in node.field_ids():
            if fid in fields:
                label = _label_of(node, fid, lang)
                if label and label not in labels:
                    labels.append(label)
    joined = "、".join(labels) if lang == "zh" else ", ".join(labels)
    return f"缺少数据：{joined}" if lang == "zh" else f"missing data: {joined}"


def _label_of(node: Condition, fid: str, lang: Lang) -> str:
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        for attr in ("field", "a", "b"):
            fld = getattr(item, attr, None)
            if fld is not None and getattr(fld, "id", None) == fid:
                return str(fld.label_in(lang))
        stack.extend(getattr(item, "parts", []) or [])
        inner = getattr(item, "part", None)
        if inner is not None:
            stack.append(inner)
    return fid


def _linear(cr: CompiledRule, values: Mapping[str, Any], earned: float, lang: Lang) -> str:
    assert cr.linear is not None
    fld, zero, full = cr.linear
    shown = fmt_value(fld, values[fld.id], lang)
    got, pts = fmt_number(round(earned, 2)), fmt_number(cr.points)
    z, f = fmt_value(fld, zero, lang), fmt_value(fld, full, lang)
    return (
        f"{fld.label_in(lang)} {shown}：得 {got}/{pts} 分（{z} 为 0 分，{f} 为满分）"
        if lang == "zh"
        else f"{fld.label_in(lang)} {shown}: {got} of {pts} points (none at {z}, full at {f})"
    )


def _tiers(cr: CompiledRule, values: Mapping[str, Any], tier: int | None, lang: Lang) -> str:
    assert cr.tiers is not None
    if tier is None:
        first = cr.tiers[0][1].explain(values, lang)
        return f"未达到任何得分档：{first}" if lang == "zh" else f"no tier reached: {first}"
    points, when = cr.tiers[tier]
    text = when.explain(values, lang)
    pts = f"{fmt_number(points)}/{fmt_number(cr.points)}"
    reached = f"达到 {pts} 分档：{text}" if lang == "zh" else f"tier of {pts} points reached: {text}"
    if tier + 1 >= len(cr.tiers):
        return reached
    nxt_points, nxt = cr.tiers[tier + 1]
    gap = nxt.explain(values, lang)
    if lang == "zh":
        return f"{reached}；下一档（{fmt_number(nxt_points)} 分）还需：{gap}"
    return f"{reached}; next tier ({fmt_number(nxt_points)} points) needs: {gap}"
