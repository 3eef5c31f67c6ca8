"""Building a result from an evaluation: one row per rule, rounded, with its reason in both languages.

A rule's row is a pure function of the rule and of its outcome's key (status,
tier, values of the fields the rule reads; ``RuleOutcome.key``), and a
district's audits repeat those keys a lot, so rows are memoised on the
compiled rule: the reason is worded once per distinct key, and the row is
written to JSON once (``Result.to_json``). What depends on the standard alone
(its block, reference codes, level rows) is built once per standard.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, fields
from itertools import repeat
from operator import call
from typing import TYPE_CHECKING, Any

from checker.core.compiled import STATUS_WORDS, Status, compiled
from checker.core.explain import pair
from checker.core.explain import reasons as reasons_of
from checker.core.result import (
    Result,
    ResultAudit,
    ResultLevel,
    ResultRef,
    ResultRule,
    ResultSection,
    ResultStandard,
    ResultWaiver,
    ResultWarning,
)
from checker.core.row_frame import RowFrame
from checker.core.text import Text

if TYPE_CHECKING:
    from checker.core.audit import Audit
    from checker.core.engine import Evaluation, RuleOutcome
    from checker.core.scoring import Score, SectionScore
    from checker.core.standard import Rule, Standard

__all__ = ["UNWORDED", "build_result"]

_NA = Status.NOT_APPLICABLE

_TEXT = Text.__pydantic_validator__
"""``Text(zh=..., en=...)`` without the keyword plumbing (the same validation)."""


def _text(zh: str, en: str) -> Text:
    return _TEXT.validate_python({"zh": zh, "en": en})  # type: ignore[no-any-return]


UNWORDED = Text(zh="", en="")
"""The reason of a row built without reasons (``build_result(..., reasons=False)``)."""

_ROWS_MAX = 128
"""Rows kept per rule; once full, new rows are built but not kept, so memory stays flat over any
batch and the outcomes met first (in a district, the common ones) stay remembered."""


_SECTIONS_MAX = 1024
"""Section rows kept per standard (as ``_ROWS_MAX``)."""


def _r(x: float) -> float:
    """``x`` to two decimals (and never -0.0); a whole number as it is, without ``round``'s detour."""
    y = x + 0.0
    return y if y.is_integer() else round(y, 2)


_NEW = object.__new__
_ROW_FIELDS = tuple(f.name for f in fields(ResultRule))
_ROW_SLOTS = tuple(getattr(ResultRule, name).__set__ for name in _ROW_FIELDS)
"""Each field's slot setter (what ``object.__setattr__`` finds by name), in field order."""
_STATUS, _EARNED, _POSSIBLE, _REASON, _WAIVER = map(
    _ROW_FIELDS.index, ("status", "earned", "possible", "reason", "waiver")
)


def _row_of(values: list[Any]) -> ResultRule:
    """``ResultRule(**dict(zip(fields, values)))`` for every field in order, as its ``__init__`` sets
    them (one C loop over the slots instead of a keyword call and a frozen setattr per field): new
    rows are many."""
    row: ResultRule = _NEW(ResultRule)
    deque(map(call, _ROW_SLOTS, repeat(row), values), 0)
    return row


class _RuleRows:
    """What every row of one rule shares (made once), and its rows by what they say."""

    __slots__ = ("by_reason", "frame", "template")

    def __init__(self, rule: Rule, section: str, points: float, ref: ResultRef | None) -> None:
        source = rule.source
        fixed: dict[str, Any] = {
            "id": rule.id,
            "section": section,
            "mandatory": rule.mandatory,
            "bonus": rule.bonus,
            "points": _r(points),
            "title": rule.title,
            "ref": ref,
            "source_status": source.status if source else None,
            "source_note": source.note if source else None,
            "local_rule": rule.is_local,
            "remediation": rule.remediation,
        }
        self.template: list[Any] = [fixed.get(name) for name in _ROW_FIELDS]
        """A row's values in field order; status, points earned and possible, reason, waiver left None."""
        self.frame: RowFrame | None = None
        """The JSON of the rule's rows around what changes (made with its first new row)."""
        self.by_reason: dict[tuple[str, float, float, str, str], ResultRule] = {}
        """Rows by status, points and reason: outcomes whose keys differ in values the reason does not
        show (a passing part of a failing ``all``) share one row, and so its JSON."""


@dataclass(frozen=True, slots=True)
class _PerStandard:
    block: ResultStandard
    refs: dict[str, ResultRef]
    rules: dict[str, _RuleRows]
    titles: dict[str, Text]
    levels: tuple[tuple[ResultLevel, ...], ...]
    """The level rows when the first n levels are reached, for n = 0 .. len(levels)."""
    dates: tuple[str, ...]
    """The date fields, whose values the engine keeps as day numbers."""
    blank: dict[str, None]
    """Every field, none observed."""
    sections: dict[tuple[str, float, float], ResultSection]
    """Section rows by section and points (shared, so each is written to JSON once)."""


def _per_standard(standard: Standard) -> _PerStandard:
    found: _PerStandard | None = standard.memo.get("result")
    if found is None:
        found = standard.memo["result"] = _PerStandard(
            block=ResultStandard(
                id=standard.id,
                version=standard.version,
                title=standard.title,
                facility_type=standard.facility_type,
                validity_years=standard.validity_years,
            ),
            refs=(refs := _refs(standard)),
            rules={
                cr.rule.id: _RuleRows(cr.rule, cr.section, cr.points, refs.get(cr.rule.id))
                for cr in compiled(standard).rules
            },
            titles={s.id: s.title for s in standard.sections},
            dates=tuple(f.id for f in standard.fields if f.type == "date"),
            blank=dict.fromkeys(standard.field_map),
            sections={},
            levels=tuple(
                tuple(
                    ResultLevel(
                        id=lv.id,
                        label=lv.label,
                        min_score=float(lv.min_score),
                        min_section_percent=None
                        if lv.min_section_percent is None
                        else float(lv.min_section_percent),
                        reached=i < reached,
                    )
                    for i, lv in enumerate(standard.levels)
                )
                for reached in range(len(standard.levels) + 1)
            ),
        )
    return found


def _refs(standard: Standard) -> dict[str, ResultRef]:
    """Each rule's reference, one object per rule (shared by every result, so written once)."""
    codes = {r.id: r.code for r in standard.references}
    return {
        rule.id: ResultRef(doc=rule.ref.doc, clause=rule.ref.clause, code=codes.get(rule.ref.doc))
        for rule in standard.rule_map.values()
        if rule.ref is not None
    }


def _rows(outcomes: list[RuleOutcome], per: _PerStandard, reasons: bool = True) -> list[ResultRule]:
    """Each outcome's row, from the rule's memo when its key was met before.

    The key is the values of the rule's fields (``CompiledRule.read``, one
    call on a mapping that has every field, unknowns None), or of its
    ``applies_when`` fields when it does not apply: the engine decides status
    and tier from exactly these values, so unlike ``RuleOutcome.key`` the key
    need not repeat them. Without ``reasons``, a row not in the memo is built
    with ``UNWORDED`` for its reason and not kept.
    """
    rows = []
    values = outcomes[0].values if outcomes else {}
    every = {**per.blank, **values}
    for o in outcomes:
        cr = o.compiled
        if o.waiver is not None:
            rows.append(_new_row(o, per, reasons))
            continue
        if o.values is not values:  # pragma: no cover - outcomes of one evaluation share their values
            every = {**per.blank, **o.values}
        key = cr.read_applies(every) if o.status is _NA else cr.read(every)
        memo = cr.memo
        row: ResultRule | None = memo.get(key)
        if row is None:
            row = _new_row(o, per, reasons)
            if reasons and len(memo) < _ROWS_MAX:
                memo[key] = row
        rows.append(row)
    return rows


def _new_row(o: RuleOutcome, per: _PerStandard, reasons: bool = True) -> ResultRule:
    """The row of an outcome not met before under its key: worded, and shared with any earlier row
    that says the same (status, points, reason); a waived row is its own."""
    rule = per.rules[o.compiled.rule.id]
    status = STATUS_WORDS[o.status]
    earned, possible = _r(o.earned), _r(o.possible)
    waiver = o.waiver
    if waiver is None and reasons:
        zh, en = pair(o)
        key = (status, earned, possible, zh, en)
        row = rule.by_reason.get(key)
        if row is not None:
            return row
        reason = _text(zh, en)
    else:
        reason = reasons_of(o) if reasons else UNWORDED
    values = rule.template.copy()
    values[_STATUS], values[_EARNED], values[_POSSIBLE], values[_REASON] = status, earned, possible, reason
    if waiver is not None:
        values[_WAIVER] = ResultWaiver(
            reason=waiver.reason, approved_by=waiver.approved_by, expires=waiver.expires
        )
        return _row_of(values)
    row = _row_of(values)
    if reasons:
        frame = rule.frame
        if frame is None:
            frame = rule.frame = RowFrame(row)
        frame.attach(row)
        if len(rule.by_reason) < _ROWS_MAX:
            rule.by_reason[key] = row
    return row


def _section(s: SectionScore, per: _PerStandard) -> ResultSection:
    key = (s.id, s.earned, s.possible)
    found = per.sections.get(key)
    if found is None:
        found = ResultSection(
            id=s.id,
            title=per.titles[s.id],
            earned=_r(s.earned),
            possible=_r(s.possible),
            percent=None if (percent := s.percent) is None else _r(percent),
        )
        if len(per.sections) < _SECTIONS_MAX:
            per.sections[key] = found
    return found


def _values(audit: Audit, dates: tuple[str, ...]) -> dict[str, Any]:
    """The observed values as JSON (dates back to ISO), so a report can say what was found."""
    values = dict(audit.values)
    for fid in dates:
        day = values.get(fid)
        if isinstance(day, int):
            values[fid] = dt.date.fromordinal(day).isoformat()
    return values


def build_result(
    standard: Standard, audit: Audit, evaluation: Evaluation, scored: Score, *, reasons: bool = True
) -> Result:
    """Assemble the result; reasons are worded here, once per distinct outcome, in both languages.

    ``reasons=False`` is for a reader that reads no rule's reason (the one line per audit of a
    batch): a reason not already worded is left ``UNWORDED``, so such a result must never be
    written out or kept.
    """
    per = _per_standard(standard)
    level = scored.level
    return Result(
        audit=ResultAudit(
            path=audit.path,
            facility=audit.facility.model_dump(exclude_none=True),
            assessor=audit.assessor.model_dump(exclude_none=True),
            audited_on=audit.audited_on,
            standard_version=audit.standard_version,
            values=_values(audit, per.dates),
        ),
        standard=per.block,
        score=_r(scored.score),
        level=level.id if level else None,
        level_label=level.label if level else None,
        verdict=scored.verdict.value,
        earned=_r(scored.earned),
        possible=_r(scored.possible),
        bonus=_r(scored.bonus),
        sections=[_section(s, per) for s in scored.sections],
        levels=list(per.levels[standard.levels.index(level) + 1 if level else 0]),
        rules=_rows(evaluation.outcomes, per, reasons),
        warnings=[ResultWarning(code=w.code, message=w.message, rule=w.rule) for w in evaluation.warnings],
    )
