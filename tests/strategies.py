"""Hypothesis strategies: random valid standards and audits built from them."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from checker.core.conditions import OPS_BY_TYPE
from checker.core.sources import Located
from checker.core.standard import Standard
from checker.core.standard_load import build_standard

TEXT = {"zh": "字", "en": "t"}
ENUM_VALUES = ["a", "b", "c", "d"]
DATES = ["2024-01-01", "2025-06-30", "2026-05-12", "2027-12-31"]


def field_def(i: int, kind: str) -> dict[str, Any]:
    f: dict[str, Any] = {"id": f"f{i}", "label": TEXT, "type": kind}
    if kind in ("integer", "number"):
        f.update(min=0, max=100)
    if kind == "enum":
        f["values"] = ENUM_VALUES
    return f


def scalar(kind: str) -> st.SearchStrategy[Any]:
    return {
        "boolean": st.booleans(),
        "integer": st.integers(0, 100),
        "number": st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 3))
        | st.integers(0, 100).map(float),
        "enum": st.sampled_from(ENUM_VALUES),
        "date": st.sampled_from(DATES),
        "text": st.sampled_from(["x", "y", ""]),
    }[kind]


@st.composite
def comparison(draw: st.DrawFn, fields: list[dict[str, Any]]) -> dict[str, Any]:
    f = draw(st.sampled_from(fields))
    kind = f["type"]
    if draw(st.integers(0, 9)) == 0:
        return {"field": f["id"], "present": draw(st.booleans())}
    op = draw(st.sampled_from(OPS_BY_TYPE[kind]))
    if op in ("in", "not_in"):
        value: Any = draw(st.lists(scalar(kind), min_size=1, max_size=3))
    elif op == "between":
        a, b = draw(scalar(kind)), draw(scalar(kind))
        value = [min(a, b), max(a, b)]
    else:
        value = draw(scalar(kind))
    return {"field": f["id"], op: value}


def condition(fields: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    numeric = [f for f in fields if f["type"] in ("integer", "number")]
    leaves = comparison(fields)
    if len(numeric) >= 2:
        leaves = leaves | st.builds(
            lambda a, b, v: {"per": {"field": a["id"], "of": b["id"], "per": 10}, "gte": v},
            st.sampled_from(numeric),
            st.sampled_from(numeric),
            st.integers(0, 20),
        )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
            inner.map(lambda x: {"not": x}),
            # a threshold some counts meet and others do not (0 or above the count is refused by lint)
            st.tuples(st.lists(inner, min_size=1, max_size=3), st.integers(1, 3)).map(
                lambda t: {"count": t[0], "gte": min(t[1], len(t[0]))}
            ),
        ),
        max_leaves=5,
    )


@st.composite
def rule(draw: st.DrawFn, rid: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    r: dict[str, Any] = {"id": rid, "title": TEXT}
    kind = draw(st.sampled_from(["mandatory", "scored", "scored", "linear", "tiers", "bonus"]))
    numeric = [f for f in fields if f["type"] in ("integer", "number")]
    if draw(st.booleans()):
        r["applies_when"] = draw(condition(fields))
    if kind == "mandatory":
        r.update(mandatory=True, require=draw(condition(fields)))
        return r
    points = draw(st.sampled_from([1, 2, 3, 4.5, 6]))
    r["points"] = points
    if kind == "bonus":
        r["bonus"] = True
    if kind == "linear" and numeric:
        f = draw(st.sampled_from(numeric))
        zero, full = draw(st.integers(0, 100)), draw(st.integers(0, 100))
        if zero == full:
            full = zero + 1
        r["credit"] = {"linear": {"field": f["id"], "zero_at": zero, "full_at": full}}
    elif kind == "tiers":
        low = draw(condition(fields))
        high = draw(condition(fields))
        r["credit"] = {"tiers": [{"points": points / 2, "when": low}, {"points": points, "when": high}]}
    else:
        r["require"] = draw(condition(fields))
    return r


@st.composite
def standard_doc(draw: st.DrawFn, extra_rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    kinds = draw(
        st.lists(
            st.sampled_from(["boolean", "integer", "number", "enum", "date", "text"]), min_size=2, max_size=6
        )
    )
    fields = [field_def(i, k) for i, k in enumerate(kinds)]
    fields.append({"id": "flag", "label": TEXT, "type": "boolean"})
    n_sections = draw(st.integers(1, 3))
    sections = []
    counter = 0
    for s in range(n_sections):
        rules = []
        for _ in range(draw(st.integers(1, 4))):
            counter += 1
            rules.append(draw(rule(f"R{counter}", fields)))
        sections.append({"id": f"s{s}", "title": TEXT, "rules": rules})
    if extra_rules:
        sections[0]["rules"].extend(extra_rules)
    levels = [
        {"id": "l1", "label": TEXT, "min_score": draw(st.sampled_from([40, 60]))},
        {
            "id": "l2",
            "label": TEXT,
            "min_score": 80,
            "min_section_percent": draw(st.sampled_from([None, 30, 50])),
        },
    ]
    if levels[1]["min_section_percent"] is None:
        del levels[1]["min_section_percent"]
    doc: dict[str, Any] = {
        "format": 1,
        "id": "gen",
        "version": "1",
        "facility_type": "park",
        "title": TEXT,
        "levels": levels,
        "fields": fields,
        "sections": sections,
    }
    if draw(st.booleans()):
        doc["scoring"] = {"bonus_cap_percent": draw(st.sampled_from([0, 5, 10, 50]))}
    return doc


def build(doc: dict[str, Any]) -> Standard:
    return build_standard(doc, Located({}), "gen.yaml")


@st.composite
def observations(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    obs: dict[str, Any] = {}
    for f in doc["fields"]:
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue
        if choice == 1:
            obs[f["id"]] = None
            continue
        obs[f["id"]] = draw(scalar(f["type"]))
    return obs
