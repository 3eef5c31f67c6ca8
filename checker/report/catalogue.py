"""A standard as a document people read: the terminal checklist and the Markdown catalogue.

The Markdown catalogue (``docs/standards/<id>.md``) is generated from the YAML
by ``check docs`` and checked by a test to be current, so a review board can
read the checklist without reading YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.core.conditions import fmt_number
from checker.core.text import Lang
from checker.report.catalogue_common import common_markdown, origin

if TYPE_CHECKING:
    from checker.core.standard import FieldSpec, Rule, Standard

__all__ = ["describe", "render_markdown", "render_text"]

_SYM = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_STATUS = {
    "R": {"zh": "条文已核读", "en": "clause text read"},
    "E": {"zh": "摘录/转述", "en": "excerpt"},
    "K": {"zh": "条文数据库转述", "en": "clause database"},
    "E-low": {"zh": "低可信度摘录", "en": "low-authority excerpt"},
    "M": {"zh": "未核实，本地规则", "en": "unverified: local rule"},
    "S": {"zh": "本地建议规则", "en": "local rule (suggested)"},
}
_WORDS: dict[str, dict[Lang, str]] = {
    "and": {"zh": " 且 ", "en": " and "},
    "or": {"zh": " 或 ", "en": " or "},
    "mandatory": {"zh": "控制项", "en": "prerequisite"},
    "bonus": {"zh": "加分项", "en": "bonus"},
    "points": {"zh": "分", "en": "points"},
    "applies": {"zh": "适用于", "en": "applies when"},
    "requires": {"zh": "要求", "en": "requires"},
    "credit": {"zh": "计分", "en": "credit"},
    "source": {"zh": "依据", "en": "source"},
    "fix": {"zh": "整改", "en": "remediation"},
    "local": {"zh": "本地规则（非规范条文）", "en": "local rule (not a code citation)"},
    "common": {"zh": "定义于", "en": "defined in"},
    "none": {"zh": "不作要求", "en": "nothing required"},
    "otherwise": {"zh": "其他情形不作要求", "en": "otherwise nothing required"},
}


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


def _value(f: FieldSpec | None, v: Any, lang: Lang) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_value(f, e, lang) for e in v) + "]"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if isinstance(v, int | float):
        unit = f.unit_in(lang) if f is not None else ""
        sep = "" if unit in ("", "%", "‰") else " "
        return f"{fmt_number(v)}{sep}{unit}"
    if f is not None and f.type == "enum":
        return f.value_label(str(v), lang)
    return str(v)


def describe(raw: Any, standard: Standard, lang: Lang) -> str:
    """A condition in words, from its YAML form (no evaluation)."""
    fields = standard.field_map
    if not isinstance(raw, dict):
        return str(raw)
    if "all" in raw:
        parts = _without_implied(raw["all"])
        if len(parts) == 1:
            return describe(parts[0], standard, lang)
        inner = _w("and", lang).join(describe(c, standard, lang) for c in parts)
        return f"（{inner}）" if lang == "zh" else f"({inner})"
    if "any" in raw:
        alone = _unrecorded_or(raw["any"])
        if alone is not None:
            text = describe(alone, standard, lang)
            return f"{text} 或未记录" if lang == "zh" else f"{text}, or not recorded"
        inner = _w("or", lang).join(describe(c, standard, lang) for c in raw["any"])
        return f"（{inner}）" if lang == "zh" else f"({inner})"
    if "not" in raw:
        inner = describe(raw["not"], standard, lang)
        return f"非 {inner}" if lang == "zh" else f"not {inner}"
    if "cases" in raw:
        return _cases(raw["cases"], standard, lang)
    op = next((k for k in raw if k not in ("field", "per", "count", "present")), None)
    if "count" in raw:
        listed = "; ".join(describe(c, standard, lang) for c in raw["count"])
        head = "满足条数" if lang == "zh" else "number holding of"
        return f"{head} [{listed}] {_op(op, raw.get(op), None, lang)}"
    if "per" in raw:
        spec = raw["per"]
        a, b = fields.get(spec.get("field")), fields.get(spec.get("of"))
        per = spec.get("per", 1)
        scale = "" if per == 1 else f" × {fmt_number(per)}"
        la = a.label(lang) if a else spec.get("field")
        lb = b.label(lang) if b else spec.get("of")
        return f"{la} ÷ {lb}{scale} {_op(op, raw.get(op), None, lang)}"
    f = fields.get(raw.get("field", ""))
    label = f.label(lang) if f else str(raw.get("field"))
    if "present" in raw:
        if lang == "zh":
            return f"已记录{label}" if raw["present"] else f"未记录{label}"
        return f"{label} recorded" if raw["present"] else f"{label} not recorded"
    return f"{label} {_op(op, raw.get(op), f, lang)}"


def _leaf_field(raw: Any) -> str | None:
    return raw.get("field") if isinstance(raw, dict) and "present" not in raw else None


def _present(raw: Any) -> bool | None:
    return raw.get("present") if isinstance(raw, dict) else None


def _without_implied(parts: list[Any]) -> list[Any]:
    """"X recorded" next to a comparison on X says nothing the comparison does not."""
    compared = {_leaf_field(p) for p in parts} - {None}
    implied = [p for p in parts if _present(p) is True and p.get("field") in compared]
    kept = [p for p in parts if p not in implied]
    return kept or parts


def _unrecorded_or(parts: list[Any]) -> Any:
    """The comparison of ``any: [X not recorded, X …]``, read as one case with "or not recorded"."""
    absent = [p for p in parts if _present(p) is False]
    rest = [p for p in parts if p not in absent]
    if len(absent) == 1 and len(rest) == 1 and _leaf_field(rest[0]) == absent[0].get("field"):
        return rest[0]
    return None


def _cases(cases: list[Any], standard: Standard, lang: Lang) -> str:
    """Each case as a case: "按情形：当 … 时，…；其他情形不作要求"."""
    parts = []
    for case in cases:
        when = describe(case["when"], standard, lang)
        need = describe(case["require"], standard, lang) if "require" in case else _w("none", lang)
        parts.append(f"当 {when} 时，{need}" if lang == "zh" else f"where {when}: {need}")
    parts.append(_w("otherwise", lang))
    return ("按情形：" if lang == "zh" else "by case: ") + ("；" if lang == "zh" else "; ").join(parts)


def _op(op: str | None, v: Any, f: FieldSpec | None, lang: Lang) -> str:
    if op in _SYM:
        return f"{_SYM[op]} {_value(f, v, lang)}"
    if op == "between":
        return f"{_value(f, v[0], lang)}–{_value(f, v[1], lang)}"
    if op == "in":
        return ("为 " if lang == "zh" else "in ") + _value(f, v, lang)
    if op == "not_in":
        return ("不为 " if lang == "zh" else "not in ") + _value(f, v, lang)
    return str(op)


def _kind(rule: Rule, lang: Lang) -> str:
    if rule.mandatory:
        return _w("mandatory", lang)
    pts = f"{fmt_number(rule.points or 0)} {_w('points', lang)}"
    return f"{_w('bonus', lang)} +{pts}" if rule.bonus else pts


def _credit(rule: Rule, standard: Standard, lang: Lang) -> str:
    credit = rule.credit
    if credit is None:
        return ""
    if credit.linear is not None:
        lin = credit.linear
        f = standard.field_map.get(lin.field)
        label = f.label(lang) if f else lin.field
        zero, full = _value(f, lin.zero_at, lang), _value(f, lin.full_at, lang)
        if lang == "zh":
            return f"按{label}线性计分：{zero} 得 0 分，{full} 得满分"
        return f"linear on {label}: none at {zero}, full at {full}"
    tiers = credit.tiers or []
    shared = _shared_count(tiers)
    if shared is not None:
        items = "; ".join(describe(c, standard, lang) for c in shared)
        steps = "; ".join(
            f"{fmt_number(t.points)}: {_op(_count_op(t.when), t.when[_count_op(t.when)], None, lang)}"
            for t in tiers
        )
        head = "满足条数分档" if lang == "zh" else "tiers by number holding of"
        return f"{head} [{items}] — {steps}"
    parts = [f"{fmt_number(t.points)}: {describe(t.when, standard, lang)}" for t in tiers]
    return ("分档：" if lang == "zh" else "tiers: ") + "; ".join(parts)


def _count_op(raw: dict[str, Any]) -> str:
    return next(k for k in raw if k != "count")


def _shared_count(tiers: list[Any]) -> list[Any] | None:
    """The common list when every tier counts the same conditions (written out, since
    YAML aliases are refused), so the catalogue shows it once."""
    lists: list[Any] = [t.when.get("count") for t in tiers]
    first = lists[0] if lists else None
    if len(tiers) < 2 or not isinstance(first, list) or any(x != first for x in lists):
        return None
    if any(len(t.when) != 2 for t in tiers):
        return None
    return first


def _source(rule: Rule, standard: Standard, lang: Lang) -> str:
    out = []
    if rule.ref is not None:
        ref = standard.reference(rule.ref.doc)
        code = ref.code if ref else rule.ref.doc
        out.append(f"{code} {rule.ref.clause}")
    if rule.source is not None:
        out.append(f"[{rule.source.status}] {_STATUS[rule.source.status][lang]}")
        if rule.source.note is not None:
            out.append(rule.source.note(lang))
    if rule.is_local:
        out.append(_w("local", lang))
    return " · ".join(out)


def render_text(standard: Standard, lang: Lang) -> str:
    """The checklist for a terminal: sections, rules, what each requires and why."""
    lines = [f"{standard.title(lang)} ({standard.id} {standard.version})"]
    levels = ", ".join(f"{lv.label(lang)} ≥ {fmt_number(lv.min_score)}" for lv in standard.levels)
    lines.append(levels)
    for section in standard.sections:
        lines.append("")
        lines.append(f"== {section.title(lang)} ==")
        for rule in section.rules:
            lines.append(f"{rule.id}  {rule.title(lang)}  [{_kind(rule, lang)}]")
            if rule.applies_when is not None:
                lines.append(f"    {_w('applies', lang)}: {describe(rule.applies_when, standard, lang)}")
            if rule.require is not None:
                lines.append(f"    {_w('requires', lang)}: {describe(rule.require, standard, lang)}")
            if rule.credit is not None:
                lines.append(f"    {_w('credit', lang)}: {_credit(rule, standard, lang)}")
            source = _source(rule, standard, lang)
            if source:
                lines.append(f"    {_w('source', lang)}: {source}")
            shared = origin(rule.id, standard, lang)
            if shared:
                lines.append(f"    {_w('common', lang)}: {shared}")
    return "\n".join(lines)


def _unit(f: FieldSpec) -> str:
    zh, en = f.unit_in("zh"), f.unit_in("en")
    return zh if zh == en else f"{zh} / {en}"


def _bound(x: float | None) -> str:
    return "" if x is None else fmt_number(x)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(standard: Standard) -> str:
    """The bilingual catalogue page for a review board (generated; do not edit by hand)."""
    s = standard
    out = [
        f"# {s.title.zh} / {s.title.en}",
        "",
        f"<!-- generated by `check docs` from the standard {s.id} {s.version}; do not edit -->",
        "",
        f"- id: `{s.id}` · version {s.version} · facility type `{s.facility_type}`"
        + (f" · effective {s.effective}" if s.effective else ""),
    ]
    if s.issuer:
        out.append(f"- 发布 / issuer: {s.issuer.zh} / {s.issuer.en}")
    out.append(f"- 证书有效期 / certificate validity: {s.validity_years} 年 / years")
    if s.scoring and s.scoring.bonus_cap_percent is not None:
        out.append(f"- 加分上限 / bonus cap: {fmt_number(s.scoring.bonus_cap_percent)}% of possible points")
    if s.description:
        out += ["", s.description.zh, "", s.description.en]
    rules = list(s.rule_map.values())
    out += [
        "",
        f"{len(rules)} rules: {sum(r.mandatory for r in rules)} prerequisites (控制项), "
        f"{sum(not r.mandatory and not r.bonus for r in rules)} scored (评分项), "
        f"{sum(r.bonus for r in rules)} bonus (加分项).",
        "",
        "## 等级 / Levels",
        "",
        "| id | 等级 / level | min score | section floor |",
        "| --- | --- | --- | --- |",
    ]
    for lv in s.levels:
        floor = "—" if lv.min_section_percent is None else f"{fmt_number(lv.min_section_percent)}%"
        out.append(f"| `{lv.id}` | {lv.label.zh} / {lv.label.en} | {fmt_number(lv.min_score)} | {floor} |")
    out += ["", "## 依据文件 / References", ""]
    for ref in s.references:
        out.append(f"- `{ref.id}` {ref.code} {ref.title.zh} / {ref.title.en}")
    out += ["", *common_markdown(s)] if s.uses else []
    for section in s.sections:
        out += ["", f"## {section.title.zh} / {section.title.en}", ""]
        if section.description:
            out += [section.description.zh, "", section.description.en, ""]
        for rule in section.rules:
            out.append(f"### {rule.id} {rule.title.zh} / {rule.title.en}")
            out.append("")
            out.append(f"- **{_kind(rule, 'zh')} / {_kind(rule, 'en')}**")
            if rule.applies_when is not None:
                out.append(
                    f"- 适用 / applies when: {_md(describe(rule.applies_when, s, 'zh'))}"
                    f" / {_md(describe(rule.applies_when, s, 'en'))}"
                )
            if rule.require is not None:
                out.append(
                    f"- 要求 / requires: {_md(describe(rule.require, s, 'zh'))}"
                    f" / {_md(describe(rule.require, s, 'en'))}"
                )
            if rule.credit is not None:
                out.append(f"- 计分 / credit: {_md(_credit(rule, s, 'zh'))} / {_md(_credit(rule, s, 'en'))}")
            out.append(f"- 依据 / source: {_md(_source(rule, s, 'zh'))} / {_md(_source(rule, s, 'en'))}")
            if rule.id in s.common_origin:
                zh, en = origin(rule.id, s, "zh") or "", origin(rule.id, s, "en") or ""
                out.append(f"- 定义于 / defined in: {_md(zh)} / {_md(en)}")
            if rule.description:
                out.append(f"- 说明 / note: {_md(rule.description.zh)} / {_md(rule.description.en)}")
            if rule.remediation:
                out.append(f"- 整改 / remediation: {_md(rule.remediation.zh)} / {_md(rule.remediation.en)}")
            out.append("")
    out += [
        "## 记录字段 / Fields",
        "",
        "| id | 字段 / field | type | unit | range / values |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in s.fields:
        if f.type == "enum":
            rng = ", ".join(f"`{v}` {f.value_label(v, 'zh')}" for v in f.values or [])
        else:
            rng = "" if f.min is None and f.max is None else f"{_bound(f.min)}–{_bound(f.max)}"
        out.append(
            f"| `{f.id}` | {_md(f.label.zh)} / {_md(f.label.en)} | {f.type} | {_unit(f)} | {_md(rng)} |"
        )
    return "\n".join(out) + "\n"
