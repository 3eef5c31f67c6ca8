"""What crosses the process boundary of a batch: a digest per audit, an item per file.

A :class:`Digest` (identity, verdict, level, score and one status per rule)
is enough for summaries, plan progress, history and exports, and is small and
cheap to pickle; the full result travels only as JSON text when asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from checker.core.compiled import STATUS_WORDS
from checker.core.errors import AuditError, CheckerError, InternalError, Problem, StandardError, UsageError
from checker.core.validity import valid_until

if TYPE_CHECKING:
    from checker.core.result import Result

__all__ = ["FACT_TYPES", "BatchItem", "Digest", "content_hash", "digest_of"]

_RULE_IDS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_FACT_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {}
FACT_TYPES = ("enum", "boolean")


@dataclass(frozen=True, slots=True)
class Digest:
    """What a district view needs from one checked audit, without the rule texts.

    ``rule_ids`` is the standard's rule order; ``statuses`` and ``rule_kinds``
    (``mandatory``, ``scored`` or ``bonus``: a bonus rule that fails is no
    finding) are aligned with it.
    ``content_hash`` identifies the audit's content (canonical JSON, so
    re-saving a file with other indentation does not make it a new audit).
    ``facts`` are the observed values of the standard's enum and boolean
    fields (what kind of facility it is: ``scope``, ``route_type``), which a
    plan target's ``where`` selects by; ``valid_until`` is the last day a
    designation from this audit is valid (as on its certificate: waivers
    relied on cut it short).
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
    facts: tuple[tuple[str, str | bool], ...] = ()
    valid_until: str | None = None

    @property
    def facility_key(self) -> str:
        """Who the audit is about: the facility id, else its name (ids are what boards should use)."""
        return self.facility_id if self.facility_id else f"name:{self.facility_name}"

    def status_map(self) -> dict[str, str]:
        return dict(zip(self.rule_ids, self.statuses, strict=True))

    def fact_map(self) -> dict[str, str | bool]:
        return dict(self.facts)


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One file's outcome: a digest (and the result JSON as UTF-8 bytes, when asked for), or its problems."""

    index: int
    path: str
    digest: Digest | None = None
    json: bytes | None = None
    error_kind: str | None = None
    problems: tuple[Problem, ...] = ()
    text: str | None = None  # the result as a person reads it, when the batch was asked to render
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

        return Result.from_json(self.json)

    @property
    def error(self) -> CheckerError | None:
        """The error as the single-file path would have raised it (same class, same problems)."""
        if not self.problems:
            return None
        cls = {"standard": StandardError, "usage": UsageError, "internal": InternalError}.get(
            self.error_kind or "", AuditError
        )
        return cls(list(self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]

    @property
    def exit_code(self) -> int:
        """0 certified, 1 valid but not certified or incomplete, 2 invalid, 3 an internal error
        (as ``check`` exits)."""
        if self.digest is None:
            return 3 if self.error_kind == "internal" else 2
        return 0 if self.digest.verdict == "certified" else 1


def _rule_ids(standard: Any, outcomes: Sequence[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Shared tuples per standard, so a chunk pickles the ids once, not once per audit."""
    key = (standard.id, standard.version)
    found = _RULE_IDS.get(key)
    if found is None or len(found[0]) != len(outcomes):
        ids = tuple(o.id for o in outcomes)
        kinds = tuple("mandatory" if o.mandatory else "bonus" if o.bonus else "scored" for o in outcomes)
        found = _RULE_IDS[key] = (ids, kinds)
    return found


def _facts(standard: Any, values: dict[str, Any]) -> tuple[tuple[str, str | bool], ...]:
    key = (standard.id, standard.version)
    ids = _FACT_FIELDS.get(key)
    if ids is None:
        ids = _FACT_FIELDS[key] = tuple(f.id for f in standard.fields if f.type in FACT_TYPES)
    return tuple((fid, values[fid]) for fid in ids if values.get(fid) is not None)


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
        statuses=tuple([STATUS_WORDS[o.status] for o in outcomes]),
        content_hash=content_hash,
        path=audit.path,
        facts=_facts(standard, audit.values),
        valid_until=valid_until(
            audit.audited_on,
            standard.validity_years,
            [o.waiver.expires for o in outcomes if o.waiver is not None and o.status == "waived"],
        ),
    )


_DIGITS = frozenset(b"0123456789")


def _may_differ(fast: bytes) -> bool:
    """Whether orjson's numbers may not be json's (``1.5e-7``, ``0.00001``): a ``0.0000``, or an
    ``e-`` after a digit (so words such as ``one-way`` in a note keep the fast path). Found by
    plain byte searches: a regular expression over the whole text took longer than the hash."""
    if b"0.0000" in fast:
        return True
    at = fast.find(b"e-")
    while at != -1:
        if at and fast[at - 1] in _DIGITS:
            return True
        at = fast.find(b"e-", at + 2)
    return False


def content_hash(data: Any) -> str:
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def canonical_bytes(data: Any) -> bytes:
    """``json.dumps`` with sorted keys, compact, UTF-8: the bytes a content hash has always been of.

    orjson writes the very same bytes several times faster, except for numbers
    below 1e-4 (``0.00001`` and ``1e-7`` where ``json`` writes ``1e-05`` and
    ``1e-07``), integers past 64 bits and lone surrogates (it refuses those);
    when its output could hold such a number, ``json`` writes it.
    """
    try:
        fast = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        fast = b"0e-"
    if not _may_differ(fast):
        return fast
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return canonical.encode("utf-8", "surrogatepass")
