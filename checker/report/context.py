"""From a result to the finished values a template prints.

Python decides *what* is said (which rules, in which order, rounded numbers,
the plan, the certificate number); the templates and CSS decide how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from checker.report.certificate import certificate_number, qr_code, result_hash, validity
from checker.report.gaps import gap_plan
from checker.report.html import make_helpers, num, truncate
from checker.report.issue import Issue, issue_facts

if TYPE_CHECKING:
    from checker.core.result import Result, ResultRule
    from checker.core.standard import Standard
    from checker.core.text import Lang
    from checker.report.fonts import FontChoice

__all__ = ["DEFAULT_FONTS", "Kind", "ReportLang", "build_context"]

Kind = Literal["certificate", "gap"]
ReportLang = Literal["zh", "en", "bilingual"]


@dataclass(frozen=True, slots=True)
class _Fonts:
    sans: str
    serif: str


DEFAULT_FONTS = _Fonts("Noto Sans CJK SC", "Noto Serif CJK SC")


def _name_class(name: str) -> str:
    width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in name)
    if width <= 24:
        return "name-l"
    if width <= 44:
        return "name-m"
    if width <= 90:
        return "name-s"
    return "name-xs"


def _sections(result: Result) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "title": s.title,
            "earned": s.earned,
            "possible": s.possible,
            "percent": s.percent,
            "rules": [r for r in result.rules if r.section == s.id],
        }
        for s in result.sections
    ]


def _levels(result: Result) -> list[dict[str, Any]]:
    out = []
    for lv in result.levels:
        out.append(
            {
                "id": lv.id,
                "label": lv.label,
                "min_score": lv.min_score,
                "floor": lv.min_section_percent,
                "reached": lv.reached,
                "score_short": max(0.0, lv.min_score - result.score),
            }
        )
    return out


def _designation(standard: Standard) -> Any:
    """What the facility is named as: the standard's ``designation``, else the usual name for its type."""
    if standard.designation is not None:
        return standard.designation
    from checker.core.text import Text
    from checker.report.strings import DESIGNATIONS

    zh, en = DESIGNATIONS.get(standard.facility_type, ("儿童友好场所", "Child-friendly place"))
    return Text(zh=zh, en=en)


def _waivers(result: Result) -> list[tuple[ResultRule, Any]]:
    return [(r, r.waiver) for r in result.rules if r.waiver is not None]


def build_context(
    result: Result,
    standard: Standard,
    kind: Kind,
    lang: ReportLang,
    *,
    fonts: FontChoice | _Fonts = DEFAULT_FONTS,
    css: Markup | None = None,
    for_print: bool = True,
    issue: Issue | None = None,
) -> dict[str, Any]:
    """Everything the certificate or gap-report template reads, and nothing else.

    ``issue`` says how a certificate is issued (signing key, date, address);
    without one it is an unsigned specimen.
    """
    facility = result.audit.facility
    name = str(facility.get("name", ""))
    valid_from, valid_until = validity(result)
    digest = result_hash(result).hex()
    level = next((lv for lv in result.levels if lv.id == result.level), None)
    primary: Lang = "en" if lang == "en" else "zh"
    doc_word = "certificate" if kind == "certificate" else "gap_report"
    from checker.report.strings import string

    context: dict[str, Any] = {
        "kind": kind,
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-Hans",
        "for_print": for_print,
        "css": css,
        "fonts": fonts,
        "title": f"{truncate(name, 80)} · {string(doc_word, primary)}",
        "facility": {
            "name": name,
            "short": truncate(name, 48),
            "name_class": _name_class(name),
            "id": str(facility.get("id") or ""),
            "address": str(facility.get("address") or ""),
            "street": str(facility.get("street") or ""),
        },
        "assessor": {
            "name": str(result.audit.assessor.get("name") or ""),
            "organisation": str(result.audit.assessor.get("organisation") or ""),
        },
        "std": {
            "id": standard.id,
            "version": standard.version,
            "title": standard.title,
            "short_title": truncate(standard.title.en if lang == "en" else standard.title.zh, 56),
            "issuer": standard.issuer,
            "effective": standard.effective,
            "validity_years": result.standard.validity_years,
            "references": standard.references,
        },
        "result": result,
        "level": level,
        "levels": _levels(result),
        "sections": _sections(result),
        "waivers": _waivers(result),
        "cert": {
            "number": certificate_number(result),
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        "hash": digest,
        "hash_short": digest[:16],
        "audited_on": result.audit.audited_on,
        "keywords": [standard.id, certificate_number(result), digest[:16]],
    }
    if kind == "certificate":
        facts = issue_facts(result, standard, issue or Issue())
        context["issue"] = facts
        context["keywords"].append("tongcheck-certificate")
        context["designation"] = _designation(standard)
        context["top_level"] = bool(result.levels) and result.level == result.levels[-1].id
        context["qr"] = qr_code(facts.url) if facts.url else None
        if facts.token is None:
            context["keywords"].append("unsigned-specimen")
            context["title"] += " · " + string("specimen", primary)
        else:
            context["keywords"].append(facts.token)
    else:
        context.update(_gap_context(result, standard, primary, lang))
    context.update(make_helpers(lang))
    context["colon"] = ": " if lang == "en" else "："
    context["sep_list"] = {"zh": "、", "en": ", "}
    context["sep_items"] = {"zh": "；", "en": "; "}
    context["primary"] = primary
    return context


def _gap_context(result: Result, standard: Standard, primary: Lang, lang: ReportLang) -> dict[str, Any]:
    """What only the gap report prints: page 1 in words, the action rows, the charts."""
    from checker.core.text import Text
    from checker.core.words import UI
    from checker.report.actions import action_rows
    from checker.report.charts import scale_chart, section_chart
    from checker.report.standing import level_reasons, standing

    plan = gap_plan(result, standard)
    stand = standing(result, standard, plan)
    needed, optional = action_rows(result, standard, plan, stand.target, stand.deadlines)
    if lang == "bilingual":
        titles = [[s.title.zh, s.title.en] for s in result.sections]
    else:
        titles = [[s.title(primary)] for s in result.sections]
    floors = [
        f"{lv.label(primary)} ≥ {num(lv.min_section_percent)}%"
        for lv in result.levels
        if lv.min_section_percent is not None
    ]
    return {
        "plan": plan,
        "standing": stand,
        "needed": needed,
        "optional": optional,
        "scale": scale_chart(result, [lv.label(primary) for lv in result.levels]),
        "bars": section_chart(result, titles, floors),
        "level_why": level_reasons(stand),
        "words": {
            v: Text(zh=UI[v]["zh"], en=UI[v]["en"]) for v in ("certified", "not_certified", "incomplete")
        },
        "section_titles": {s.id: s.title for s in result.sections},
    }
