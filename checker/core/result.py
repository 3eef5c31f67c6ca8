"""The result object (format 1): what `check --format json` prints and reports read.

Plain frozen dataclasses, read by attribute (``result.rules[0].reason.zh``)
and serialised once by orjson. Rounding to two decimals happens when a result
is built (``result_build``) and only there; decisions were made on the
unrounded values in ``scoring``. Keys beyond the format's (titles, reasons,
source status, labels) are additions the format allows, so that every report
can be rendered from the result alone. The published schema
(``check schema result``) is generated from these classes.

Rows that repeat from audit to audit (a rule's row for the same observed
values, a section's, a standard's block, its levels) are often the very same objects, so
each one is written to JSON once and its bytes reused (``_json_of``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from typing import Any, ClassVar, Literal

import orjson
from pydantic import ConfigDict

from checker.core.text import Text

__all__ = [
    "Result",
    "ResultAudit",
    "ResultLevel",
    "ResultRef",
    "ResultRule",
    "ResultSection",
    "ResultStandard",
    "ResultWaiver",
    "ResultWarning",
]

StatusWord = Literal["not_applicable", "waived", "missing", "pass", "partial", "fail"]
VerdictWord = Literal["certified", "not_certified", "incomplete"]

_FORBID = ConfigDict(extra="forbid")  # read by the schema generator: no keys beyond the declared ones


class _Shared:
    """A kind of result object that recurs from result to result (memoised rows, a standard's block
    and levels): it keeps its own JSON once written (``_json_of``), in a slot that is no field."""

    __slots__ = ("_json",)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultRef(_Shared):
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    doc: str
    clause: str
    code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultWaiver:
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    reason: str
    approved_by: str
    expires: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultRule(_Shared):
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    id: str
    section: str
    status: StatusWord
    mandatory: bool
    bonus: bool
    earned: float
    possible: float
    points: float
    title: Text
    reason: Text
    ref: ResultRef | None = None
    source_status: str | None = None
    source_note: Text | None = None
    local_rule: bool = False
    remediation: Text | None = None
    waiver: ResultWaiver | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultSection(_Shared):
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    id: str
    title: Text
    earned: float
    possible: float
    percent: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultLevel(_Shared):
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    id: str
    label: Text
    min_score: float
    min_section_percent: float | None = None
    reached: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultWarning:
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    code: str
    message: Text
    rule: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultAudit:
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    path: str
    facility: dict[str, Any]
    assessor: dict[str, Any]
    audited_on: str
    standard_version: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultStandard(_Shared):
    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    id: str
    version: str
    title: Text
    facility_type: str
    validity_years: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """One checked audit. ``rules`` lists every rule of the standard in file order."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    format: Literal[1] = 1
    audit: ResultAudit
    standard: ResultStandard
    score: float
    level: str | None
    level_label: Text | None = None
    verdict: VerdictWord
    earned: float
    possible: float
    bonus: float
    sections: list[ResultSection]
    levels: list[ResultLevel]
    rules: list[ResultRule]
    warnings: list[ResultWarning]

    def to_json(self, indent: int | None = None) -> str:
        """The result JSON; ``indent=2`` pretty-prints (the only indent the format uses)."""
        return self.json_bytes(indent).decode("utf-8")

    def json_bytes(self, indent: int | None = None) -> bytes:
        """``to_json`` as UTF-8 bytes, for writing to a file or a pipe without decoding it first."""
        if indent:
            if indent != 2:
                raise ValueError("results are written compact or with an indent of 2")
            return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2)
        return orjson.dumps(_document(self))

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON data (dicts, lists, strings, numbers), as ``to_json`` writes it."""
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, text: str | bytes) -> Result:
        """A result read back from its JSON (as a worker process sends it)."""
        return from_dict(orjson.loads(text))


def _model_copy(self: Any, *, update: dict[str, Any] | None = None) -> Any:
    """A copy with some fields changed (``dataclasses.replace``), in the spelling of the pydantic
    models results were before, which code and tests across the project still use."""
    return replace(self, **(update or {}))


_TYPES: tuple[type[Any], ...] = (
    ResultRef, ResultWaiver, ResultRule, ResultSection, ResultLevel, ResultWarning, ResultAudit,
    ResultStandard, Result,
)  # fmt: skip
_NAMES: dict[type[Any], tuple[str, ...]] = {t: tuple(f.name for f in fields(t)) for t in _TYPES}
for _kind in _TYPES:
    _kind.model_copy = _model_copy


def _plain(value: Any) -> Any:
    """JSON data of a result value: dataclasses and texts become objects, in field order."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Text:
        return {"zh": value.zh, "en": value.en}
    names = _NAMES.get(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if kind is list:
        return [_plain(item) for item in value]
    if kind is dict:
        return {key: _plain(item) for key, item in value.items()}
    raise TypeError(f"cannot write {kind.__name__} in a result")


_SCALARS = frozenset({str, int, float, bool, type(None)})
_GETTERS = {kind: attrgetter(*names) for kind, names in _NAMES.items()}
_SHARED = frozenset({ResultRef, ResultRule, ResultLevel, ResultStandard, ResultSection})
"""Kinds whose objects recur from result to result (memoised rows and sections, a standard's block and
levels)."""


def _written(value: Any) -> Any:
    """``_plain`` for orjson, with each shared object's JSON written once (``_json_of``)."""
    kind = type(value)
    if kind in _SCALARS or kind is dict:  # a dict here is JSON data already (facility, assessor)
        return value
    if kind is list:
        return [_json_of(item) if type(item) in _SHARED else _written(item) for item in value]
    if kind is Text:
        return {"zh": value.zh, "en": value.en}
    if kind in _SHARED:
        return _json_of(value)
    return _members(value, kind)


def _members(value: Any, kind: type[Any]) -> dict[str, Any]:
    names = _NAMES.get(kind)
    if names is None:
        raise TypeError(f"cannot write {kind.__name__} in a result")
    members = [v if type(v) in _SCALARS else _written(v) for v in _GETTERS[kind](value)]
    return dict(zip(names, members, strict=True))


def _text_data(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {"zh": value.zh, "en": value.en}


def _document(r: Result) -> dict[str, Any]:
    """``_written(r)`` spelt out for the one object every result has (its fields checked below)."""
    a = r.audit
    return {
        "format": r.format,
        "audit": {
            "path": a.path,
            "facility": a.facility,
            "assessor": a.assessor,
            "audited_on": a.audited_on,
            "standard_version": a.standard_version,
            "values": a.values,
        },
        "standard": _json_of(r.standard),
        "score": r.score,
        "level": r.level,
        "level_label": _text_data(r.level_label),
        "verdict": r.verdict,
        "earned": r.earned,
        "possible": r.possible,
        "bonus": r.bonus,
        "sections": [_json_of(s) for s in r.sections],
        "levels": [_json_of(level) for level in r.levels],
        "rules": [_json_of(row) for row in r.rules],
        "warnings": [{"code": w.code, "message": _text_data(w.message), "rule": w.rule} for w in r.warnings],
    }


def _row(r: ResultRule) -> dict[str, Any]:
    """``_members`` spelt out for a result's rows (its fields checked below)."""
    ref, waiver = r.ref, r.waiver
    return {
        "id": r.id,
        "section": r.section,
        "status": r.status,
        "mandatory": r.mandatory,
        "bonus": r.bonus,
        "earned": r.earned,
        "possible": r.possible,
        "points": r.points,
        "title": _text_json(r.title),
        "reason": {"zh": r.reason.zh, "en": r.reason.en},
        "ref": None if ref is None else _json_of(ref),
        "source_status": r.source_status,
        "source_note": None if r.source_note is None else _text_json(r.source_note),
        "local_rule": r.local_rule,
        "remediation": None if r.remediation is None else _text_json(r.remediation),
        "waiver": None if waiver is None else _members(waiver, ResultWaiver),
    }


_SPELT_OUT = {
    ResultRule: "id section status mandatory bonus earned possible points title reason ref source_status "
    "source_note local_rule remediation waiver",
    Result: "format audit standard score level level_label verdict earned possible bonus "
    "sections levels rules warnings",
    ResultAudit: "path facility assessor audited_on standard_version values",
    ResultWarning: "code message rule",
}
for _kind, _names in _SPELT_OUT.items():  # a field added to a result class must be written by _document too
    if _NAMES[_kind] != tuple(_names.split()):  # pragma: no cover
        raise TypeError(f"_document does not write the fields of {_kind.__name__}: {_NAMES[_kind]}")


_TEXT_JSON: dict[int, tuple[Text, orjson.Fragment]] = {}
_TEXT_JSON_MAX = 4096


def _text_json(text: Text) -> orjson.Fragment:
    """A text every row of a rule shares (its title, note, remediation: the standard's own objects),
    written once for as long as it lives; the text is kept with its JSON, so its id is not reused."""
    found = _TEXT_JSON.get(id(text))
    if found is not None and found[0] is text:
        return found[1]
    if len(_TEXT_JSON) >= _TEXT_JSON_MAX:
        _TEXT_JSON.clear()
    fragment = orjson.Fragment(orjson.dumps({"zh": text.zh, "en": text.en}))
    _TEXT_JSON[id(text)] = (text, fragment)
    return fragment


def _json_of(value: Any) -> orjson.Fragment:
    """``value`` written as JSON once for as long as it lives (results are frozen: its bytes never change)."""
    try:
        return value._json  # type: ignore[no-any-return]
    except AttributeError:
        kind = type(value)
        fragment = orjson.Fragment(orjson.dumps(_row(value) if kind is ResultRule else _members(value, kind)))
        object.__setattr__(value, "_json", fragment)
        return fragment


_TEXTS: dict[tuple[str, str], Text] = {}
_TEXTS_MAX = 8192


def _text(data: dict[str, str] | None) -> Text | None:
    """One Text object per distinct pair (titles and reasons repeat from result to result)."""
    if data is None:
        return None
    key = (data["zh"], data["en"])
    found = _TEXTS.get(key)
    if found is None:
        if len(_TEXTS) >= _TEXTS_MAX:
            _TEXTS.clear()
        found = _TEXTS[key] = Text(zh=key[0], en=key[1])
    return found


def from_dict(data: dict[str, Any]) -> Result:
    """A result from its JSON data (the inverse of ``Result.to_dict``)."""
    rules = []
    for r in data["rules"]:
        ref, waiver = r["ref"], r["waiver"]
        texts = {k: _text(r[k]) for k in ("title", "reason", "source_note", "remediation")}
        ref_ = None if ref is None else ResultRef(**ref)
        waiver_ = None if waiver is None else ResultWaiver(**waiver)
        rules.append(ResultRule(**{**r, **texts, "ref": ref_, "waiver": waiver_}))
    return Result(
        format=data["format"],
        audit=ResultAudit(**data["audit"]),
        standard=ResultStandard(**{**data["standard"], "title": _text(data["standard"]["title"])}),
        score=data["score"],
        level=data["level"],
        level_label=_text(data["level_label"]),
        verdict=data["verdict"],
        earned=data["earned"],
        possible=data["possible"],
        bonus=data["bonus"],
        sections=[ResultSection(**{**s, "title": _text(s["title"])}) for s in data["sections"]],
        levels=[ResultLevel(**{**lv, "label": _text(lv["label"])}) for lv in data["levels"]],
        rules=rules,
        warnings=[ResultWarning(**{**w, "message": _text(w["message"])}) for w in data["warnings"]],
    )
