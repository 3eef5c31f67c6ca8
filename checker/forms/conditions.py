"""A standard's conditions for people and for field forms: words, and XPath for ``relevant``.

Both are written from the parsed condition tree (``checker.core.conditions``),
never from a standard's content, so a new standard or a new condition form
needs no change here; a node this module does not know reads as "see the
standard" and is never used to hide a question.

The XPath follows the engine's three values: a question is hidden only when
its condition is known to be false, so an unanswered deciding question hides
nothing (``relevant`` is ``not(F)``, F the "surely false" expression).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.core.conditions import Condition, fmt_value
from checker.core.conditions.cases import Cases
from checker.core.conditions.logic import All, AnyOf, Count, Not
from checker.core.conditions.nodes import Compare, Per, Present
from checker.core.conditions.ops import REQUIRE_TEXT, PlainField
from checker.core.text import Lang

__all__ = ["in_words", "relevant_xpath"]

_AND = {"zh": "且", "en": " and "}
_OR = {"zh": "或", "en": " or "}
_NONE = {"zh": "不作要求", "en": "nothing required"}
_OTHERWISE = {"zh": "其他情形不作要求", "en": "otherwise nothing required"}


def in_words(node: Condition, lang: Lang) -> str:
    """The condition as a reader says it: "设有秋千 = 是且秋千数量 ≥ 2"."""
    if isinstance(node, Compare):
        return f"{node.field.label_in(lang)} {node.requirement(lang)}"
    if isinstance(node, Present):
        label = node.field.label_in(lang)
        if lang == "zh":
            return f"已记录{label}" if node.want else f"未记录{label}"
        return f"{label} recorded" if node.want else f"{label} not recorded"
    if isinstance(node, Per):
        req = Compare.__new__(Compare)
        req.field, req.op, req.value = PlainField(), node.op, node.value
        return f"{node._label(lang)} {req.requirement(lang)}"
    if isinstance(node, All | AnyOf) and not isinstance(node, Count):
        joiner = (_AND if isinstance(node, All) else _OR)[lang]
        return joiner.join(_grouped(p, lang) for p in node.parts)
    if isinstance(node, Not):
        inner = _grouped(node.part, lang)
        return f"不满足：{inner}" if lang == "zh" else f"not: {inner}"
    if isinstance(node, Count):
        needed = REQUIRE_TEXT[lang][node.op].format(v=_count_value(node.value))
        parts = (
            "；".join(in_words(p, lang) for p in node.parts)
            if lang == "zh"
            else "; ".join(in_words(p, lang) for p in node.parts)
        )
        return (
            f"以下满足的项数 {needed}：{parts}"
            if lang == "zh"
            else f"the number of these that hold {needed}: {parts}"
        )
    if isinstance(node, Cases):
        return _cases_in_words(node, lang)
    return "见标准原文" if lang == "zh" else "see the standard"


def _cases_in_words(node: Cases, lang: Lang) -> str:
    said: list[str] = []
    for case in node.cases:
        when = in_words(case.when, lang)
        need = in_words(case.require, lang) if case.require is not None else _NONE[lang]
        said.append(f"当{when}时：{need}" if lang == "zh" else f"where {when}: {need}")
    said.append(_OTHERWISE[lang])
    return ("按情形——" if lang == "zh" else "by case — ") + ("；" if lang == "zh" else "; ").join(said)


def _grouped(node: Condition, lang: Lang) -> str:
    text = in_words(node, lang)
    return (
        f"（{text}）"
        if lang == "zh" and isinstance(node, All | AnyOf)
        else (f"({text})" if isinstance(node, All | AnyOf) else text)
    )


def _count_value(value: Any) -> str:
    if isinstance(value, list):
        return "–".join(str(v) for v in value)
    return str(value)


# --- XPath ---------------------------------------------------------------------------------

Ref = Callable[[str], str]


def relevant_xpath(node: Condition, ref: Ref) -> str | None:
    """``not(surely false)`` for ``node``; None when it can never hide a question."""
    false = _false(node, ref)
    return None if false is None else f"not({false})"


def _answered(fid: str, ref: Ref) -> str:
    return f"string-length({ref(fid)}) > 0"


def _literal(node: Compare, value: Any) -> str:
    kind = node.field.type
    if kind == "boolean":
        return "'true'" if value else "'false'"
    if kind in ("enum", "text"):
        return "'" + str(value).replace("'", "") + "'"
    if kind == "date":
        return f"date('{fmt_value(node.field, value, 'en')}')"
    return repr(float(value)) if isinstance(value, float) else str(value)


def _compare(node: Compare, ref: Ref) -> str:
    x = ref(node.fid)
    if node.field.type == "date":
        x = f"date({x})"
    elif node.field.type in ("integer", "number"):
        x = f"number({x})"
    op, v = node.op, node.value
    symbols = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
    if op in symbols:
        return f"{x} {symbols[op]} {_literal(node, v)}"
    if op == "between":
        return f"({x} >= {_literal(node, v[0])} and {x} <= {_literal(node, v[1])})"
    options = " or ".join(f"{x} = {_literal(node, e)}" for e in v)
    return f"({options})" if op == "in" else f"not({options})"


def _true(node: Condition, ref: Ref) -> str | None:
    """XPath that holds when ``node`` is surely true (None: cannot be said)."""
    if isinstance(node, Not):
        return _false(node.part, ref)
    if isinstance(node, Compare):
        return f"({_answered(node.fid, ref)} and {_compare(node, ref)})"
    if isinstance(node, Present):
        answered = _answered(node.fid, ref)
        return answered if node.want else f"not({answered})"
    if isinstance(node, All | AnyOf) and not isinstance(node, Count):
        parts = [_true(p, ref) for p in node.parts]
        if isinstance(node, All):
            return None if any(p is None for p in parts) else "(" + " and ".join(p for p in parts if p) + ")"
        known = [p for p in parts if p is not None]
        return "(" + " or ".join(known) + ")" if known else None
    if isinstance(node, Cases):
        return _by_case(node, ref, want=True)
    return None


def _by_case(node: Cases, ref: Ref, want: bool) -> str | None:
    """Surely true (``want``) or surely false: some case surely decides, and its requirement surely
    holds (fails); for ``want``, also every selector surely false (nothing required). Parts that
    cannot be said are left out, which only ever makes the expression hold less often."""
    ways: list[str] = []
    before: list[str] | None = []
    for case in node.cases:
        if before is None:
            break
        chosen = _true(case.when, ref)
        if case.require is None:
            outcome: str | None = "true()" if want else None
        else:
            outcome = (_true if want else _false)(case.require, ref)
        if chosen is not None and outcome is not None:
            ways.append("(" + " and ".join([*before, chosen, outcome]) + ")")
        skipped = _false(case.when, ref)
        before = None if skipped is None else [*before, skipped]
    if want and before:
        ways.append("(" + " and ".join(before) + ")")
    return "(" + " or ".join(ways) + ")" if ways else None


def _false(node: Condition, ref: Ref) -> str | None:
    """XPath that holds when ``node`` is surely false (None: cannot be said)."""
    if isinstance(node, Not):
        return _true(node.part, ref)
    if isinstance(node, Compare):
        return f"({_answered(node.fid, ref)} and not({_compare(node, ref)}))"
    if isinstance(node, Present):
        answered = _answered(node.fid, ref)
        return f"not({answered})" if node.want else answered
    if isinstance(node, All | AnyOf) and not isinstance(node, Count):
        parts = [_false(p, ref) for p in node.parts]
        if isinstance(node, AnyOf):
            return None if any(p is None for p in parts) else "(" + " and ".join(p for p in parts if p) + ")"
        known = [p for p in parts if p is not None]
        return "(" + " or ".join(known) + ")" if known else None
    if isinstance(node, Cases):
        return _by_case(node, ref, want=False)
    return None
