"""Is this certificate genuine? Offline checks of a payload (or its URL) and of a signed PDF.

The trust anchor is the issuer certificate the verifier chose (``--pub``, or
those kept in the district register), never one the document brings along:
anyone can make a key and sign with it. The checks, in order, each with its
own answer:

* a payload: it reads (else *unreadable*); a trusted key has its key id (else
  *another issuer*); the signature covers exactly its characters (else
  *altered*); today is not after its valid-until date (else *expired*).
* a PDF: it reads; it is signed (else *unsigned*); the signature is intact,
  covers the whole file with nothing appended, and is by a trusted key; the
  attached ``result.json`` is there and its canonical hash, the certificate
  number derived from it, and the facts in the result agree with the signed
  payload the PDF carries (in its keywords), which must verify with the same
  key; and the printed page shows that number, facility and score. A gap
  report has no payload: its signature and attachment are checked.

Whether a genuine certificate was later revoked or superseded only the
register knows; ``checker.district.register`` adds that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from checker.core.errors import CheckerError
from checker.report.certificate import canonical_json_text, number_for
from checker.report.payload import PAYLOAD_TAG, Facts, PayloadError, b64, parse, signature_ok

if TYPE_CHECKING:
    from checker.report.keys import Issuer

CERTIFICATE_WORD = "tongcheck-certificate"
__all__ = ["Finding", "Outcome", "check_payload", "check_pdf", "finding", "looks_like_payload"]

Outcome = Literal[
    "genuine",
    "unsigned",
    "other_issuer",
    "altered",
    "expired",
    "revoked",
    "superseded",
    "unknown",
    "unreadable",
]

MESSAGES: dict[str, tuple[str, str]] = {
    "genuine": ("真实有效", "genuine and valid"),
    "genuine_offline": ("真实有效（未查询登记簿，是否撤销未知）",
                        "genuine and valid (register not consulted: revocation unknown)"),
    "genuine_gap": ("真实（评估报告，非证书）", "genuine (an audit report, not a certificate)"),
    "unsigned": ("未签名：没有电子签名，不能证明由发证单位签发", "not signed: nothing shows who issued it"),
    "other_issuer": ("非本发证单位签发（签名密钥 {found}，应为 {wanted}）",
                     "not signed by this issuer (key {found}, expected {wanted})"),
    "altered": ("已被篡改：{why}", "altered: {why}"),
    "expired": ("已过期（有效期至 {until}）", "expired (valid until {until})"),
    "revoked": ("已撤销（{on}，原因：{reason}）", "revoked ({on}, reason: {reason})"),
    "superseded": ("已被新证书 {by} 取代", "superseded by certificate {by}"),
    "unknown": ("登记簿中没有此证书编号", "no certificate with this number in the register"),
    "unreadable": ("无法读取：{why}", "unreadable: {why}"),
}  # fmt: skip
WHY: dict[str, tuple[str, str]] = {
    "payload_sig": ("核验码与签名不符", "the payload does not match its signature"),
    "pdf_sig": ("PDF 签名无效", "the PDF signature does not verify"),
    "appended": ("签名后文件被追加修改", "the file was changed after signing"),
    "no_result": ("缺少随附的 result.json", "the attached result.json is missing"),
    "bad_result": ("随附的 result.json 无法解析", "the attached result.json does not parse"),
    "hash": ("随附结果与核验码的摘要不一致", "the attached result does not match the payload's hash"),
    "number": ("证书编号与结果不一致", "the certificate number does not match the result"),
    "facts": ("证书内容与随附结果不一致（{what}）", "certificate and attached result differ ({what})"),
    "keys": ("PDF 签名与核验码由不同密钥签发", "the PDF and its payload were signed by different keys"),
    "no_payload": ("证书缺少核验码", "the certificate carries no payload"),
    "page": ("证书页面与核验码不一致（{what}）", "the printed page differs from the payload ({what})"),
}


@dataclass
class Finding:
    """The answer for one target: the outcome, the reason in both languages, and what was read."""

    outcome: Outcome
    zh: str
    en: str
    facts: Facts | None = None
    facility: str = ""
    signer: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome == "genuine" else 2 if self.outcome == "unreadable" else 1

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def finding(outcome: Outcome, key: str | None = None, **values: Any) -> Finding:
    zh, en = MESSAGES[key or outcome]
    return Finding(outcome, zh.format(**values), en.format(**values))


def _altered(why: str, **values: Any) -> Finding:
    zh, en = WHY[why]
    return Finding(
        "altered",
        MESSAGES["altered"][0].format(why=zh.format(**values)),
        MESSAGES["altered"][1].format(why=en.format(**values)),
    )


def looks_like_payload(text: str) -> bool:
    return PAYLOAD_TAG + "~" in text or "://" in text


def check_payload(text: str, issuers: list[Issuer], today: str | None = None) -> Finding:
    """Check a payload or verification URL against the trusted ``issuers``."""
    try:
        token = parse(text)
    except PayloadError as exc:
        return finding("unreadable", why=exc.problems[0].message)
    return _check_token(token.text, issuers, today)


def _check_token(text: str, issuers: list[Issuer], today: str | None) -> Finding:
    token = parse(text)
    facts = token.facts
    issuer = next((i for i in issuers if i.key_id == facts.key_id), None)
    if issuer is None:
        wanted = ", ".join(i.key_id for i in issuers) or "—"
        result = finding("other_issuer", found=facts.key_id, wanted=wanted)
    elif not signature_ok(token, issuer):
        result = _altered("payload_sig")
    elif (today or dt.date.today().isoformat()) > facts.valid_until:
        result = finding("expired", until=facts.valid_until)
    else:
        result = finding("genuine")
    result.facts = facts
    if issuer is not None:
        result.signer = issuer.subject
    return result


def check_pdf(data: bytes, issuers: list[Issuer], today: str | None = None, source: str = "<pdf>") -> Finding:
    """Check a signed certificate or gap report PDF against the trusted ``issuers``."""
    from checker.report.pdfsign import read_signature

    try:
        sig = read_signature(data, issuers, source)
    except CheckerError as exc:
        return finding("unreadable", why=exc.problems[0].message)
    if not sig.signed:
        return finding("unsigned")
    if not sig.intact:
        return _altered("pdf_sig")
    if not sig.whole_file:
        return _altered("appended")
    if not sig.trusted:
        wanted = ", ".join(i.key_id for i in issuers) or "—"
        found = finding("other_issuer", found=sig.signer_key_id or "?", wanted=wanted)
        found.signer = sig.signer
        return found
    if sig.attachment is None:
        return _altered("no_result")
    try:
        digest = hashlib.sha256(canonical_json_text(sig.attachment)).digest()
        result: dict[str, Any] = json.loads(sig.attachment)
        audit, standard = result["audit"], result["standard"]
        number = number_for(digest, standard["facility_type"], audit["audited_on"])
    except (ValueError, KeyError, TypeError):
        return _altered("bad_result")
    words = [w.strip() for w in sig.keywords.split(",")]
    payload = next((w for w in words if w.startswith(PAYLOAD_TAG + "~")), None)
    facility = str(audit.get("facility", {}).get("name", ""))
    if payload is None:
        if CERTIFICATE_WORD in words:
            return _altered("no_payload")
        found = finding("genuine", "genuine_gap")
        found.facility, found.signer = facility, sig.signer
        return found
    try:
        checked = _check_token(payload, [i for i in issuers if i.key_id == sig.signer_key_id], today)
    except PayloadError:
        return _altered("payload_sig")
    facts = checked.facts
    assert facts is not None
    problem = _disagreement(facts, digest, number, result) or _page_disagreement(data, facts, facility)
    if checked.outcome == "other_issuer":
        checked = _altered("keys")
    elif problem is not None:
        checked = problem
    checked.facts, checked.facility, checked.signer = facts, facility, sig.signer
    return checked


def _disagreement(facts: Facts, digest: bytes, number: str, result: dict[str, Any]) -> Finding | None:
    if facts.result_hash != b64(digest):
        return _altered("hash")
    if facts.number != number:
        return _altered("number")
    expected = {
        "standard": result["standard"]["id"],
        "version": result["standard"]["version"],
        "facility": str(result["audit"]["facility"].get("id") or ""),
        "level": result.get("level") or "",
        "score": f"{float(result['score']):.2f}",
    }
    wrong = [name for name, value in expected.items() if getattr(facts, name) != value]
    return _altered("facts", what=", ".join(wrong)) if wrong else None


def _page_disagreement(data: bytes, facts: Facts, facility: str) -> Finding | None:
    """The first page must print what the payload asserts. The signature already binds the page to
    the payload; this catches an issuing tool that printed one thing and signed another."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from checker.report.html import num

    try:
        text = "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError):
        return _altered("page", what="?")
    printed = {"number": facts.number, "facility": facility, "score": num(float(facts.score))}
    wrong = [name for name, value in printed.items() if "".join(value.split()) not in text]
    return _altered("page", what=", ".join(wrong)) if wrong else None
