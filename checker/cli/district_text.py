"""The district views as terminal text: plan progress, a facility's history, the facilities recorded.

Kept apart from the computations (``plan``, ``history``) so the JSON output
and the future PDF report come from the same numbers, and apart from the
CLI so the words can be tested without running a command. Every string
exists in Chinese and English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from checker.core.inert import inert
from checker.core.words import ui
from checker.district.words import (
    counts_notes,
    facility_row,
    facility_type,
    first_problem,
    level_label,
    num,
    required_text,
    rule_titles,
    standards_text,
    t,
    unmatched_why,
)

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.history_query import FacilityRow, TimelineEntry
    from checker.district.progress import Progress, TargetProgress

__all__ = ["render_facilities", "render_progress", "render_progress_bilingual", "render_timeline"]

_STATUS_COLOURS = {
    "met": "green",
    "open": "yellow",
    "tracked": "cyan",
    "no_standard": "bright_black",
    "no_guideline": "bright_black",
}
_NAMED_MARKS = {"certified": "✓", "not_audited": "·"}


def render_progress(
    progress: Progress, lang: Lang, catalog: Catalog | None = None, verbose: bool = False
) -> str:
    """Per target: plan item, title, standard and level; then target, certified, gap and the rest audited."""
    sep = " · "
    plan = progress.plan
    out = [click.style(inert(plan.title(lang)), bold=True)]
    if progress.latest_audit is None:
        out.append(t("no_audits", lang))
    else:
        out.append(t("as_of", lang, audits=progress.audits_seen, date=progress.latest_audit))
    if progress.outside_period:
        out.append(
            t("outside", lang, n=progress.outside_period, start=plan.period.start, end=plan.period.end)
        )
    out.append("")
    for tp in progress.targets:
        target = tp.target
        item = f"{inert(target.plan_item)} " if target.plan_item else ""
        head = [click.style(f"{item}{inert(target.title(lang))}", bold=True)]
        if target.facility_type:
            head.append(facility_type(target.facility_type, lang))
        first = target.standard_ids[0] if target.standard_ids else None
        if first is not None:
            level = inert(level_label(catalog, first, target.level, lang))
            head.append(f"{standards_text(tp)} {t('at_level', lang, level=level)}")
        if target.due:
            head.append(t("due", lang, due=target.due))
        out.append(sep.join(head))
        status = click.style(t(tp.status, lang), fg=_STATUS_COLOURS[tp.status])
        size = f"{t('target', lang)} {required_text(tp, lang)}"
        if tp.status == "no_guideline":
            out.append(f"    {size}{sep}{status}")
            if target.measure is not None:
                out.append("    " + t("measure", lang, text=inert(target.measure(lang))))
            continue
        gap = "" if tp.gap is None else f"{sep}{t('gap', lang)} {tp.gap}"
        if not tp.available:
            out.append(f"    {size}{gap}{sep}{status}")
            continue
        out.append(f"    {size}{sep}{t('certified', lang)} {len(tp.certified)}{gap}{sep}{status}")
        out.append(
            "    "
            + t(
                "audited",
                lang,
                n=tp.audited,
                below=tp.below_level,
                failed=tp.not_certified,
                incomplete=tp.incomplete,
            )
        )
        out.extend("    " + inert(line) for line in counts_notes(tp, lang))
        for n in tp.named:
            word = t(n.state, lang) if n.state in ("not_audited", "certified") else t(_VERDICT[n.state], lang)
            when = f"{sep}{n.audit.audited_on}" if n.audit else ""
            out.append(f"      {_NAMED_MARKS.get(n.state, '✗')} {inert(f'{n.id} {n.name}')}{sep}{word}{when}")
        if not tp.named:
            out.extend(_facility_lines(tp, first, catalog, lang, verbose))
    out.extend(_uncounted(progress, catalog, lang))
    counts = {s: sum(tp.status == s for tp in progress.targets) for s in _STATUS_COLOURS}
    out.append("")
    out.append(
        t(
            "totals",
            lang,
            n=len(progress.targets),
            met=counts["met"],
            open=counts["open"],
            tracked=counts["tracked"],
            missing=counts["no_standard"],
            unmeasured=counts["no_guideline"],
        )
    )
    return "\n".join(out)


def render_progress_bilingual(
    progress: Progress, catalog: Catalog | None = None, verbose: bool = False
) -> str:
    """Both languages, Chinese first: each line in Chinese, then its English when it reads
    differently (facility names and ids are written once)."""
    zh = render_progress(progress, "zh", catalog, verbose).split("\n")
    en = render_progress(progress, "en", catalog, verbose).split("\n")
    if len(zh) != len(en):  # pragma: no cover - the two views are built line for line
        return "\n".join([*zh, "", *en])
    out: list[str] = []
    for line_zh, line_en in zip(zh, en, strict=True):
        out.append(line_zh)
        if line_en != line_zh:
            out.append(line_en)
    return "\n".join(out)


def _facility_lines(
    tp: TargetProgress, standard: str | None, catalog: Catalog | None, lang: Lang, verbose: bool
) -> list[str]:
    """Each facility of a target by name: the certified with level and validity, the others with
    score, level and the prerequisites that hold them back (``verbose``: every audited one, else
    at most ten of each)."""
    out = []
    limit = None if verbose else _SHOWN
    groups = (("✓", [("certified", a) for a in tp.certified]), ("✗", list(tp.others)))
    for mark, rows in groups:
        for state, audit in rows[:limit]:
            row = facility_row(state, audit, standard, catalog, lang)
            parts = [f"{row['id']} {row['name']}".strip(), row["state"], row["level"], row["score"]]
            parts += [row[k] for k in ("valid_until", "blocking") if row[k]]
            out.append(f"      {mark} " + inert(" · ".join(parts)))
        if limit is not None and len(rows) > limit:
            out.append("      " + t("more", lang, n=len(rows) - limit))
    return out


def _uncounted(progress: Progress, catalog: Catalog | None, lang: Lang) -> list[str]:
    """The audits no target counts (and why) and the invalid files: never dropped silently."""
    out: list[str] = []
    if progress.unmatched:
        out += ["", t("unmatched_head", lang, n=len(progress.unmatched))]
        for u in progress.unmatched:
            row = facility_row(u.audit.verdict, u.audit, u.audit.standard, catalog, lang)
            who = f"{row['id']} {row['name']}".strip()
            shown = inert(f"{who} · {u.audit.standard} · {row['state']} — {unmatched_why(u, lang)}")
            out.append(f"  · {shown}")
    if progress.invalid:
        out += ["", t("invalid_head", lang, n=len(progress.invalid))]
        for bad in progress.invalid:
            out.append("  · " + inert(first_problem(bad.path, bad.problems, lang)))
    return out


_SHOWN = 10

# A named facility's state in the words of the audited line.
_VERDICT = {
    "expired": "expired_short",
    "below_level": "below_short",
    "incomplete": "incomplete_short",
    "not_certified": "not_certified_short",
}


def render_timeline(
    name: str, entries: list[TimelineEntry], lang: Lang, catalog: Catalog | None = None
) -> str:
    """A facility's audits, oldest first, with score change and the rules fixed / newly failing."""
    if not entries:
        return f"{inert(name)}: {t('no_history', lang)}"
    out = [click.style(inert(name), bold=True)]
    standard = None
    for e in entries:
        if e.standard != standard:
            standard = e.standard
            found = catalog.find_quietly(standard) if catalog is not None else None
            out.append(inert(f"{standard}" + (f" {found.title(lang)}" if found is not None else "")))
        verdict = ui(e.verdict, lang)
        level = inert(level_label(catalog, e.standard, e.level, lang))
        change = e.score_change
        delta = "" if change is None else f" ({'+' if change >= 0 else ''}{num(change)})"
        out.append(f"  {inert(e.audited_on)}  {verdict} · {level} · {num(e.score)}{delta}")
        if e.previous_score is None:
            out.append(f"      {t('first_audit', lang)}")
            continue
        if not e.fixed and not e.newly_failing:
            out.append(f"      {t('no_change', lang)}")
        if e.fixed:
            fixed = rule_titles(e.fixed, e.standard, catalog, lang)
            out.append(f"      {t('fixed', lang, n=len(e.fixed))}: {fixed}")
        if e.newly_failing:
            newly = rule_titles(e.newly_failing, e.standard, catalog, lang)
            out.append(f"      {t('newly', lang, n=len(e.newly_failing))}: {newly}")
    return "\n".join(out)


def render_facilities(rows: list[FacilityRow], lang: Lang, catalog: Catalog | None = None) -> str:
    """One line per facility and standard: audits, first and latest date, where it stands now."""
    if not rows:
        return t("empty_db", lang)
    out = [click.style(t("facilities_head", lang), bold=True)]
    for r in rows:
        verdict = ui(r.latest_verdict, lang)
        level = level_label(catalog, r.standard, r.latest_level, lang)
        ident = "" if r.facility_key.startswith("name:") else f"{r.facility_key} "
        out.append(
            "  "
            + inert(f"{ident}{r.facility_name} · {r.standard}")
            + f" · {t('audits_n', lang, n=r.audits)} "
            + inert(f"{r.first}–{r.latest}")
            + f" · {verdict} · {inert(level)} · {num(r.latest_score)}"
        )
    return "\n".join(out)
