"""Many PDFs at once: HTML in this process, layout in a pool of worker processes.

WeasyPrint lays out one document on one core, so a batch is spread over
processes. Workers are started with ``spawn`` (no fork of a process that may
already hold GLib/Pango state), each imports WeasyPrint and parses the
stylesheets once (:func:`warm_up`), and each job is plain strings: the HTML,
the result JSON and the path, so nothing large is pickled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from checker.core.errors import CheckerError, Problem
from checker.core.messages import say
from checker.report.errors import ReportError

__all__ = [
    "BatchItem",
    "Job",
    "PdfPool",
    "is_draft",
    "render_job",
    "run_jobs",
    "sign_outputs",
    "start_pool",
    "unsigned_name",
    "warm_up",
    "workers_for",
]

Job = tuple[str, str, str, str | None, str]
"""(html, kind, result json, audited_on, output path)."""

MIN_FOR_POOL = 3


@dataclass
class BatchItem:
    """What happened to one result of a batch: the files written, or the error."""

    index: int
    paths: list[Path] = field(default_factory=list)
    error: CheckerError | None = None


def render_job(job: Job) -> str:
    """Render one PDF and write it atomically; runs in a worker (or in-process)."""
    from checker.core.fsutil import atomic_write
    from checker.report.pdf import html_to_pdf

    html, kind, attachment, audited_on, path = job
    atomic_write(path, html_to_pdf(html, kind, attachment, audited_on=audited_on))
    return path


def warm_up() -> None:
    """Worker initialiser: WeasyPrint import, font lookup and stylesheets, once."""
    from checker.report.pdf import warm_up as _warm

    _warm()


def workers_for(jobs: int | None, count: int) -> int:
    """``jobs`` workers (default: the CPUs this process may use), never more than ``count``."""
    import os

    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            jobs = os.cpu_count() or 1
    return max(1, min(jobs, count))


def _failed(item: BatchItem, path: str, exc: BaseException) -> None:
    if isinstance(exc, CheckerError):
        item.error = item.error or exc
    elif isinstance(exc, OSError):
        item.error = item.error or ReportError(
            [
                Problem.of(
                    path, say("run.cannot_write_report", detail=exc.strerror or exc), say("hint.writable_dir")
                )
            ]
        )
    else:
        raise exc


def _run_one(item: BatchItem, path: str, run: Callable[[], str]) -> None:
    try:
        item.paths.append(Path(run()))
    except (CheckerError, OSError) as exc:
        _failed(item, path, exc)


def _ready() -> bool:
    return True


def _init_worker(parent_pid: int) -> None:
    from checker.core.workers import guard_worker

    guard_worker(parent_pid)
    warm_up()


class PdfPool:
    """Worker processes laying out PDFs; replaced when one of them dies (the OOM killer)."""

    def __init__(self, workers: int, initializer: Callable[[int], None] = _init_worker) -> None:
        self.workers = workers
        self.initializer = initializer
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn: no fork of a process that may already hold GLib/Pango state
        import multiprocessing
        import os

        context = multiprocessing.get_context("spawn")
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=self.initializer,
            initargs=(os.getpid(),),
        )
        executor.submit(_ready)  # workers import WeasyPrint while the caller is still making HTML
        return executor

    def replace(self) -> None:
        self.stop()
        self.executor = self._start()

    def stop(self) -> None:
        """End the workers now: queued jobs cancelled, running layouts abandoned."""
        from checker.core.workers import stop_pool

        stop_pool(self.executor)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def start_pool(workers: int) -> PdfPool | None:
    """A pool of ``workers`` processes, already starting; None for one worker."""
    return PdfPool(workers) if workers > 1 else None


def run_jobs(
    pending: list[tuple[BatchItem, Job]], pool: PdfPool | None, render: Callable[[Job], str] = render_job
) -> None:
    """Run the PDF jobs: in this process without a pool or when there are few, else in the pool.

    Jobs go to the pool largest first (by HTML size, a good proxy for layout
    time), so the last job to finish is a short one and no core idles long.
    A worker that dies (killed by the OOM killer, a crash in C code) breaks
    the pool and every job in it: those jobs run again in a fresh pool, and
    the ones caught in a second break once more, one at a time, so that only
    the job that kills its worker is lost (with a message saying so).
    """
    if pool is None or len(pending) < MIN_FOR_POOL:
        for item, job in pending:
            _run_one(item, job[4], functools.partial(render, job))
        return
    broken = _round(sorted(pending, key=lambda pair: -len(pair[1][0])), pool, render)
    if broken:
        pool.replace()
        broken = _round(broken, pool, render)
    dead = bool(broken)
    for item, job in broken:
        if dead:
            pool.replace()
        dead = bool(_round([(item, job)], pool, render))
        if dead:
            item.error = item.error or ReportError(
                [Problem.of(job[4], say("run.pdf_worker_died"), say("hint.report_alone"))]
            )


def _round(
    jobs: list[tuple[BatchItem, Job]], pool: PdfPool, render: Callable[[Job], str]
) -> list[tuple[BatchItem, Job]]:
    """Submit ``jobs`` to the pool and collect them; those lost to a broken pool are returned."""
    from concurrent.futures.process import BrokenProcessPool

    broken: list[tuple[BatchItem, Job]] = []
    futures = [(item, job, pool.executor.submit(render, job)) for item, job in jobs]
    for item, job, future in futures:
        try:
            item.paths.append(Path(future.result()))
        except BrokenProcessPool:
            broken.append((item, job))
        except (CheckerError, OSError) as exc:
            _failed(item, job[4], exc)
    return broken


_UNSIGNED = ".unsigned"


def is_draft(path: Path) -> bool:
    """Whether ``path`` is an unsigned draft (see :func:`unsigned_name`)."""
    return path.name.endswith(_UNSIGNED)


def unsigned_name(path: Path, kind: str) -> str:
    """Where a worker writes a PDF that is still to be signed: hidden, next to ``path``."""
    return str(path.with_name(f".{path.name}.{kind}{_UNSIGNED}"))


def sign_outputs(outcomes: list[BatchItem], sign: Callable[[bytes, str], bytes]) -> None:
    """Sign each unsigned file the workers wrote, put it in place atomically, remove the draft.

    A file that cannot be signed is removed and its item gets the error:
    an unsigned copy never lies under the final name.
    """
    import contextlib

    from checker.core.fsutil import atomic_write

    for item in outcomes:
        done: list[Path] = []
        for draft in item.paths:
            if not is_draft(draft):
                done.append(draft)
                continue
            stem = draft.name[1 : -len(_UNSIGNED)]
            name, kind = stem.rsplit(".", 1)
            try:
                done.append(atomic_write(draft.with_name(name), sign(draft.read_bytes(), kind)))
            except CheckerError as exc:
                item.error = item.error or exc
            except OSError as exc:
                item.error = item.error or ReportError(
                    [Problem(str(draft.with_name(name)), f"cannot write the signed report: {exc.strerror}")]
                )
            finally:
                with contextlib.suppress(OSError):
                    draft.unlink()
        item.paths = done
