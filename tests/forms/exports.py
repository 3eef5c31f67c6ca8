"""Submission fixtures shaped like real ODK Central and KoboToolbox exports of our XLSForm.

Where each shape comes from:
- ODK Central CSV (``/v1/projects/{p}/forms/{f}/submissions.csv``): header
  ``SubmissionDate,meta-instanceID,<group>-<question>...,KEY,SubmitterID,SubmitterName,
  AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion``,
  groups joined with ``-``, media as their file names: getodk/central-backend,
  test/integration/api/submissions.js (the ``simple`` and ``binaryType`` exports).
- ODK Central OData (``.../forms/{f}.svc/Submissions``): ``{"@odata.context": ...,
  "value": [{"__id", "__system": {...}, "meta": {"instanceID"}, <group>: {<question>: ...}}]}``,
  groups as nested objects: getodk/central-backend, test/integration/api/odata.js;
  docs.getodk.org/central-api-odata-endpoints.
- KoboToolbox JSON (``/api/v2/assets/{uid}/data.json``): ``{"count", "next", "previous",
  "results": [{"_id", "_uuid", "_xform_id_string", "_submission_time", "_attachments",
  "<group>/<question>": ...}]}``, values as strings, groups joined with ``/``.
- KoboToolbox XLSX export with "XML values and headers": one sheet, ``<group>/<question>``
  headers, then ``_id``, ``_uuid``, ``_submission_time``, ``_validation_status``, ``_index``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from checker.core.audit import Audit
from checker.core.standard import Standard
from checker.forms.layout import layout
from checker.forms.xlsform import HEADER_NAMES, STANDARD_NAME, VERSION_NAME, photo_name

ODK_TAIL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
            "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def answers(
    audit: Audit, standard: Standard, photo: tuple[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """The answers of one submission, by group then question name (as ODK Collect stores them)."""
    header = {
        HEADER_NAMES["facility.id"]: audit.facility.id or "",
        HEADER_NAMES["facility.name"]: audit.facility.name,
        HEADER_NAMES["facility.street"]: audit.facility.street or "",
        HEADER_NAMES["assessor.name"]: audit.assessor.name,
        HEADER_NAMES["assessor.organisation"]: audit.assessor.organisation or "",
        HEADER_NAMES["audited_on"]: audit.audited_on,
        STANDARD_NAME: standard.id,
        VERSION_NAME: standard.version,
    }
    groups: dict[str, dict[str, str]] = {"tc_info": header}
    for section in layout(standard).sections:
        group = groups.setdefault("sec_" + section.id.replace("-", "_"), {})
        for info in section.fields:
            raw = audit.observations.get(info.id)
            group[info.id] = _text(raw.get("value") if isinstance(raw, dict) else raw)
    if photo is not None:
        rule_id, file_name = photo
        section = next(s for s in standard.sections if any(r.id == rule_id for r in s.rules))
        groups["sec_" + section.id.replace("-", "_")][photo_name(rule_id)] = file_name
    return groups


def odk_csv(submissions: list[dict[str, dict[str, str]]]) -> str:
    columns = [f"{g}-{q}" for g, qs in submissions[0].items() for q in qs]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["SubmissionDate", "meta-instanceID", *columns, *ODK_TAIL])
    for n, sub in enumerate(submissions, 1):
        flat = {f"{g}-{q}": v for g, qs in sub.items() for q, v in qs.items()}
        uuid = f"uuid:0000000{n}-aaaa-bbbb-cccc-dddddddddddd"
        writer.writerow(["2026-12-01T08:00:00.000Z", uuid, *(flat.get(c, "") for c in columns),
                         uuid, "5", "评估员", "0", "0", "", "", "", "0", ""])  # fmt: skip
    return out.getvalue()


def odk_odata(submissions: list[dict[str, dict[str, str]]], form_id: str) -> str:
    value = []
    for n, sub in enumerate(submissions, 1):
        uuid = f"uuid:0000000{n}-aaaa-bbbb-cccc-dddddddddddd"
        record: dict[str, Any] = {"__id": uuid, "__system": {"submissionDate": "2026-12-01T08:00:00.000Z",
                                  "submitterId": "5", "submitterName": "评估员", "reviewState": None}}  # fmt: skip
        record["meta"] = {"instanceID": uuid}
        for group, qs in sub.items():
            record[group] = {q: _odata_value(v) for q, v in qs.items()}
        value.append(record)
    context = f"https://central.example/v1/projects/1/forms/{form_id}.svc/$metadata#Submissions"
    return json.dumps({"@odata.context": context, "value": value}, ensure_ascii=False)


def _odata_value(text: str) -> Any:
    """OData types numbers as numbers; empty answers are null."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def kobo_json(submissions: list[dict[str, dict[str, str]]], form_id: str) -> str:
    results = []
    for n, sub in enumerate(submissions, 1):
        record: dict[str, Any] = {"_id": 1000 + n, "_uuid": f"0000000{n}-aaaa", "_xform_id_string": form_id,
                                  "_submission_time": "2026-12-01T08:00:00", "__version__": "vABC"}  # fmt: skip
        record.update({f"{g}/{q}": v for g, qs in sub.items() for q, v in qs.items() if v != ""})
        photos = [v for g, qs in sub.items() for q, v in qs.items() if q.startswith("photo_") and v]
        record["_attachments"] = [
            {"filename": f"assessor/attachments/x/{p}", "mimetype": "image/jpeg"} for p in photos
        ]
        results.append(record)
    return json.dumps(
        {"count": len(results), "next": None, "previous": None, "results": results}, ensure_ascii=False
    )


def kobo_xlsx(submissions: list[dict[str, dict[str, str]]], path: Path) -> None:
    from openpyxl import Workbook

    columns = [f"{g}/{q}" for g, qs in submissions[0].items() for q in qs]
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append([*columns, "_id", "_uuid", "_submission_time", "_validation_status", "_index"])
    for n, sub in enumerate(submissions, 1):
        flat = {f"{g}/{q}": v for g, qs in sub.items() for q, v in qs.items()}
        sheet.append(
            [*(flat.get(c, "") or None for c in columns), 1000 + n, f"uuid-{n}", "2026-12-01T08:00:00", "", n]
        )
    book.save(path)
