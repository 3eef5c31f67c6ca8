"""``check import``: any filled form or export file in, one validated audit per submission out.

The kind of file is told from its content, not trusted from its name: an
``.xlsx`` with the hidden ``_meta`` sheet is a checklist, another workbook a
KoboToolbox export; a CSV is an ODK Central export; JSON with ``value`` is
ODK Central's OData, with ``results`` (or a bare list) KoboToolbox's.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from checker.core.audit import Audit
from checker.core.catalog import Catalog
from checker.core.errors import Problem
from checker.core.messages import say
from checker.core.sources import SourceProblem, decode, read_limited
from checker.forms.exports import flatten, records_to_submissions
from checker.forms.submission import Submission, validate

__all__ = ["Imported", "import_file", "read_submissions"]

MAX_FORM_BYTES = 50 << 20  # an export with photos listed, or many submissions


@dataclass
class Imported:
    """One submission's outcome: the audit (and its JSON text), or the problems in the form."""

    submission: Submission
    audit: Audit | None = None
    text: str = ""
    problems: list[Problem] = field(default_factory=list)


def import_file(
    path: Path, catalog: Catalog, name: str | None = None, standard: str | None = None
) -> list[Imported]:
    """Every submission in ``path``, validated; a file that cannot be read gives one failed item."""
    name = name or str(path)
    try:
        submissions = read_submissions(path, name, catalog, standard)
    except SourceProblem as exc:
        return [Imported(Submission(name), problems=exc.problems)]
    out = []
    for sub in submissions:
        audit, text, problems = validate(sub, catalog)
        out.append(Imported(sub, audit, text, problems))
    return out


def read_submissions(path: Path, name: str, catalog: Catalog, standard: str | None) -> list[Submission]:
    data = read_limited(path, name, MAX_FORM_BYTES)
    if data.startswith(b"PK\x03\x04"):
        return _workbook(data, name, catalog, standard)
    text = decode(data, name, MAX_FORM_BYTES)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _json(text, name, catalog, standard)
    return _csv(text, name, catalog, standard or _stem_standard(name, catalog))


def _fail(name: str, key: str, hint: str, where: str = "") -> SourceProblem:
    return SourceProblem(Problem.of(name, say(key), say(hint), path=where))


def _stem_standard(name: str, catalog: Catalog) -> str | None:
    """ODK Central names a CSV export after the form id, which is the standard id."""
    stem = Path(name).stem
    return stem if stem in catalog.ids() else None


def _workbook(data: bytes, name: str, catalog: Catalog, standard: str | None) -> list[Submission]:
    from openpyxl import load_workbook

    from checker.forms.xlsx_read import is_checklist, read_checklist

    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise _fail(name, "form.unreadable", "hint.save_xlsx") from None
    if is_checklist(book):
        return [read_checklist(Path(name), name, book)]
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if not rows or not any(rows[0]):
        raise _fail(name, "form.no_submissions", "hint.export_kind", f"{sheet.title}!A1")
    header = [str(h) if h is not None else "" for h in rows[0]]
    records = [dict(zip(header, r, strict=False)) for r in rows[1:]]
    headers = _label_columns(header, catalog, standard)
    records = [{headers.get(k, k): v for k, v in r.items()} for r in records]

    return _check_empty(records_to_submissions(records, name, catalog.find_quietly, standard), name)


def _label_columns(header: list[str], catalog: Catalog, standard: str | None) -> dict[str, str]:
    """Kobo exports headers as labels unless "XML values and headers" was chosen: map labels back."""
    if standard is None:
        return {}
    found = catalog.find_quietly(standard)
    if found is None:
        return {}
    labels = {}
    for spec in found.fields:
        for lang in ("zh", "en"):
            unit = spec.unit_in(lang)
            labels[spec.label(lang)] = spec.id
            labels[spec.label(lang) + (f"（{unit}）" if lang == "zh" else f" ({unit})")] = spec.id
    return {h: labels[h] for h in header if h in labels}


def _json(text: str, name: str, catalog: Catalog, standard: str | None) -> list[Submission]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise _fail(name, "form.bad_json", "hint.export_kind") from None
    if isinstance(data, dict) and isinstance(data.get("value"), list):  # ODK Central OData
        context = str(data.get("@odata.context", ""))
        if standard is None and "/forms/" in context:
            form_id = context.split("/forms/", 1)[1].split(".svc", 1)[0]
            standard = form_id if form_id in catalog.ids() else None
        records = [flatten(r) for r in data["value"] if isinstance(r, dict)]
    elif isinstance(data, dict) and isinstance(data.get("results"), list):  # KoboToolbox API
        records = [r for r in data["results"] if isinstance(r, dict)]
    elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
        records = data
    elif isinstance(data, dict) and "observations" in data:
        raise _fail(name, "form.already_audit", "hint.already_audit")
    else:
        raise _fail(name, "form.unknown_export", "hint.export_kind")
    if standard is None:
        standard = next((str(r["_xform_id_string"]) for r in records if r.get("_xform_id_string")), None)

    return _check_empty(records_to_submissions(records, name, catalog.find_quietly, standard), name)


def _csv(text: str, name: str, catalog: Catalog, standard: str | None) -> list[Submission]:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error:
        raise _fail(name, "form.unknown_export", "hint.export_kind") from None
    if not rows or ("meta-instanceID" not in rows[0] and not any(c.endswith("tc_standard") for c in rows[0])):
        raise _fail(name, "form.unknown_export", "hint.export_kind", "row 1")
    header = rows[0]
    records = [dict(zip(header, r, strict=False)) for r in rows[1:] if r]

    return _check_empty(records_to_submissions(records, name, catalog.find_quietly, standard), name)


def _check_empty(subs: list[Submission], name: str) -> list[Submission]:
    if not subs:
        raise _fail(name, "form.no_submissions", "hint.export_kind")
    return subs
