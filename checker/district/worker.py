"""Checking one audit file, in a worker process or in this one; never raises for bad input.

A worker builds its catalog once (``init_worker``), so a standard is parsed
once per worker, not once per audit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from checker.core.errors import AuditError, CheckerError, Problem
from checker.district.digest import BatchItem, content_hash, digest_of

if TYPE_CHECKING:
    from checker.core.catalog import Catalog

__all__ = ["check_chunk", "check_one", "init_worker"]

Task = tuple[int, str, bytes | None]

_WORKER_CATALOG: Catalog | None = None


def init_worker(standards_dirs: tuple[str, ...]) -> None:
    global _WORKER_CATALOG
    from checker.core.catalog import Catalog

    _WORKER_CATALOG = Catalog.discover(standards_dirs)


def check_one(
    index: int, name: str, data: bytes | None, catalog: Catalog, with_json: bool, keep: bool = False
) -> BatchItem:
    """Check one audit (read from ``name`` unless ``data`` is given); never raises for bad input."""
    from checker.core.audit_load import validate_audit
    from checker.core.engine import evaluate
    from checker.core.json_source import parse_json
    from checker.core.result_build import build_result
    from checker.core.scoring import score
    from checker.core.sources import MAX_AUDIT_BYTES, SourceProblem, decode, read_bytes

    try:
        try:
            if data is None:
                text = read_bytes(Path(name), name, MAX_AUDIT_BYTES)
            else:
                text = decode(data, name, MAX_AUDIT_BYTES)
            doc = parse_json(text, name, repair=True)
        except SourceProblem as exc:
            raise AuditError(exc.problems) from None
        audit = validate_audit(doc, catalog)
        standard = catalog.get(audit.standard)
        evaluation = evaluate(standard, audit)
        scored = score(standard, evaluation.outcomes)
        digest = digest_of(standard, audit, evaluation.outcomes, scored, content_hash(doc.data))
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


def check_chunk(tasks: list[Task], with_json: bool) -> list[BatchItem]:
    catalog = _WORKER_CATALOG
    assert catalog is not None, "worker started without init_worker"
    return [check_one(i, name, data, catalog, with_json) for i, name, data in tasks]
