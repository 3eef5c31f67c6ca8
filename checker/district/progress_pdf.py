"""The district progress report as PDF, in the look of the gap reports.

It reuses the report package's machinery rather than copying it: the
template lives with the others (``report/templates/progress.html.j2``, the
same jinja2 environment with autoescaping and strict undefined), the page
furniture and colours are ``report.css``, and the PDF is made by the same
WeasyPrint setup (safe URL fetcher, CJK fonts, PDF/A-3b). What the document
says is decided here, from :class:`~checker.plan.Progress`; the progress
JSON (``check progress --format json``) is attached as ``progress.json`` so
the numbers on paper can be read back by a program.

Imported only by ``check progress --pdf``: jinja2 and WeasyPrint are never
loaded for the text and JSON paths.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from checker.district.words import (
    counts_notes,
    facility_row,
    facility_type,
    level_label,
    required_text,
    standards_text,
    unmatched_why,
)
from checker.district.words import t as word

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.progress import Progress, TargetProgress

__all__ = [
    "STATUS_CHIPS",
    "WORDS",
    "DocLang",
    "progress_html",
    "render_progress_pdf",
    "write_progress_pdf",
]

DocLang = Literal["zh", "en", "bilingual"]

# a target's status as one of the report's chip colours
STATUS_CHIPS = {
    "met": "pass",
    "open": "partial",
    "tracked": "not_applicable",
    "no_standard": "not_applicable",
    "no_guideline": "not_applicable",
}

WORDS: dict[str, tuple[str, str]] = {
    "doc_title": ("儿童友好城市建设进展报告", "Child-Friendly City Progress Report"),
    "period": ("计划期限", "Plan period"),
    "issuer": ("发布单位", "Issued by"),
    "document": ("文号", "Document No."),
    "audits": ("依据评估", "Audits counted"),
    "latest": ("最新评估", "latest"),
    "rule_label": ("计数规则", "Counting"),
    "rule_text": (
        "按设施计：每个设施以最新一次评估为准，达到目标等级及以上的已认定设施计入目标。",
        "Facilities, not audits: each facility's latest audit decides; certified at the target "
        "level or above counts.",
    ),
    "rule_period": (
        "只计计划期限内的评估；认定须在目标截止日仍有效。",
        "Only audits dated within the plan period count, and only designations still valid at the "
        "target's due date.",
    ),
    "targets": ("目标进展", "Targets"),
    "totals": (
        "已完成 {met} · 未完成 {open} · 仅统计 {tracked} · 标准尚未发布 {missing} · 无对应指引 {unmeasured}",
        "{met} met · {open} open · {tracked} tracked · {missing} without a standard · "
        "{unmeasured} without a guideline",
    ),
    "item": ("条目", "Item"),
    "target": ("目标", "Target"),
    "needed": ("目标数", "Needed"),
    "certified": ("已认定", "Certified"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "met": ("已完成", "met"),
    "open": ("未完成", "open"),
    "no_standard": ("标准尚未发布", "no standard yet"),
    "tracked": ("仅统计", "tracked"),
    "no_guideline": ("无对应指引", "no guideline"),
    "no_guideline_text": (
        "本项目标暂无对应的建设指引，本工具不计算其进展。",
        "No guideline measures this target yet; the tool does not compute its progress.",
    ),
    "tracked_text": (
        "已认定 {certified} 个（计划未定数量）。",
        "{certified} certified (no number in the plan).",
    ),
    "quote": ("计划原文", "The plan says"),
    "named_head": ("计划所列设施", "Facilities the plan names"),
    "share": ("{denominator} 个的 {pct}%", "{pct} % of {denominator}"),
    "no_standard_text": (
        "评估标准 {standard} 尚未发布，暂无设施可获认定；目标仍计入计划。",
        "The standard {standard} is not yet available, so no facility can be certified yet; "
        "the target still counts.",
    ),
    "row_summary": (
        "已认定 {certified} 个（目标 {required} 个，差距 {gap} 个）。",
        "{certified} certified of {required} needed (gap {gap}).",
    ),
    "row_rest": (
        "其余已评估设施：低于目标等级 {below}，未通过认定 {failed}，待补证 {incomplete}。",
        "Other facilities audited: {below} below the target level, {failed} not certified, "
        "{incomplete} incomplete.",
    ),
    "facility_id": ("设施编号", "Facility ID"),
    "facility": ("设施", "Facility"),
    "level": ("等级", "Level"),
    "score": ("得分", "Score"),
    "audited_on": ("评估日期", "Audit date"),
    "none_certified": ("尚无计入目标的设施。", "No facility counts toward this target yet."),
    "as_of": ("截至", "As of"),
    "as_of_note": ("最新一份评估的日期", "the date of the latest audit"),
    "report_date": ("报告日期", "Report date"),
    "invalid_count": ("另有 {n} 份无效评估未计入", "invalid, not counted: {n}"),
    "unmatched_count": ("{n} 个设施不计入任何目标", "counting toward no target: {n}"),
    "valid_until": ("有效期至", "Valid until"),
    "others_head": ("尚未计入的设施", "Facilities not counted yet"),
    "state": ("状态", "State"),
    "holding_back": ("尚待解决", "What holds it back"),
    "unmatched_title": ("不计入任何目标的评估", "Audits that count toward no target"),
    "unmatched_text": (
        "以下设施的最新评估有效，但不属于计划中任何目标，因此不计入进展。",
        "The latest audits of these facilities are valid but belong to no target of the plan, so "
        "they count toward none.",
    ),
    "why": ("原因", "Why"),
    "invalid_title": ("无效评估", "Invalid audits"),
    "invalid_text": (
        "以下文件无法通过校验，未计入任何目标；修正后重新检查即可计入。",
        "These files failed validation and count toward no target; once corrected and checked "
        "again they will count.",
    ),
    "file": ("文件", "File"),
    "problem": ("问题", "Problem"),
    "more_problems": ("（另有 {n} 个问题）", "(+{n} more problems)"),
}


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _row(tp: TargetProgress, lang: Lang, catalog: Catalog) -> dict[str, Any]:
    t = tp.target
    first = t.standard_ids[0] if t.standard_ids else None
    required = tp.required
    return {
        "plan_item": t.plan_item,
        "title": t.title,
        "quote": f"{WORDS['quote'][lang == 'en']}{': ' if lang == 'en' else '：'}“{t.quote(lang)}”"
        if t.quote
        else None,
        "standard": standards_text(tp),
        "type_label": facility_type(t.facility_type, lang),
        "level_label": level_label(catalog, first, t.level, lang) if t.level else "",
        "required": required if required is not None else "—",
        "required_text": required_text(tp, lang),
        "share_text": required_text(tp, lang) if t.share is not None else None,
        "available": tp.available,
        "certified": len(tp.certified),
        "gap": "—" if tp.gap is None else tp.gap,
        "fraction": min(1.0, len(tp.certified) / required) if required else 0.0,
        "status": tp.status,
        "below": tp.below_level,
        "not_certified": tp.not_certified,
        "incomplete": tp.incomplete,
        "notes": counts_notes(tp, lang),
        "measure": t.measure(lang) if t.measure else None,
        "named": [
            {
                "id": n.id,
                "name": n.name,
                "state": level_label(catalog, n.audit.standard, n.audit.level, lang)
                if n.state == "certified" and n.audit
                else word(n.state if n.state == "not_audited" else f"{_SHORT[n.state]}", lang),
                "audited_on": n.audit.audited_on if n.audit else None,
            }
            for n in tp.named
        ],
        "facilities": [
            {
                "facility_id": a.facility_id,
                "facility_name": a.facility_name,
                "street": a.street,
                "level_label": level_label(catalog, a.standard or first, a.level, lang),
                "score": a.score,
                "audited_on": a.audited_on,
                "valid_until": a.valid_until,
            }
            for a in tp.certified
        ],
        "others": [
            {**facility_row(state, a, first, catalog, lang), "street": a.street} for state, a in tp.others
        ],
    }


_SHORT = {
    "certified": "certified",
    "expired": "expired_short",
    "below_level": "below_short",
    "incomplete": "incomplete_short",
    "not_certified": "not_certified_short",
}


def _uncounted(progress: Progress, lang: Lang, catalog: Catalog) -> dict[str, Any]:
    return {
        "unmatched": [
            {
                **facility_row(u.audit.verdict, u.audit, u.audit.standard, catalog, lang),
                "standard": u.audit.standard,
                "why": unmatched_why(u, lang),
            }
            for u in progress.unmatched
        ],
        "invalid": [
            {
                "path": bad.path,
                "first": bad.problems[0].text(lang) if bad.problems else "",
                "more": max(0, len(bad.problems) - 1),
            }
            for bad in progress.invalid
        ],
    }


def _both(zh: Any, en: Any, pair: Callable[[str, str], Any]) -> Any:
    """One value from the Chinese and the English rendering: what reads the same is kept,
    text that differs becomes a zh/en pair (Chinese first), dicts and lists are merged item by item."""
    if zh == en:
        return zh
    if isinstance(zh, dict) and isinstance(en, dict):
        return {k: _both(v, en.get(k), pair) for k, v in zh.items()}
    if isinstance(zh, list) and isinstance(en, list) and len(zh) == len(en):
        return [_both(a, b, pair) for a, b in zip(zh, en, strict=True)]
    if isinstance(zh, str) and isinstance(en, str):
        return pair(zh, en)
    return zh


def _words(progress: Progress, lang: Lang, catalog: Catalog) -> dict[str, Any]:
    """Everything in the document that is said in one language."""
    return {
        "rows": [_row(tp, lang, catalog) for tp in progress.targets],
        **_uncounted(progress, lang, catalog),
        "outside": word(
            "outside",
            lang,
            n=progress.outside_period,
            start=progress.plan.period.start,
            end=progress.plan.period.end,
        )
        if progress.outside_period
        else None,
    }


def progress_html(
    progress: Progress, lang: DocLang, catalog: Catalog, fonts: Any = None, today: str | None = None
) -> str:
    """The document's HTML (for WeasyPrint: the stylesheet is handed over separately).

    ``bilingual``: every sentence in Chinese, then in English set smaller, as in the
    owners' bilingual reports.
    """
    from markupsafe import Markup

    from checker.core.text import Text
    from checker.report.context import DEFAULT_FONTS
    from checker.report.html import make_helpers, render_template

    helpers = make_helpers(lang)
    pair = helpers["tx"]

    def d(key: str, **values: Any) -> Markup:
        zh, en = WORDS[key]
        if lang == "bilingual":
            return pair(Text(zh=zh.format(**values), en=en.format(**values)))  # type: ignore[no-any-return]
        return Markup("{}").format((zh if lang == "zh" else en).format(**values))

    def d1(key: str) -> str:
        """The primary language only (Chinese in a bilingual document): the running header."""
        return WORDS[key][1 if lang == "en" else 0]

    if lang == "bilingual":
        words = _both(
            _words(progress, "zh", catalog),
            _words(progress, "en", catalog),
            lambda zh, en: pair(Text(zh=zh, en=en)),
        )
        title = f"{progress.plan.title('zh')} · {WORDS['doc_title'][0]} / {WORDS['doc_title'][1]}"
    else:
        words = _words(progress, lang, catalog)
        title = f"{progress.plan.title(lang)} · {WORDS['doc_title'][0 if lang == 'zh' else 1]}"
    counts = {s: sum(r["status"] == s for r in words["rows"]) for s in STATUS_CHIPS}
    context = {
        **helpers,
        **words,
        "d": d,
        "d1": d1,
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-Hans",
        "colon": ": " if lang == "en" else "：",
        "title": title,
        "fonts": fonts or DEFAULT_FONTS,
        "plan": progress.plan,
        "latest": progress.latest_audit,
        "audits_seen": progress.audits_seen,
        "counts": counts,
        "chips": STATUS_CHIPS,
        "today": today or dt.date.today().isoformat(),
    }
    return render_template("progress.html.j2", context)


def render_progress_pdf(progress: Progress, lang: DocLang, catalog: Catalog) -> bytes:
    """PDF/A-3b bytes, with the progress JSON attached as ``progress.json``.

    Raises ReportError when no CJK font is installed.
    """
    with warnings.catch_warnings():
        # Not ours: WeasyPrint asks for the locale's encoding at import and report.fonts runs
        # fc-list with text=True; -X warn_default_encoding reports both (neither reads a
        # document with it). Our own code below opens no file.
        warnings.filterwarnings("ignore", category=EncodingWarning)
        return _render(progress, lang, catalog)


def _render(progress: Progress, lang: DocLang, catalog: Catalog) -> bytes:
    from checker.report.fonts import find_cjk_fonts
    from checker.report.pdf import html_to_pdf

    html = progress_html(progress, lang, catalog, fonts=find_cjk_fonts())
    return html_to_pdf(
        html,
        "gap",
        json.dumps(progress.to_dict(), ensure_ascii=False, indent=2),
        audited_on=progress.latest_audit,
        name="progress.json",
        description="tongcheck district progress / 区级建设进展",
    )


def write_progress_pdf(progress: Progress, path: str | Path, lang: DocLang, catalog: Catalog) -> Path:
    """Write the report atomically; a ReportError names a missing font or an unwritable path."""
    from checker.core.errors import Problem
    from checker.core.fsutil import atomic_write
    from checker.report.errors import ReportError

    data = render_progress_pdf(progress, lang, catalog)
    try:
        return atomic_write(path, data)
    except OSError as exc:
        raise ReportError(
            [
                Problem(
                    str(path), f"cannot write: {exc.strerror or exc} / 无法写入", hint="check the directory"
                )
            ]
        ) from None
