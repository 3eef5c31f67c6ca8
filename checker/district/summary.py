"""The end-of-run summary of a batch: counts and the most common failing rules.

Pure aggregation over streamed :class:`~checker.batch.BatchItem` values:
what is kept grows with the number of standards, levels and rules (and of
invalid files, which are listed one by one), never with the number of valid
audits, so a summary of 10,000 audits costs the same memory as one of ten.
Rendering is separate (``render_text``) so the JSON form and the text form
come from the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.errors import Problem
    from checker.core.text import Lang
    from checker.district.digest import BatchItem, Digest

__all__ = ["VERDICTS", "InvalidFile", "Summary", "render_text", "summarize"]

VERDICTS = ("certified", "not_certified", "incomplete")


@dataclass(frozen=True, slots=True)
class InvalidFile:
    """A file that could not be checked; the problems kept whole, so the text speaks the reader's language."""

    path: str
    kind: str
    problems: tuple[Problem, ...]

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.problems)


@dataclass
class Summary:
    """Counts by standard × verdict × level, failing rules by standard, and every invalid file."""

    total: int = 0
    valid: int = 0
    counts: dict[str, Counter[tuple[str, str | None]]] = field(default_factory=dict)
    failing: dict[str, Counter[str]] = field(default_factory=dict)
    invalid: list[InvalidFile] = field(default_factory=list)
    mandatory: set[tuple[str, str]] = field(default_factory=set)

    def add(self, item: BatchItem) -> None:
        if item.digest is None:
            self.total += 1
            self.invalid.append(InvalidFile(item.path, item.error_kind or "audit", tuple(item.problems)))
        else:
            self.add_digest(item.digest)

    def add_digest(self, digest: Digest) -> None:
        """Count one valid audit (also usable without a BatchItem, e.g. from history)."""
        self.total += 1
        self.valid += 1
        self.counts.setdefault(digest.standard, Counter())[(digest.verdict, digest.level)] += 1
        failing = self.failing.get(digest.standard)
        if failing is None:
            failing = self.failing[digest.standard] = Counter()
            self.mandatory.update(
                (digest.standard, rule)
                for rule, kind in zip(digest.rule_ids, digest.rule_kinds, strict=False)
                if kind == "mandatory"
            )
        kinds = digest.rule_kinds or ("scored",) * len(digest.rule_ids)
        for rule, status, kind in zip(digest.rule_ids, digest.statuses, kinds, strict=True):
            if status == "fail" and kind != "bonus":
                failing[rule] += 1

    def by_verdict(self, standard: str | None = None) -> Counter[str]:
        out: Counter[str] = Counter()
        for std, counts in self.counts.items():
            if standard is None or std == standard:
                for (verdict, _), n in counts.items():
                    out[verdict] += n
        return out

    def by_level(self, standard: str) -> Counter[str | None]:
        """Certified audits by level (the level of a non-certified audit is not a certification)."""
        out: Counter[str | None] = Counter()
        for (verdict, level), n in self.counts.get(standard, Counter()).items():
            if verdict == "certified":
                out[level] += n
        return out

    def top_failing(self, n: int = 10) -> list[tuple[str, str, int]]:
        """(standard, rule, audits failing it), most common first; ties by standard then rule id."""
        rows = [(std, rule, k) for std, counter in self.failing.items() for rule, k in counter.items()]
        rows.sort(key=lambda r: (-r[2], r[0], r[1]))
        return rows[:n]

    @property
    def exit_code(self) -> int:
        """What ``check`` exits with for this batch: the worst outcome."""
        if self.invalid:
            return 2
        return 0 if self.by_verdict()["certified"] == self.valid else 1

    def to_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "total": self.total,
            "valid": self.valid,
            "invalid": len(self.invalid),
            "standards": {
                std: {
                    "audits": sum(counts.values()),
                    "verdicts": {v: self.by_verdict(std)[v] for v in VERDICTS},
                    "certified_by_level": {
                        str(level): k
                        for level, k in sorted(self.by_level(std).items(), key=lambda x: str(x[0]))
                    },
                }
                for std, counts in sorted(self.counts.items())
            },
            "top_failing_rules": [
                {"standard": std, "rule": rule, "mandatory": (std, rule) in self.mandatory, "audits": k}
                for std, rule, k in self.top_failing(top)
            ],
            "invalid_files": [
                {"path": f.path, "kind": f.kind, "errors": list(f.messages)} for f in self.invalid
            ],
        }


def summarize(items: Any) -> Summary:
    """Aggregate an iterable of BatchItems (consumed once, streamed)."""
    summary = Summary()
    for item in items:
        summary.add(item)
    return summary


# --- text ----------------------------------------------------------------------------

_UI: dict[str, dict[str, str]] = {
    "title": {"zh": "汇总：", "en": "Summary: "},
    "line": {
        "zh": "共 {total} 份评估：有效 {valid} 份，无效 {invalid} 份",
        "en": "{total} audits: {valid} valid, {invalid} invalid",
    },
    "audits": {"zh": "{n} 份", "en": "{n} audits"},
    "top": {
        "zh": "最常见的不通过条目（不含加分项）：",
        "en": "Most common failing rules (bonus items left out):",
    },
    "times": {"zh": "{n} 份不通过", "en": "failed in {n}"},
    "invalid": {"zh": "无效文件（未评分，{n} 个）：", "en": "Invalid files (not scored, {n}):"},
    "none_valid": {"zh": "没有有效的评估。", "en": "No valid audit."},
}


def _t(key: str, lang: Lang, **kw: Any) -> str:
    return _UI[key][lang].format(**kw)


def _labels(catalog: Catalog | None, standard: str) -> Any:

    if catalog is None:
        return None
    return catalog.find_quietly(standard)


def render_text(summary: Summary, lang: Lang, catalog: Catalog | None = None, top: int = 10) -> str:
    """The readable summary: one block per standard, the top failing rules, the invalid files."""
    from checker.core.inert import inert
    from checker.core.words import ui
    from checker.district.words import first_problem

    sep = "，" if lang == "zh" else ", "
    out = [
        _t("title", lang)
        + _t("line", lang, total=summary.total, valid=summary.valid, invalid=len(summary.invalid))
    ]
    standards: dict[str, Any] = {}
    for std in sorted(summary.counts):
        standard = standards[std] = _labels(catalog, std)
        verdicts = summary.by_verdict(std)
        parts = []
        for verdict in VERDICTS:
            n = verdicts[verdict]
            text = f"{ui(verdict, lang)} {n}"
            if verdict == "certified" and n:
                levels = summary.by_level(std)
                shown = []
                for level, k in sorted(levels.items(), key=lambda x: _level_rank(standard, x[0])):
                    shown.append(f"{inert(_level_label(standard, level, lang))} {k}")
                text += f" ({sep.join(shown)})" if lang == "en" else f"（{sep.join(shown)}）"
            parts.append(text)
        title = f" {inert(standard.title(lang))}" if standard is not None else ""
        count = _t("audits", lang, n=sum(verdicts.values()))
        out.append(f"  {inert(std)}{title}: {count} · " + " · ".join(parts))
    if not summary.valid:
        out.append("  " + _t("none_valid", lang))
    failing = summary.top_failing(top)
    if failing:
        out.append(_t("top", lang))
        for std, rule, k in failing:
            standard = standards.get(std)
            found = standard.rule_map.get(rule) if standard is not None else None
            title = f" {inert(found.title(lang))}" if found is not None else ""
            tag = f" [{ui('mandatory', lang)}]" if (std, rule) in summary.mandatory else ""
            out.append(f"  {inert(rule)}{title}{tag} ({inert(std)}): {_t('times', lang, n=k)}")
    if summary.invalid:
        out.append(_t("invalid", lang, n=len(summary.invalid)))
        for bad in summary.invalid:
            out.append(f"  {inert(first_problem(bad.path, bad.problems, lang))}")
    return "\n".join(out)


def _level_rank(standard: Any, level: str | None) -> tuple[int, str]:
    if standard is None or level is None:
        return (0, str(level))
    ids = [lv.id for lv in standard.levels]
    return (ids.index(level) if level in ids else len(ids), level)


def _level_label(standard: Any, level: str | None, lang: Lang) -> str:
    if level is None:
        return "未达等级" if lang == "zh" else "no level"
    if standard is not None:
        for lv in standard.levels:
            if lv.id == level:
                return str(lv.label(lang))
    return level
