"""The district's words in Chinese and English: facility types, plan progress, history.

Shared by the terminal views (``checker.cli.district_text``), the progress
PDF and the exports, so each says the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.core.words import level_word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from checker.core.catalog import Catalog
    from checker.core.errors import Problem
    from checker.core.text import Lang
    from checker.district.latest import LatestAudit
    from checker.district.progress import TargetProgress
    from checker.district.uncounted import Unmatched

__all__ = [
    "FACILITY_TYPE_LABELS",
    "UI",
    "counts_notes",
    "facility_row",
    "facility_type",
    "first_problem",
    "level_label",
    "num",
    "required_text",
    "rule_titles",
    "standards_text",
    "t",
    "unmatched_why",
]

FACILITY_TYPE_LABELS: dict[str, dict[str, str]] = {
    "school": {"zh": "校园", "en": "schools"},
    "kindergarten": {"zh": "幼儿园", "en": "kindergartens"},
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
    "share_only": {"zh": "{pct}%（总数未定）", "en": "{pct} % (total not given)"},
    "no_number": {"zh": "计划未定数量", "en": "no number in the plan"},
    "certified": {"zh": "已认定", "en": "certified"},
    "gap": {"zh": "差距", "en": "gap"},
    "met": {"zh": "已完成", "en": "met"},
    "open": {"zh": "未完成", "en": "open"},
    "tracked": {"zh": "仅统计", "en": "tracked"},
    "no_standard": {"zh": "标准尚未发布", "en": "standard not yet available"},
    "no_guideline": {"zh": "无对应指引（不计算进展）", "en": "no guideline (not measured)"},
    "audited": {
        "zh": "已评估 {n} 个设施：低于目标等级 {below}，未通过认定 {failed}，待补证 {incomplete}",
        "en": "{n} facilities audited: {below} below the target level, {failed} not certified, "
        "{incomplete} incomplete",
    },
    "expired": {
        "zh": "另有 {n} 个设施的认定在 {date} 前到期，不计入",
        "en": "{n} more certified, but the designation expires before {date}: not counted",
    },
    "scope_unknown": {
        "zh": "{n} 个设施的评估未记录 {fields}，无法判断是否属于本目标",
        "en": "{n} facilities' audits do not record {fields}: cannot tell whether they belong here",
    },
    "not_named": {
        "zh": "{n} 个同类设施不在计划所列名单中，不计入",
        "en": "{n} facilities of this kind are not among those the plan names: not counted",
    },
    "not_audited": {"zh": "尚无评估", "en": "not audited yet"},
    "expired_short": {"zh": "认定在截止日前到期", "en": "designation expires before the due date"},
    "below_short": {"zh": "低于目标等级", "en": "below the target level"},
    "incomplete_short": {"zh": "待补证", "en": "incomplete"},
    "not_certified_short": {"zh": "未通过认定", "en": "not certified"},
    "valid_until": {"zh": "有效期至 {date}", "en": "valid until {date}"},
    "more": {"zh": "…… 另有 {n} 个（-v 列出全部）", "en": "… {n} more (-v lists them all)"},
    "blocking": {"zh": "控制项：{rules}", "en": "prerequisites: {rules}"},
    "certified_head": {"zh": "已认定的设施：", "en": "Certified facilities:"},
    "others_head": {"zh": "尚未计入的设施：", "en": "Facilities not counted yet:"},
    "unmatched_head": {
        "zh": "不计入任何目标的评估（{n} 个设施）：",
        "en": "Audits that count toward no target ({n} facilities):",
    },
    "why_no_target": {"zh": "计划中没有该标准的目标", "en": "the plan has no target for this standard"},
    "why_out_of_scope": {"zh": "不在“{target}”的范围内", "en": 'outside the scope of "{target}"'},
    "why_not_named": {"zh": "不在“{target}”所列名单中", "en": 'not among the facilities "{target}" names'},
    "why_scope_unknown": {
        "zh": "评估未记录判断“{target}”范围所需的信息",
        "en": 'the audit does not record what the scope of "{target}" needs',
    },
    "invalid_head": {
        "zh": "无效评估（{n} 个文件，未计入）：",
        "en": "Invalid audits, not counted ({n}):",
    },
    "missing_standards": {
        "zh": "尚未发布的标准：{ids}（按已发布的标准计）",
        "en": "not yet available: {ids} (counted under the others)",
    },
    "measure": {"zh": "如何衡量：{text}", "en": "How it could be measured: {text}"},
    "outside": {
        "zh": "{n} 份评估不在计划期限 {start} – {end} 内，不计入",
        "en": "{n} audits dated outside the plan period {start} – {end}: not counted",
    },
    "at_level": {"zh": "≥ {level}", "en": "≥ {level}"},
    "due": {"zh": "截止 {due}", "en": "due {due}"},
    "totals": {
        "zh": "共 {n} 项目标：已完成 {met}，未完成 {open}，仅统计 {tracked}，标准尚未发布 {missing}，"
        "无对应指引 {unmeasured}",
        "en": "{n} targets: {met} met, {open} open, {tracked} tracked, {missing} without a standard yet, "
        "{unmeasured} without a guideline",
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
    "db_where_default": {
        "zh": "（历史数据库：本用户的默认位置；可用 --db 或 $TONGCHECK_DB 另行指定）",
        "en": "(the history database: this user's default place; --db or $TONGCHECK_DB choose another)",
    },
    "db_where_given": {
        "zh": "（历史数据库：由 {source} 指定）",
        "en": "(the history database: from {source})",
    },
    "db_not_yet": {
        "zh": "（尚未创建：`check history record` 首次记录时创建）",
        "en": "(not created yet: `check history record` creates it)",
    },
    "db_legacy": {
        "zh": "提示：当前目录有旧版位置的历史数据库 {legacy}；"
        "要继续使用，请加 --db {legacy} 或将其移到上述位置",
        "en": "note: an older history database is in this directory ({legacy}); "
        "use it with --db {legacy}, or move it to the place above",
    },
    "xlsx_replaced": {
        "zh": "提示：{path} 中有 {n} 个 Excel 无法保存的字符（控制字符或超长文本），已改写为转义形式或截断",
        "en": "warning: {n} characters Excel cannot hold (control characters, overlong text) "
        "were shown escaped or cut in {path}",
    },
    "row_skipped": {
        "zh": "提示：{path} 未能写入 {target}（{error}），其他文件照常写入",
        "en": "warning: {path} could not be written to {target} ({error}); the other outputs are complete",
    },
    "empty_db": {"zh": "历史数据库中没有评估记录", "en": "the history database holds no audit"},
}


def t(key: str, lang: Lang, **kw: Any) -> str:
    return UI[key][lang].format(**kw)


def facility_type(kind: str | None, lang: Lang) -> str:
    if kind is None:
        return ""
    return FACILITY_TYPE_LABELS.get(kind, {}).get(lang, kind)


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def level_label(catalog: Catalog | None, standard: str | None, level: str | None, lang: Lang) -> str:
    if level is None:
        return t("no_level", lang)
    found = catalog.find_quietly(standard) if catalog is not None and standard is not None else None
    if found is not None:
        for lv in found.levels:
            if lv.id == level:
                return str(lv.label(lang))
    return level_word(level, lang)


def rule_titles(rules: tuple[str, ...], standard: str | None, catalog: Catalog | None, lang: Lang) -> str:
    """Rule ids with their titles ("SCH-SAF-03 楼梯井防坠落、SCH-SAF-04 临空外窗")."""
    found = catalog.find_quietly(standard) if catalog is not None and standard else None
    shown = []
    for rule in rules:
        spec = found.rule_map.get(rule) if found is not None else None
        shown.append(f"{rule} {spec.title(lang)}" if spec is not None else rule)
    return ("、" if lang == "zh" else ", ").join(shown)


def facility_row(
    state: str, audit: LatestAudit, standard: str | None, catalog: Catalog | None, lang: Lang
) -> dict[str, str]:
    """One facility as the progress views print it: who, where it stands, and what holds it back."""
    word = {"certified": "certified", **_STATE_WORDS}.get(state, state)
    return {
        "id": audit.facility_id or "",
        "name": audit.facility_name,
        "state": t(word, lang) if word in UI else word,
        "level": level_label(catalog, audit.standard or standard, audit.level, lang),
        "score": num(audit.score),
        "audited_on": audit.audited_on,
        "valid_until": t("valid_until", lang, date=audit.valid_until)
        if audit.valid_until and state in ("certified", "expired", "below_level")
        else "",
        "blocking": _blocking(audit, standard, catalog, lang),
    }


def unmatched_why(u: Unmatched, lang: Lang) -> str:
    """Why an audit counts toward no target, naming the target it falls outside."""
    return t("why_" + u.why, lang, target=u.target.title(lang) if u.target is not None else "")


def _blocking(audit: LatestAudit, standard: str | None, catalog: Catalog | None, lang: Lang) -> str:
    if not audit.blocking:
        return ""
    return t("blocking", lang, rules=rule_titles(audit.blocking, audit.standard or standard, catalog, lang))


_STATE_WORDS = {
    "expired": "expired_short",
    "below_level": "below_short",
    "incomplete": "incomplete_short",
    "not_certified": "not_certified_short",
}


def required_text(tp: TargetProgress, lang: Lang) -> str:
    """The target's size in words: "56（79 个的 70%）", "10", "100%（总数未定）", "计划未定数量"."""
    target = tp.target
    if target.share is not None:
        pct = num(round(target.share * 100, 2))
        if target.denominator is None:
            return t("share_only", lang, pct=pct)
        share = t("share_of", lang, denominator=target.denominator, pct=pct)
        return f"{tp.required}（{share}）" if lang == "zh" else f"{tp.required} ({share})"
    return str(tp.required) if tp.required is not None else t("no_number", lang)


def standards_text(tp: TargetProgress) -> str:
    return " + ".join(tp.target.standard_ids)


def counts_notes(tp: TargetProgress, lang: Lang, outside: int = 0) -> list[str]:
    """The lines under a target's counts: expired designations, unknown scope, facilities not named."""
    out = []
    if tp.expired:
        out.append(t("expired", lang, n=tp.expired, date=tp.valid_at))
    if tp.scope_unknown and tp.target.where is not None:
        fields = ", ".join(sorted(_where_fields(tp.target.where)))
        out.append(t("scope_unknown", lang, n=tp.scope_unknown, fields=fields))
    if tp.not_named:
        out.append(t("not_named", lang, n=tp.not_named))
    if tp.missing_standards and tp.available:
        out.append(t("missing_standards", lang, ids=", ".join(tp.missing_standards)))
    return out


def _where_fields(raw: Any) -> set[str]:
    if isinstance(raw, dict):
        found = {raw["field"]} if isinstance(raw.get("field"), str) else set()
        for value in raw.values():
            found |= _where_fields(value)
        return found
    if isinstance(raw, list):
        return set().union(*(_where_fields(v) for v in raw)) if raw else set()
    return set()


def first_problem(path: str, problems: Sequence[Problem], lang: Lang) -> str:
    """An invalid file in one line: its first problem and how many more (the batch summary and
    the progress text say it the same way)."""
    first = problems[0].text(lang) if problems else path
    more = len(problems) - 1
    if more <= 0:
        return first
    return f"{first} (+{more} 个问题)" if lang == "zh" else f"{first} (+{more} more)"
