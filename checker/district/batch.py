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
:class:`Digest` (identity, verdict, level, score and one status per rule,
enough for summaries, plan progress, history and exports) and, when asked
for, the result as JSON text. The full :class:`~checker.result.Result` is
only rebuilt in the parent when something needs it (the text summary); JSON
Lines output writes the worker's text as is. ``with_json=False`` skips
building the result altogether, which is several times faster: progress,
history and exports need only digests.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.errors import AuditError, CheckerError, Problem, StandardError, UsageError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from checker.core.catalog import Catalog
    from checker.core.result import Result
    from checker.core.text import Lang
    from checker.district.summary import Summary

__all__ = [
    "BatchItem",
    "Digest",
    "Progress",
    "check_paths",
    "digest_of",
    "expand_paths",
    "progress_bar",
    "render_summary",
    "worker_count",
]

CHUNK_MAX = 64
"""Files per task: large enough to amortise the pickling round trip, small enough to keep memory flat."""

STDIN = "-"
_STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class Digest:
    """What a district view needs from one checked audit, without the rule texts.

    ``rule_ids`` is the standard's rule order; ``statuses`` and ``rule_kinds``
    (``mandatory``, ``scored`` or ``bonus``: a bonus rule that fails is no
    finding) are aligned with it.
    ``content_hash`` identifies the audit's content (canonical JSON, so
    re-saving a file with other indentation does not make it a new audit).
    """

    standard: str
    version: str
    facility_type: str
    facility_id: str | None
    facility_name: str
    street: str | None
    audited_on: str
    verdict: str
    level: str | None
    score: float
    earned: float
    possible: float
    rule_ids: tuple[str, ...]
    statuses: tuple[str, ...]
    content_hash: str
    path: str = ""
    rule_kinds: tuple[str, ...] = ()

    @property
    def facility_key(self) -> str:
        """Who the audit is about: the facility id, else its name (ids are what boards should use)."""
        return self.facility_id if self.facility_id else f"name:{self.facility_name}"

    def status_map(self) -> dict[str, str]:
        return dict(zip(self.rule_ids, self.statuses, strict=True))


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One file's outcome: a digest (and result JSON when kept), or the problems that made it invalid."""

    index: int
    path: str
    digest: Digest | None = None
    json: str | None = None
    error_kind: str | None = None
    problems: tuple[Problem, ...] = ()
    # the Result itself when checked in this process (spares a JSON round trip); never pickled
    kept: Result | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.digest is not None

    @property
    def result(self) -> Result | None:
        """The full result, parsed from the worker's JSON (None for an invalid file or without JSON)."""
        if self.kept is not None:
            return self.kept
        if self.json is None:
            return None
        from checker.core.result import Result

        return Result.model_validate_json(self.json)

    @property
    def error(self) -> CheckerError | None:
        """The error as the single-file path would have raised it (same class, same problems)."""
        if not self.problems:
            return None
        cls = {"standard": StandardError, "usage": UsageError}.get(self.error_kind or "", AuditError)
        return cls(list(self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]

    @property
    def exit_code(self) -> int:
        """0 certified, 1 valid but not certified or incomplete, 2 invalid (as ``check`` exits)."""
        if self.digest is None:
            return 2
        return 0 if self.digest.verdict == "certified" else 1


# --- finding the files -------------------------------------------------------------


def expand_paths(args: Iterable[str]) -> list[str]:
    """Directories become their ``*.json`` files (recursively, sorted); files and ``-`` pass through.

    Hidden files and directories (``.git``, editor backups) are skipped and
    symbolic links to directories are not followed, so a link loop cannot
    make the walk endless. A directory holding no audit at all raises a
    UsageError (one problem per such directory): checking nothing and
    reporting success would hide a wrong path.
    """
    out: list[str] = []
    empty: list[Problem] = []
    for arg in args:
        if arg != STDIN and os.path.isdir(arg):
            found = _walk(arg)
            if not found:
                empty.append(
                    Problem(
                        arg,
                        "no audit files (*.json) in this directory / 此目录下没有评估文件（*.json）",
                        hint="check the path / 请检查路径",
                    )
                )
            out.extend(found)
        else:
            out.append(arg)
    if empty:
        raise UsageError(empty)
    return out


def _walk(top: str) -> list[str]:
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(top).parts
        for name in files:
            if name.endswith(".json") and not name.startswith("."):
                found.append(((*rel, name), os.path.join(root, name)))
    found.sort()
    return [path for _, path in found]


# --- checking one file (in a worker or in-process) ---------------------------------

_WORKER_CATALOG: Catalog | None = None
_RULE_IDS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _init_worker(standards_dirs: tuple[str, ...]) -> None:
    global _WORKER_CATALOG
    from checker.core.catalog import Catalog

    _WORKER_CATALOG = Catalog.discover(standards_dirs)


def _rule_ids(standard: Any, outcomes: Sequence[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Shared tuples per standard, so a chunk pickles the ids once, not once per audit."""
    key = (standard.id, standard.version)
    found = _RULE_IDS.get(key)
    if found is None or len(found[0]) != len(outcomes):
        ids = tuple(o.id for o in outcomes)
        kinds = tuple("mandatory" if o.mandatory else "bonus" if o.bonus else "scored" for o in outcomes)
        found = _RULE_IDS[key] = (ids, kinds)
    return found


def _r(x: float) -> float:
    # the same rounding as checker.result, so a digest and its result never disagree
    return round(x + 0.0, 2)


def digest_of(standard: Any, audit: Any, outcomes: Sequence[Any], scored: Any, content_hash: str) -> Digest:
    """The digest of one evaluation (``standard``, ``audit``, rule outcomes, score)."""
    facility = audit.facility
    rule_ids, rule_kinds = _rule_ids(standard, outcomes)
    return Digest(
        standard=standard.id,
        version=standard.version,
        facility_type=standard.facility_type,
        facility_id=facility.id or None,
        facility_name=facility.name,
        street=facility.street,
        audited_on=audit.audited_on,
        verdict=scored.verdict.value,
        level=scored.level.id if scored.level else None,
        score=_r(scored.score),
        earned=_r(scored.earned),
        possible=_r(scored.possible),
        rule_ids=rule_ids,
        rule_kinds=rule_kinds,
        statuses=tuple(o.status.value for o in outcomes),
        content_hash=content_hash,
        path=audit.path,
    )


def _content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def check_one(
    index: int, name: str, data: bytes | None, catalog: Catalog, with_json: bool, keep: bool = False
) -> BatchItem:
    """Check one audit (read from ``name`` unless ``data`` is given); never raises for bad input."""
    from checker.core.audit import validate_audit
    from checker.core.engine import evaluate
    from checker.core.result import build_result
    from checker.core.scoring import score
    from checker.core.sources import MAX_AUDIT_BYTES, SourceProblem, decode, parse_json, read_bytes

    try:
        try:
            if data is None:
                text = read_bytes(Path(name), name, MAX_AUDIT_BYTES)
            else:
                text = decode(data, name, MAX_AUDIT_BYTES)
            doc = parse_json(text, name)
        except SourceProblem as exc:
            raise AuditError([exc.problem]) from None
        audit = validate_audit(doc, catalog)
        standard = catalog.get(audit.standard)
        evaluation = evaluate(standard, audit)
        scored = score(standard, evaluation.outcomes)
        digest = digest_of(standard, audit, evaluation.outcomes, scored, _content_hash(doc.data))
        result = build_result(standard, audit, evaluation, scored) if with_json or keep else None
        text_out = result.to_json() if with_json and result is not None else None
        return BatchItem(index, name, digest, text_out, kept=result if keep else None)
    except CheckerError as exc:
        return BatchItem(index, name, error_kind=exc.kind, problems=tuple(exc.problems))
    except Exception as exc:  # a bug must cost one file, not the district's batch
        problem = Problem(
            name,
            f"internal error while checking: {type(exc).__name__}: {exc} / 检查时发生内部错误",
            hint="please report this with the file / 请连同此文件报告问题",
        )
        return BatchItem(index, name, error_kind="internal", problems=(problem,))


def _check_chunk(tasks: list[tuple[int, str, bytes | None]], with_json: bool) -> list[BatchItem]:
    catalog = _WORKER_CATALOG
    assert catalog is not None, "worker started without _init_worker"
    return [check_one(i, name, data, catalog, with_json) for i, name, data in tasks]


# --- many files -------------------------------------------------------------------


def worker_count(requested: int | None = None) -> int:
    """``requested``, else every core this process may use."""
    if requested is not None and requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _chunk_size(total: int, workers: int) -> int:
    # about four chunks per worker for short runs (even load), CHUNK_MAX for long ones
    return max(1, min(CHUNK_MAX, math.ceil(total / (workers * 4))))


def _mp_context() -> Any:
    # fork: workers start in milliseconds with the modules already imported; elsewhere, spawn
    import multiprocessing  # only a pool needs it; a single audit must start fast

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def check_paths(
    paths: Sequence[str],
    standards_dirs: Iterable[str | Path] = (),
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    *,
    with_json: bool = True,
    catalog: Catalog | None = None,
    keep: bool = False,
) -> Iterator[BatchItem]:
    """Check every path (``-`` reads standard input), yielding one BatchItem per path in input order.

    ``workers`` defaults to every core; with 1 worker (or a single file) the
    files are checked in this process, with ``catalog`` when given. The pool
    is fed a bounded window of chunks, so memory stays flat however many
    paths there are. ``on_progress(n)`` is called after every n files done.
    ``keep`` puts the Result object on items checked in this process (the
    pool sends JSON only).
    """
    dirs = tuple(str(d) for d in standards_dirs)
    n_workers = min(worker_count(workers), max(1, len(paths)))
    tasks = _tasks(paths)
    if n_workers == 1:
        if catalog is None:
            from checker.core.catalog import Catalog

            catalog = Catalog.discover(dirs)
        for index, name, data in tasks:
            item = check_one(index, name, data, catalog, with_json, keep=keep)
            if on_progress is not None:
                on_progress(1)
            yield item
        return
    yield from _pooled(tasks, len(paths), dirs, n_workers, on_progress, with_json)


def _tasks(paths: Sequence[str]) -> Iterator[tuple[int, str, bytes | None]]:
    import sys

    for index, name in enumerate(paths):
        if name == STDIN:
            yield index, _STDIN_NAME, sys.stdin.buffer.read()
        else:
            yield index, name, None


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
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._ctx,
                initializer=_init_worker,
                initargs=(self.dirs,),
            )
            self.generation += 1
        return self.executor

    def discard(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _pooled(
    tasks: Iterator[tuple[int, str, bytes | None]],
    total: int,
    dirs: tuple[str, ...],
    workers: int,
    on_progress: Callable[[int], None] | None,
    with_json: bool,
) -> Iterator[BatchItem]:
    pool = _Pool(dirs, workers)
    window: deque[tuple[list[tuple[int, str, bytes | None]], Future[list[BatchItem]], int]] = deque()
    chunks = _chunks(tasks, _chunk_size(total, workers))
    limit = workers * 2

    def submit(chunk: list[tuple[int, str, bytes | None]]) -> tuple[Future[list[BatchItem]], int]:
        executor = pool.get()
        return executor.submit(_check_chunk, chunk, with_json), pool.generation

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
    window: deque[tuple[list[tuple[int, str, bytes | None]], Future[list[BatchItem]], int]],
    pool: _Pool,
    submit: Callable[[list[tuple[int, str, bytes | None]]], tuple[Future[list[BatchItem]], int]],
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
    chunk: list[tuple[int, str, bytes | None]],
    generation: int,
    pool: _Pool,
    submit: Callable[[list[tuple[int, str, bytes | None]]], tuple[Future[list[BatchItem]], int]],
) -> list[BatchItem]:
    """A worker died: start a fresh pool and try this chunk once more; then give up on its files only."""
    if pool.generation == generation:
        pool.discard()
    from concurrent.futures.process import BrokenProcessPool

    try:
        return submit(chunk)[0].result()
    except BrokenProcessPool as exc:
        pool.discard()
        return [_died(index, name, exc) for index, name, _ in chunk]


def _died(index: int, name: str, exc: BaseException) -> BatchItem:
    problem = Problem(
        name if name else _STDIN_NAME,
        f"the checking process stopped while checking this file or one next to it ({exc}) "
        "/ 检查进程在处理此文件（或同批文件）时意外退出",
        hint="check this file alone with `check FILE`; report it if that also fails "
        "/ 请单独检查此文件；若仍失败请报告",
    )
    return BatchItem(index, name, error_kind="internal", problems=(problem,))


# --- the terminal ------------------------------------------------------------------


class Progress:
    """The ``on_progress`` callback of a batch, drawing a bar on standard error when there is one.

    Call it with the number of files done; call ``clear()`` before writing
    anything else to standard error (an error message), so the message does
    not land in the middle of the bar; the bar redraws on the next update.
    """

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    @property
    def active(self) -> bool:
        return self._bar is not None

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def clear(self) -> None:
        if self._bar is not None:
            import sys

            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


@contextmanager
def progress_bar(total: int, lang: Lang, *, enabled: bool | None = None) -> Iterator[Progress]:
    """A progress bar on standard error, by default only when it is a terminal.

    Results (text, JSON Lines) stay on standard output untouched, so a pipe
    gets exactly what it would get without the bar. A caller that prints
    each result to the same terminal passes ``enabled=False``: the results
    scrolling by are the progress, and a bar would tear them.
    """
    import sys

    import click

    show = sys.stderr.isatty() if enabled is None else enabled
    if not show or total < 2:
        yield Progress()
        return
    label = "检查评估" if lang == "zh" else "Checking audits"
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
        yield Progress(bar)


def render_summary(summary: Summary, lang: Lang, catalog: Catalog | None = None) -> str:
    """The end-of-run summary as text (``catalog`` supplies titles and level labels when given)."""
    from checker.district.summary import render_text

    return render_text(summary, lang, catalog)
