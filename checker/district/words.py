"""The district's words in Chinese and English: facility types, plan progress, history.

Shared by the terminal views (``checker.cli.district_text``), the progress
PDF and the exports, so each says the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.progress import TargetProgress

__all__ = ["FACILITY_TYPE_LABELS", "UI", "facility_type", "level_label", "num", "required_text", "t"]

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


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def level_label(catalog: Catalog | None, standard: str, level: str | None, lang: Lang) -> str:
    if level is None:
        return t("no_level", lang)
    found = catalog.find_quietly(standard) if catalog is not None else None
    if found is not None:
        for lv in found.levels:
            if lv.id == level:
                return str(lv.label(lang))
    return level


def required_text(tp: TargetProgress, lang: Lang) -> str:
    target = tp.target
    if target.share is None:
        return str(tp.required)
    pct = num(round(target.share * 100, 2))
    share = t("share_of", lang, denominator=target.denominator, pct=pct)
    return f"{tp.required}（{share}）" if lang == "zh" else f"{tp.required} ({share})"


