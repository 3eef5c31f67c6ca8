"""One line per audit, for a batch a clerk reads: facility, standard, verdict, level, score, and why.

``check DIR`` prints this line per audit (``--verbose`` gives the full view of
:mod:`checker.cli.result_text` instead), then the summary. The line names
the first prerequisite that fails (else the first one missing data), so a
not-certified or incomplete audit says at once what holds it back.
"""

from __future__ import annotations

import click

from checker.core.inert import inert
from checker.core.result import Result, ResultRule
from checker.core.text import Lang
from checker.core.words import ui

__all__ = ["WARNINGS", "format_line", "render"]

_MARK = {"certified": ("✓", "green"), "not_certified": ("✗", "red"), "incomplete": ("?", "yellow")}
_HELD = {
    "fail": {"zh": "前提未过", "en": "prerequisite failing"},
    "missing": {"zh": "前提缺数据", "en": "prerequisite missing data"},
    "more": {"zh": "另 {n} 项", "en": "{n} more"},
}
_NAME_WIDTH = 34


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def held_back(result: Result) -> tuple[str, list[ResultRule]]:
    """The prerequisites that keep the audit from a level: failing ones, else those missing data."""
    for status in ("fail", "missing"):
        rules = [r for r in result.rules if r.mandatory and r.status == status]
        if rules:
            return status, rules
    return "", []


def format_line(result: Result, lang: Lang, verbose: bool = False) -> str:
    """``✗ 示例九年制学校 (YZ-SCH-003) · yuzhong-school · 未通过认定 · 未达等级 · 84.18 · 前提未过: …``"""
    facility = result.audit.facility
    name = inert(str(facility.get("name", "")))
    if facility.get("id"):
        name += f" ({inert(str(facility['id']))})"
    mark, colour = _MARK.get(result.verdict, ("·", "white"))
    level = inert(result.level_label(lang)) if result.level_label else ui("none", lang)
    score = f"{result.score:.2f}".rstrip("0").rstrip(".")
    parts = [
        _pad(name, _NAME_WIDTH),
        inert(result.standard.id),
        click.style(ui(result.verdict, lang), fg=colour, bold=True),
        level,
        score,
    ]
    status, rules = held_back(result)
    if rules:
        first = rules[0]
        why = f"{_HELD[status][lang]}: {inert(first.id)} {inert(first.title(lang))}"
        if len(rules) > 1:
            why += f" ({_HELD['more'][lang].format(n=len(rules) - 1)})"
        parts.append(why)
    return f"{click.style(mark, fg=colour)} " + " · ".join(parts)


WARNINGS = "\x1e"
"""Separates the result's text from its warnings in what :func:`render` returns (a control
character: text from an input reaches the terminal escaped, so it can never hold one)."""


def render(result: Result, lang: Lang, verbose: bool = False, one_line: bool = False) -> str:
    """What a batch worker writes for ``check``: the line or the full view, then the warnings."""
    from checker.cli.result_text import format_result, format_warnings

    text = format_line(result, lang) if one_line else format_result(result, lang, verbose)
    return f"{text}{WARNINGS}{format_warnings(result, lang)}" if result.warnings else text
