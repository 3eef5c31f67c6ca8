"""The README's library example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match is not None
    exec(compile(match.group(1), "README.md", "exec"), {})
    assert "certified exemplary" in capsys.readouterr().out


def test_readme_error_example_matches_the_expected_output() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        expected = (ROOT / "examples" / "schools" / f"invalid.expected.{lang}.txt").read_text(
            encoding="utf-8"
        )
        assert expected in text, lang
