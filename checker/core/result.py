"""The result object (format 1): what `check --format json` prints and reports read.

Rounding to two decimals happens here and only here; decisions were made on
the unrounded values in ``scoring``. Keys beyond the format's (titles, reasons,
source status, labels) are additions the format allows, so that every report
can be rendered from the result alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from checker.core.engine import Evaluation, RuleOutcome
from checker.core.scoring import Score
from checker.core.text import Text

if TYPE_CHECKING:
    from checker.core.audit import Audit
    from checker.core.standard import Standard

__all__ = ["Result", "ResultRule", "ResultSection", "build_result"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResultRef(_Out):
    doc: str
    clause: str
    code: str | None = None


class ResultWaiver(_Out):
    reason: str
    approved_by: str
    expires: str


class ResultRule(_Out):
    id: str
    section: str
    status: Literal["not_applicable", "waived", "missing", "pass", "partial", "fail"]
    mandatory: bool
    bonus: bool
    earned: float
    possible: float
    points: float
    title: Text
    reason: Text
    ref: ResultRef | None = None
    source_status: str | None = None
    source_note: Text | None = None
    local_rule: bool = False
    remediation: Text | None = None
    waiver: ResultWaiver | None = None


class ResultSection(_Out):
    id: str
    title: Text
    earned: float
    possible: float
    percent: float | None


class ResultLevel(_Out):
    id: str
    label: Text
    min_score: float
    min_section_percent: float | None = None
    reached: bool


class ResultWarning(_Out):
    code: str
    message: Text
    rule: str | None = None


class ResultAudit(_Out):
    path: str
    facility: dict[str, Any]
    assessor: dict[str, Any]
    audited_on: str
    standard_version: str | None = None


class ResultStandard(_Out):
    id: str
    version: str
    title: Text
    facility_type: str
    validity_years: int


class Result(_Out):
    """One checked audit. ``rules`` lists every rule of the standard in file order."""

    format: Literal[1] = 1
    audit: ResultAudit
    standard: ResultStandard
    score: float
    level: str | None
    level_label: Text | None = None
    verdict: Literal["certified", "not_certified", "incomplete"]
    earned: float
    possible: float
    bonus: float
    sections: list[ResultSection]
    levels: list[ResultLevel]
    rules: list[ResultRule]
    warnings: list[ResultWarning]

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent, exclude_none=False)


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def _rule(o: RuleOutcome, codes: dict[str, str]) -> ResultRule:
    rule = o.compiled.rule
    waiver = o.waiver
    ref = rule.ref
    return ResultRule(
        id=rule.id,
        section=o.compiled.section,
        status=o.status.value,
        mandatory=rule.mandatory,
        bonus=rule.bonus,
        earned=_r(o.earned),
        possible=_r(o.possible),
        points=_r(o.compiled.points),
        title=rule.title,
        reason=o.reasons(),
        ref=None if ref is None else ResultRef(doc=ref.doc, clause=ref.clause, code=codes.get(ref.doc)),
        source_status=rule.source.status if rule.source else None,
        source_note=rule.source.note if rule.source else None,
        local_rule=rule.is_local,
        remediation=rule.remediation,
        waiver=None
        if waiver is None
        else ResultWaiver(reason=waiver.reason, approved_by=waiver.approved_by, expires=waiver.expires),
    )


def build_result(standard: Standard, audit: Audit, evaluation: Evaluation, scored: Score) -> Result:
    """Assemble the result; reasons are rendered here, once, in both languages."""
    codes = {r.id: r.code for r in standard.references}
    rules = [_rule(o, codes) for o in evaluation.outcomes]
    titles = {s.id: s.title for s in standard.sections}
    sections = [
        ResultSection(
            id=s.id,
            title=titles[s.id],
            earned=_r(s.earned),
            possible=_r(s.possible),
            percent=None if s.percent is None else _r(s.percent),
        )
        for s in scored.sections
    ]
    reached = (
        {lv.id for lv in standard.levels[: standard.levels.index(scored.level) + 1]}
        if scored.level
        else set()
    )
    levels = [
        ResultLevel(
            id=lv.id,
            label=lv.label,
            min_score=lv.min_score,
            min_section_percent=lv.min_section_percent,
            reached=lv.id in reached,
        )
        for lv in standard.levels
    ]
    return Result(
        audit=ResultAudit(
            path=audit.path,
            facility=audit.facility.model_dump(exclude_none=True),
            assessor=audit.assessor.model_dump(exclude_none=True),
            audited_on=audit.audited_on,
            standard_version=audit.standard_version,
        ),
        standard=ResultStandard(
            id=standard.id,
            version=standard.version,
            title=standard.title,
            facility_type=standard.facility_type,
            validity_years=standard.validity_years,
        ),
        score=_r(scored.score),
        level=scored.level.id if scored.level else None,
        level_label=scored.level.label if scored.level else None,
        verdict=scored.verdict.value,
        earned=_r(scored.earned),
        possible=_r(scored.possible),
        bonus=_r(scored.bonus),
        sections=sections,
        levels=levels,
        rules=rules,
        warnings=[ResultWarning(code=w.code, message=w.message, rule=w.rule) for w in evaluation.warnings],
    )
