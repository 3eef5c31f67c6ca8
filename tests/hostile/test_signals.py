"""Signals, dying workers and exit statuses: Ctrl-C gives 130 and no leftover process, a
killed main process leaves no orphan worker, a worker killed as the OOM killer would
costs only its own work, and a fault in tongcheck exits 3 with one readable line.

Every subprocess runs under a timeout, so a hang fails the test instead of the suite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import cli
from checker.report.batch import BatchItem, Job, PdfPool, run_jobs

from ..conftest import FIXTURE_STANDARD, GOOD, audit_doc
from .pdf_jobs import fake_render, light_worker

CHECK = str(Path(sys.executable).with_name("check"))
STD = ["--standards", str(FIXTURE_STANDARD.parent), "--lang", "en"]
TIMEOUT = 60
ENV = {**os.environ, "LANG": "en_GB.UTF-8"}

posix_only = pytest.mark.skipif(
    os.name != "posix" or not Path("/proc").is_dir(), reason="needs POSIX and /proc"
)


def _district(directory: Path, count: int) -> Path:
    text = json.dumps(audit_doc(GOOD))
    for i in range(count):
        (directory / f"a{i:05}.json").write_text(text, encoding="utf-8")
    return directory


def _alive_in_group(pgid: int) -> list[int]:
    """Processes of the group that still run (zombies waiting for init to reap them are dead)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _wait_gone(pgid: int, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := _alive_in_group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _start_batch(tmp_path: Path, out: Path, err: Path) -> subprocess.Popen[bytes]:
    audits = tmp_path / "audits"
    audits.mkdir()
    _district(audits, 4000)
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        return subprocess.Popen(
            [CHECK, str(audits), *STD, "--format", "json", "-j", "2"],
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=ENV,
            start_new_session=True,  # its own process group, as a shell gives a job
        )


def _wait_for_output(proc: subprocess.Popen[bytes], out: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while out.stat().st_size == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


@posix_only
def test_ctrl_c_on_a_batch_exits_130_and_leaves_no_process(tmp_path: Path) -> None:
    out, err = tmp_path / "out.jsonl", tmp_path / "err.txt"
    proc = _start_batch(tmp_path, out, err)
    try:
        _wait_for_output(proc, out)
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        code = proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = err.read_text(encoding="utf-8")
    assert code == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr and "Aborted" not in stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) < 4000
    assert _wait_gone(proc.pid) == []


@posix_only
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_reader_that_goes_away_stops_the_batch_with_141(tmp_path: Path, fmt: str) -> None:
    """`check DIR | head -1`: not click's 1 (which reads as "not certified"), no traceback, no worker left."""
    audits = tmp_path / "audits"
    audits.mkdir()
    _district(audits, 2000)
    err = tmp_path / "err.txt"
    with open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [CHECK, str(audits), *STD, "--format", fmt, "-j", "2"],
            stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=ENV, start_new_session=True,
        )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline()  # what head -1 reads, then it closes the pipe
        proc.stdout.close()
        code = proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = err.read_text(encoding="utf-8")
    assert code == 141, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "error" not in stderr
    assert _wait_gone(proc.pid) == []


@posix_only
def test_sigterm_on_the_main_process_leaves_no_worker(tmp_path: Path) -> None:
    out, err = tmp_path / "out.jsonl", tmp_path / "err.txt"
    proc = _start_batch(tmp_path, out, err)
    try:
        _wait_for_output(proc, out)
        assert proc.poll() is None, "the batch ended before it could be terminated"
        assert len(_alive_in_group(proc.pid)) > 1  # the workers are running
        proc.send_signal(signal.SIGTERM)  # the main process only, as `kill PID` does
        proc.wait(timeout=TIMEOUT)
        assert _wait_gone(proc.pid) == []  # workers noticed their parent's death
    finally:
        os.killpg(proc.pid, signal.SIGKILL)


# --- exit status 3: a fault in tongcheck ----------------------------------------------------

_BROKEN = """
import checker.core.catalog as catalog
def boom(*args, **kwargs):
    raise RuntimeError("boom in discover")
catalog.Catalog.discover = boom
from checker.cli import main
main()
"""


def _broken_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BROKEN, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        env=env or ENV,
        check=False,
    )


def test_an_internal_error_exits_3_with_one_readable_line() -> None:
    done = _broken_check("list", "--lang", "en")
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("error: internal error: RuntimeError: boom in discover — ")
    assert "--debug" in lines[0]
    chinese = _broken_check("list", "--lang", "zh")
    assert chinese.returncode == 3 and chinese.stderr.startswith("错误: 内部错误：RuntimeError")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_traceback_only_on_request(how: str) -> None:
    if how == "flag":
        done = _broken_check("list", "--debug", "--lang", "en")
    else:
        done = _broken_check("list", "--lang", "en", env={**ENV, "TONGCHECK_DEBUG": "1"})
    assert done.returncode == 3
    assert "Traceback (most recent call last)" in done.stderr and "boom in discover" in done.stderr


def test_a_fault_on_one_audit_of_a_batch_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.district.worker as worker

    def broken(*args: object) -> object:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(worker, "digest_of", broken)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(audit_doc(GOOD)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(path), str(path), "-j", "1", *STD])
    assert result.exit_code == 3
    assert "internal error while checking: ZeroDivisionError: boom" in result.output


def test_usage_errors_are_2_not_1(tmp_path: Path) -> None:
    done = subprocess.run(
        [CHECK, "run", "--no-such-option"], capture_output=True, timeout=TIMEOUT, env=ENV, check=False
    )
    assert done.returncode == 2


# --- the PDF pool: a dying worker, an interrupt -----------------------------------------------


def _jobs(tmp_path: Path, htmls: list[str]) -> list[tuple[BatchItem, Job]]:
    return [(BatchItem(i), (h, "gap", "{}", None, str(tmp_path / f"r{i}.pdf"))) for i, h in enumerate(htmls)]


@posix_only
def test_a_killed_pdf_worker_costs_only_its_own_report(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, ["ok"] * 3 + ["KILL"] + ["ok"] * 3 + ["KILL-ONCE"])
    pool = PdfPool(2, initializer=light_worker)
    try:
        run_jobs(jobs, pool, render=fake_render)
    finally:
        pool.close()
    lost = [item for item, _ in jobs if item.error is not None]
    assert [item.index for item in lost] == [3]
    assert lost[0].error is not None and "the process making this PDF stopped" in str(lost[0].error)
    assert all(len(item.paths) == 1 and item.paths[0].exists() for item, _ in jobs if item.index != 3)


@posix_only
def test_an_interrupted_pdf_batch_stops_its_workers_at_once(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, ["SLEEP"] * 4)
    pool = PdfPool(2, initializer=light_worker)
    workers_seen: list[int] = []
    timer = threading.Timer(3.0, os.kill, (os.getpid(), signal.SIGINT))  # Ctrl-C
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_jobs(jobs, pool, render=fake_render)
    finally:
        timer.cancel()
        workers_seen.extend(pool.executor._processes or {})
        start = time.monotonic()
        pool.stop()
    assert time.monotonic() - start < 5  # not the 120 s the jobs would take
    assert workers_seen
    for pid in workers_seen:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").split()[2]
        )


def test_the_readme_documents_every_exit_status() -> None:
    from checker.cli import common

    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in (common.EXIT_OK, common.EXIT_NOT_CERTIFIED, common.EXIT_ERROR, common.EXIT_INTERNAL):
        assert f"\n| {code} | " in readme
    assert f"\n| {common.EXIT_INTERRUPTED} | interrupted" in readme
    assert f"\n| {common.EXIT_PIPE_CLOSED} | " in readme
