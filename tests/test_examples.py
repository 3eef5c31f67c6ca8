"""Every shipped example audit gives the result it was written for.

The file name states the intent (exemplary, compliant, not-certified,
incomplete, invalid); the golden JSON pins the whole result so any change in
scoring or wording is seen in review. Regenerate after an intended change:
``TONGCHECK_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_examples.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import Catalog, check, load_audit
from checker.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.json") if not p.stem.startswith("invalid"))
INVALID = sorted((ROOT / "examples").glob("*/invalid*.json"))
GOLDEN = ROOT / "tests" / "golden"
INTENT = {
    "exemplary": ("certified", "exemplary"),
    "compliant": ("certified", "compliant"),
    "not-certified": ("not_certified", None),
    "incomplete": ("incomplete", None),
}
CATALOG = Catalog.discover(environment=False)


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def test_every_standard_has_the_four_examples() -> None:
    stems = {p.stem for p in (ROOT / "standards").glob("*.yaml")}
    for stem in stems:
        names = {p.stem for p in (ROOT / "examples" / stem).glob("*.json")}
        assert set(INTENT) <= names, stem


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids(EXAMPLES))
def test_example_intent_and_golden(path: Path) -> None:
    result = check(load_audit(path, CATALOG, name=str(path.relative_to(ROOT))), CATALOG)
    assert (result.verdict, result.level) == INTENT[path.stem]
    golden = GOLDEN / path.parent.name / f"{path.stem}.json"
    produced = json.loads(result.to_json())
    if os.environ.get("TONGCHECK_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(produced, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert produced == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_example_error_text(path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = path.with_suffix(f".expected.{lang}.txt").read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["--lang", lang, str(path.relative_to(ROOT))])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == expected
