"""The district views as text: plan progress, a facility's history, the facilities recorded.

Kept apart from the computations (``plan``, ``history``) so the JSON output
and the future PDF report come from the same numbers, and apart from the
CLI so the words can be tested without running a command. Every string
exists in Chinese and English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from checker.report.text import ui

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.history import FacilityRow, TimelineEntry
    from checker.district.plan import Progress, TargetProgress

__all__ = ["FACILITY_TYPE_LABELS", "UI", "render_facilities", "render_progress", "render_timeline", "t"]

FACILITY_TYPE_LABELS: dict[str, dict[str, str]] = {
    "school": {"zh": "校园", "en": "schools"},
    "hospital": {"zh": "医院", "en": "hospitals"},
    "park": {"zh": "公园", "en": "parks"},
    "scenic_spot": {"zh": "景区", "en": "scenic spots"},
    "commercial": {"zh": "商圈", "en": "commercial districts"},
    "community": {"zh": "街区社区", "en": "communities"},
    "route": {"zh": "出行线路", "en": "walking routes"},
    "cultural_venue": {"zh": "文化场馆", "en": "cultural venues"},
    "study_base": {"zh": "研学实践基地", "en": "study bases"},
}

UI: dict[str, dict[str, str]] = {
    "as_of": {
        "zh": "依据 {audits} 份评估（最新评估日期 {date}）",
        "en": "From {audits} audits (latest audit {date})",
    },
    "no_audits": {"zh": "尚无评估", "en": "No audits yet"},
    "target": {"zh": "目标", "en": "target"},
    "share_of": {"zh": "{denominator} 个的 {pct}%", "en": "{pct} % of {denominator}"},
    "certified": {"zh": "已认证", "en": "certified"},
    "gap": {"zh": "差距", "en": "gap"},
    "met": {"zh": "已完成", "en": "met"},
    "open": {"zh": "未完成", "en": "open"},
    "no_standard": {"zh": "标准尚未发布", "en": "standard not yet available"},
    "audited": {
        "zh": "已评估 {n} 个设施：低于目标等级 {below}，未通过认证 {failed}，待补证 {incomplete}",
        "en": "{n} facilities audited: {below} below the target level, {failed} not certified, "
        "{incomplete} incomplete",
    },
    "at_level": {"zh": "≥ {level}", "en": "≥ {level}"},
    "due": {"zh": "截止 {due}", "en": "due {due}"},
    "totals": {
        "zh": "共 {n} 项目标：已完成 {met}，未完成 {open}，标准尚未发布 {missing}",
        "en": "{n} targets: {met} met, {open} open, {missing} without a standard yet",
    },
    "no_level": {"zh": "未达等级", "en": "no level"},
    "fixed": {"zh": "已整改 {n}", "en": "fixed {n}"},
    "newly": {"zh": "新增不通过 {n}", "en": "newly failing {n}"},
    "first_audit": {"zh": "首次评估", "en": "first audit"},
    "no_change": {"zh": "条目状态无变化", "en": "no rule changed status"},
    "no_history": {"zh": "没有此设施的评估记录", "en": "no audit recorded for this facility"},
    "facilities_head": {"zh": "已记录的设施", "en": "Facilities recorded"},
    "audits_n": {"zh": "{n} 次评估", "en": "{n} audits"},
    "recorded": {
        "zh": "已记录 {added} 份新评估，{unchanged} 份此前已记录，{invalid} 份无效",
        "en": "recorded {added} new audits, {unchanged} already recorded, {invalid} invalid",
    },
    "wrote": {"zh": "已写入 {path}（{n} 份评估）", "en": "wrote {path} ({n} audits)"},
    "wrote_pdf": {"zh": "已写入 {path}", "en": "wrote {path}"},
    "empty_db": {"zh": "历史数据库中没有评估记录", "en": "the history database holds no audit"},
}


def t(key: str, lang: Lang, **kw: Any) -> str:
    return UI[key][lang].format(**kw)


def facility_type(kind: str, lang: Lang) -> str:
    return FACILITY_TYPE_LABELS.get(kind, {}).get(lang, kind)


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _level_label(catalog: Catalog | None, standard: str, level: str | None, lang: Lang) -> str:
    if level is None:
        return t("no_level", lang)
    found = catalog.find_quietly(standard) if catalog is not None else None
    if found is not None:
        for lv in found.levels:
            if lv.id == level:
                return str(lv.label(lang))
    return level


def _required(tp: TargetProgress, lang: Lang) -> str:
    target = tp.target
    if target.share is None:
        return str(tp.required)
    pct = _num(round(target.share * 100, 2))
    share = t("share_of", lang, denominator=target.denominator, pct=pct)
    return f"{tp.required}（{share}）" if lang == "zh" else f"{tp.required} ({share})"


_STATUS_COLOURS = {"met": "green", "open": "yellow", "no_standard": "bright_black"}


def render_progress(
    progress: Progress, lang: Lang, catalog: Catalog | None = None, verbose: bool = False
) -> str:
    """Per target: plan item, title, standard and level; then target, certified, gap and the rest audited."""
    sep = " · "
    out = [click.style(progress.plan.title(lang), bold=True)]
    if progress.latest_audit is None:
        out.append(t("no_audits", lang))
    else:
        out.append(t("as_of", lang, audits=progress.audits_seen, date=progress.latest_audit))
    out.append("")
    for tp in progress.targets:
        target = tp.target
        item = f"{target.plan_item} " if target.plan_item else ""
        level = _level_label(catalog, target.standard, target.level, lang)
        head = [
            click.style(f"{item}{target.title(lang)}", bold=True),
            facility_type(target.facility_type, lang),
            f"{target.standard} {t('at_level', lang, level=level)}",
        ]
        if target.due:
            head.append(t("due", lang, due=target.due))
        out.append(sep.join(head))
        status = click.style(t(tp.status, lang), fg=_STATUS_COLOURS[tp.status])
        if not tp.available:
            out.append(
                f"    {t('target', lang)} {_required(tp, lang)}{sep}{t('gap', lang)} {tp.gap}{sep}{status}"
            )
        else:
            out.append(
                f"    {t('target', lang)} {_required(tp, lang)}"
                f"{sep}{t('certified', lang)} {len(tp.certified)}{sep}{t('gap', lang)} {tp.gap}{sep}{status}"
            )
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
            if verbose:
                for a in tp.certified:
                    ident = f"{a.facility_id} " if a.facility_id else ""
                    label = _level_label(catalog, target.standard, a.level, lang)
                    out.append(
                        f"      ✓ {ident}{a.facility_name} · {label} · {_num(a.score)} · {a.audited_on}"
                    )
    met = sum(tp.status == "met" for tp in progress.targets)
    missing = sum(tp.status == "no_standard" for tp in progress.targets)
    out.append("")
    out.append(
        t(
            "totals",
            lang,
            n=len(progress.targets),
            met=met,
            open=len(progress.targets) - met - missing,
            missing=missing,
        )
    )
    return "\n".join(out)


def _rule_list(rules: tuple[str, ...], standard: str, catalog: Catalog | None, lang: Lang) -> str:
    found = catalog.find_quietly(standard) if catalog is not None else None
    shown = []
    for rule in rules:
        spec = found.rule_map.get(rule) if found is not None else None
        shown.append(f"{rule} {spec.title(lang)}" if spec is not None else rule)
    return ("、" if lang == "zh" else ", ").join(shown)


def render_timeline(
    name: str, entries: list[TimelineEntry], lang: Lang, catalog: Catalog | None = None
) -> str:
    """A facility's audits, oldest first, with score change and the rules fixed / newly failing."""
    if not entries:
        return f"{name}: {t('no_history', lang)}"
    out = [click.style(name, bold=True)]
    standard = None
    for e in entries:
        if e.standard != standard:
            standard = e.standard
            found = catalog.find_quietly(standard) if catalog is not None else None
            out.append(f"{standard}" + (f" {found.title(lang)}" if found is not None else ""))
        verdict = ui(e.verdict, lang)
        level = _level_label(catalog, e.standard, e.level, lang)
        change = e.score_change
        delta = "" if change is None else f" ({'+' if change >= 0 else ''}{_num(change)})"
        out.append(f"  {e.audited_on}  {verdict} · {level} · {_num(e.score)}{delta}")
        if e.previous_score is None:
            out.append(f"      {t('first_audit', lang)}")
            continue
        if not e.fixed and not e.newly_failing:
            out.append(f"      {t('no_change', lang)}")
        if e.fixed:
            fixed = _rule_list(e.fixed, e.standard, catalog, lang)
            out.append(f"      {t('fixed', lang, n=len(e.fixed))}: {fixed}")
        if e.newly_failing:
            newly = _rule_list(e.newly_failing, e.standard, catalog, lang)
            out.append(f"      {t('newly', lang, n=len(e.newly_failing))}: {newly}")
    return "\n".join(out)


def render_facilities(rows: list[FacilityRow], lang: Lang, catalog: Catalog | None = None) -> str:
    """One line per facility and standard: audits, first and latest date, where it stands now."""
    if not rows:
        return t("empty_db", lang)
    out = [click.style(t("facilities_head", lang), bold=True)]
    for r in rows:
        verdict = ui(r.latest_verdict, lang)
        level = _level_label(catalog, r.standard, r.latest_level, lang)
        ident = "" if r.facility_key.startswith("name:") else f"{r.facility_key} "
        out.append(
            f"  {ident}{r.facility_name} · {r.standard} · {t('audits_n', lang, n=r.audits)} "
            f"{r.first}–{r.latest} · {verdict} · {level} · {_num(r.latest_score)}"
        )
    return "\n".join(out)
