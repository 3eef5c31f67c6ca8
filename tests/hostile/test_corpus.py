"""The hostile corpus: each bad audit, standard and plan gives its exit status and its message.

``manifest.yaml`` lists every file of ``audits/``, ``standards/`` and ``plans/``
with the exit status and a fragment of the English message it must give; every
file is also run in Chinese (same status, a Chinese message, never a traceback).
Run in-process through click, so the corpus costs well under a second a file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from checker.cli import cli

from ..conftest import FIXTURE_STANDARD, GOOD, audit_doc

HERE = Path(__file__).parent
MANIFEST: dict[str, dict[str, list[object]]] = yaml.safe_load(
    (HERE / "manifest.yaml").read_text(encoding="utf-8")
)
CASES = [
    (kind, name, int(str(want[0])), str(want[1]))
    for kind, files in MANIFEST.items()
    for name, want in files.items()
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(kind: str, path: Path, lang: str, tmp_path: Path) -> Result:
    if kind == "audits":
        args = ["run", str(path), "--standards", str(FIXTURE_STANDARD.parent)]
    elif kind == "standards":
        args = ["lint", str(path)]
    else:
        district = tmp_path / "district"
        district.mkdir(exist_ok=True)
        (district / "good.json").write_text(json.dumps(audit_doc(GOOD)), encoding="utf-8")
        args = ["progress", "--plan", str(path), str(district), "--standards", str(FIXTURE_STANDARD.parent)]
    return CliRunner().invoke(cli, [*args, "--lang", lang], catch_exceptions=True)


@pytest.mark.parametrize(
    ("kind", "name", "code", "fragment"), CASES, ids=[f"{k}/{n}" for k, n, _, _ in CASES]
)
def test_hostile_file(kind: str, name: str, code: int, fragment: str, tmp_path: Path) -> None:
    path = HERE / kind / name
    english = _run(kind, path, "en", tmp_path)
    assert english.exception is None or isinstance(english.exception, SystemExit), english.exc_info
    assert english.exit_code == code, english.output
    assert fragment in english.output
    assert "Traceback" not in english.output
    chinese = _run(kind, path, "zh", tmp_path)
    assert chinese.exit_code == code, chinese.output
    assert "Traceback" not in chinese.output
    if code == 2:
        assert chinese.output.startswith("错误: ") and CJK.search(chinese.output.split(": ", 2)[-1])


def test_the_manifest_lists_every_file_of_the_corpus() -> None:
    for kind, files in MANIFEST.items():
        on_disk = {p.name for p in (HERE / kind).iterdir() if p.is_file()}
        assert on_disk == set(files), kind
