"""Issuer keys and the signed payload: no PDF, fast."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import segno

from checker import Result, Standard
from checker.report.certificate import certificate_number, result_hash
from checker.report.issue import Issue, issue_facts
from checker.report.keys import KeyFileError, SigningKey, load_signing_key, write_key_pair
from checker.report.payload import PayloadError, b64, parse, signature_ok, url_for
from checker.report.verify import check_payload

from .conftest import ISSUED_ON


def test_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key_file, pub = write_key_pair(tmp_path / "k.pem", "渝中区测试单位")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert pub.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    with pytest.raises(KeyFileError, match="already exists"):
        write_key_pair(key_file, "x")
    loaded = load_signing_key(key_file)
    assert loaded.issuer.subject == "渝中区测试单位"
    assert "PRIVATE" not in repr(loaded) and "private_key" not in repr(loaded)


def test_bad_keys_get_one_line_reasons(tmp_path: Path, key_dir: Path) -> None:
    with pytest.raises(KeyFileError, match="not found"):
        load_signing_key(tmp_path / "missing.pem")
    key_file, _ = write_key_pair(tmp_path / "open.pem", "x")
    os.chmod(key_file, 0o644)
    with pytest.raises(KeyFileError, match="readable by other users") as info:
        load_signing_key(key_file)
    assert "chmod 600" in info.value.problems[0].hint
    locked, _ = write_key_pair(tmp_path / "locked.pem", "x", b"correct horse")
    with pytest.raises(KeyFileError, match="protected by a passphrase"):
        load_signing_key(locked)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_signing_key(locked, b"wrong")
    assert load_signing_key(locked, b"correct horse").issuer.subject == "x"
    mixed = tmp_path / "mixed.pem"
    mixed.write_bytes((key_dir / "district.pem").read_bytes())
    os.chmod(mixed, 0o600)
    (tmp_path / "mixed.pem.pub").write_bytes((key_dir / "other.pem.pub").read_bytes())
    with pytest.raises(KeyFileError, match="belongs to another key"):
        load_signing_key(mixed)


def _token(certified: Result, std: Standard, key: SigningKey) -> str:
    facts = issue_facts(certified, std, Issue(key=key, issued_on=ISSUED_ON))
    assert facts.token is not None
    return facts.token


def test_payload_round_trip_and_contents(certified: Result, std: Standard, key: SigningKey) -> None:
    token = _token(certified, std, key)
    assert _token(certified, std, key) == token  # deterministic signatures: every copy alike
    parsed = parse(token)
    f = parsed.facts
    assert f.number == certificate_number(certified)
    assert (f.standard, f.version, f.level) == (certified.standard.id, certified.standard.version, certified.level)
    assert f.score == f"{certified.score:.2f}" and f.issued_on == ISSUED_ON
    assert f.result_hash == b64(result_hash(certified)) and f.key_id == key.issuer.key_id
    assert signature_ok(parsed, key.issuer)
    url = url_for("https://verify.example.org/c", token)
    assert parse(url).text == token
    assert check_payload(url, [key.issuer], today=ISSUED_ON).outcome == "genuine"
    assert len(url) < 320 and segno.make(url, error="m", micro=False).version <= 13


@pytest.mark.parametrize("position", [4, 30, 60, 100, 150, 200, -5])
def test_any_changed_character_is_not_genuine(
    certified: Result, std: Standard, key: SigningKey, position: int
) -> None:
    token = _token(certified, std, key)
    i = position % len(token)
    changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    found = check_payload(changed, [key.issuer], today=ISSUED_ON)
    assert found.outcome in ("altered", "other_issuer", "unreadable"), (i, changed)
    assert found.exit_code in (1, 2)


def test_other_issuer_and_garbage(certified: Result, std: Standard, key: SigningKey, other: SigningKey) -> None:
    forged = _token(certified, std, other)  # a self-made key signs the same facts
    found = check_payload(forged, [key.issuer], today=ISSUED_ON)
    assert found.outcome == "other_issuer" and found.exit_code == 1
    assert other.issuer.key_id in found.zh
    for junk in ("", "hello", "TC2~a~b", "https://example.org/c?x=1", "TC1:YZ-PRK-2026-ABCD-EFGH:XYZ"):
        with pytest.raises(PayloadError):
            parse(junk)
        assert check_payload(junk, [key.issuer]).exit_code == 2


def test_expired_payload(certified: Result, std: Standard, key: SigningKey) -> None:
    token = _token(certified, std, key)
    until = parse(token).facts.valid_until
    assert check_payload(token, [key.issuer], today=until).outcome == "genuine"
    assert check_payload(token, [key.issuer], today="2099-01-01").outcome == "expired"


def test_an_issuer_name_too_long_for_a_certificate_is_refused_not_cut(tmp_path: Path) -> None:
    from cryptography import x509

    from checker.core.errors import CheckerError
    from checker.report.keys import new_key_pair, subject_of

    fits = "重庆市渝中区人民政府妇女儿童工作委员会办公"  # 21 characters, 63 bytes
    assert subject_of(x509.load_pem_x509_certificate(new_key_pair(fits)[1])) == fits
    with pytest.raises(CheckerError) as info:
        new_key_pair(fits + "室")  # 66 bytes: cryptography raised a ValueError here (exit 3)
    assert "66" in str(info.value) and "64" in str(info.value)
