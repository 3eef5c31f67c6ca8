"""Certificate number, result hash and validity, all derived from the result.

The **canonical form** of a result is its JSON (``Result.to_json()``, what
``check --format json`` prints and what PDFs attach as ``result.json``),
parsed and written again with keys sorted, no whitespace, UTF-8, and without
``audit.path`` (where the audit file happened to lie says nothing about the
facility). Its SHA-256 is the result hash. It is computed from the JSON, not
from Python objects, so the attached file alone re-derives it.

* Certificate number ``YZ-<TYPE>-<YEAR>-<XXXX>-<XXXX>``: the facility type,
  the audit year, and the first 40 bits of the hash in Crockford base 32
  (no I, L, O or U, so it can be read over the phone).
* Validity: from the audit date for the standard's ``validity_years``, cut
  short by the earliest expiry of any waiver the result relies on (a rule
  waived today is assessed normally once its waiver ends).

What the QR holds is the signed payload of :mod:`checker.report.payload`;
this module only turns ``segno``'s module matrix into an SVG path's ``d``
(numbers and letters, nothing from the audit).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.core.validity import valid_until

if TYPE_CHECKING:
    from checker.core.result import Result

__all__ = [
    "QR",
    "canonical_json",
    "canonical_json_text",
    "certificate_number",
    "number_for",
    "qr_code",
    "relied_waivers",
    "result_hash",
    "validity",
]

TYPE_CODES = {
    "school": "SCH",
    "kindergarten": "KDG",
    "hospital": "HOS",
    "park": "PRK",
    "scenic_spot": "SCN",
    "commercial": "COM",
    "community": "CMY",
    "route": "RTE",
    "cultural_venue": "CUL",
    "study_base": "STB",
}
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def canonical_json_text(text: str | bytes) -> bytes:
    """The bytes that are hashed, from a result's JSON: sorted keys, compact, UTF-8, no ``audit.path``.

    Raises ``ValueError`` when ``text`` is not a JSON object with an ``audit`` object.
    """
    data: Any = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("audit"), dict):
        raise ValueError("not a tongcheck result")
    data["audit"] = {k: v for k, v in data["audit"].items() if k != "path"}
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def canonical_json(result: Result) -> bytes:
    return canonical_json_text(result.to_json())


def result_hash(result: Result) -> bytes:
    return hashlib.sha256(canonical_json(result)).digest()


def _crockford(digest: bytes, chars: int) -> str:
    number = int.from_bytes(digest, "big")
    bits = len(digest) * 8
    out = []
    for i in range(chars):
        shift = bits - 5 * (i + 1)
        out.append(_CROCKFORD[(number >> shift) & 31] if shift >= 0 else "0")
    return "".join(out)


def number_for(digest: bytes, facility_type: str, audited_on: str) -> str:
    """The certificate number of a result hash (what a verifier re-derives from ``result.json``)."""
    code = _crockford(digest, 8)
    kind = TYPE_CODES.get(facility_type, "GEN")
    return f"YZ-{kind}-{audited_on[:4]}-{code[:4]}-{code[4:]}"


def certificate_number(result: Result) -> str:
    return number_for(result_hash(result), result.standard.facility_type, result.audit.audited_on)


def relied_waivers(result: Result) -> list[tuple[str, str, str]]:
    """(rule id, expires, approved by) of every waiver the result relies on, earliest expiry first."""
    found = [
        (r.id, r.waiver.expires, r.waiver.approved_by)
        for r in result.rules
        if r.status == "waived" and r.waiver is not None
    ]
    return sorted(found, key=lambda w: (w[1], w[0]))


def validity(result: Result) -> tuple[str, str]:
    """(valid from, valid until): from the audit date for ``validity_years`` less one day,
    or until the earliest expiry of a waiver the result relies on, whichever is earlier."""
    start = result.audit.audited_on
    expiries = [expires for _, expires, _ in relied_waivers(result)]
    return start, valid_until(start, result.standard.validity_years, expiries)


@dataclass(frozen=True, slots=True)
class QR:
    """A QR symbol as an SVG path over a ``size`` × ``size`` grid (quiet zone included)."""

    size: int
    path: str
    data: str


def qr_code(data: str, border: int = 2) -> QR:
    """Encode ``data`` with segno (error correction M) and trace the dark modules."""
    import segno

    symbol = segno.make(data, error="m", micro=False)
    matrix = symbol.matrix
    parts: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QR(size=len(matrix) + 2 * border, path="".join(parts), data=data)
