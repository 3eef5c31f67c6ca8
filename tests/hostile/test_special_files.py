"""Special files and endless input: refused at once, never a hang, never the whole file in memory.

Each case runs ``check`` as a user would (a subprocess) under a timeout: a
reader that blocks on a pipe or reads ``/dev/zero`` fails by timing out
instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from checker import Catalog
from checker.core.errors import StandardError
from checker.core.sources import SourceProblem, read_bytes, read_head
from checker.district.batch import check_paths

from ..conftest import FIXTURE_STANDARD, GOOD, ROOT, audit_doc

CHECK = str(Path(sys.executable).with_name("check"))
STD = ["--standards", str(FIXTURE_STANDARD.parent), "--lang", "en"]
TIMEOUT = 60  # generous for a loaded machine; a blocking read never returns at all

posix_only = pytest.mark.skipif(os.name != "posix", reason="named pipes and devices are POSIX")


def _check(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHECK, *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        env={**os.environ, "LANG": "en_GB.UTF-8"},
        check=False,
    )


def _good(directory: Path, name: str = "good.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(audit_doc(GOOD)), encoding="utf-8")
    return path


@posix_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "audit.json"
    os.mkfifo(fifo)
    done = _check(str(fifo), *STD)
    assert done.returncode == 2
    assert f"{fifo}: cannot read: this is a named pipe (FIFO), not a regular file" in done.stderr


@posix_only
def test_a_fifo_in_a_directory_does_not_block_the_batch(tmp_path: Path) -> None:
    _good(tmp_path, "a.json")
    os.mkfifo(tmp_path / "b.json")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "c.json"))
        done = _check(str(tmp_path), *STD, "--format", "json", "-j", "2")
    assert done.returncode == 2
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["verdict"] for row in rows if "verdict" in row] == ["certified"]
    # the FIFO and the socket are error records in the stream, in input order
    assert [Path(row["path"]).name for row in rows if "error" in row] == ["b.json", "c.json"]
    assert "b.json: cannot read: this is a named pipe" in done.stderr
    assert "c.json: cannot read: this is a socket" in done.stderr


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused(tmp_path: Path) -> None:
    done = _check("/dev/zero", *STD)
    assert done.returncode == 2 and "/dev/zero: cannot read: this is a device" in done.stderr
    with pytest.raises(SourceProblem, match="device"):
        read_bytes(Path("/dev/zero"), "/dev/zero", 1000)


def test_endless_standard_input_is_refused_after_the_limit(tmp_path: Path) -> None:
    err = tmp_path / "err.txt"
    with open(err, "wb") as sink:
        proc = subprocess.Popen(
            [CHECK, "-", *STD],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "LANG": "en_GB.UTF-8"},
        )
    pipe = proc.stdin
    assert pipe is not None

    def feed() -> None:  # writes until check stops reading and the pipe breaks
        block = b" " * 65536
        try:
            while True:
                pipe.write(block)
        except (OSError, ValueError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    try:
        code = proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
        with contextlib.suppress(OSError, ValueError):
            pipe.close()
    assert code == 2
    assert "<stdin>: input is larger than the limit of 2,097,152 bytes" in err.read_text(encoding="utf-8")


def test_a_huge_file_is_refused_by_its_size_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:  # sparse: 200 MB that take no disk and no time
        handle.truncate(200_000_000)
    start = time.perf_counter()
    done = _check(str(huge), *STD)
    assert done.returncode == 2
    assert "huge.json: file is 200,000,000 bytes, larger than the limit of 2,097,152 bytes" in done.stderr
    assert time.perf_counter() - start < TIMEOUT


def test_a_file_that_lies_about_its_size_is_read_only_to_the_limit(tmp_path: Path) -> None:
    proc_file = Path("/proc/self/status")  # size 0 in stat, content on read
    if not proc_file.exists():
        pytest.skip("needs /proc")
    with pytest.raises(SourceProblem, match="larger than the limit of 10 bytes"):
        read_bytes(proc_file, "status", 10)
    assert len(read_head(proc_file, "status", 5)) == 5


def test_an_unlistable_subdirectory_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.walk used to skip a directory it could not list, and its audits vanished from the count."""
    from checker.district.paths import expand_paths

    _good(tmp_path, "a.json")
    locked = tmp_path / "locked"
    locked.mkdir()
    _good(locked, "b.json")
    real = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    paths = expand_paths([str(tmp_path)])
    assert paths == [str(tmp_path / "a.json"), str(locked)]
    items = list(check_paths(paths, [FIXTURE_STANDARD.parent], workers=1, with_json=False))
    assert items[0].ok and not items[1].ok
    assert str(locked) in items[1].messages[0] and "cannot read" in items[1].messages[0]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can list any directory")
def test_an_unreadable_subdirectory_through_the_cli(tmp_path: Path) -> None:
    _good(tmp_path, "a.json")
    locked = tmp_path / "locked"
    locked.mkdir()
    _good(locked, "b.json")
    locked.chmod(0)
    try:
        done = _check(str(tmp_path), *STD, "--format", "json")
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2 and "locked: cannot read directory: Permission denied" in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len([row for row in rows if "verdict" in row]) == 1
    assert [row["path"] for row in rows if "error" in row] == [str(locked)]


# --- catalogue discovery -------------------------------------------------------------------


def test_discovery_reads_the_documents_id_not_a_line_that_looks_like_one(tmp_path: Path) -> None:
    text = FIXTURE_STANDARD.read_text(encoding="utf-8")
    spoof = 'description: {zh: "说明\nid: yuzhong-park\n", en: x}\nid: test-fixture\n'
    (tmp_path / "s.yaml").write_text(text.replace("id: test-fixture\n", spoof, 1), encoding="utf-8")
    catalog = Catalog.discover([tmp_path], environment=False)
    assert catalog.discovery_errors == []  # used to be a false "already defined" for yuzhong-park
    assert catalog.get("test-fixture").id == "test-fixture"
    assert catalog.path_of("yuzhong-park") != str(tmp_path / "s.yaml")


def test_discovery_refuses_a_huge_standard_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.write(b"# a comment, then nothing useful\n")
        handle.truncate(300_000_000)
    start = time.perf_counter()
    catalog = Catalog.discover([tmp_path], environment=False)
    errors = [str(e) for e in catalog.discovery_errors]
    assert any("huge.yaml: file is 300,000,000 bytes, larger than the limit" in e for e in errors)
    assert time.perf_counter() - start < 5  # reading 300 MB would take far longer


@posix_only
def test_discovery_refuses_a_named_pipe_given_as_a_standard(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    catalog = Catalog.from_files([fifo])
    assert any("named pipe" in str(e) for e in catalog.discovery_errors)
    with pytest.raises(StandardError, match="named pipe"):
        from checker import load_standard

        load_standard(fifo)


def test_shipped_standards_are_found_by_their_header() -> None:
    catalog = Catalog.discover(environment=False)
    assert catalog.discovery_errors == []
    assert {"yuzhong-park", "yuzhong-school"} <= set(catalog.ids())
    assert ROOT.joinpath("standards").is_dir()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("format: 1\nid: a-b\n", "a-b"),
        ('title: {zh: "x\nid: evil\n", en: y}\nid: good\n', "good"),
        ("a: [1, {id: x}]\nb:\n  id: y\nid: z\n", "z"),
        ('id: "quoted"\n', "quoted"),
        ("id: *alias\n", None),
        ("id: !!str tagged\n", None),
        ("- id: in-a-list\n", None),
        ("id: [a]\n", None),
        ("x: 'cut short", None),
        ("? [complex]\n: key\nid: c\n", None),
    ],
)
def test_top_level_scalar(text: str, found: str | None) -> None:
    from checker.core.yaml_source import top_level_scalar

    assert top_level_scalar(text, "id") == found
