"""Many PDFs at once: HTML in this process, layout in a pool of worker processes.

WeasyPrint lays out one document on one core, so a batch is spread over
processes. Workers are started with ``spawn`` (no fork of a process that may
already hold GLib/Pango state), each imports WeasyPrint and parses the
stylesheets once (:func:`warm_up`), and each job is plain strings: the HTML,
the result JSON and the path, so nothing large is pickled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CheckerError, Problem
from .errors import ReportError

__all__ = ["BatchItem", "Job", "render_job", "run_jobs", "warm_up", "workers_for"]

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
    from ..fsutil import atomic_write
    from .pdf import html_to_pdf

    html, kind, attachment, audited_on, path = job
    atomic_write(path, html_to_pdf(html, kind, attachment, audited_on=audited_on))
    return path


def warm_up() -> None:
    """Worker initialiser: WeasyPrint import, font lookup and stylesheets, once."""
    from .pdf import warm_up as _warm

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


def _run_one(item: BatchItem, path: str, run: Callable[[], str]) -> None:
    try:
        item.paths.append(Path(run()))
    except CheckerError as exc:
        item.error = item.error or exc
    except OSError as exc:
        item.error = item.error or ReportError(
            [
                Problem(
                    path,
                    f"cannot write the report: {exc.strerror or exc}",
                    hint="check that the directory exists and is writable",
                )
            ]
        )


def run_jobs(pending: list[tuple[BatchItem, Job]], workers: int) -> None:
    """Run the PDF jobs, in this process when there are few, else in a process pool."""
    if workers <= 1 or len(pending) < MIN_FOR_POOL:
        for item, job in pending:
            _run_one(item, job[4], lambda job=job: render_job(job))  # type: ignore[misc]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=warm_up
    ) as pool:
        futures = [(item, job, pool.submit(render_job, job)) for item, job in pending]
        for item, job, future in futures:
            _run_one(item, job[4], future.result)
