"""The district's whole round through the command line: key, issue, verify, supersede, revoke, bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXEMPLARY = ROOT / "examples" / "schools" / "exemplary.json"

pytestmark = pytest.mark.pdf


def _run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, list(args), env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A key, two audits of one school (the second later), both certified and signed."""
    root = tmp_path_factory.mktemp("district")
    runner = CliRunner()
    code, out = _run(runner, "keys", "new", str(root / "keys" / "d.pem"), "--lang", "en")
    assert code == 0 and "key id" in out
    later = json.loads(EXEMPLARY.read_text(encoding="utf-8"))
    later["audited_on"] = "2026-12-03"
    (root / "later.json").write_text(json.dumps(later, ensure_ascii=False), encoding="utf-8")
    env = {"TONGCHECK_HISTORY": str(root / "d.sqlite3"), "TONGCHECK_VERIFY_URL": "https://verify.example.org/c"}
    for audit, out_dir in ((EXEMPLARY, "first"), (root / "later.json", "second")):
        code, out = _run(runner, str(audit), "--pdf", str(root / out_dir), "--sign-key",
                         str(root / "keys" / "d.pem"), "--report", "certificate", env=env)  # fmt: skip
        assert code == 0, out
    return {"root": root, "db": root / "d.sqlite3", "pub": root / "keys" / "d.pem.pub",
            "first": next((root / "first").glob("*.pdf")), "second": next((root / "second").glob("*.pdf"))}  # fmt: skip


def test_key_file_mode_and_public_certificate(district: dict[str, Path]) -> None:
    assert oct(os.stat(district["root"] / "keys" / "d.pem").st_mode & 0o777) == "0o600"
    assert district["pub"].read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")


def test_verify_genuine_then_superseded(district: dict[str, Path]) -> None:
    runner = CliRunner()
    code, out = _run(runner, "verify", str(district["second"]), "--pub", str(district["pub"]), "--lang", "en")
    assert code == 0 and "genuine and valid" in out
    assert "Exemplary" in out and "exemplary" not in out
    code, out = _run(runner, "verify", str(district["first"]), "--register", str(district["db"]), "--lang", "en")
    assert code == 1 and "superseded by certificate" in out
    code, out = _run(runner, "register", "list", "--db", str(district["db"]), "--format", "json")
    rows = json.loads(out)
    assert sorted(r["status"] for r in rows) == ["superseded", "valid"]


def test_revoke_then_verify_by_number(district: dict[str, Path]) -> None:
    runner = CliRunner()
    db = str(district["db"])
    code, out = _run(runner, "register", "list", "--db", db, "--status", "valid", "--format", "json")
    number = json.loads(out)[0]["number"]
    code, out = _run(runner, "verify", number, "--register", db)
    assert code == 0 and "真实有效" in out and "示范" in out and "exemplary" not in out
    code, out = _run(runner, "register", "revoke", number, "--reason", "护栏拆除，复评不合格", "--db", db)
    assert code == 0
    code, out = _run(runner, "verify", number, "--register", db, "--lang", "en")
    assert code == 1 and "revoked" in out and "护栏拆除" in out
    code, out = _run(runner, "verify", str(district["second"]), "--register", db)
    assert code == 1 and "已撤销" in out
    code, out = _run(runner, "verify", "YZ-SCH-2026-0000-0000", "--register", db)
    assert code == 1 and "没有此证书编号" in out


def test_bad_input_is_one_line_never_genuine(district: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    key = district["root"] / "keys" / "d.pem"
    pdf = str(district["second"])
    code, out = _run(runner, str(EXEMPLARY), "--pdf", str(tmp_path), "--sign-key", str(tmp_path / "none.pem"))
    assert code == 2 and "not found" in out
    loose = tmp_path / "loose.pem"
    shutil.copy(key, loose)
    shutil.copy(district["pub"], tmp_path / "loose.pem.pub")
    os.chmod(loose, 0o644)
    code, out = _run(runner, str(EXEMPLARY), "--pdf", str(tmp_path), "--sign-key", str(loose))
    assert code == 2 and "chmod 600" in out
    assert not list(tmp_path.glob("*.pdf"))
    code, out = _run(runner, "keys", "new", str(tmp_path / "locked.pem"), "--passphrase",
                     env={"TONGCHECK_KEY_PASSPHRASE": "right"})  # fmt: skip
    assert code == 0
    code, out = _run(runner, str(EXEMPLARY), "--pdf", str(tmp_path), "--sign-key", str(tmp_path / "locked.pem"),
                     env={"TONGCHECK_KEY_PASSPHRASE": "wrong"})  # fmt: skip
    assert code == 2 and "wrong passphrase" in out
    _run(runner, "keys", "new", str(tmp_path / "other.pem"))
    code, out = _run(runner, "verify", pdf, "--pub", str(tmp_path / "other.pem.pub"), "--lang", "en")
    assert code == 1 and "not signed by this issuer" in out
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(district["second"].read_bytes()[:50000])
    code, out = _run(runner, "verify", str(truncated), "not-a-thing", "--pub", str(district["pub"]))
    assert code == 2 and "genuine" not in out and "真实有效" not in out
    code, out = _run(runner, "verify", pdf)
    assert code == 2 and "--pub" in out
