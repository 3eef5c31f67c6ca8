"""Checking a district: many audit files, every core, results streamed in input order.

A review board checks thousands of audits at once, so three things matter
here that do not for one file. Throughput: files are checked by a pool of
worker processes, each building its own catalog once (a standard is parsed
once per worker, not once per audit). Memory: results come back in bounded
chunks and are yielded as they arrive, so a run over 10,000 audits holds a
few chunks, never the whole district. Robustness: one corrupt file is an
error record in the stream, never the end of the batch; even a worker
process that dies is replaced and its files are retried once.

What crosses the process boundary is small and cheap to pickle: a
:class:`~checker.district.digest.Digest` (identity, verdict, level, score and one status per rule,
enough for summaries, plan progress, history and exports) and, when asked
for, the result as JSON text. The full :class:`~checker.core.result.Result` is
only rebuilt in the parent when something needs it (the text summary); JSON
Lines output writes the worker's text as is. ``with_json=False`` skips
building the result altogether, which is several times faster: progress,
history and exports need only digests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checker.district.digest import BatchItem, Digest
from checker.district.paths import STDIN, STDIN_NAME, expand_paths
from checker.district.pool import pooled
from checker.district.worker import Render, Task, check_one, share_catalog

if TYPE_CHECKING:
    from checker.core.catalog import Catalog

__all__ = ["BatchItem", "Digest", "check_paths", "expand_paths", "worker_count"]


SHARE_FROM = 200
"""From this many files on, every standard is loaded before the workers start (they inherit it)."""


def worker_count(requested: int | None = None) -> int:
    """``requested``, else every core this process may use."""
    if requested is not None and requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def check_paths(
    paths: Sequence[str],
    standards_dirs: Iterable[str | Path] = (),
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    *,
    with_json: bool = True,
    catalog: Catalog | None = None,
    keep: bool = False,
    data: Mapping[str, bytes] | None = None,
    render: Render | None = None,
) -> Iterator[BatchItem]:
    """Check every path (``-`` reads standard input), yielding one BatchItem per path in input order.

    ``workers`` defaults to every core; with 1 worker (or a single file) the
    files are checked in this process, with ``catalog`` when given. The pool
    is fed a bounded window of chunks, so memory stays flat however many
    paths there are. ``on_progress(n)`` is called after every n files done.
    ``keep`` puts the Result object on items checked in this process (the
    pool sends JSON only). ``data`` gives the content of some paths already
    read (an Excel checklist converted to audit JSON). ``render`` (a
    picklable function of a Result) puts the text a person reads on each
    item, written by the workers.
    """
    dirs = tuple(str(d) for d in standards_dirs)
    n_workers = min(worker_count(workers), max(1, len(paths)))
    tasks = _tasks(paths, data or {})
    if n_workers == 1:
        if catalog is None:
            from checker.core.catalog import Catalog

            catalog = Catalog.discover(dirs)
        for index, name, content in tasks:
            item = check_one(index, name, content, catalog, with_json, keep=keep, render=render)
            if on_progress is not None:
                on_progress(1)
            yield item
        return
    if catalog is not None and len(paths) >= SHARE_FROM:
        share_catalog(catalog, dirs)
    yield from pooled(tasks, len(paths), dirs, n_workers, on_progress, with_json, render)


def _tasks(paths: Sequence[str], given: Mapping[str, bytes]) -> Iterator[Task]:
    import sys

    from checker.core.sources import MAX_AUDIT_BYTES, read_stream

    for index, name in enumerate(paths):
        if name == STDIN:
            yield index, STDIN_NAME, read_stream(getattr(sys.stdin, "buffer", None), MAX_AUDIT_BYTES)
        elif name in given:
            yield index, name, given[name]
        else:
            yield index, name, None
