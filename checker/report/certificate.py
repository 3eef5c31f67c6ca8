"""Certificate number, verification code and validity, all derived from the result.

The **canonical form** of a result is its JSON with keys sorted, no
whitespace, UTF-8, and without ``audit.path`` (where the audit file happened
to lie says nothing about the facility). Its SHA-256 is the result hash.

* Certificate number ``YZ-<TYPE>-<YEAR>-<XXXX>-<XXXX>``: the facility type,
  the audit year, and the first 40 bits of the hash in Crockford base 32
  (no I, L, O or U, so it can be read over the phone).
* Verification code ``TC1:<number>:<hash in base 32>``: what the QR code
  holds. Anyone with the result JSON (it is attached to the PDF) recomputes
  both with :func:`verify`; a changed score, level or date gives another hash.

The QR code is drawn by the certificate template as one SVG ``<path>``; this
module only turns ``segno``'s module matrix into that path's ``d`` (numbers
and letters, nothing from the audit).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.core.result import Result

__all__ = [
    "QR",
    "canonical_json",
    "certificate_number",
    "qr_code",
    "result_hash",
    "validity",
    "verification_code",
    "verify",
]

TYPE_CODES = {
    "school": "SCH",
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
CODE_PREFIX = "TC1"


def canonical_json(result: Result) -> bytes:
    """The bytes that are hashed: sorted keys, compact, UTF-8, ``audit.path`` left out."""
    data: dict[str, Any] = result.model_dump(mode="json")
    data["audit"] = {k: v for k, v in data["audit"].items() if k != "path"}
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


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


def certificate_number(result: Result) -> str:
    code = _crockford(result_hash(result), 8)
    kind = TYPE_CODES.get(result.standard.facility_type, "GEN")
    return f"YZ-{kind}-{result.audit.audited_on[:4]}-{code[:4]}-{code[4:]}"


def verification_code(result: Result) -> str:
    digest = base64.b32encode(result_hash(result)).decode("ascii").rstrip("=")
    return f"{CODE_PREFIX}:{certificate_number(result)}:{digest}"


def verify(result: Result, code: str) -> bool:
    """Whether ``code`` (as read from the QR) belongs to exactly this result."""
    return code.strip().upper() == verification_code(result)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity(result: Result) -> tuple[str, str]:
    """(valid from, valid until): the audit date, then ``validity_years`` later less one day."""
    start = dt.date.fromisoformat(result.audit.audited_on)
    end = _add_years(start, result.standard.validity_years) - dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()


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
