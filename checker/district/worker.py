"""Checking one audit file, in a worker process or in this one; never raises for bad input.

A worker builds its catalog once (``init_worker``), so a standard is parsed
once per worker, not once per audit.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.core.errors import AuditError, CheckerError, Problem
from checker.district.digest import BatchItem, content_hash, digest_of

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.result import Result

__all__ = ["Brief", "check_chunk", "check_one", "init_worker", "share_catalog"]

Task = tuple[int, str, bytes | None]
Render = Callable[["Result"], str]
"""A result to text (a picklable function: it travels to the pool's workers)."""


@dataclass(frozen=True, slots=True)
class Brief:
    """A render that reads no rule's reason (the one line per audit of ``check DIR``): the result it
    is given has its reasons worded only where a row was already in the memo, which spares the
    wording of every new outcome (``build_result(..., reasons=False)``)."""

    render: Render

    def __call__(self, result: Result) -> str:
        return self.render(result)


_WORKER_CATALOG: Catalog | None = None
_SHARED: tuple[tuple[str, ...], Catalog] | None = None


def share_catalog(catalog: Catalog, standards_dirs: tuple[str, ...]) -> None:
    """Load and compile every standard here, once, for forked workers to inherit.

    Otherwise each worker parses and compiles the standards it meets (a tenth
    of a second each) and this process parses them again for the summary.
    """
    global _SHARED
    from checker.core.audit_checks import observation_model
    from checker.core.compiled import compiled

    for standard in catalog:
        compiled(standard)
        observation_model(standard)
    _SHARED = (standards_dirs, catalog)


def init_worker(standards_dirs: tuple[str, ...], parent_pid: int | None = None) -> None:
    global _WORKER_CATALOG
    from checker.core.catalog import Catalog

    if parent_pid is not None:
        from checker.core.workers import guard_worker

        guard_worker(parent_pid)

    if _SHARED is not None and _SHARED[0] == standards_dirs:
        _WORKER_CATALOG = _SHARED[1]  # inherited from the parent (fork)
    else:
        _WORKER_CATALOG = Catalog.discover(standards_dirs)
    # what is loaded now lives as long as the worker: keep the collector from walking it again and again
    gc.freeze()


def check_one(
    index: int,
    name: str,
    data: bytes | None,
    catalog: Catalog,
    with_json: bool,
    keep: bool = False,
    render: Render | None = None,
) -> BatchItem:
    """Check one audit (read from ``name`` unless ``data`` is given); never raises for bad input.

    ``render`` turns the result into the text a person reads, here, so a
    pool's workers write it and the parent process only prints it.
    """
    from checker.core.audit_load import validate_audit
    from checker.core.engine import evaluate
    from checker.core.json_source import parse_json_bytes
    from checker.core.result_build import build_result
    from checker.core.scoring import score
    from checker.core.sources import MAX_AUDIT_BYTES, SourceProblem, read_limited

    try:
        try:
            raw = read_limited(Path(name), name, MAX_AUDIT_BYTES) if data is None else data
            doc = parse_json_bytes(raw, name, MAX_AUDIT_BYTES, repair=True)
        except SourceProblem as exc:
            raise AuditError(exc.problems) from None
        audit = validate_audit(doc, catalog)
        standard = catalog.get(audit.standard)
        evaluation = evaluate(standard, audit)
        scored = score(standard, evaluation.outcomes)
        digest = digest_of(standard, audit, evaluation.outcomes, scored, content_hash(doc.data))
        if not (with_json or keep or render):
            return BatchItem(index, name, digest)
        # a brief text alone (no JSON, no result kept) reads no reason: none is worded for it
        brief = isinstance(render, Brief) and not (with_json or keep)
        result = build_result(standard, audit, evaluation, scored, reasons=not brief)
        return BatchItem(
            index,
            name,
            digest,
            result.json_bytes() if with_json else None,
            text=render(result) if render is not None else None,
            kept=result if keep else None,
        )
    except CheckerError as exc:
        return BatchItem(index, name, error_kind=exc.kind, problems=tuple(exc.problems))
    except Exception as exc:  # a bug must cost one file, not the district's batch
        import os

        from checker.core.messages import say

        if os.environ.get("TONGCHECK_DEBUG", "") not in ("", "0"):
            import traceback

            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}"
        problem = Problem.of(name, say("run.internal_file", error=detail), say("hint.internal"))
        return BatchItem(index, name, error_kind="internal", problems=(problem,))


def check_chunk(tasks: list[Task], with_json: bool, render: Render | None = None) -> list[BatchItem]:
    catalog = _WORKER_CATALOG
    assert catalog is not None, "worker started without init_worker"
    return [check_one(i, name, data, catalog, with_json, render=render) for i, name, data in tasks]
