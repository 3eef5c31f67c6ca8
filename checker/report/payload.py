"""The signed payload a certificate's QR code carries, inside a verification URL.

::

    TC2~YZ-SCH-2026-Q4Z0-06Z9~yuzhong-school~2026.1~YZ-SCH-001~exemplary~95.24
       ~2026-12-10~2027-12-31~<key id>~<hash>~<signature>        (one line)

Fields, in order: format tag, certificate number, standard id, standard
version, facility id, level id, score, issue date, valid until, the signing
key's id, the SHA-256 of the canonical result JSON (base64url, 43
characters) and an ECDSA P-256 signature (raw r‖s, base64url, 86 characters)
over the UTF-8 bytes of everything before the last ``~``. Text fields are
percent-encoded, so ``~`` only ever separates fields and the payload is
readable as it stands: a phone that scans the QR shows the facts in the URL.

The payload is its own canonical form: the signature covers exactly the
characters printed, so a changed character anywhere makes it fail, and there
is no second encoding of the same facts to confuse a verifier.

Only :func:`sign` and :func:`signature_ok` use ``cryptography``; parsing and
encoding are pure.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, urlsplit

from checker.core.errors import CheckerError, Problem

if TYPE_CHECKING:
    from checker.report.keys import Issuer, SigningKey

__all__ = [
    "DEFAULT_VERIFY_URL",
    "PAYLOAD_TAG",
    "URL_ENV",
    "Facts",
    "PayloadError",
    "Token",
    "extract",
    "parse",
    "sign",
    "signature_ok",
    "url_for",
]

# The one place the default verification address is set. It is a reserved
# placeholder (RFC 2606 ``.example``) on purpose: a district sets its own page
# with --verify-url or $TONGCHECK_VERIFY_URL, and signing with this default
# prints a warning. The payload verifies offline whatever the address.
DEFAULT_VERIFY_URL = "https://verify.tongcheck.example/c"
URL_ENV = "TONGCHECK_VERIFY_URL"
PAYLOAD_TAG = "TC2"
QUERY_KEY = "c"
_SEP = "~"
_SAFE = "-._"
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCORE = re.compile(r"^\d{1,3}\.\d{2}$")
_MAX = 2000


class PayloadError(CheckerError):
    """A payload or verification URL that cannot be read at all (not: one that fails its signature)."""

    kind = "payload"


@dataclass(frozen=True, slots=True)
class Facts:
    """What a certificate asserts, as printed in its QR payload (all text, as encoded)."""

    number: str
    standard: str
    version: str
    facility: str
    level: str
    score: str
    issued_on: str
    valid_until: str
    key_id: str
    result_hash: str

    def body(self) -> str:
        """The signed part: tag and fields, text fields percent-encoded."""
        return _SEP.join([PAYLOAD_TAG, *(quote(v, safe=_SAFE) for v in astuple(self))])

    @property
    def hash_bytes(self) -> bytes:
        return _b64decode(self.result_hash)


@dataclass(frozen=True, slots=True)
class Token:
    """A parsed payload: the facts, the signature, and the exact text that was signed."""

    facts: Facts
    signature: bytes
    text: str

    @property
    def signed_part(self) -> bytes:
        return self.text.rsplit(_SEP, 1)[0].encode("utf-8")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(facts: Facts, key: SigningKey) -> str:
    """The payload for ``facts``, signed with ``key`` (whose id must be the one in the facts)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    if facts.key_id != key.issuer.key_id:
        raise ValueError("the facts name another key than the one signing them")
    body = facts.body()
    # deterministic (RFC 6979): the same facts always give the same payload, so every copy
    # of a certificate and its register entry carry identical text
    algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    r, s = decode_dss_signature(key.private_key.sign(body.encode("utf-8"), algorithm))
    return f"{body}{_SEP}{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def signature_ok(token: Token, issuer: Issuer) -> bool:
    """Whether ``issuer``'s key made the token's signature over exactly its text."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if token.facts.key_id != issuer.key_id:
        return False
    r = int.from_bytes(token.signature[:32], "big")
    s = int.from_bytes(token.signature[32:], "big")
    try:
        issuer.public_key.verify(encode_dss_signature(r, s), token.signed_part, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def url_for(base: str, token: str) -> str:
    """The verification URL: ``base`` with the payload as its ``c`` query parameter."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}{QUERY_KEY}={quote(token, safe=_SEP + _SAFE)}"


def extract(text: str) -> str:
    """The payload in ``text``: a bare payload, or a verification URL carrying one."""
    text = text.strip()
    if len(text) > _MAX:
        raise _unreadable(text, "too long for a certificate payload / 过长，不是证书核验码")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        values = parse_qs(urlsplit(text).query).get(QUERY_KEY)
        if not values:
            raise _unreadable(text, "this URL carries no certificate payload / 该网址中没有证书核验码")
        return values[0]
    return text


def parse(text: str) -> Token:
    """Read a payload or verification URL; raises :class:`PayloadError` when it is not one.

    A payload that reads well but was changed fails :func:`signature_ok`
    instead: that is "not genuine", not "unreadable".
    """
    raw = extract(text)
    parts = raw.split(_SEP)
    if parts[0] != PAYLOAD_TAG or len(parts) != 12:
        raise _unreadable(text, "not a tongcheck certificate payload / 不是 tongcheck 证书核验码")
    try:
        facts = Facts(*(unquote(p, errors="strict") for p in parts[1:11]))
    except UnicodeDecodeError:
        raise _unreadable(text, "the payload is damaged (encoding) / 核验码已损坏（编码）") from None
    sig = parts[11]
    bad = [
        name
        for name, ok in (
            ("score", bool(_SCORE.match(facts.score))),
            ("issue date", _is_date(facts.issued_on)),
            ("valid until", _is_date(facts.valid_until)),
            ("key id", len(facts.key_id) == 8 and bool(_B64.match(facts.key_id))),
            ("result hash", len(facts.result_hash) == 43 and bool(_B64.match(facts.result_hash))),
            ("signature", len(sig) == 86 and bool(_B64.match(sig))),
        )
        if not ok
    ]
    if bad or any(not f for f in (facts.number, facts.standard, facts.level)):
        what = ", ".join(bad) or "empty field"
        raise _unreadable(text, f"the payload is damaged ({what}) / 核验码已损坏（{what}）")
    return Token(facts, _b64decode(sig), raw)


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _unreadable(text: str, message: str) -> PayloadError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return PayloadError([Problem(shown, message, hint="copy the whole URL or payload from the QR code")])
