"""Worker processes that never outlive their parent and never stall an interrupt.

Both pools (audits in ``district``, PDFs in ``report``) start their workers
with :func:`guard_worker`: a worker dies with its parent (``prctl
PR_SET_PDEATHSIG`` on Linux, else a thread watching the parent's pid), so a
``kill`` of the main process leaves no orphan behind; and it ignores SIGINT,
because Ctrl-C reaches the whole process group and only the parent decides
what an interrupt means (the worker would otherwise print a traceback of its
own). :func:`stop_pool` is the parent's side for the PDF pool: queued work is
cancelled and the running workers are terminated, so an interrupted batch
stops at once instead of finishing the layouts in flight.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["guard_worker", "stop_pool"]

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
"""How often the fallback watchdog looks for its parent."""


def guard_worker(parent_pid: int) -> None:
    """Make this (worker) process die with ``parent_pid`` and leave Ctrl-C to the parent."""
    with contextlib.suppress(ValueError, OSError):  # not in the main thread: nothing to change
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the guard was in place
        os._exit(1)


def _death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; False where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return False


def _watch(parent_pid: int) -> None:  # pragma: no cover - only where prctl is missing
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def stop_pool(executor: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now (an interrupt, a consumer that stopped).

    Only for pools whose results are small (a path): a result up to a few KiB
    is written to the pipe in one atomic write, so a worker ended here never
    leaves half a message for the pool's reader to wait on for ever.
    """
    workers = list(dict(getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(timeout=2)
