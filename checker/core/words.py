"""The words every view shares (terminal, PDF, spreadsheets): verdicts, statuses, headings.

One catalogue, so a verdict reads the same in every output and language.
"""

from __future__ import annotations

from checker.core.text import Lang

__all__ = ["LEVELS", "UI", "level_word", "ui"]

UI: dict[str, dict[Lang, str]] = {
    "certified": {"zh": "已认定", "en": "certified"},
    "not_certified": {"zh": "未通过认定", "en": "not certified"},
    "incomplete": {"zh": "待补证", "en": "incomplete (evidence owed)"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "level": {"zh": "等级", "en": "Level"},
    "none": {"zh": "未达等级", "en": "none"},
    "score": {"zh": "得分", "en": "Score"},
    "section": {"zh": "分项", "en": "Section"},
    "points": {"zh": "得分/可得", "en": "Points"},
    "percent": {"zh": "得分率", "en": "Percent"},
    "findings": {"zh": "需要处理的条目", "en": "Items to act on"},
    "all_ok": {"zh": "所有适用条目均已通过。", "en": "Every applicable item passes."},
    "mandatory": {"zh": "控制项", "en": "prerequisite"},
    "bonus": {"zh": "加分项", "en": "bonus"},
    "local": {"zh": "本地规则", "en": "local rule"},
    "fail": {"zh": "不通过", "en": "fail"},
    "missing": {"zh": "缺数据", "en": "missing"},
    "partial": {"zh": "部分得分", "en": "partial"},
    "pass": {"zh": "通过", "en": "pass"},
    "waived": {"zh": "豁免", "en": "waived"},
    "not_applicable": {"zh": "不适用", "en": "n/a"},
    "warning": {"zh": "提示", "en": "warning"},
    "error": {"zh": "错误", "en": "error"},
    "bonus_line": {"zh": "加分", "en": "bonus"},
    "assessed": {"zh": "评估日期", "en": "Audited on"},
    "thresholds": {"zh": "门槛", "en": "thresholds"},
    "fix": {"zh": "整改", "en": "fix"},
}


def ui(key: str, lang: Lang) -> str:
    return UI[key][lang]


# The usual level ids, for where a level must be named without its standard (a plan's
# target for a guideline not yet published): never a raw id in a sentence.
LEVELS: dict[str, dict[Lang, str]] = {
    "compliant": {"zh": "达标", "en": "Compliant"},
    "exemplary": {"zh": "示范", "en": "Exemplary"},
}


def level_word(level: str, lang: Lang) -> str:
    return LEVELS[level][lang] if level in LEVELS else level
