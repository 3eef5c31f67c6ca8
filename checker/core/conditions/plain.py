"""A condition as one plain sentence, for owners: no operators, no logic words, cases as cases.

Reports print what a rule asks for; where the standard gives no
``requirement`` sentence, one is generated here from the parsed condition.
The sentence must never read like a formula ("= 0", "÷", "以下均不满足") and
must never turn a case selector into a demand: in

    any: [{field: students_boys, eq: 0}, all: [{per: {field: wc_boys, of: students_boys, per: 40}, gte: 1}]]

"boys = 0" is the case where no urinals are needed, not a requirement to
enrol no boys. So inside ``any`` the branches are sorted before they are
joined:

* **target fields** are the fields compared in two or more branches (the
  railing height in "≥ 1.10 m, or ≥ 1.05 m in an old building");
* a branch that is a single comparison on a yes/no field, or on a field
  another branch divides by, and that is not a target, is an **exemption**
  ("not required where …"; a "no" answer becomes the case the rest applies
  to: "where the site has ramps: …");
* an ``all`` branch splits into its comparisons on target fields (the
  requirement) and the rest (the case it applies in): "where the building
  predates 2023: … at least 1.05 m"; with no requirement left it is an
  exemption.

A node class this module does not know may define ``plain(lang) -> str``;
otherwise its parts are joined. Every node the parser makes is covered here.
"""

from __future__ import annotations

from typing import Any

from checker.core.conditions.logic import All, AnyOf, Count, Not
from checker.core.conditions.nodes import Compare, Condition, Per, Present, _mid
from checker.core.conditions.ops import FieldLike, fmt_number, fmt_value
from checker.core.conditions.selectors import (
    _children,
    _divisors,
    _exempting,
    _flat_all,
    _leaf_fields,
    _targets,
)
from checker.core.text import Lang

__all__ = ["case_phrase", "gap", "plain", "where"]

_SEP = {"zh": "；", "en": "; "}
_AND = {"zh": "且", "en": " and "}
_LIST = {"zh": "、", "en": ", "}
_NUMERIC = {
    "zh": {"gte": "不小于", "gt": "大于", "lte": "不大于", "lt": "小于", "eq": "为", "ne": "不为"},
    "en": {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "less than", "eq": "", "ne": "not"},
}
_DATES = {
    "zh": {"gte": "不早于", "gt": "晚于", "lte": "不晚于", "lt": "早于", "eq": "为", "ne": "不为"},
    "en": {"gte": "on or after", "gt": "after", "lte": "on or before", "lt": "before", "eq": "", "ne": "not"},
}
_COUNTS = {
    "zh": {"gte": "至少", "gt": "多于", "lte": "至多", "lt": "少于", "eq": "恰好", "ne": "不是"},
    "en": {
        "gte": "at least",
        "gt": "more than",
        "lte": "at most",
        "lt": "fewer than",
        "eq": "exactly",
        "ne": "not",
    },
}
_NEGATED = {
    "eq": "ne",
    "ne": "eq",
    "gt": "lte",
    "gte": "lt",
    "lt": "gte",
    "lte": "gt",
    "in": "not_in",
    "not_in": "in",
}


def _value(field: FieldLike, value: Any, lang: Lang) -> str:
    return fmt_value(field, value, lang)


def _quoted(field: FieldLike, value: Any, lang: Lang) -> str:
    return f"“{_value(field, value, lang)}”"


def _choices(field: FieldLike, values: Any, lang: Lang) -> str:
    shown = [_value(field, v, lang) for v in values]
    if len(shown) == 1:
        return shown[0]
    last = "或" if lang == "zh" else " or "
    return _LIST[lang].join(shown[:-1]) + last + shown[-1]


def _compare(node: Compare, lang: Lang, op: str | None = None) -> str:
    field, label, value = node.field, node.field.label_in(lang), node.value
    op = op or node.op
    if field.type == "boolean":
        wanted = bool(value) if op == "eq" else not bool(value)
        if wanted:
            return label
        return f"{label}为“否”" if lang == "zh" else f"{label}: no"
    if field.type in ("enum", "text"):
        if op in ("eq", "in"):
            values = [value] if op == "eq" else value
            return (
                f"{label}为{_choices(field, values, lang)}"
                if lang == "zh"
                else f"{label}: {_choices(field, values, lang)}"
            )
        values = [value] if op == "ne" else value
        return (
            f"{label}不为{_choices(field, values, lang)}"
            if lang == "zh"
            else f"{label} not {_choices(field, values, lang)}"
        )
    if op == "between":
        lo, hi = _value(field, value[0], lang), _value(field, value[1], lang)
        return f"{label}在 {lo} 至 {hi} 之间" if lang == "zh" else f"{label} between {lo} and {hi}"
    if op in ("in", "not_in"):
        shown = _choices(field, value, lang)
        if lang == "zh":
            return f"{label}为 {shown}" if op == "in" else f"{label}不为 {shown}"
        return f"{label}: {shown}" if op == "in" else f"{label} not {shown}"
    words = (_DATES if field.type == "date" else _NUMERIC)[lang]
    shown = _value(field, value, lang)
    if lang == "zh":
        return f"{label}{words[op]} {shown}"
    word = words[op]
    return f"{label} {word} {shown}" if word else f"{label}: {shown}"


def _share(per: float, value: float, lang: Lang) -> str:
    """How much of the reference a ratio asks for: "1/40", "50%", "2 倍"."""
    if value == 1 and per != 1:
        return f"1/{fmt_number(per)}"
    if per == 1 and value < 1:
        pct = fmt_number(round(value * 100, 4))
        return f"{pct}%" if lang == "zh" else f"{pct} %"
    if per == 1:
        return (
            ""
            if value == 1
            else (f"{fmt_number(value)} 倍" if lang == "zh" else f"{fmt_number(value)} times")
        )
    return f"{fmt_number(value)}/{fmt_number(per)}"


def _per(node: Per, lang: Lang, op: str | None = None) -> str:
    op = op or node.op
    a, b = node.a.label_in(lang), node.b.label_in(lang)
    if op in ("gte", "gt", "lte", "lt", "eq") and not isinstance(node.value, list | tuple):
        share = _share(float(node.per), float(node.value), lang)
        if lang == "zh":
            word = {"gte": "不少于", "gt": "多于", "lte": "不多于", "lt": "少于", "eq": "等于"}[op]
            return f"{a}{word}{b}" + (f"的 {share}" if share else "")
        word = {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "less than", "eq": "equal to"}[
            op
        ]
        return f"{a} {word} {share + ' of ' if share else ''}{b}"
    per = fmt_number(node.per)
    if lang == "zh":
        return f"{a}与{b}之比（每 {per}）须符合本条要求"
    return f"{a} per {per} {b} as this rule requires"


def case_phrase(node: Condition, lang: Lang) -> str:
    """A condition read as the case something applies in ("2023年前建成", "候诊走道形式为“单侧”")."""
    if (
        isinstance(node, Compare)
        and node.field.type in ("enum", "text", "boolean")
        and node.op in ("eq", "ne")
    ):
        if node.field.type == "boolean":
            return _compare(node, lang)
        label = node.field.label_in(lang)
        shown = _quoted(node.field, node.value, lang)
        if node.op == "eq":
            return f"{label}为{shown}" if lang == "zh" else f"{label} is {shown}"
        return f"{label}不为{shown}" if lang == "zh" else f"{label} is not {shown}"
    return plain(node, lang)


def _any(node: AnyOf, lang: Lang) -> str:
    branches = list(node.parts)
    divisors = set().union(*(_divisors(b) for b in branches))
    exempt = [b for b in branches if _exempting(b, branches, divisors)]
    real = [b for b in branches if b not in exempt]
    if not real:  # every branch names a case: they are the alternatives
        return ("，或" if lang == "zh" else ", or ").join(plain(b, lang) for b in branches)
    targets = _targets(real[0], real)
    main: list[str] = []
    cases: list[str] = []
    for branch in real:
        leaves = _flat_all(branch)
        if len(leaves) == 1:
            main.append(plain(leaves[0], lang))
            continue
        need = [leaf for leaf in leaves if _leaf_fields(leaf) & targets]
        when = [leaf for leaf in leaves if leaf not in need]
        if not need:
            exempt.append(branch)
        elif not when:
            main.append(_join(need, lang))
        else:
            case = _AND[lang].join(case_phrase(leaf, lang) for leaf in when)
            rest = _join(need, lang)
            cases.append(f"当{case}{gap(case)}时，{rest}" if lang == "zh" else f"where {_mid(case)}: {rest}")
    text = _SEP[lang].join(t for t in (("，或" if lang == "zh" else ", or ").join(main), *cases) if t)
    before = [
        _compare(b, lang, _NEGATED[b.op])
        for b in exempt
        if isinstance(b, Compare) and b.field.type == "boolean" and not _wants(b)
    ]
    after = [
        _AND[lang].join(case_phrase(leaf, lang) for leaf in _flat_all(b))
        for b in exempt
        if not (isinstance(b, Compare) and b.field.type == "boolean" and not _wants(b))
    ]
    if before:
        case = _AND[lang].join(before)
        text = f"当{case}{gap(case)}时，{text}" if lang == "zh" else f"where {_mid(case)}: {text}"
    if after:
        case = "或".join(after) if lang == "zh" else " or ".join(_mid(a) for a in after)
        text = (
            f"{text}（{case}{gap(case)}时不作要求）"
            if lang == "zh"
            else f"{text} (not required where {case})"
        )
    return text


def gap(text: str) -> str:
    """A space between a number or unit and the Chinese word after it."""
    return " " if text and text[-1].isascii() and text[-1] not in "”）)" else ""


def _wants(leaf: Compare) -> bool:
    """A yes/no comparison that holds when the answer is yes."""
    return bool(leaf.value) if leaf.op == "eq" else not bool(leaf.value)


def _join(parts: list[Condition], lang: Lang) -> str:
    return _SEP[lang].join(text for text in (plain(p, lang) for p in parts) if text)


def _not(node: Not, lang: Lang) -> str:
    inner = node.part
    if isinstance(inner, Compare) and inner.op in _NEGATED:
        return _compare(inner, lang, _NEGATED[inner.op])
    if isinstance(inner, Per) and inner.op in _NEGATED and inner.op not in ("in", "not_in", "eq", "ne"):
        return _per(inner, lang, _NEGATED[inner.op])
    text = plain(inner, lang)
    return f"不得出现以下情形：{text}" if lang == "zh" else f"this must not be the case: {text}"


def _count(node: Count, lang: Lang) -> str:
    n = len(node.parts)
    word = _COUNTS[lang].get(node.op, _COUNTS[lang]["gte"])
    value = node.value if not isinstance(node.value, list | tuple) else node.value[0]
    items = _SEP[lang].join(plain(p, lang) for p in node.parts)
    if node.op in ("gte", "eq") and value >= n:
        return items
    if lang == "zh":
        return f"以下 {n} 项中{word} {fmt_number(value)} 项：{items}"
    return f"{word} {fmt_number(value)} of these {n}: {items}"


def _without_implied(leaves: list[Condition]) -> list[Condition]:
    """"X recorded" next to a comparison on X says nothing the comparison does not."""
    compared = {f for leaf in leaves if not isinstance(leaf, Present) for f in leaf.field_ids()}
    kept = [leaf for leaf in leaves if not (isinstance(leaf, Present) and leaf.want and leaf.fid in compared)]
    return kept or leaves


def _unrecorded_or(node: AnyOf, lang: Lang) -> str | None:
    """``any: [X not recorded, X …]`` reads as one case: "X为“否”或未记录"."""
    absent = [p for p in node.parts if isinstance(p, Present) and not p.want]
    rest = [p for p in node.parts if p not in absent]
    if len(absent) != 1 or len(rest) != 1 or rest[0].field_ids() != [absent[0].fid]:
        return None
    text = case_phrase(rest[0], lang)
    return f"{text}或未记录" if lang == "zh" else f"{text}, or not recorded"


def where(node: Condition, lang: Lang) -> str:
    """A condition read as where a rule applies: every branch of ``any`` is one more case
    (never an exemption, as in a requirement); the cases of ``all`` are listed."""
    if isinstance(node, AnyOf):
        alone = _unrecorded_or(node, lang)
        return alone or ("，或" if lang == "zh" else ", or ").join(where(b, lang) for b in node.parts)
    if isinstance(node, All):
        return _SEP[lang].join(where(leaf, lang) for leaf in _without_implied(_flat_all(node)))
    return case_phrase(node, lang)


def plain(node: Condition, lang: Lang) -> str:
    """The condition as a sentence an owner reads as what is required."""
    custom = getattr(node, "plain", None)
    if callable(custom):
        return str(custom(lang))
    if isinstance(node, Compare):
        return _compare(node, lang)
    if isinstance(node, Present):
        label = node.field.label_in(lang)
        if node.want:
            return f"须记录{label}" if lang == "zh" else f"{label} recorded"
        return f"无{label}" if lang == "zh" else f"no {label}"
    if isinstance(node, Per):
        return _per(node, lang)
    if isinstance(node, All):
        return _join(_without_implied(_flat_all(node)), lang)
    if isinstance(node, AnyOf):
        return _unrecorded_or(node, lang) or _any(node, lang)
    if isinstance(node, Not):
        return _not(node, lang)
    if isinstance(node, Count):
        return _count(node, lang)
    return _join(_children(node), lang)
