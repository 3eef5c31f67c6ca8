"""What a rule asks for and what was found, as sentences an owner reads.

The requirement is the rule's own ``requirement`` text when the standard
gives one, else a sentence generated from its condition (``conditions.plain``):
never a formula, never a case selector read as a demand. The observation is
the recorded value of every field the rule's requirement or credit reads,
with labels and units; applicability fields are left out (the rule applies,
that is all they said).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checker.core.compiled import CompiledRule, compiled
from checker.core.conditions.ops import fmt_number, fmt_value
from checker.core.conditions.plain import plain
from checker.core.text import LANGS, Lang, Text

if TYPE_CHECKING:
    from checker.core.standard import Standard

__all__ = ["observed", "requirement"]

_MAX_SHOWN = 8


def _rule(standard: Standard, rule_id: str) -> CompiledRule | None:
    found: dict[str, CompiledRule] | None = standard.memo.get("compiled_by_id")
    if found is None:
        found = standard.memo["compiled_by_id"] = {cr.rule.id: cr for cr in compiled(standard).rules}
    return found.get(rule_id)


def _generated(cr: CompiledRule, lang: Lang) -> str:
    if cr.require is not None:
        return plain(cr.require, lang)
    if cr.linear is not None:
        fld, zero, full = cr.linear
        label, z, f = fld.label_in(lang), fmt_value(fld, zero, lang), fmt_value(fld, full, lang)
        if lang == "zh":
            return f"{label}达到 {f} 得满分，{z} 时不得分，其间按比例得分"
        return f"{label}: full points at {f}, none at {z}, in proportion between"
    tiers = cr.tiers or []
    top_points, top = tiers[-1]
    lower = ("、" if lang == "zh" else " or ").join(fmt_number(p) for p, _ in reversed(tiers[:-1]))
    text = plain(top, lang)
    if lang == "zh":
        return f"{text}（满分 {fmt_number(top_points)} 分" + (
            f"；部分达到可得 {lower} 分）" if lower else "）"
        )
    return f"{text} (full {fmt_number(top_points)} points" + (f"; {lower} for part of it)" if lower else ")")


def requirement(standard: Standard, rule_id: str) -> Text | None:
    """The rule as one sentence in both languages (None for a rule the standard lacks)."""
    memo: dict[str, Text | None] = standard.memo.setdefault("requirements", {})
    if rule_id in memo:
        return memo[rule_id]
    spec = standard.rule_map.get(rule_id)
    cr = _rule(standard, rule_id)
    text: Text | None = None
    if spec is not None and spec.requirement is not None:
        text = spec.requirement
    elif cr is not None:
        text = Text(**{lang: _generated(cr, lang) for lang in LANGS})
    memo[rule_id] = text
    return text


def _read_fields(cr: CompiledRule) -> list[Any]:
    """The field specs the requirement or credit reads, in order, without repeats."""
    out: dict[str, Any] = {}
    nodes = [cr.require] if cr.require is not None else [when for _, when in cr.tiers or []]
    for node in nodes:
        if node is not None:
            for fid in node.field_ids():
                out.setdefault(fid, None)
    if cr.linear is not None:
        out.setdefault(cr.linear[0].id, None)
    return list(out)


def observed(standard: Standard, rule_id: str, values: Mapping[str, Any]) -> Text | None:
    """What was recorded for the fields the rule reads ("楼梯井净宽 0.18 m；已设防护：否")."""
    cr = _rule(standard, rule_id)
    if cr is None:
        return None
    fields = standard.field_map
    shown = [fields[f] for f in _read_fields(cr) if f in fields][:_MAX_SHOWN]
    if not shown:
        return None
    texts = {}
    for lang in LANGS:
        items = []
        for spec in shown:
            label = spec.label_in(lang)
            value = values.get(spec.id)
            if value is None:
                items.append(f"未记录{label}" if lang == "zh" else f"{label}: not recorded")
            elif spec.type in ("boolean", "enum", "text"):
                items.append(
                    f"{label}：{fmt_value(spec, value, lang)}"
                    if lang == "zh"
                    else f"{label}: {fmt_value(spec, value, lang)}"
                )
            else:
                items.append(f"{label} {fmt_value(spec, value, lang)}")
        texts[lang] = ("；" if lang == "zh" else "; ").join(items)
    return Text(**texts)
