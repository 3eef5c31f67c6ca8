"""Cases: a requirement that depends on which case the facility is in.

    cases:
      - when: {field: students_boys, gt: 0}
        require: {per: {field: wc_boys, of: students_boys, per: 40}, gte: 1}
        label: {zh: 有男生在校, en: boys enrolled}        # optional

The first case whose ``when`` holds decides: the condition is that case's
``require`` (a case without one requires nothing); when no case holds, nothing
is required. An unknown ``when`` before the deciding case makes the whole
unknown (the assessor must record what selects the case). The point of the
form is the wording: a case selector is never read as a requirement
("在校男生人数 540（要求 = 0）"), the reason says which case was applied
("按在校男生人数 540 人计，需男生大便器数 ≥ 14 个：现有 12 个").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checker.core.conditions.nodes import Condition, _mid, case_facts
from checker.core.conditions.ops import Obs, Tri, fmt_value
from checker.core.conditions.plain import case_phrase, gap, plain
from checker.core.conditions.selectors import _divisors
from checker.core.text import Lang

__all__ = ["Case", "Cases"]


class Case:
    __slots__ = ("label", "require", "when")

    def __init__(self, when: Condition, require: Condition | None, label: Mapping[str, str] | None) -> None:
        self.when, self.require, self.label = when, require, label


class Cases(Condition):
    __slots__ = ("cases",)

    def __init__(self, cases: list[Case]) -> None:
        self.cases = cases

    def chosen(self, obs: Obs) -> Case | bool | None:
        """The deciding case; None when a selector is unknown; False when no case holds."""
        for case in self.cases:
            w = case.when.evaluate(obs)
            if w is None:
                return None
            if w:
                return case
        return False

    def evaluate(self, obs: Obs) -> Tri:
        case = self.chosen(obs)
        if case is None:
            return None
        if case is False or case is True or case.require is None:
            return True
        return case.require.evaluate(obs)

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(
            (c.when.compile(), None if c.require is None else c.require.compile()) for c in self.cases
        )

        def by_case(obs: Obs) -> Tri:
            for when, require in fns:
                w = when(obs)
                if w is None:
                    return None
                if w:
                    return True if require is None else require(obs)
            return True

        return by_case

    def _selectors(self, case: Case, obs: Obs, lang: Lang) -> str:
        """The case as applied: its label, or the observed values that chose it."""
        if case.label is not None:
            return str(case.label[lang])
        divisors = _divisors(case.require) if case.require is not None else set()
        shown = [f for f in _fields(case.when) if f.id not in divisors]
        if not shown:
            return ""
        return case_facts(shown, obs, lang)

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        case = self.chosen(obs)
        if case is None:
            unknown = next(c for c in self.cases if c.when.evaluate(obs) is None)
            return unknown.when.explain(obs, lang, True)
        if case is False or case is True:
            fields = [f for c in self.cases for f in _fields(c.when)]
            values = (f"{f.label_in(lang)} {fmt_value(f, obs[f.id], lang)}" for f in fields if f.id in obs)
            seen = ("、" if lang == "zh" else ", ").join(dict.fromkeys(values))
            return f"{seen}：无此项要求" if lang == "zh" else f"{seen}: no requirement in this case"
        head = self._selectors(case, obs, lang)
        if case.require is None:
            return f"{head}，不作要求" if lang == "zh" else f"{head}: nothing required"
        body = case.require.explain(obs, lang, plain)
        if not head:
            return body
        return f"{head}，{body}" if lang == "zh" else f"{head}: {body}"

    def plain(self, lang: Lang) -> str:
        """The requirement sentence for owners: each case as a case, never as a demand."""
        parts = []
        for case in self.cases:
            when = str(case.label[lang]) if case.label is not None else case_phrase(case.when, lang)
            need = (
                plain(case.require, lang)
                if case.require is not None
                else ("不作要求" if lang == "zh" else "nothing required")
            )
            parts.append(f"当{when}{gap(when)}时，{need}" if lang == "zh" else f"where {_mid(when)}: {need}")
        return ("；" if lang == "zh" else "; ").join(parts)

    def unknown_fields(self, obs: Obs) -> list[str]:
        for case in self.cases:
            w = case.when.evaluate(obs)
            if w is None:
                return case.when.unknown_fields(obs)
            if w:
                return [] if case.require is None else case.require.unknown_fields(obs)
        return []

    def field_ids(self) -> list[str]:
        out: list[str] = []
        for case in self.cases:
            out.extend(case.when.field_ids())
            if case.require is not None:
                out.extend(case.require.field_ids())
        return out


def _fields(node: Condition) -> list[Any]:
    """The field objects a condition reads, in order, once each."""
    found: dict[str, Any] = {}
    stack: list[Any] = [node]
    while stack:
        item = stack.pop(0)
        for attr in ("field", "a", "b"):
            fld = getattr(item, attr, None)
            if fld is not None and hasattr(fld, "label_in"):
                found.setdefault(fld.id, fld)
        stack.extend(getattr(item, "parts", None) or [])
        inner = getattr(item, "part", None)
        if inner is not None:
            stack.append(inner)
        for case in getattr(item, "cases", None) or []:
            stack.extend(c for c in (case.when, case.require) if c is not None)
    return list(found.values())
