"""Issuing a certificate: who issues it, when, until when, and the signed payload its QR carries.

:class:`Issue` is what the caller decides (the signing key or none, the
issue date, the verification address, a seal image); :func:`issue_facts`
turns it and a result into what the certificate prints. Without a key the
certificate is an unsigned specimen (未签名样张): it says so on the page and
in its metadata, and its QR slot holds no payload, because a payload nobody
signed would verify nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checker.core.errors import Problem
from checker.report.certificate import certificate_number, relied_waivers, result_hash, validity
from checker.report.errors import ReportError
from checker.report.payload import DEFAULT_VERIFY_URL, Facts, b64, sign, url_for

if TYPE_CHECKING:
    from checker.core.result import Result
    from checker.core.standard import Standard
    from checker.core.text import Text
    from checker.report.keys import SigningKey

__all__ = ["Issue", "IssueFacts", "Seal", "issue_facts", "seal_from_bytes"]

_SEAL_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
SEAL_MAX = 2 * 1024 * 1024


@dataclass(frozen=True)
class Seal:
    """A seal image (PNG or JPEG) as a ``data:`` URL the safe fetcher serves."""

    url: str


def seal_from_bytes(data: bytes, source: str = "--seal") -> Seal:
    """Check the image is a PNG or JPEG of sensible size; raises ReportError otherwise."""
    mime = next((m for magic, m in _SEAL_TYPES.items() if data.startswith(magic)), None)
    if mime is None or len(data) > SEAL_MAX:
        raise ReportError(
            [
                Problem(
                    source,
                    "the seal image must be a PNG or JPEG under 2 MB / 印章图片须为 2 MB 以内的 PNG 或 JPEG",
                    hint="scan the seal to PNG with a transparent background",
                )
            ]
        )
    return Seal(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")


@dataclass(frozen=True)
class Issue:
    """How documents are issued: signed with ``key`` (None: unsigned specimens), on
    ``issued_on`` (None: today), verified at ``verify_url``, with an optional seal.

    ``issued`` maps certificate numbers already in the register to their issue
    date, so a second copy of a certificate (another language) carries the
    same date and the same payload as the first.
    """

    key: SigningKey | None = None
    issued_on: str | None = None
    verify_url: str = DEFAULT_VERIFY_URL
    seal: Seal | None = None
    issued: dict[str, str] = field(default_factory=dict)

    @property
    def signed(self) -> bool:
        return self.key is not None


@dataclass(frozen=True)
class IssueFacts:
    """What the certificate prints about its issue, and the payload (None for a specimen)."""

    number: str
    issuer: Text | str | None
    issued_on: str
    valid_from: str
    valid_until: str
    waivers: list[tuple[str, str, str]]
    capped_by_waiver: bool
    facts: Facts | None
    token: str | None
    url: str | None
    site: str
    seal: Seal | None


def _today() -> str:
    return dt.date.today().isoformat()


def issue_facts(result: Result, standard: Standard, issue: Issue) -> IssueFacts:
    """The issue of one certified result; raises ReportError when it would be born expired."""
    number = certificate_number(result)
    # never before the audit (an audit dated ahead of this machine's clock)
    issued_on = issue.issued.get(number) or issue.issued_on or max(_today(), result.audit.audited_on)
    valid_from, valid_until = validity(result)
    waivers = relied_waivers(result)
    capped = bool(waivers) and waivers[0][1] == valid_until
    if issue.key is not None and valid_until < issued_on:
        raise ReportError(
            [
                Problem(
                    result.audit.path or "<result>",
                    f"the certificate would be expired on issue (valid until {valid_until}) "
                    f"/ 证书签发时即已过期（有效期至 {valid_until}）",
                    hint="re-audit, or renew the waiver it relies on / 请重新评估或续期所依据的豁免",
                )
            ]
        )
    facts = token = url = None
    issuer: Text | str | None = standard.issuer
    if issue.key is not None:
        issuer = issue.key.issuer.subject
        facts = Facts(
            number=number,
            standard=result.standard.id,
            version=result.standard.version,
            facility=str(result.audit.facility.get("id") or ""),
            level=result.level or "",
            score=f"{result.score:.2f}",
            issued_on=issued_on,
            valid_until=valid_until,
            key_id=issue.key.issuer.key_id,
            result_hash=b64(result_hash(result)),
        )
        token = sign(facts, issue.key)
        url = url_for(issue.verify_url, token)
    return IssueFacts(
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        waivers=waivers,
        capped_by_waiver=capped,
        facts=facts,
        token=token,
        url=url,
        site=issue.verify_url.split("://", 1)[-1].split("?", 1)[0].rstrip("/"),
        seal=issue.seal,
    )
