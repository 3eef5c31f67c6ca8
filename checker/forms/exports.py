"""Submissions from field-form exports: ODK Central (CSV, OData JSON) and KoboToolbox (JSON, XLSX).

Each export is a table (or a list of records) whose columns name the form's
questions, with the group path in front: ODK Central's CSV joins groups with
``-`` (``play-has_swings``), Kobo with ``/`` (``play/has_swings``), OData
nests them as objects. A question is found by the last part of its name, which
is the field id the XLSForm gave it (``checker.forms.xlsform``); the header
questions and the photo questions carry the ``tc_`` and ``photo_`` prefixes.
Columns the export adds (``SubmissionDate``, ``_uuid``, ``__system``...) are
ignored. Photos keep their file names as evidence of the fields their rule reads.
"""

from __future__ import annotations

import re
from typing import Any

from checker.core.errors import Problem
from checker.core.messages import say
from checker.core.standard import Standard
from checker.forms.submission import Entry, Submission
from checker.forms.xlsform import HEADER_NAMES, STANDARD_NAME, VERSION_NAME, photo_name

__all__ = ["flatten", "records_to_submissions"]

_ID_KEYS = ("meta/instanceID", "meta-instanceID", "instanceID", "__id", "_uuid", "KEY", "_id")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """OData's nested groups as ``group/field`` keys (navigation links and ``__system`` dropped)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "__system" or "@odata" in key:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "/"))
        else:
            out[name] = value
    return out


def _last(column: str) -> str:
    return re.split(r"[-/]", column)[-1]


def records_to_submissions(
    records: list[dict[str, Any]], file: str, catalog_find: Any, standard_hint: str | None
) -> list[Submission]:
    """One submission per record, each value located as ``submission N (id): column``."""
    out: list[Submission] = []
    for n, record in enumerate(records, 1):
        sub = Submission(file)
        by_name: dict[str, tuple[str, Any]] = {}
        for column, value in record.items():
            by_name.setdefault(_last(str(column)), (str(column), value))
        ident = next((str(record[k]) for k in _ID_KEYS if record.get(k) not in (None, "")), "")
        label = f"submission {n}" + (f" ({ident})" if ident else "")
        sub.name = ident.replace("uuid:", "") if ident else f"submission-{n}"

        def entry(
            name: str, label: str = label, by_name: dict[str, tuple[str, Any]] = by_name
        ) -> Entry | None:
            found = by_name.get(name)
            return None if found is None else Entry(found[1], f"{label}: {found[0]}")

        sub.standard = entry(STANDARD_NAME) or (Entry(standard_hint, label) if standard_hint else None)
        sub.version = entry(VERSION_NAME)
        known = sub.standard.raw if sub.standard and isinstance(sub.standard.raw, str) else None
        standard: Standard | None = catalog_find(known) if known else None
        asked = (
            {*HEADER_NAMES.values(), *(f.id for f in standard.fields)}
            if standard
            else set(HEADER_NAMES.values())
        )
        problem = None
        if all(by_name[q][1] in (None, "") for q in asked if q in by_name):
            problem = Problem.of(file, say("form.empty_submission"), say("hint.empty_submission"), path=label)
        elif standard is None:
            problem = Problem.of(file, say("form.which_standard"), say("hint.form_standard"), path=label)
        if problem is not None or standard is None:
            sub.problems.extend([problem] if problem else [])
            out.append(sub)
            continue
        for key, name in HEADER_NAMES.items():
            found = entry(name)
            if found is not None:
                sub.header[key] = found
        for spec in standard.fields:
            found = entry(spec.id)
            if found is not None:
                sub.values[spec.id] = found
        _photos(sub, standard, by_name, label)
        out.append(sub)
    return out


def _photos(sub: Submission, standard: Standard, by_name: dict[str, tuple[str, Any]], label: str) -> None:
    """Each rule's photo becomes evidence of the fields the rule judges (its file name kept)."""
    from checker.forms.layout import layout

    fields_of = {
        r.id: [f.id for f in layout(standard).fields if r in f.rules] for r in standard.rule_map.values()
    }
    names: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for rule_id, fids in fields_of.items():
        found = by_name.get(photo_name(rule_id))
        if found is None or found[1] in (None, ""):
            continue
        file_name = str(found[1]).rsplit("/", 1)[-1]
        for fid in fids:
            names.setdefault(fid, [])
            if file_name not in names[fid]:
                names[fid].append(file_name)
            where.setdefault(fid, f"{label}: {found[0]}")
    for fid, files in names.items():
        sub.evidence[fid] = Entry("; ".join(files), where[fid])
