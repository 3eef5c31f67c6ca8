"""A district key pair, another issuer's key, and signed documents, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import Result, Standard
from checker.report import render_pdf
from checker.report.issue import Issue
from checker.report.keys import Issuer, SigningKey, load_issuer, load_signing_key, write_key_pair

from ..report.builders import long_audit, long_standard, result_for

ISSUED_ON = "2026-06-01"


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys")
    write_key_pair(path / "district.pem", "重庆市渝中区妇女儿童工作委员会")
    write_key_pair(path / "other.pem", "某冒充单位")
    return path


@pytest.fixture(scope="session")
def key(key_dir: Path) -> SigningKey:
    return load_signing_key(key_dir / "district.pem")


@pytest.fixture(scope="session")
def issuer(key_dir: Path) -> Issuer:
    return load_issuer(key_dir / "district.pem.pub")


@pytest.fixture(scope="session")
def other(key_dir: Path) -> SigningKey:
    return load_signing_key(key_dir / "other.pem")


@pytest.fixture(scope="session")
def std() -> Standard:
    return long_standard(sections=3, rules_per_section=6)


@pytest.fixture(scope="session")
def certified(std: Standard) -> Result:
    return result_for(long_audit(std, seed=3, good=0.8, missing=0.0, mandatory_ok=True), std)


@pytest.fixture(scope="session")
def signed_cert(certified: Result, std: Standard, key: SigningKey) -> bytes:
    issue = Issue(key=key, issued_on=ISSUED_ON)
    return render_pdf(certified, std, kind="certificate", lang="zh", issue=issue)
