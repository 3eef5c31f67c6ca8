"""Terminal output is inert: what an input says is shown, never executed by the terminal.

The hostile audit ``tests/hostile/audits/terminal-escapes.json`` puts ESC
sequences (clear screen, cursor moves, colours, a window title), CR, BS, BEL,
C1 controls, bidi overrides and isolates, and line breaks followed by a fake
verdict into every text an audit carries. Whatever view prints it (the result,
the batch summary, errors, history), with or without colour, on a pipe or a
terminal, no such character may reach the terminal raw, and no line may read
like a verdict except our own.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli.main import cli
from checker.cli.terminal import guard
from checker.core.inert import UNSAFE_CHARS, inert

from .conftest import FIXTURE_STANDARD, ROOT

HOSTILE = ROOT / "tests" / "hostile" / "audits" / "terminal-escapes.json"
STD = ["--standards", str(FIXTURE_STANDARD.parent)]
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")


def _raw_controls(text: str) -> list[str]:
    """Control or format characters left raw, once our own colour codes and line breaks are set aside."""
    return sorted({ch for ch in _UNSAFE.findall(_SGR.sub("", text)) if ch != "\n"})


def _verdict_lines(text: str) -> list[str]:
    plain = _SGR.sub("", text)
    return [line for line in plain.splitlines() if line.startswith(("Verdict:", "结论:"))]


def test_unsafe_set_is_every_control_format_separator_and_surrogate() -> None:
    """The hand-written ranges hold every Cc, Cf, Zl, Zp and Cs character of this Python's Unicode."""
    wanted = {"Cc", "Cf", "Zl", "Zp", "Cs"}
    pattern = re.compile(f"[{UNSAFE_CHARS}]")
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in wanted and not pattern.match(chr(code))
    ]
    assert not missing
    assert not pattern.search("渝中区 Park, 1.5 m² – “ok” ✓ ½ 🙂")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain 中文", "plain 中文"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("l1\nl2\r\tx", "l1\\x0al2\\x0d\\x09x"),
        ("\x85\x9b", "\\x85\\x9b"),
        ("\u202eevil\u2066x\u2069", "\\u202eevil\\u2066x\\u2069"),
        ("zw\u200bj\ufeff", "zw\\u200bj\\ufeff"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("bad\udcff.json", "bad\\udcff.json"),
    ],
)
def test_inert(raw: str, shown: str) -> None:
    assert inert(raw) == shown


def test_guard_keeps_our_lines_and_colours_only() -> None:
    ours = "\x1b[1mname\x1b[0m\n  \x1b[31mfail\x1b[0m\tx"
    assert guard(ours) == ours
    assert guard("a\x1b[2Jb\x1b]0;t\x07\r\u202e") == "a\\x1b[2Jb\\x1b]0;t\\x07\\x0d\\u202e"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"LANG": "en_GB.UTF-8"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("colour", ["--color", "--no-color"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_result_text_is_inert(colour: str, lang: str) -> None:
    code, out, err = _run(str(HOSTILE), *STD, "-v", colour, "--lang", lang)
    assert code == 1, err
    assert _raw_controls(out) == [] and _raw_controls(err) == []
    assert len(_verdict_lines(out)) == 1  # ours; the fake ones stay inside their escaped text
    assert _verdict_lines(out)[0].startswith(("Verdict: not certified", "结论: 未通过认定"))
    assert "\\x1b[2J" in out and "\\u202e" in out and "\\x0aVerdict: certified" in out
    assert ("\x1b[" in out) == (colour == "--color")


def test_batch_summary_errors_and_file_names_are_inert(tmp_path: Path) -> None:
    doc = json.loads(HOSTILE.read_text(encoding="utf-8"))
    (tmp_path / "ok.json").write_text(json.dumps(doc), encoding="utf-8")
    bad = dict(
        doc, standard="test-fixture\x1b[2J\u202e", observations={"height_m": "1\x1b[31m\nVerdict: certified"}
    )
    (tmp_path / "bad\x1b[2J\u202e\r.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "worse\u0085.json").write_text('{"format": 1, "standard": "x\\u001b[2J"', encoding="utf-8")
    code, out, err = _run(str(tmp_path), *STD, "-j", "1", "--color")
    assert code == 2
    assert _raw_controls(out) == [] and _raw_controls(err) == []
    assert "bad\\x1b[2J\\u202e\\x0d.json" in err and "worse\\x85.json" in err
    assert "internal error" not in err  # a truncated file is a located JSON problem
    # one line per audit: ours starts with the verdict mark; the fake verdict stays inside it
    lines = _SGR.sub("", out).split("\n\n")[0].splitlines()
    assert len(lines) == 1 and lines[0].startswith("✗ ") and "not certified" in lines[0]
    assert _verdict_lines(out) == []
    code, out, err = _run(str(tmp_path), *STD, "-j", "1", "--color", "--verbose")
    assert code == 2 and _raw_controls(out) == [] and _raw_controls(err) == []
    assert len(_verdict_lines(out)) == 1


def test_history_rows_are_inert(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    assert _run("history", "record", str(HOSTILE), *STD, "--db", db)[0] == 0
    code, out, err = _run("history", "list", *STD, "--db", db)
    assert code == 0 and _raw_controls(out + err) == [] and "\\x1b[2J" in out
    facility = json.loads(HOSTILE.read_text(encoding="utf-8"))["facility"]["id"]
    code, out, err = _run("history", "show", facility, *STD, "--db", db)
    assert code == 0 and _raw_controls(out + err) == [] and "\\u2066EVIL\\u2069" in out
    assert _verdict_lines(out) == []


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_on_a_real_terminal_colour_is_ours_only() -> None:
    """On a TTY click keeps colour codes: the hostile ones must still arrive escaped."""
    import pty
    import subprocess

    leader, follower = pty.openpty()
    check = Path(sys.executable).with_name("check")
    proc = subprocess.Popen(
        [str(check), str(HOSTILE), *STD, "--lang", "en"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "LANG": "en_GB.UTF-8", "TERM": "xterm"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=60) == 1
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert "\x1b[" in out  # colour is on: this really is a terminal
    assert _raw_controls(out) == []
    assert len(_verdict_lines(out)) == 1
