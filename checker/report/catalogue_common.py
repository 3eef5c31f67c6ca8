"""Which rules of a standard come from which common item, and with which parameters.

``check show`` and the catalogue pages (``check docs``) use these lines so a
reader sees that a rule is defined once in ``standards/common/<item>.yaml``,
which version, and every parameter's value (a changed one with its reason).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker.core.common import Fragment, RuleUse, Use, format_param
from checker.core.text import Lang

if TYPE_CHECKING:
    from checker.core.standard import Standard

__all__ = ["common_markdown", "origin"]


def _params(use: Use, fragment: Fragment, lang: Lang) -> str:
    parts = []
    for key, spec in fragment.parameters.items():
        value = use.with_.get(key, spec.default)
        unit = spec.unit if isinstance(spec.unit, str) else (spec.unit(lang) if spec.unit else "")
        text = f"{spec.label(lang)} = {format_param(value, spec)}{' ' + unit if unit else ''}"
        if key in use.with_:
            default = format_param(spec.default, spec)
            text += f"（默认 {default}）" if lang == "zh" else f" (default {default})"
        parts.append(text)
    return ("；" if lang == "zh" else "; ").join(parts)


def origin(rule_id: str, standard: Standard, lang: Lang) -> str | None:
    """'defined once in common item X (version), parameters: ...' for a rule from a use, else None."""
    found = standard.common_origin.get(rule_id)
    if found is None:
        return None
    use, key = found
    fragment = standard.fragments.get(use.common)
    if fragment is None:  # pragma: no cover - a loaded standard keeps every fragment it used
        return use.common
    params = _params(use, fragment, lang)
    own = _own_citation(use, key, fragment, standard, lang)
    if lang == "zh":
        text = f"共用条目 {use.common} {fragment.version}（{fragment.title.zh}，条款 {key}）"
        text += f"；参数：{params}" if params else ""
        text += f"；{own}" if own else ""
        return text + (f"；不同之处的理由：{use.because.zh}" if use.because else "")
    text = f"common item {use.common} {fragment.version} ({fragment.title.en}, rule {key})"
    text += f"; parameters: {params}" if params else ""
    text += f"; {own}" if own else ""
    return text + (f"; why it differs: {use.because.en}" if use.because else "")


def _own_citation(use: Use, key: str, fragment: Fragment, standard: Standard, lang: Lang) -> str:
    """'本标准引用自身条文（共用条目引用 GB 55031-2022 6.6.1 [K]）' when the use cites its own clause."""
    target = use.rules.get(key)
    if not isinstance(target, RuleUse) or target.ref is None:
        return ""
    rule = next((r for r in fragment.rules if r.get("key") == key), {})
    ref, source = rule.get("ref") or {}, rule.get("source") or {}
    doc = standard.reference(str(ref.get("doc", "")))
    code = doc.code if doc is not None else str(ref.get("doc", ""))
    item = f"{code} {ref.get('clause', '')} [{source.get('status', '-')}]".strip()
    if lang == "zh":
        return f"本标准引用自身条文（共用条目引用 {item}）" if ref else "本标准引用自身条文"
    own = "cites this standard's own clause"
    return f"{own} (the item cites {item})" if ref else own


def common_markdown(standard: Standard) -> list[str]:
    """The catalogue page's section listing the common items used (empty when none)."""
    if not standard.uses:
        return []
    out = [
        "## 共用条目 / Common items",
        "",
        "Defined once in `standards/common/<item>.yaml` and shared by the standards (定义一次、各标准共用).",
        "",
        "| item | version | rules | parameters | why it differs |",
        "| --- | --- | --- | --- | --- |",
    ]
    for use in standard.uses:
        fragment = standard.fragments.get(use.common)
        if fragment is None:  # pragma: no cover - see origin()
            continue
        ids = use.rule_ids().items()
        rules = ", ".join(f"{key} → `{rid}`{_cited(use, key, standard)}" for key, rid in ids)
        params = (
            f"{_params(use, fragment, 'zh')} / {_params(use, fragment, 'en')}" if fragment.parameters else "—"
        )
        why = f"{use.because.zh} / {use.because.en}" if use.because else "—"
        title = f"`{use.common}` {fragment.title.zh} / {fragment.title.en}"
        out.append(f"| {title} | {fragment.version} | {rules} | {_cell(params)} | {_cell(why)} |")
    return out


def _cited(use: Use, key: str, standard: Standard) -> str:
    target = use.rules.get(key)
    if not isinstance(target, RuleUse) or target.ref is None:
        return ""
    doc = standard.reference(target.ref.doc)
    code = doc.code if doc is not None else target.ref.doc
    status = f" [{target.source.status}]" if target.source else ""
    return f" (本标准引用 / cites {code} {target.ref.clause}{status})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
