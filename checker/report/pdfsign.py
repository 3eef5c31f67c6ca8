"""PAdES baseline-B signatures on our PDFs, with pyHanko; and reading them back.

Signing appends one incremental update to the finished PDF/A-3b file: a
signature field (invisible: zero-size rectangle, print flag set, as PDF/A
asks), the signature dictionary and a DocMDP entry that certifies the
document and allows no change after it. The signature's byte range covers
the whole original file, so it covers the page *and* the attached
``result.json``; any later change to either shows.

Two things pyHanko would otherwise do are held back, because they would
break PDF/A-3b (a PDF 1.7 profile) for no gain:

* it declares PDF 2.0 and the ISO 32002 extension for an ECDSA key. PAdES on
  PDF 1.7 (ETSI EN 319 142-1, the ESIC extension) signs with ECDSA P-256 as
  well, and Adobe, Foxit and WPS validate it;
* it rewrites the XMP metadata and the Info dictionary's producer, which
  would leave them disagreeing (a PDF/A error). The signed revision leaves
  the metadata as WeasyPrint wrote it.

``pyhanko`` is imported only here, and only when a document is signed or
verified.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

from checker.core.errors import Problem
from checker.report.errors import ReportError

if TYPE_CHECKING:
    from checker.report.keys import Issuer, SigningKey

__all__ = ["PdfSignature", "read_signature", "sign_pdf"]

FIELD = "Signature"

# pyHanko logs every failed validation with a traceback; a failed check is an answer here
# (not genuine), reported in one line by the caller, so its log records are dropped.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    _logger = logging.getLogger(_name)
    _logger.addHandler(logging.NullHandler())
    _logger.propagate = False


class _Writer(IncrementalPdfFileWriter):
    """An incremental writer that leaves Info and XMP untouched (see the module docstring)."""

    def _update_meta(self) -> None:
        return None


class _Signer(signers.PdfSigner):
    """Registers only the ESIC extension of PAdES on PDF 1.7, not PDF 2.0's ISO 32002."""

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        pdf_out.ensure_output_version(version=(1, 7))
        from pyhanko.sign.signers import constants

        pdf_out.register_extension(constants.ESIC_EXTENSION_1)


def _cms_signer(key: SigningKey) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = asn1_x509.Certificate.load(key.issuer.certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(
        key.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=private,
        # the signing certificate goes into the signature once (pyHanko adds it itself); a second
        # copy from the registry left a byte range where a flipped byte changed nothing checked
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )


def sign_pdf(pdf: bytes, key: SigningKey, *, reason: str) -> bytes:
    """``pdf`` with a PAdES B-B certification signature by ``key`` appended."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        name=key.issuer.subject,
        reason=reason,
    )
    writer = _Writer(io.BytesIO(pdf))
    out = _Signer(meta, signer=_cms_signer(key)).sign_pdf(writer)
    return bytes(out.getvalue())


@dataclass(frozen=True, slots=True)
class PdfSignature:
    """What a PDF's signature says: checked against the trusted issuers given."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signer_key_id: str = ""
    signed_at: str = ""
    attachment: bytes | None = None
    keywords: str = ""


def read_signature(pdf: bytes, trusted: list[Issuer], source: str = "<pdf>") -> PdfSignature:
    """The PDF's signature validated against ``trusted`` (no network, no system trust list),
    with the attached ``result.json`` and the keywords read from the same file.

    Raises ReportError when the bytes are not a readable PDF.
    """
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from checker.report.keys import key_id, subject_of

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachment = _attachment(reader)
        keywords = _keywords(reader)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file fails in many ways (zlib, xref, types): all "unreadable"
        reason = str(exc)[:100] or type(exc).__name__
        raise ReportError([Problem(source, f"not a readable PDF ({reason}) / 无法读取的 PDF 文件")]) from None
    if not signatures:
        return PdfSignature(signed=False, attachment=attachment, keywords=keywords)
    roots = [asn1_x509.Certificate.load(_der(issuer)) for issuer in trusted]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception as exc:  # any failure to validate means "not intact", never genuine
        return PdfSignature(signed=True, attachment=attachment, keywords=keywords, signer=f"({exc})"[:120])
    subject = kid = ""
    exact = _exact_container(signatures[-1])
    if status.signing_cert is not None:
        from cryptography.x509 import load_der_x509_certificate

        cert = load_der_x509_certificate(status.signing_cert.dump())
        subject = subject_of(cert)
        kid = key_id(cert.public_key())  # type: ignore[arg-type]
    return PdfSignature(
        signed=True,
        intact=bool(status.intact and status.valid and exact),
        trusted=bool(status.trusted),
        whole_file=len(signatures) == 1 and status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=subject,
        signer_key_id=kid,
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else "",
        attachment=attachment,
        keywords=keywords,
    )


def _exact_container(signature: Any) -> bool:
    """The parts of the signature container no signature covers are as a signer writes them:
    the CMS object in its one encoding, then only the zeros of the reserved space; one digest
    algorithm listed, the signer's; version 1 throughout. Validators ignore these, so a byte
    changed there went unnoticed, and "a changed byte is never genuine" held only elsewhere."""
    from asn1crypto import cms

    try:
        content = bytes(signature.pkcs7_content)
        info = cms.ContentInfo.load(content)
        used = info.dump()
        again = cms.ContentInfo.load(used).dump(force=True)
        signed, signer = signature.signed_data, signature.signer_info
        listed = [a.dump() for a in signed["digest_algorithms"]]
        mine = signer["digest_algorithm"].dump()
        versions = (signed["version"].native, signer["version"].native)
    except Exception:  # a container asn1crypto reads only lazily, and fails on: not exact
        return False
    return again == used and not any(content[len(used) :]) and listed == [mine] and versions == ("v1", "v1")


def _der(issuer: Issuer) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return issuer.certificate.public_bytes(serialization.Encoding.DER)


def _keywords(reader: Any) -> str:
    try:
        return str(reader.trailer["/Info"]["/Keywords"])
    except KeyError:
        return ""


def _attachment(reader: Any, name: str = "result.json") -> bytes | None:
    """The embedded file ``name`` from the document's EmbeddedFiles name tree."""
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return None
    nodes = [tree]
    seen = 0
    while nodes and seen < 1000:
        node = nodes.pop()
        seen += 1
        names = _entry(node, "/Names")
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) == name:
                return bytes(names[i + 1]["/EF"]["/F"].data)
        nodes.extend(_entry(node, "/Kids"))
    return None


def _entry(node: Any, key: str) -> Any:
    """``node[key]`` resolved (pyHanko's ``get`` would not resolve references), or an empty list."""
    try:
        return node[key]
    except KeyError:
        return []
