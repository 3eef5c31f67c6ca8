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
from checker.report.errors import ReportError

__all__ = [
    "BatchItem",
    "Job",
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


def _ready() -> bool:
    return True


def start_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` processes, already starting; None for one worker.

    Workers are launched by the first submission, so a trivial task is sent
    at once: they import WeasyPrint while the caller is still making HTML.
    """
    if workers <= 1:
        return None
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_up)
    pool.submit(_ready)
    return pool


def run_jobs(pending: list[tuple[BatchItem, Job]], pool: ProcessPoolExecutor | None) -> None:
    """Run the PDF jobs: in this process without a pool or when there are few, else in the pool.

    Jobs go to the pool largest first (by HTML size, a good proxy for layout
    time), so the last job to finish is a short one and no core idles long.
    """
    if pool is None or len(pending) < MIN_FOR_POOL:
        for item, job in pending:
            _run_one(item, job[4], functools.partial(render_job, job))
        return
    ordered = sorted(pending, key=lambda pair: -len(pair[1][0]))
    futures = [(item, job, pool.submit(render_job, job)) for item, job in ordered]
    for item, job, future in futures:
        _run_one(item, job[4], future.result)


_UNSIGNED = ".unsigned"


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
            if not draft.name.endswith(_UNSIGNED):
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
