"""What a form needs to know of each field, derived from the loaded standard alone.

For every field: the section it is asked in (the first whose rules read it),
the rules that read it, whether a prerequisite (控制项) needs it, and when it
applies (the rules' ``applies_when``: a field read only by rules that apply in
some cases is asked only then). Every form (Excel, XLSForm, the JSON
template's help) is built from this, so a new standard needs no code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from checker.core.conditions import Condition, parse_condition
from checker.core.conditions.logic import AnyOf
from checker.core.standard import FieldSpec, Rule, Section, Standard
from checker.core.text import Lang, Text

__all__ = ["FieldInfo", "Layout", "SectionInfo", "layout"]


@dataclass
class FieldInfo:
    spec: FieldSpec
    rules: list[Rule] = field(default_factory=list)
    prerequisite: list[str] = field(default_factory=list)
    applies: Condition | None = None
    decides: bool = False  # read by some rule's applies_when: it decides applicability

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class SectionInfo:
    id: str
    title: Text
    fields: list[FieldInfo]


@dataclass
class Layout:
    standard: Standard
    sections: list[SectionInfo]

    @property
    def fields(self) -> list[FieldInfo]:
        return [f for s in self.sections for f in s.fields]

    def rule_applies(self, rule: Rule) -> Condition | None:
        return _parse(rule.applies_when, self.standard)


def _parse(raw: dict[str, Any] | None, standard: Standard) -> Condition | None:
    if raw is None:
        return None
    node, _ = parse_condition(raw, (), standard.field_map)
    return node


def _reads(rule: Rule, standard: Standard) -> tuple[list[str], list[str]]:
    """Field ids a rule reads: (to decide whether it applies, to judge it)."""
    applies = _parse(rule.applies_when, standard)
    judged: list[str] = []
    tiers = (rule.credit.tiers or []) if rule.credit is not None else []
    for raw in (rule.require, *(t.when for t in tiers)):
        node = _parse(raw, standard)
        if node is not None:
            judged.extend(node.field_ids())
    if rule.credit is not None and rule.credit.linear is not None:
        judged.append(rule.credit.linear.field)
    return (applies.field_ids() if applies else []), judged


def layout(standard: Standard) -> Layout:
    """The standard's fields grouped by the section that first asks for them, in rule order."""
    cached = standard.memo.get("forms.layout")
    if isinstance(cached, Layout):
        return cached
    infos = {f.id: FieldInfo(f) for f in standard.fields}
    placed: dict[str, str] = {}
    conditions: dict[str, dict[str, Condition | None]] = {f: {} for f in infos}
    order: dict[str, list[str]] = {}
    for section in standard.sections:
        for rule in section.rules:
            decide, judge = _reads(rule, standard)
            applies = _parse(rule.applies_when, standard)
            for fid in dict.fromkeys([*decide, *judge]):
                info = infos[fid]
                if rule not in info.rules:
                    info.rules.append(rule)
                if rule.mandatory:
                    info.prerequisite.append(rule.id)
                if fid in decide:
                    info.decides = True
                key = (
                    "" if applies is None or fid in decide else json.dumps(rule.applies_when, sort_keys=True)
                )
                conditions[fid].setdefault(key, None if key == "" else applies)
                if fid not in placed:
                    placed[fid] = section.id
                    order.setdefault(section.id, []).append(fid)
    for fid, found in conditions.items():
        known = [c for c in found.values() if c is not None]
        if found and len(known) == len(found) and not infos[fid].decides:
            infos[fid].applies = known[0] if len(known) == 1 else AnyOf(known)
    sections = [_section(s, [infos[f] for f in order.get(s.id, [])]) for s in standard.sections]
    loose = [infos[f] for f in infos if f not in placed]
    if loose:
        other = Text(zh="其他", en="Other")
        sections.append(SectionInfo("other", other, loose))
    result = Layout(standard, [s for s in sections if s.fields])
    standard.memo["forms.layout"] = result
    return result


def _section(section: Section, fields: list[FieldInfo]) -> SectionInfo:
    return SectionInfo(section.id, section.title, fields)


def words_of(info: FieldInfo, lang: Lang) -> dict[str, str]:
    """The markers a reader sees beside a field: prerequisite rules and when it applies."""
    from checker.forms.conditions import in_words

    out = {}
    if info.prerequisite:
        out["prerequisite"] = ", ".join(info.prerequisite)
    if info.applies is not None:
        out["applies"] = in_words(info.applies, lang)
    return out
