"""Loading an audit: strict JSON, the envelope, then the observations against the standard.

All problems of an audit are reported together, each located by JSON path
and ``line:col``; the position index is built only when there is an error.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from checker.core.audit import Audit
from checker.core.audit_checks import check_against, json_str, observed_values
from checker.core.errors import AuditError, Problem
from checker.core.json_source import JsonDoc, parse_json
from checker.core.sources import MAX_AUDIT_BYTES, SourceProblem, decode, read_bytes

if TYPE_CHECKING:
    from checker.core.catalog import Catalog

__all__ = ["load_audit", "parse_audit", "validate_audit"]




def load_audit(path: str | Path, catalog: Catalog, name: str | None = None) -> Audit:
    """Read and validate one audit file against its standard; raises AuditError."""
    path = Path(path)
    name = name or str(path)
    try:
        text = read_bytes(path, name, MAX_AUDIT_BYTES)
    except SourceProblem as exc:
        raise AuditError([exc.problem]) from None
    return parse_audit(text, catalog, name)


def parse_audit(text: str | bytes, catalog: Catalog, name: str = "<audit>") -> Audit:
    """Validate audit JSON text (or bytes) against its standard from ``catalog``."""
    try:
        if isinstance(text, bytes):
            text = decode(text, name, MAX_AUDIT_BYTES)
        elif len(text) > MAX_AUDIT_BYTES:
            text = decode(text.encode("utf-8", "surrogatepass"), name, MAX_AUDIT_BYTES)
        doc = parse_json(text, name)
    except SourceProblem as exc:
        raise AuditError([exc.problem]) from None
    return validate_audit(doc, catalog)


def validate_audit(doc: JsonDoc, catalog: Catalog) -> Audit:
    data = doc.data
    if not isinstance(data, dict):
        raise AuditError(
            [doc.problem((), "an audit must be a JSON object", "start from `check template STANDARD`")]
        )
    try:
        audit = Audit.model_validate(data)
    except ValidationError as exc:
        raise AuditError(_envelope_problems(exc, doc)) from None
    standard = catalog.find(audit.standard)
    if standard is None:
        known = ", ".join(catalog.ids()) or "none"
        close = difflib.get_close_matches(audit.standard, catalog.ids(), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known standards: {known}"
        raise AuditError(
            [
                doc.problem(
                    ("standard",),
                    f"unknown standard {audit.standard!r}",
                    hint + f" (known: {known})" if close else hint,
                )
            ]
        )
    problems = check_against(audit, standard, doc)
    if problems:
        raise AuditError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    audit._values = observed_values(standard, audit.observations)
    audit._path = doc.name
    return audit


def _envelope_problems(exc: ValidationError, doc: JsonDoc) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in _TAGS))
        if loc in seen:
            continue
        seen.add(loc)
        key = loc[-1] if loc else ""
        if error["type"] == "missing":
            message, hint = f"required key {key!r} is missing", "add it"
        elif error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(key), [*list(Audit.model_fields), "$schema"], n=1)
            message = f"unknown key {key!r}"
            hint = f"did you mean {close[0]!r}?" if close else "remove it"
        else:
            given = error.get("input")
            shown = json_str(given) if not isinstance(given, dict | list) else type(given).__name__
            message = f"{error['msg']} (found {shown})"
            hint = {
                "format": "the audit format is 1",
                "audited_on": 'write "YYYY-MM-DD"',
                "expires": 'write "YYYY-MM-DD"',
            }.get(str(key), "see docs/formats.md")
        problems.append(doc.problem(loc, message, hint))
        if len(problems) >= 100:
            break
    return problems


_TAGS = {"str", "int", "float", "bool", "constrained-str", "function-after", "list", "dict"}


