"""Resolving a standard's ``uses:`` into plain fields and rules (pure: data in, data out).

A fragment's numbers may be ``{param: name}`` and its texts may say
``{name}``; instantiating it puts the standard's values in (its defaults,
changed by the use's ``with``), renames each rule ``key`` to the id the
standard gives it, applies the use's per-rule adjustments and inserts the
rules into the named section. Problems a use can have (an unknown item, an
undeclared parameter, an override without a reason, a field defined twice
differently, an unmapped rule key) are located in the standard; problems of
the resolved rules are located back at the use that brought them in
(``MappedLocated``), so no line number points at a rule the author never wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from checker.core.common import Fragment, Parameter, RuleUse, Use, format_param
from checker.core.conditions.ops import Decimals, is_limit
from checker.core.errors import Problem
from checker.core.messages import Msg, did_you_mean, say
from checker.core.sources import Located, Path_, format_path

__all__ = ["MappedLocated", "instantiate", "param_values", "resolve_uses"]

_TEXT_PARAM = re.compile(r"\{([a-z][a-z0-9_]*)\}")
Fail = Callable[[Path_, Msg, Msg], None]


class MappedLocated(Located):
    """Positions of a resolved document, found through the paths they were written at."""

    def __init__(self, base: Located, mapping: dict[Path_, Path_]) -> None:
        super().__init__({})
        self._base = base
        self._mapping = mapping

    def original(self, path: Path_) -> Path_:
        for end in (4, 2):
            prefix = path[:end]
            if len(prefix) == end and prefix in self._mapping:
                return self._mapping[prefix] + path[end:]
        return path

    def find(self, path: Path_) -> tuple[int | None, int | None]:
        return self._base.find(self.original(path))

    def problem(self, file: str, path: Path_, message: Msg | str, hint: Msg | str = "") -> Problem:
        return self._base.problem(file, self.original(path), message, hint)


def param_values(fragment: Fragment, overrides: Mapping[str, float]) -> dict[str, float]:
    values: dict[str, float] = {k: p.default for k, p in fragment.parameters.items()}
    values.update({k: v for k, v in overrides.items() if k in fragment.parameters})
    return values


def instantiate(
    fragment: Fragment, values: Mapping[str, float], missing: Callable[[Path_, str], None]
) -> tuple[list[Any], list[Any], list[Any]]:
    """The fragment's references, fields and rules with the parameter values put in."""
    specs = fragment.parameters
    texts = {k: format_param(v, specs[k]) for k, v in values.items() if k in specs}

    def sub(node: Any, path: Path_) -> Any:
        if isinstance(node, dict):
            if set(node) == {"param"}:
                name = node["param"]
                if isinstance(name, str) and name in values:
                    return _limit(values[name], specs[name], path)
                missing(path, str(name))
                return node
            return {k: sub(v, (*path, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [sub(v, (*path, i)) for i, v in enumerate(node)]
        if isinstance(node, str):

            def word(m: re.Match[str]) -> str:
                if m[1] in texts:
                    return texts[m[1]]
                missing(path, m[1])
                return m[0]

            return _TEXT_PARAM.sub(word, node)
        return node

    return (
        sub(fragment.references, ("references",)),
        sub(fragment.fields, ("fields",)),
        sub(fragment.rules, ("rules",)),
    )


def _limit(value: float, spec: Parameter, path: Path_) -> float:
    """A comparison limit keeps the parameter's decimals for every text that words it (1.10 m)."""
    if spec.decimals is None or spec.type != "number" or not is_limit(path):
        return value
    return Decimals(value, spec.decimals)


def _adjust(rule: dict[str, Any], use: RuleUse) -> dict[str, Any]:
    out = dict(rule)
    if use.mandatory is True:
        for key in ("points", "credit", "bonus"):
            out.pop(key, None)
        out["mandatory"] = True
    elif use.mandatory is False:
        out.pop("mandatory", None)
    if use.points is not None:
        out["points"] = use.points
    if use.applies_when is not None:
        before = out.get("applies_when")
        out["applies_when"] = use.applies_when if before is None else {"all": [before, use.applies_when]}
    if use.ref is not None:
        out["ref"] = use.ref.model_dump()
    if use.source is not None:
        out["source"] = use.source.model_dump(exclude_none=True)
    return out


def _check_use(use: Use, fragment: Fragment, upath: Path_, fail: Fail) -> None:
    declared = fragment.parameters
    for key, value in use.with_.items():
        spec = declared.get(key)
        if spec is None:
            hint = did_you_mean(key, declared, say("hint.common_params", names=", ".join(declared) or "-"))
            fail((*upath, "with", key), say("common.param_undeclared", item=use.common, param=key), hint)
        else:
            _check_value(spec, value, (*upath, "with", key), fail)
    if use.with_ and use.because is None:
        fail((*upath, "with"), say("common.because_missing", item=use.common), say("hint.common_because"))
    keys = fragment.keys()
    for key in keys:
        if key not in use.rules:
            fail(
                (*upath, "rules"),
                say("common.key_unmapped", item=use.common, key=key),
                say("hint.common_map"),
            )
    for key in use.rules:
        if key not in keys:
            fail(
                (*upath, "rules", key),
                say("common.key_unknown", item=use.common, key=key),
                did_you_mean(key, keys, say("hint.common_keys", keys=", ".join(keys))),
            )
    for key, target in use.rules.items():
        if not isinstance(target, RuleUse) or key not in keys:
            continue
        _check_citation(use.common, key, target, (*upath, "rules", key), fail)
        mandatory = bool(fragment.rules[keys.index(key)].get("mandatory", False))
        if mandatory and target.mandatory is False and use.because is None:
            fail(
                (*upath, "rules", key, "mandatory"),
                say("common.weakened", item=use.common, key=key),
                say("hint.common_because"),
            )


def _check_citation(item: str, key: str, target: RuleUse, path: Path_, fail: Fail) -> None:
    """A standard's own clause comes with its own grade and a note that names the clause."""
    if target.ref is None:
        return
    if target.source is None:
        fail((*path, "ref"), say("common.cite_source", item=item, key=key), say("hint.common_cite_source"))
        return
    note = target.source.note
    if note is None or target.ref.clause not in note.zh or target.ref.clause not in note.en:
        fail((*path, "source", "note"), say("common.cite_note", clause=target.ref.clause),
             say("hint.common_cite_note", clause=target.ref.clause))  # fmt: skip


def _check_value(spec: Parameter, value: float, path: Path_, fail: Fail) -> None:
    if spec.type == "integer" and not isinstance(value, int):
        fail(path, say("common.param_integer", value=value), say("hint.whole_number"))
    low = spec.min if spec.min is not None else float("-inf")
    high = spec.max if spec.max is not None else float("inf")
    if not low <= value <= high:
        fail(
            path,
            say("common.param_range", value=value, min=_bound(spec.min), max=_bound(spec.max)),
            say("hint.common_range"),
        )


def _bound(x: float | None) -> str:
    return "-" if x is None else str(x)


_CLASH = {"field": "common.field_clash", "reference": "common.reference_clash"}


def _merge(
    into: list[Any], items: list[Any], upath: Path_, what: str, fail: Fail, same: Callable[[Any, Any], bool]
) -> list[int]:
    """Append ``items`` not already in ``into`` (by id); a different definition is a clash."""
    ids = {e.get("id"): i for i, e in enumerate(into) if isinstance(e, dict)}
    added = []
    for item in items:
        at = ids.get(item.get("id"))
        if at is None:
            ids[item.get("id")] = len(into)
            added.append(len(into))
            into.append(item)
        elif not same(into[at], item):
            fail(
                upath,
                say(_CLASH[what], id=repr(item.get("id"))),
                say("hint.common_clash", place=format_path((f"{what}s", at))),
            )
    return added


def resolve_uses(
    data: dict[str, Any],
    fragments: Mapping[str, Fragment],
    located: Located,
    fail: Fail,
    known: Sequence[str] = (),
) -> tuple[dict[str, Any], MappedLocated]:
    """``data`` with every valid use resolved; problems go to ``fail`` (located in the standard)."""
    out = dict(data)
    sections = [dict(s) if isinstance(s, dict) else s for s in data.get("sections") or []]
    origins: list[list[Path_]] = [
        [("sections", si, "rules", ri) for ri in range(len(s.get("rules") or []))]
        if isinstance(s, dict)
        else []
        for si, s in enumerate(sections)
    ]
    for s in sections:
        if isinstance(s, dict):
            s["rules"] = list(s.get("rules") or [])
    fields = list(data.get("fields") or [])
    references = list(data.get("references") or [])
    mapping: dict[Path_, Path_] = {}
    for ui, raw in enumerate(data.get("uses") or []):
        upath: Path_ = ("uses", ui)
        try:
            use = Use.model_validate(raw)
        except ValidationError:
            continue  # the standard's own model reports it, located
        fragment = fragments.get(use.common)
        if fragment is None:
            hint = did_you_mean(use.common, known, say("hint.common_known", known=", ".join(known) or "-"))
            fail((*upath, "common"), say("common.unknown", item=repr(use.common)), hint)
            continue
        _check_use(use, fragment, upath, fail)
        refs, fdefs, rules = instantiate(fragment, param_values(fragment, use.with_), lambda p, n: None)
        _merge(references, refs, upath, "reference", fail, lambda a, b: a.get("code") == b.get("code"))
        for fi in _merge(fields, fdefs, upath, "field", fail, lambda a, b: bool(a == b)):
            mapping[("fields", fi)] = upath
        target = next(
            (si for si, s in enumerate(sections) if isinstance(s, dict) and s.get("id") == use.section), None
        )
        if target is None:
            known = [str(s.get("id")) for s in sections if isinstance(s, dict)]
            fail((*upath, "section"), say("common.section_unknown", section=repr(use.section)),
                 did_you_mean(use.section, known, say("hint.known", known=", ".join(known))))  # fmt: skip
            continue
        _insert(sections[target], origins[target], use, rules, upath, fail)
    for si, paths in enumerate(origins):
        for ri, origin in enumerate(paths):
            mapping[("sections", si, "rules", ri)] = origin
    out["sections"], out["fields"] = sections, fields
    if references:
        out["references"] = references
    return out, MappedLocated(located, mapping)


def _insert(
    section: dict[str, Any], origins: list[Path_], use: Use, rules: list[Any], upath: Path_, fail: Fail
) -> None:
    new, paths = [], []
    for rule in rules:
        key = rule.get("key")
        target = use.rules.get(key)
        if target is None:
            continue
        body = {k: v for k, v in rule.items() if k != "key"}
        body = {"id": target if isinstance(target, str) else target.id, **body}
        if isinstance(target, RuleUse):
            body = _adjust(body, target)
        new.append(body)
        paths.append((*upath, "rules", key))
    at = len(section["rules"])
    anchor = use.after or use.before
    if anchor is not None:
        ids = [r.get("id") if isinstance(r, dict) else None for r in section["rules"]]
        if anchor not in ids:
            where = "after" if use.after else "before"
            fail((*upath, where), say("common.anchor_unknown", id=repr(anchor)), say("hint.common_anchor"))
        else:
            at = ids.index(anchor) + (1 if use.after else 0)
    section["rules"][at:at] = new
    origins[at:at] = paths
