"""Which parts of an ``any`` are case selectors, and an ``any`` whose reason reads them as cases.

Standards often write a case choice as alternatives::

    any: [{field: students_boys, eq: 0}, {per: {field: wc_boys, of: students_boys, per: 40}, gte: 1}]

"boys = 0" is the case where nothing is needed, not a requirement to enrol no
boys; "an area of 10 hm² or more … / under 10 hm² …" names two cases. The
heuristics here (shared with ``plain``, the owners' requirement sentence) find
those selectors; ``Alternatives`` is the ``any`` the parser builds, whose
reason shows a selector as the fact that chose the case, never as a
requirement ("在校男生人数 540（要求 = 0）"). The explicit form is ``cases``.
"""

from __future__ import annotations

from checker.core.conditions.logic import All, AnyOf
from checker.core.conditions.nodes import Compare, Condition, Per, Present, case_facts
from checker.core.conditions.ops import FieldLike, Obs
from checker.core.text import Lang

__all__ = ["Alternatives", "CasePlan", "case_plan"]


def _leaf_fields(node: Condition, *, divisors: bool = False) -> set[str]:
    """The fields a branch constrains (a ratio constrains its numerator, not what it divides by);
    with ``divisors``, the fields its ratios divide by instead."""
    if isinstance(node, Per):
        return {node.b.id if divisors else node.a.id}
    if isinstance(node, Compare | Present):
        return set() if divisors else {node.field.id}
    out: set[str] = set()
    for part in _children(node):
        out |= _leaf_fields(part, divisors=divisors)
    return out


def _divisors(node: Condition) -> set[str]:
    return _leaf_fields(node, divisors=True)


def _children(node: Condition) -> list[Condition]:
    parts = getattr(node, "parts", None)
    if parts:
        return list(parts)
    inner = getattr(node, "part", None)
    return [inner] if isinstance(inner, Condition) else []


def _flat_all(node: Condition) -> list[Condition]:
    if isinstance(node, All):
        return [leaf for part in node.parts for leaf in _flat_all(part)]
    return [node]


def _categorical(node: Condition) -> bool:
    return isinstance(node, Compare) and node.field.type in ("boolean", "enum", "text")


def _exempting(leaf: Condition, branches: list[Condition], divisors: set[str]) -> bool:
    """A lone comparison naming the case in which the rest of the ``any`` is not needed:
    on a field another branch divides by, or a yes/no or category beside a measured branch."""
    if not isinstance(leaf, Compare | Present):
        return False
    if leaf.field.id in divisors:
        return True
    if not _categorical(leaf):
        return False
    others = [b for b in branches if b is not leaf]
    if leaf.field.type != "boolean":
        return any(not (_categorical(b) and b.field.type != "boolean") for b in others)  # type: ignore[attr-defined]
    return any(not _categorical(b) for b in others)


_LOWER = ("gte", "gt")
_UPPER = ("lte", "lt")


def _split_fields(branches: list[Condition]) -> set[str]:
    """Numeric fields bounded from below in one branch and from above in another: case selectors
    ("park of 10 hm² or more … / under 10 hm² …")."""
    lower: set[str] = set()
    upper: set[str] = set()
    for branch in branches:
        for leaf in _flat_all(branch):
            if isinstance(leaf, Compare) and not _categorical(leaf):
                (lower if leaf.op in _LOWER else upper if leaf.op in _UPPER else set()).add(leaf.field.id)
    return lower & upper


def _targets(first: Condition, branches: list[Condition]) -> set[str]:
    """What the ``any`` measures: the first real branch's measured fields, less case selectors."""
    leaves = _flat_all(first)
    measured = [leaf for leaf in leaves if not _categorical(leaf)] or leaves
    fields: set[str] = set()
    for leaf in measured:
        fields |= _leaf_fields(leaf)
    return fields - _split_fields(branches)


Branch = tuple[list[Condition], list[FieldLike], list[Condition]]
"""A real branch of an ``any``: the leaves naming its case, their comparisons' fields, the leaves it needs."""


class CasePlan:
    """What an ``any`` whose alternatives all fail says, decided by its shape alone: the exempting
    comparisons shown as facts, and per real branch the leaves that name its case (``when``, with
    the fields of its comparisons) and those it needs (``need``)."""

    __slots__ = ("branches", "facts")

    def __init__(self, facts: list[FieldLike], branches: list[Branch]) -> None:
        self.facts = facts
        self.branches = branches


def case_plan(node: AnyOf) -> CasePlan | None:
    """The plan of ``Alternatives.explain`` when every alternative fails; None where it words the
    ``any`` as a plain one (no case selectors)."""
    branches = list(node.parts)
    divisors = set().union(*(_divisors(b) for b in branches))
    exempt = [b for b in branches if _exempting(b, branches, divisors)]
    real = [b for b in branches if b not in exempt]
    if not real or (not exempt and not _split_fields(real) and all(len(_flat_all(b)) == 1 for b in real)):
        return None
    targets = _targets(real[0], real)
    planned: list[Branch] = []
    for branch in real:
        leaves = _flat_all(branch)
        need = [leaf for leaf in leaves if _leaf_fields(leaf) & targets] if len(leaves) > 1 else leaves
        when = [leaf for leaf in leaves if leaf not in need]
        planned.append((when, [leaf.field for leaf in when if isinstance(leaf, Compare)], need))
    facts = [b.field for b in exempt if isinstance(b, Compare) and b.field.id not in divisors]
    return CasePlan(facts, planned)


class Alternatives(AnyOf):
    """``any``: when every alternative fails, the reason names the case that applied."""

    __slots__ = ()

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        if self.evaluate(obs) is not False:
            return AnyOf.explain(self, obs, lang, plain)
        plan = case_plan(self)
        if plan is None:
            return AnyOf.explain(self, obs, lang, plain)
        said: list[str] = []
        for when, fields, need in plan.branches:
            if any(leaf.evaluate(obs) is False for leaf in when):
                continue  # another case: it says nothing about this facility
            failing = [leaf for leaf in need if leaf.evaluate(obs) is not True] or need
            head = case_facts(fields, obs, lang)
            body = ("；" if lang == "zh" else "; ").join(leaf.explain(obs, lang, True) for leaf in failing)
            said.append(f"{head}{'，' if lang == 'zh' else ', '}{body}" if head else body)
        if not said:
            return AnyOf.explain(self, obs, lang, plain)
        head = case_facts(plan.facts, obs, lang)
        text = ("；" if lang == "zh" else "; ").join(said)
        if len(said) > 1:
            text = ("以下均不满足：" if lang == "zh" else "none of these holds: ") + text
        if head:
            return f"{head}{'，' if lang == 'zh' else ', '}{text}"
        return text
