"""Terminal output: the readable summary of a result, and error paragraphs.

Colour is decided by click (only on a terminal, or when forced); this module
only marks up text with ``click.style``.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from checker.core.errors import CheckerError
from checker.core.inert import inert
from checker.core.result import Result, ResultRule
from checker.core.text import Lang
from checker.core.words import ui

__all__ = ["format_errors", "format_result", "format_warnings"]

_COLOURS = {
    "certified": "green",
    "not_certified": "red",
    "incomplete": "yellow",
    "fail": "red",
    "missing": "yellow",
    "partial": "cyan",
}
_MARKS = {"fail": "✗", "missing": "?", "partial": "◐", "waived": "~", "pass": "✓"}
_ORDER = {"fail": 0, "missing": 1, "partial": 2}


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_result(result: Result, lang: Lang, verbose: bool = False) -> str:
    """The human summary: verdict, level, score against thresholds, sections, findings."""
    out: list[str] = []
    facility = result.audit.facility
    name = inert(str(facility.get("name", "")))
    fid = f" ({inert(str(facility['id']))})" if facility.get("id") else ""
    out.append(click.style(f"{name}{fid}", bold=True))
    standard = result.standard
    out.append(
        inert(f"{standard.title(lang)} · {standard.id} {standard.version}")
        + f" · {ui('assessed', lang)} {inert(result.audit.audited_on)}"
    )
    verdict = click.style(ui(result.verdict, lang), fg=_COLOURS[result.verdict], bold=True)
    level = inert(result.level_label(lang)) if result.level_label else ui("none", lang)
    out.append(f"{ui('verdict', lang)}: {verdict} · {ui('level', lang)}: {level}")
    marks = ", ".join(
        f"{inert(lv.label(lang))} ≥ {_num(lv.min_score)}"
        + (
            f" ({'各分项' if lang == 'zh' else 'each section'} ≥ {_num(lv.min_section_percent)}%)"
            if lv.min_section_percent is not None
            else ""
        )
        for lv in result.levels
    )
    bonus = f" (+{_num(result.bonus)} {ui('bonus_line', lang)})" if result.bonus else ""
    out.append(
        f"{ui('score', lang)}: {click.style(_num(result.score), bold=True)}/100{bonus}"
        f" · {ui('thresholds', lang)}: {marks}"
    )
    out.append("")
    titles = [inert(s.title(lang)) for s in result.sections]
    width = max([_width(t) for t in titles] + [_width(ui("section", lang))]) + 2
    out.append(f"  {_pad(ui('section', lang), width)}{_pad(ui('points', lang), 16)}{ui('percent', lang)}")
    for s, title in zip(result.sections, titles, strict=True):
        pct = "—" if s.percent is None else f"{_num(s.percent)}%"
        out.append(f"  {_pad(title, width)}{_pad(f'{_num(s.earned)}/{_num(s.possible)}', 16)}{pct}")
    out.append("")
    findings = sorted(
        (r for r in result.rules if r.status in _ORDER and not (r.bonus and r.status != "partial")),
        key=lambda r: (not r.mandatory, _ORDER[r.status]),
    )
    findings += [r for r in result.rules if r.status == "waived"]
    if verbose:
        findings = list(result.rules)
    if findings:
        out.append(click.style(ui("findings", lang), bold=True))
        out.extend(_finding(r, lang) for r in findings)
    else:
        out.append(ui("all_ok", lang))
    return "\n".join(out)


def format_warnings(result: Result, lang: Lang) -> str:
    """The audit's warnings (a waiver expired, an audit before the standard took effect), one line
    each, naming the file: for standard error, beside the result on standard output."""
    path = inert(result.audit.path)
    label = click.style(f"{ui('warning', lang)}:", fg="yellow")
    return "\n".join(f"{label} {path}: {inert(w.message(lang))}" for w in result.warnings)


def _finding(rule: ResultRule, lang: Lang) -> str:
    mark = click.style(_MARKS.get(rule.status, "·"), fg=_COLOURS.get(rule.status))
    tags = [ui(rule.status, lang)]
    if rule.mandatory:
        tags.insert(0, ui("mandatory", lang))
    elif rule.bonus:
        tags.insert(0, ui("bonus", lang))
    else:
        tags.append(f"{_num(rule.earned)}/{_num(rule.points)}")
    if rule.local_rule:
        tags.append(ui("local", lang))
    head = f" {mark} {inert(rule.id)} {inert(rule.title(lang))} [{', '.join(tags)}]"
    text = f"{head}\n     {inert(rule.reason(lang))}"
    if rule.remediation is not None and rule.status in ("fail", "partial", "missing"):
        text += f"\n     {ui('fix', lang)}: {inert(rule.remediation(lang))}"
    return text


def format_errors(error: CheckerError, lang: Lang) -> Iterable[str]:
    """One paragraph per problem: ``file:line:col: path: what — how to fix``."""
    label = click.style(f"{ui('error', lang)}:", fg="red", bold=True)
    for problem in error.problems:
        yield f"{label} {inert(problem.text(lang))}"
