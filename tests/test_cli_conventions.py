"""CLI conventions (issue 13, item 6): help with examples everywhere, NO_COLOR and TERM=dumb,
warnings on standard error, shell completion, the licence file, `check docs --check`."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from checker.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ENV = {"LANG": "en_GB.UTF-8", "TONGCHECK_STANDARDS": ""}


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


ALL = list(_commands(cli))


def test_every_command_is_listed() -> None:
    assert ("run",) in ALL and ("history", "where") in ALL and len(ALL) > 20


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "check")
def test_every_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`check {' '.join(path)} --help` shows no example"
    example = result.output.split("Example", 1)[1]
    assert "check " in example  # an example is a command line


def _audit_with_expired_waiver(tmp_path: Path) -> Path:
    doc = json.loads((EXAMPLES / "commercial" / "compliant.json").read_text(encoding="utf-8"))
    doc["waivers"][0]["expires"] = "2026-01-01"  # before the audit: a warning, evaluated as usual
    path = tmp_path / "waiver.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_warnings_go_to_standard_error(tmp_path: Path) -> None:
    path = _audit_with_expired_waiver(tmp_path)
    for args in (
        [str(path)],
        [str(path), str(EXAMPLES / "parks" / "compliant.json")],
        [str(path), "-v", "-j", "1"],
    ):
        result = CliRunner().invoke(cli, args, env=ENV)
        assert "expired on 2026-01-01" in result.stderr and f"warning: {path}:" in result.stderr
        assert "expired" not in result.stdout and "\x1e" not in result.output


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals(env: dict[str, str]) -> None:
    audit = str(EXAMPLES / "schools" / "not-certified.json")
    coloured = CliRunner().invoke(cli, [audit], env=ENV, color=True)
    assert "\x1b[" in coloured.stdout  # click keeps colour on what it takes for a terminal
    plain = CliRunner().invoke(cli, [audit], env={**ENV, **env}, color=True)
    assert "\x1b[" not in plain.output and "not certified" in plain.stdout
    forced = CliRunner().invoke(cli, [audit, "--color"], env={**ENV, **env}, color=True)
    assert "\x1b[" in forced.stdout  # an explicit --color still wins
    empty = CliRunner().invoke(cli, [audit], env={**ENV, "NO_COLOR": ""}, color=True)
    assert "\x1b[" in empty.stdout  # NO_COLOR set but empty does not count (no-color.org)


def _complete(words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    monkeypatch.setenv("_CHECK_COMPLETE", "bash_complete")
    result = CliRunner().invoke(cli, [], prog_name="check")
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_shell_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    from checker.core.catalog import Catalog

    ids = Catalog.discover([], environment=False).ids()
    shown = _complete("check show yuzhong-s", monkeypatch)
    assert shown == sorted(i for i in ids if i.startswith("yuzhong-s")) and "yuzhong-school" in shown
    assert _complete("check template yuzhong-pa", monkeypatch) == ["yuzhong-park"]
    assert _complete("check history show X --standard yuzhong-h", monkeypatch) == ["yuzhong-hospital"]
    assert _complete("check examples/schools/ex", monkeypatch) == ["examples/schools/exemplary.json"]
    assert "examples/schools/invalid.expected.en.txt" not in _complete(
        "check run examples/schools/", monkeypatch
    )
    assert "examples/" in _complete("check exam", monkeypatch)
    top = _complete("check hi", monkeypatch)
    assert "history" in top
    assert _complete("check export examples/pa", monkeypatch) == ["examples/parks/"]


def test_licence_file_matches_the_declared_licence() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert declared == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_docs_check_says_missing(tmp_path: Path) -> None:
    pages = tmp_path / "standards"
    shutil.copytree(ROOT / "docs" / "standards", pages)
    ok = CliRunner().invoke(cli, ["docs", "--check", "--out", str(pages)], env=ENV)
    assert ok.exit_code == 0, ok.output
    (pages / "yuzhong-park.md").unlink()
    (pages / "yuzhong-school.md").write_text("old\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs", "--check", "--out", str(pages)], env=ENV)
    assert result.exit_code == 1
    assert f"{pages / 'yuzhong-park.md'} is missing" in result.stderr
    assert f"{pages / 'yuzhong-school.md'} is out of date" in result.stderr
    empty = CliRunner().invoke(cli, ["docs", "--check", "--out", str(tmp_path / "none")], env=ENV)
    from checker.core.catalog import Catalog

    pages_expected = len(Catalog.discover([], environment=False).ids())  # one page per shipped standard
    assert empty.exit_code == 1 and empty.stderr.count("is missing") == pages_expected
