"""Stand-ins for the PDF pool's job and worker set-up, in a module that imports almost nothing
(spawned workers import it: they must start fast)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from checker.core.workers import guard_worker

Job = tuple[str, str, str, str | None, str]


def light_worker(parent_pid: int) -> None:
    """The PDF pool's worker set-up without WeasyPrint (these jobs only write a file)."""
    guard_worker(parent_pid)


def fake_render(job: Job) -> str:
    """A job that kills its own worker (as the OOM killer would) when its HTML says so."""
    html, _, _, _, path = job
    if html == "KILL" or (html == "KILL-ONCE" and not Path(path + ".tried").exists()):
        Path(path + ".tried").touch()
        os.kill(os.getpid(), signal.SIGKILL)
    if html == "SLEEP":
        time.sleep(120)
    Path(path).write_text(html, encoding="utf-8")
    return path
