"""Loading an audit: strict JSON, the envelope, then the observations against the standard.

All problems of an audit are reported together, each located by JSON path
and ``line:col``; the position index is built only when there is an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from checker.core.audit import TEMPLATE_NAME, Audit, Waiver
from checker.core.audit_checks import check_against, observed_values
from checker.core.audit_values import valid_values
from checker.core.errors import AuditError, Problem
from checker.core.json_source import JsonDoc, parse_json, parse_json_bytes
from checker.core.messages import say
from checker.core.model_problems import model_problems
from checker.core.sources import MAX_AUDIT_BYTES, SourceProblem, decode, read_limited

if TYPE_CHECKING:
    from checker.core.catalog import Catalog

__all__ = ["load_audit", "parse_audit", "validate_audit"]


def load_audit(
    path: str | Path, catalog: Catalog, name: str | None = None, *, today: dt.date | None = None
) -> Audit:
    """Read and validate one audit file against its standard; raises AuditError."""
    path = Path(path)
    name = name or str(path)
    try:
        data = read_limited(path, name, MAX_AUDIT_BYTES)
    except SourceProblem as exc:
        raise AuditError(exc.problems) from None
    return parse_audit(data, catalog, name, today=today)


def parse_audit(
    text: str | bytes, catalog: Catalog, name: str = "<audit>", *, today: dt.date | None = None
) -> Audit:
    """Validate audit JSON text (or bytes) against its standard from ``catalog``.

    ``today`` (default: the clock) is the day an audit may not be dated after,
    one day of grace allowed for time zones.
    """
    try:
        if isinstance(text, bytes):
            doc = parse_json_bytes(text, name, MAX_AUDIT_BYTES, repair=True)
        else:
            if len(text) > MAX_AUDIT_BYTES:
                text = decode(text.encode("utf-8", "surrogatepass"), name, MAX_AUDIT_BYTES)
            doc = parse_json(text, name, repair=True)
    except SourceProblem as exc:
        raise AuditError(exc.problems) from None
    return validate_audit(doc, catalog, today=today)


def validate_audit(doc: JsonDoc, catalog: Catalog, *, today: dt.date | None = None) -> Audit:
    """Validate a parsed audit; every problem (syntax repaired, envelope, content) at once."""
    data = doc.data
    problems = list(doc.repaired)
    if not isinstance(data, dict):
        problems.append(doc.problem((), say("audit.not_object"), say("hint.start_template")))
        raise AuditError(problems)
    audit: Audit | None = None
    try:
        audit = Audit.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(
            exc,
            doc.problem,
            key_hints=_KEY_HINTS,
            known_keys=_known_keys,
            default_hint="hint.see_template",
            limit=100,
        )
    standard_id = data.get("standard")
    standard = catalog.find(standard_id) if isinstance(standard_id, str) else None
    if isinstance(standard_id, str) and standard is None:
        problems.append(_unknown_standard(standard_id, catalog, doc))
    fast = audit is not None and standard is not None and not problems
    values = valid_values(audit, standard, utf8=doc.utf8) if fast else None  # type: ignore[arg-type]
    if values is None and standard is not None:
        problems += check_against(data, standard, doc)
    problems += _placeholders(data, doc)
    if audit is not None:
        problems += _future(audit.audited_on, today, doc)
    if problems or audit is None:
        raise AuditError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    assert standard is not None
    audit._values = observed_values(standard, audit.observations) if values is None else values
    audit._path = doc.name
    return audit


def _placeholders(data: dict[str, object], doc: JsonDoc) -> list[Problem]:
    """The template's names left in an audit that already observed something."""
    observations = data.get("observations")
    if not isinstance(observations, dict) or not any(
        (v.get("value") if isinstance(v, dict) else v) is not None for v in observations.values()
    ):
        return []
    out = []
    for part in ("facility", "assessor"):
        block = data.get(part)
        if isinstance(block, dict) and block.get("name") == TEMPLATE_NAME:
            out.append(doc.problem((part, "name"), say(f"audit.placeholder_{part}"), say("hint.fill_name")))
    return out


def _future(audited_on: str, today: dt.date | None, doc: JsonDoc) -> list[Problem]:
    """An audit records a visit that happened: a date after tomorrow is a typing slip, not a plan.

    A future date would also start the designation's validity late and keep a
    waiver "in force" that has not been granted yet.
    """
    if audited_on <= (_tomorrow() if today is None else (today + dt.timedelta(days=1)).isoformat()):
        return []
    day = today or dt.date.today()
    return [
        doc.problem(
            ("audited_on",),
            say("audit.future_date", date=audited_on, today=day.isoformat()),
            say("hint.future_date", today=day.isoformat()),
        )
    ]


def _tomorrow() -> str:
    """The day after today, read from the clock at most once a minute (a batch checks thousands of
    audits; near midnight it may be a minute late, within the day of grace)."""
    return _day_after_today(int(time.monotonic() // 60))


@functools.lru_cache(maxsize=1)
def _day_after_today(minute: int) -> str:
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


def _unknown_standard(standard_id: str, catalog: Catalog, doc: JsonDoc) -> Problem:
    import difflib  # only for an unknown standard (an import a valid audit need not pay for)

    known = ", ".join(catalog.ids()) or "-"
    close = difflib.get_close_matches(standard_id, catalog.ids(), n=1)
    hint = (
        say("hint.did_you_mean_known", word=repr(close[0]), known=known)
        if close
        else say("hint.known_standards", known=known)
    )
    return doc.problem(("standard",), say("audit.unknown_standard", standard=repr(standard_id)), hint)


_KEY_HINTS = {
    "format": "hint.format_1",
    "audited_on": "hint.date_example",
    "expires": "hint.date_example",
    "observations": "hint.observations_object",
    "waivers": "hint.waivers_list",
}


def _known_keys(loc: tuple[str | int, ...]) -> list[str]:
    if not loc:
        return [*Audit.model_fields, "$schema"]
    if loc[0] == "waivers":
        return list(Waiver.model_fields)
    return []
