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

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.district.words import facility_type

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.progress import Progress, TargetProgress

__all__ = ["WORDS", "progress_html", "render_progress_pdf", "write_progress_pdf"]

WORDS: dict[str, tuple[str, str]] = {
    "doc_title": ("儿童友好城区建设进展报告", "Child-Friendly District Progress Report"),
    "period": ("计划期限", "Plan period"),
    "issuer": ("发布单位", "Issued by"),
    "audits": ("依据评估", "Audits counted"),
    "latest": ("最新评估", "latest"),
    "rule_label": ("计数规则", "Counting"),
    "rule_text": (
        "按设施计：每个设施以最新一次评估为准，达到目标等级及以上的已认证设施计入目标。",
        "Facilities, not audits: each facility's latest audit decides; certified at the target "
        "level or above counts.",
    ),
    "targets": ("目标进展", "Targets"),
    "totals": (
        "已完成 {met} · 未完成 {open} · 标准尚未发布 {missing}",
        "{met} met · {open} open · {missing} without a standard",
    ),
    "item": ("条目", "Item"),
    "target": ("目标", "Target"),
    "needed": ("目标数", "Needed"),
    "certified": ("已认证", "Certified"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "met": ("已完成", "met"),
    "open": ("未完成", "open"),
    "no_standard": ("标准尚未发布", "no standard yet"),
    "share": ("{denominator} 个的 {pct}%", "{pct} % of {denominator}"),
    "no_standard_text": (
        "评估标准 {standard} 尚未发布，暂无设施可获认证；目标仍计入计划。",
        "The standard {standard} is not yet available, so no facility can be certified yet; "
        "the target still counts.",
    ),
    "row_summary": (
        "已认证 {certified} 个（目标 {required} 个，差距 {gap} 个）。",
        "{certified} certified of {required} needed (gap {gap}).",
    ),
    "row_rest": (
        "其余已评估设施：低于目标等级 {below}，未通过认证 {failed}，待补证 {incomplete}。",
        "Other facilities audited: {below} below the target level, {failed} not certified, "
        "{incomplete} incomplete.",
    ),
    "facility_id": ("设施编号", "Facility ID"),
    "facility": ("设施", "Facility"),
    "level": ("等级", "Level"),
    "score": ("得分", "Score"),
    "audited_on": ("评估日期", "Audit date"),
    "none_certified": ("尚无计入目标的设施。", "No facility counts toward this target yet."),
}


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _level_label(catalog: Catalog, standard: str, level: str | None, lang: Lang) -> str:
    found = catalog.find_quietly(standard)
    if found is not None and level is not None:
        for lv in found.levels:
            if lv.id == level:
                return str(lv.label(lang))
    return level or "—"


def _row(tp: TargetProgress, lang: Lang, catalog: Catalog) -> dict[str, Any]:
    t = tp.target
    share = None
    if t.share is not None:
        zh, en = WORDS["share"]
        pct = _num(round(t.share * 100, 2))
        share = (zh if lang == "zh" else en).format(denominator=t.denominator, pct=pct)
    return {
        "plan_item": t.plan_item,
        "title": t.title,
        "standard": t.standard,
        "type_label": facility_type(t.facility_type, lang),
        "level_label": _level_label(catalog, t.standard, t.level, lang) if tp.available else t.level,
        "required": tp.required,
        "share_text": share,
        "available": tp.available,
        "certified": len(tp.certified),
        "gap": tp.gap,
        "fraction": min(1.0, len(tp.certified) / tp.required) if tp.required else 1.0,
        "status": tp.status,
        "below": tp.below_level,
        "not_certified": tp.not_certified,
        "incomplete": tp.incomplete,
        "facilities": [
            {
                "facility_id": a.facility_id,
                "facility_name": a.facility_name,
                "street": a.street,
                "level_label": _level_label(catalog, t.standard, a.level, lang),
                "score": a.score,
                "audited_on": a.audited_on,
            }
            for a in tp.certified
        ],
    }


def progress_html(progress: Progress, lang: Lang, catalog: Catalog, fonts: Any = None) -> str:
    """The document's HTML (for WeasyPrint: the stylesheet is handed over separately)."""
    from markupsafe import Markup

    from checker.report.context import DEFAULT_FONTS
    from checker.report.html import make_helpers, render_template

    helpers = make_helpers(lang)

    def d(key: str, **values: Any) -> Markup:
        zh, en = WORDS[key]
        return Markup("{}").format((zh if lang == "zh" else en).format(**values))

    rows = [_row(tp, lang, catalog) for tp in progress.targets]
    met = sum(r["status"] == "met" for r in rows)
    missing = sum(r["status"] == "no_standard" for r in rows)
    context = {
        **helpers,
        "d": d,
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "title": f"{progress.plan.title(lang)} · {WORDS['doc_title'][0 if lang == 'zh' else 1]}",
        "fonts": fonts or DEFAULT_FONTS,
        "plan": progress.plan,
        "latest": progress.latest_audit,
        "audits_seen": progress.audits_seen,
        "rows": rows,
        "met": met,
        "missing": missing,
        "open": len(rows) - met - missing,
    }
    return render_template("progress.html.j2", context)


def render_progress_pdf(progress: Progress, lang: Lang, catalog: Catalog) -> bytes:
    """PDF/A-3b bytes, with the progress JSON attached as ``progress.json``.

    Raises ReportError when no CJK font is installed.
    """
    with warnings.catch_warnings():
        # Not ours: WeasyPrint asks for the locale's encoding at import and report.fonts runs
        # fc-list with text=True; -X warn_default_encoding reports both (neither reads a
        # document with it). Our own code below opens no file.
        warnings.filterwarnings("ignore", category=EncodingWarning)
        return _render(progress, lang, catalog)


def _render(progress: Progress, lang: Lang, catalog: Catalog) -> bytes:
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


def write_progress_pdf(progress: Progress, path: str | Path, lang: Lang, catalog: Catalog) -> Path:
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
