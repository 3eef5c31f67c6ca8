"""A bounded window of chunks over a process pool that survives a dying worker.

Memory stays flat (a few chunks in flight, never the district); a worker
killed by the OOM killer or a crash in C code costs a retry of its chunk,
then its files one at a time: only a file that kills its worker is lost.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.core.errors import Problem
from checker.core.messages import say
from checker.district.digest import BatchItem
from checker.district.paths import STDIN_NAME
from checker.district.worker import Render, Task, check_chunk, init_worker

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["CHUNK_MAX", "pooled"]

CHUNK_MAX = 64
"""Files per task: large enough to amortise the pickling round trip, small enough to keep memory flat."""


def _chunk_size(total: int, workers: int) -> int:
    # about four chunks per worker for short runs (even load), CHUNK_MAX for long ones
    return max(1, min(CHUNK_MAX, math.ceil(total / (workers * 4))))


def _mp_context() -> Any:
    # fork: workers start in milliseconds with the modules already imported; elsewhere, spawn
    import multiprocessing  # only a pool needs it; a single audit must start fast

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _chunks(
    tasks: Iterator[tuple[int, str, bytes | None]], size: int
) -> Iterator[list[tuple[int, str, bytes | None]]]:
    chunk: list[tuple[int, str, bytes | None]] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Pool:
    """A process pool that can be replaced when a worker dies (OOM killer, a crash in C code)."""

    dirs: tuple[str, ...]
    workers: int
    executor: ProcessPoolExecutor | None = None
    generation: int = 0
    _ctx: Any = field(default_factory=_mp_context)

    def get(self) -> ProcessPoolExecutor:
        if self.executor is None:
            import os
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._ctx,
                initializer=init_worker,
                initargs=(self.dirs, os.getpid()),
            )
            self.generation += 1
        return self.executor

    def submit(self, *task: Any) -> tuple[Future[list[BatchItem]], int]:
        """``task`` submitted, and the generation of the pool that runs it. A worker may have died
        since the last chunk was drained, which leaves the pool refusing work: it is then replaced
        (the chunks it held are retried as they are drained)."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.get().submit(*task), self.generation
        except BrokenProcessPool:
            self.discard()
            return self.get().submit(*task), self.generation

    def discard(self) -> None:
        """Drop the pool: queued chunks cancelled; a worker finishes the chunk it holds (a fraction
        of a second) and exits. Not terminated: one killed while writing a large result would leave
        half a message in the result pipe and the pool's reader waiting for the rest for ever."""
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def pooled(
    tasks: Iterator[Task],
    total: int,
    dirs: tuple[str, ...],
    workers: int,
    on_progress: Callable[[int], None] | None,
    with_json: bool,
    render: Render | None = None,
) -> Iterator[BatchItem]:
    pool = _Pool(dirs, workers)
    window: deque[tuple[list[Task], Future[list[BatchItem]], int]] = deque()
    chunks = _chunks(tasks, _chunk_size(total, workers))
    limit = workers * 2

    def submit(chunk: list[Task]) -> tuple[Future[list[BatchItem]], int]:
        return pool.submit(check_chunk, chunk, with_json, render)

    try:
        for chunk in chunks:
            window.append((chunk, *submit(chunk)))
            if len(window) >= limit:
                yield from _drain_one(window, pool, submit, on_progress)
        while window:
            yield from _drain_one(window, pool, submit, on_progress)
    except BaseException:
        # interrupted (Ctrl-C) or the consumer stopped early: do not wait for work nobody will read
        pool.discard()
        raise
    pool.close()


def _drain_one(
    window: deque[tuple[list[Task], Future[list[BatchItem]], int]],
    pool: _Pool,
    submit: Callable[[list[Task]], tuple[Future[list[BatchItem]], int]],
    on_progress: Callable[[int], None] | None,
) -> Iterator[BatchItem]:
    from concurrent.futures.process import BrokenProcessPool

    chunk, future, generation = window.popleft()
    try:
        items = future.result()
    except BrokenProcessPool:
        items = _retry(chunk, generation, pool, submit)
    if on_progress is not None:
        on_progress(len(items))
    yield from items


def _retry(
    chunk: list[Task],
    generation: int,
    pool: _Pool,
    submit: Callable[[list[Task]], tuple[Future[list[BatchItem]], int]],
) -> list[BatchItem]:
    """A worker died: start a fresh pool and try this chunk once more; if it dies again, its files
    one at a time, so that only a file that kills its worker is given up (the rest are reported)."""
    if pool.generation == generation:
        pool.discard()
    from concurrent.futures.process import BrokenProcessPool

    try:
        return submit(chunk)[0].result()
    except BrokenProcessPool:
        pool.discard()
    items: list[BatchItem] = []
    for task in chunk:
        try:
            items += submit([task])[0].result()
        except BrokenProcessPool as exc:
            pool.discard()
            items.append(_died(task[0], task[1], exc))
    return items


def _died(index: int, name: str, exc: BaseException) -> BatchItem:
    problem = Problem.of(
        name if name else STDIN_NAME, say("run.checker_died", error=exc), say("hint.check_alone")
    )
    return BatchItem(index, name, error_kind="internal", problems=(problem,))
