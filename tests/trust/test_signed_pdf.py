"""Signed PDFs read back as a verifier would: pyHanko, a real QR decoder, and tampering."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from checker import Result, Standard
from checker.report import render_pdf
from checker.report.issue import Issue
from checker.report.keys import Issuer, SigningKey
from checker.report.pdfsign import sign_pdf
from checker.report.verify import check_pdf

from ..report.conftest import pdftotext
from .conftest import ISSUED_ON

pytestmark = pytest.mark.pdf


def _keywords(pdf: bytes) -> list[str]:
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    return [w.strip() for w in str(info.get("/Keywords", "")).split(",")]


def _payload(pdf: bytes) -> str:
    return next(w for w in _keywords(pdf) if w.startswith("TC2~"))


def test_genuine_certificate_verifies(signed_cert: bytes, issuer: Issuer, certified: Result) -> None:
    found = check_pdf(signed_cert, [issuer], today=ISSUED_ON)
    assert found.outcome == "genuine", found.zh
    assert found.facts is not None and found.facts.score == f"{certified.score:.2f}"
    assert found.signer == "重庆市渝中区妇女儿童工作委员会"


def test_pyhanko_validates_the_signature_as_intact(signed_cert: bytes, issuer: Issuer) -> None:
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(issuer.certificate.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(signed_cert))
    (sig,) = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_signing_keeps_pdfa_metadata(certified: Result, std: Standard, key: SigningKey) -> None:
    """The signed revision leaves Info and XMP as rendered (PDF/A wants them to agree) and stays PDF 1.7."""
    unsigned = render_pdf(certified, std, kind="certificate", lang="en", issue=Issue(key=key, issued_on=ISSUED_ON))
    before = pypdf.PdfReader(io.BytesIO(unsigned))
    # render_pdf signed it; sign the unsigned base again to compare revision to revision
    base = unsigned[: unsigned.rindex(b"%%EOF", 0, len(unsigned) - 10) + 5]
    for pdf in (unsigned, sign_pdf(base, key, reason="test")):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert reader.metadata == before.metadata
        root = reader.trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert 'pdfaid:part="3"' in xmp and "pyHanko" not in xmp
        assert str(root.get("/Version", "/1.7")) != "/2.0"
        assert "/ESIC" in root["/Extensions"]
        (field,) = root["/AcroForm"]["/Fields"]
        assert field.get_object()["/F"] & 4  # printable, as PDF/A asks of every annotation


def test_qr_read_back_by_zbar_equals_the_payload(signed_cert: bytes, tmp_path: Path) -> None:
    zbarimg, pdftoppm = shutil.which("zbarimg"), shutil.which("pdftoppm")
    if not (zbarimg and pdftoppm):
        if os.environ.get("CI"):
            pytest.fail("zbarimg and pdftoppm are needed (./dev installs zbar-tools and poppler-utils)")
        pytest.skip("zbarimg or pdftoppm not installed")
    (tmp_path / "c.pdf").write_bytes(signed_cert)
    subprocess.run([pdftoppm, "-png", "-r", "150", str(tmp_path / "c.pdf"), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    read = subprocess.run([zbarimg, "-q", "--raw", str(png)], capture_output=True, text=True, encoding="utf-8")
    url = read.stdout.strip()
    assert url.startswith("https://") and "?c=TC2~" in url
    from checker.report.payload import parse

    assert parse(url).text == _payload(signed_cert)


def test_page_says_what_the_payload_says(signed_cert: bytes, tmp_path: Path, certified: Result) -> None:
    from checker.report.payload import parse

    facts = parse(_payload(signed_cert)).facts
    text = pdftotext(signed_cert, tmp_path)
    assert facts.number in text and "认定" in text and "认证" not in text
    assert "发证单位" in text and "重庆市渝中区妇女儿童工作委员会" in text
    assert "2026年6月1日" in text  # issue date
    assert "未签名样张" not in text


def test_changed_attachment_is_caught(signed_cert: bytes, issuer: Issuer) -> None:
    """Edit result.json to a higher score in an appended revision: the signature no longer covers the file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_cert))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    stream = names[1]["/EF"].raw_get("/F")
    data = json.loads(stream.get_object().data)
    data["score"] = 99.0
    writer.mark_update(stream)
    obj = stream.get_object()
    obj._data = json.dumps(data).encode()
    obj._encoded_data = None
    out = io.BytesIO()
    writer.write(out)
    found = check_pdf(out.getvalue(), [issuer], today=ISSUED_ON)
    assert found.outcome == "altered" and found.exit_code == 1


def test_reattached_result_resigned_by_another_key_is_not_genuine(
    certified: Result, std: Standard, other: SigningKey, issuer: Issuer
) -> None:
    edited = replace(certified, score=99.0)
    forged = render_pdf(edited, std, kind="certificate", lang="zh", issue=Issue(key=other, issued_on=ISSUED_ON))
    found = check_pdf(forged, [issuer], today=ISSUED_ON)
    assert found.outcome == "other_issuer" and found.exit_code == 1


@pytest.mark.parametrize("where", [0.2, 0.5, 0.8, 0.97])
def test_flipped_byte_is_never_genuine(signed_cert: bytes, issuer: Issuer, where: float) -> None:
    data = bytearray(signed_cert)
    i = int(len(data) * where)
    data[i] ^= 0x01
    found = check_pdf(bytes(data), [issuer], today=ISSUED_ON)
    assert found.outcome != "genuine" and found.exit_code in (1, 2)


def test_truncated_pdf_is_unreadable(signed_cert: bytes, issuer: Issuer) -> None:
    found = check_pdf(signed_cert[: len(signed_cert) // 2], [issuer])
    assert found.outcome in ("unreadable", "altered") and found.exit_code in (1, 2)
    assert check_pdf(b"%PDF-1.7 nonsense", [issuer]).exit_code == 2


def test_unsigned_specimen_is_marked_and_not_genuine(
    certified: Result, std: Standard, issuer: Issuer, tmp_path: Path
) -> None:
    pdf = render_pdf(certified, std, kind="certificate", lang="bilingual", issue=Issue(issued_on=ISSUED_ON))
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and "未签名样张" in str(info.title)
    assert "unsigned-specimen" in _keywords(pdf) and not any(w.startswith("TC2~") for w in _keywords(pdf))
    text = pdftotext(pdf, tmp_path)
    assert "未签名样张" in text and "Unsigned specimen" in text
    assert check_pdf(pdf, [issuer]).outcome == "unsigned"


def test_signed_gap_report(certified: Result, std: Standard, key: SigningKey, issuer: Issuer) -> None:
    pdf = render_pdf(certified, std, kind="gap", lang="zh", issue=Issue(key=key, issued_on=ISSUED_ON))
    found = check_pdf(pdf, [issuer])
    assert found.outcome == "genuine" and "评估报告" in found.zh


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8\x10\x2e\xff" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_one_page_with_a_long_name_a_seal_and_waivers(
    certified: Result, std: Standard, key: SigningKey, issuer: Issuer, tmp_path: Path
) -> None:
    from checker.report.errors import ReportError
    from checker.report.issue import seal_from_bytes

    long = replace(certified, audit=replace(certified.audit, facility={
        "id": "YZ-PRK-012", "name": "渝中区两江交汇山城步道历史文化街区儿童友好公园" * 12,
        "address": "重庆市渝中区解放碑街道民族路188号" * 10}))  # fmt: skip
    seal = seal_from_bytes(_png())
    pdf = render_pdf(long, std, kind="certificate", lang="bilingual", issue=Issue(key=key, issued_on=ISSUED_ON, seal=seal))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdftotext(pdf, tmp_path)
    assert "YZ-PRK-012" in text  # the facility id stays visible however long the address
    assert check_pdf(pdf, [issuer], today=ISSUED_ON).outcome == "genuine"
    with pytest.raises(ReportError, match="PNG or JPEG"):
        seal_from_bytes(b"<svg onload=alert(1)>")


def test_the_private_key_is_nowhere_in_the_outputs(signed_cert: bytes, key: SigningKey) -> None:
    from cryptography.hazmat.primitives import serialization

    secret = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert secret not in signed_cert and der not in signed_cert and b"PRIVATE KEY" not in signed_cert
    assert secret.hex() not in repr(key) and "private_value" not in repr(key)


def test_a_page_that_prints_other_facts_is_caught(signed_cert: bytes, certified: Result) -> None:
    """The verifier reads the printed page: number, facility and score must be the payload's."""
    from checker.report.payload import parse
    from checker.report.verify import _page_disagreement

    facts = parse(_payload(signed_cert)).facts
    name = str(certified.audit.facility["name"])
    assert _page_disagreement(signed_cert, facts, name) is None
    for changed in (replace(facts, number="YZ-SCH-2026-0000-0000"), replace(facts, score="99.99")):
        found = _page_disagreement(signed_cert, changed, name)
        assert found is not None and found.outcome == "altered" and "页面" in found.zh
    found = _page_disagreement(signed_cert, facts, "另一所学校")
    assert found is not None and "facility" in found.en
