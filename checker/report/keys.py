"""Issuer keys: an ECDSA P-256 private key (FILE) and its self-signed X.509 certificate (FILE.pub).

A district signs certificates with one key it keeps private; anyone verifies
them with the public certificate it publishes. The certificate is
self-signed because the district *is* the authority here: trust comes from
getting FILE.pub from the district (its website, its office), not from a
commercial CA. P-256 because every PDF reader (Adobe, Foxit, WPS) validates
it and its signatures are short enough (64 bytes) for a QR code.

The private key file is written with mode 0600 and refused when group or
others can read it (like ssh does): a key readable by everyone on a shared
office machine is no longer private. The key never leaves this module's
objects: ``SigningKey`` does not print it, and nothing writes it elsewhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checker.core.errors import CheckerError, Problem

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey, EllipticCurvePublicKey
    from cryptography.x509 import Certificate

__all__ = [
    "DEFAULT_SUBJECT",
    "KEY_ENV",
    "PASSPHRASE_ENV",
    "Issuer",
    "KeyFileError",
    "SigningKey",
    "issuer_from_pem",
    "key_id",
    "load_issuer",
    "load_signing_key",
    "new_key_pair",
    "pub_path",
    "subject_of",
    "write_key_pair",
]

DEFAULT_SUBJECT = "重庆市渝中区妇女儿童工作委员会"
KEY_ENV = "TONGCHECK_SIGNING_KEY"
PASSPHRASE_ENV = "TONGCHECK_KEY_PASSPHRASE"
CERT_YEARS = 10
_MAX_FILE = 64 * 1024


class KeyFileError(CheckerError):
    """A key or issuer certificate is missing, unreadable, unprotected or not the right kind."""

    kind = "key"


def _fail(path: str | Path, message: str, hint: str = "") -> KeyFileError:
    return KeyFileError([Problem(str(path), message, hint=hint)])


@dataclass(frozen=True)
class Issuer:
    """Who signs: the public X.509 certificate of a district's key."""

    certificate: Certificate
    subject: str
    key_id: str
    pem: bytes

    @property
    def public_key(self) -> EllipticCurvePublicKey:
        return self.certificate.public_key()  # type: ignore[return-value]


@dataclass(frozen=True)
class SigningKey:
    """A private key with its issuer certificate; its repr never shows the key."""

    issuer: Issuer
    private_key: EllipticCurvePrivateKey = field(repr=False)

    def __repr__(self) -> str:
        return f"SigningKey(subject={self.issuer.subject!r}, key_id={self.issuer.key_id!r})"


def pub_path(key_file: str | Path) -> Path:
    """FILE.pub next to FILE."""
    path = Path(key_file)
    return path.with_name(path.name + ".pub")


def key_id(public_key: EllipticCurvePublicKey) -> str:
    """8 characters naming a public key: base64url of the first 6 bytes of SHA-256(SubjectPublicKeyInfo)."""
    from cryptography.hazmat.primitives import serialization

    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(spki).digest()[:6]).decode("ascii")


def new_key_pair(
    subject: str, passphrase: bytes | None = None, *, now: dt.datetime | None = None
) -> tuple[bytes, bytes]:
    """(private key PEM, self-signed certificate PEM) for a new P-256 key named ``subject``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    subject = subject.strip()
    if not subject:
        raise _fail("--subject", "the subject (the issuing body's name) is empty / 签发单位名称为空")
    size = len(subject.encode("utf-8"))
    if size > 64:  # X.509 names hold 64 bytes here; cutting one would misname the issuer on every certificate
        raise _fail(
            "--subject",
            f"签发单位名称过长：{size} 字节，证书中最多 64 字节（约 21 个汉字） / "
            f"the issuing body's name is {size} bytes long; a certificate holds at most 64 "
            "(about 21 Chinese characters)",
            "用单位的规范简称，例如“渝中区妇儿工委” / use the body's official short name",
        )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def write_key_pair(
    path: str | Path, subject: str, passphrase: bytes | None = None, *, force: bool = False
) -> tuple[Path, Path]:
    """Create FILE (mode 0600) and FILE.pub; an existing key is never overwritten unless ``force``."""
    from checker.core.fsutil import atomic_write

    target = Path(path)
    public = pub_path(target)
    for existing in (target, public):
        if existing.exists() and not force:
            raise _fail(
                existing,
                "already exists; a key is not overwritten / 文件已存在，不会覆盖已有密钥",
                "choose another FILE, or pass --force if the old key is really to be replaced "
                "(certificates it signed then need the old FILE.pub to be verified)",
            )
    if target.is_dir():
        raise _fail(target, "is a directory / 这是一个目录", "give a file name, e.g. keys/district.pem")
    key_pem, cert_pem = new_key_pair(subject, passphrase)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, key_pem, mode=0o600)
        atomic_write(public, cert_pem, mode=0o644)
    except OSError as exc:
        raise _fail(target, f"cannot write the key: {exc.strerror or exc} / 无法写入密钥") from None
    return target, public


def _read(path: Path, what: str) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail(
            path,
            f"{what} not found / 找不到{'密钥文件' if what == 'key' else '签发证书'}",
            "create one with `check keys new FILE`, or check the path "
            "/ 请用 `check keys new 文件` 创建，或检查路径",
        ) from None
    except OSError as exc:
        raise _fail(path, f"cannot read the {what}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _fail(path, f"the {what} is not a regular file / 不是普通文件")
    if info.st_size > _MAX_FILE:
        raise _fail(path, f"too large for a {what} ({info.st_size} bytes) / 文件过大，不是密钥文件")
    if what == "key" and os.name == "posix" and info.st_mode & 0o077:
        raise _fail(
            path,
            f"the private key is readable by other users (mode {stat.S_IMODE(info.st_mode):04o}) "
            "/ 私钥文件权限过宽，其他用户可读",
            f"run: chmod 600 {path}",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read the {what}: {exc.strerror or exc}") from None


def subject_of(cert: Certificate) -> str:
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        values = cert.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return cert.subject.rfc4514_string()


def issuer_from_pem(data: bytes, source: str = "<issuer>") -> Issuer:
    """An issuer from its certificate PEM; refuses anything that is not a P-256 certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise _fail(
            source,
            "not an issuer certificate (PEM X.509) / 不是签发证书（PEM 格式 X.509）",
            "give the FILE.pub written by `check keys new` / 请指定 `check keys new` 生成的 .pub 文件",
        ) from None
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name != "secp256r1":
        raise _fail(source, "the certificate's key is not ECDSA P-256 / 证书密钥不是 ECDSA P-256")
    return Issuer(cert, subject_of(cert), key_id(public), data)


def load_issuer(path: str | Path) -> Issuer:
    """The issuer certificate in ``path`` (a FILE.pub)."""
    return issuer_from_pem(_read(Path(path), "issuer certificate"), str(path))


def load_signing_key(path: str | Path, passphrase: bytes | None = None) -> SigningKey:
    """The private key in ``path`` with its FILE.pub, checked to belong together.

    Raises :class:`KeyFileError` (one problem, one line) for a missing file, a
    key readable by others, a missing or wrong passphrase, a key of another
    kind, or a FILE.pub of another key.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key_file = Path(path)
    data = _read(key_file, "key")
    encrypted = b"ENCRYPTED" in data[:256]
    if encrypted and not passphrase:
        raise _fail(
            key_file,
            "the key is protected by a passphrase / 私钥设有口令",
            f"set ${PASSPHRASE_ENV}, or run in a terminal to be asked "
            f"/ 请设置 ${PASSPHRASE_ENV}，或在终端中运行以输入口令",
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except ValueError as exc:
        if encrypted:
            raise _fail(key_file, "wrong passphrase for the key / 私钥口令错误") from None
        raise _fail(key_file, f"not a private key in PEM form ({exc}) / 不是 PEM 格式私钥") from None
    except TypeError:
        raise _fail(key_file, "the key needs no passphrase / 该私钥无需口令") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise _fail(key_file, "not an ECDSA P-256 key / 不是 ECDSA P-256 私钥", "use `check keys new`")
    issuer = load_issuer(pub_path(key_file))
    if issuer.key_id != key_id(key.public_key()):
        raise _fail(
            pub_path(key_file),
            "this certificate belongs to another key / 此签发证书与私钥不匹配",
            "keep FILE and FILE.pub together as `check keys new` wrote them",
        )
    return SigningKey(issuer, key)
