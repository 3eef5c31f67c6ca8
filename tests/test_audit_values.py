"""The one-pass reading of valid observations agrees with the checks that word every problem."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Catalog, Standard, parse_audit
from checker.core.audit import Audit
from checker.core.audit_checks import check_against, observed_values
from checker.core.audit_values import valid_values
from checker.core.errors import AuditError
from checker.core.json_source import JsonDoc

from .conftest import GOOD, audit_doc

_ODD: list[Any] = [
    None, True, False, 0, 1, -1, 3, 3.0, 0.7, 2.5, 1e9, -0.0, "", "x", "city", "rubber", "1.05",
    "2025-02-01", "2025-02-30", "2025-2-1", "\ud800", [], [1], {},
    2**53, 2**53 - 1, -(2**70), 2**70, 1e300, "２０２５-０２-０１", "2025-02-01\n", "x" * 10_001, "é" * 10_000,
]  # fmt: skip


@st.composite
def _observation(draw: st.DrawFn, standard: Standard) -> tuple[str, Any]:
    fid = draw(st.sampled_from([*standard.field_map, "unknown_field"]))
    f = standard.field_map.get(fid)
    typical = [*(f.values or []), f.min, f.max] if f is not None else []
    value = draw(st.sampled_from(_ODD + [v for v in typical if v is not None]))
    form = draw(st.integers(0, 5))
    if form == 1:
        value = {"value": value}
    elif form == 2:
        value = {"value": value, "evidence": draw(st.sampled_from([["p.jpg"], [], [1], "p.jpg"])), "note": "东"}
    elif form == 3:
        value = {"value": value, "note": draw(st.sampled_from([None, 2, "x"]))}
    elif form == 4:
        value = draw(st.sampled_from([{"evidence": []}, {"value": value, "extra": 1}, {"value": value, "note": "\ud800"}]))
    return fid, value


@settings(max_examples=400)
@given(st.data())
def test_fast_values_only_for_audits_the_checks_accept(fixture_standard: Standard, data: st.DataObject) -> None:
    obs = {**GOOD, **dict(data.draw(st.lists(_observation(fixture_standard), max_size=4)))}
    waivers = data.draw(st.sampled_from([[], [{"rule": "T-S1"}], [{"rule": "T-M1"}], [{"rule": "nope"}]]))
    doc = audit_doc(obs, waivers=[{**w, "reason": "r", "approved_by": "a", "expires": "2030-01-01"} for w in waivers])
    if data.draw(st.booleans()):
        doc["standard_version"] = data.draw(st.sampled_from(["1.0", "0.9"]))
    audit = Audit.model_validate(doc)
    fast = valid_values(audit, fixture_standard)
    problems = check_against(doc, fixture_standard, JsonDoc(doc, "", "a.json"))
    assert (fast is not None) == (problems == []), problems
    if fast is not None:
        slow = observed_values(fixture_standard, audit.observations)
        assert [(k, v, type(v)) for k, v in fast.items()] == [(k, v, type(v)) for k, v in slow.items()]


@settings(max_examples=200)
@given(st.data())
def test_strings_known_to_be_utf8_change_nothing_else(fixture_standard: Standard, data: st.DataObject) -> None:
    """Told that every string is valid UTF-8 (as orjson vouches), the reading skips only the search
    for lone surrogates: on audits without one it says what it says without being told."""
    obs = {**GOOD, **dict(data.draw(st.lists(_observation(fixture_standard), max_size=4)))}
    doc = audit_doc(obs)
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return  # a lone surrogate: no UTF-8 text holds one, so no caller says utf8 of it
    audit = Audit.model_validate(doc)
    assert valid_values(audit, fixture_standard, utf8=True) == valid_values(audit, fixture_standard)


@pytest.mark.parametrize(
    "observation",
    [
        {"value": 0.7, "note": "\\ud800"},
        {"value": 0.7, "evidence": ["p\\udc00.jpg"]},
    ],
)
def test_lone_surrogate_in_an_observation_refused(fixture_catalog: Catalog, observation: dict[str, Any]) -> None:
    """Escaped in the text, a lone surrogate is read by the strict parser (orjson refuses it), and the
    observation is still refused by name."""
    text = json.dumps(audit_doc({**GOOD, "height_m": observation}), ensure_ascii=False).replace("\\\\u", "\\u")
    with pytest.raises(AuditError) as caught:
        parse_audit(text, fixture_catalog, "a.json")
    assert any("height_m" in str(p) for p in caught.value.problems)
