from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker import AuditError, Catalog, load_audit, parse_audit

from .conftest import GOOD, audit_doc


def _errors(catalog: Catalog, doc: dict[str, Any] | str) -> list[str]:
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, indent=1)
    with pytest.raises(AuditError) as info:
        parse_audit(text, catalog, "a.json")
    return [str(p) for p in info.value.problems]


def test_valid_audit(fixture_catalog: Catalog) -> None:
    audit = parse_audit(
        json.dumps(
            audit_doc(
                {**GOOD, "height_m": {"value": 1.2, "evidence": ["p.jpg"], "note": "东"}, "noise_db": None}
            )
        ),
        fixture_catalog,
        "a.json",
    )
    assert audit.values["height_m"] == 1.2
    assert "noise_db" not in audit.values
    assert audit.evidence("height_m") == ["p.jpg"]
    assert audit.note("height_m") == "东"


@pytest.mark.parametrize(
    ("obs", "fragment", "path"),
    [
        ({"height_m": "1.05m"}, 'expected a number from 0 to 5 m, found "1.05m"', "$.observations.height_m"),
        ({"height_m": 7}, "7 is outside the plausible range", "$.observations.height_m"),
        ({"heigth_m": 1}, "unknown field 'heigth_m'", "$.observations.heigth_m"),
        ({"count_n": 3.0}, "write 3 without the decimal point", "$.observations.count_n"),
        ({"gate": "true"}, "expected true or false", "$.observations.gate"),
        ({"surface": "rubbr"}, 'did you mean "rubber"', "$.observations.surface"),
        ({"inspected_on": "2025-02-30"}, "expected a date", "$.observations.inspected_on"),
        ({"height_m": {"val": 1}}, "unknown key 'val'", "$.observations.height_m.val"),
        ({"height_m": {"evidence": []}}, 'needs "value"', "$.observations.height_m"),
        ({"height_m": {"value": "x"}}, "expected a number", "$.observations.height_m.value"),
        ({"gate": True, "surface": ["rubber"]}, "expected one of", "$.observations.surface"),
    ],
)
def test_invalid_observation(fixture_catalog: Catalog, obs: dict[str, Any], fragment: str, path: str) -> None:
    errors = _errors(fixture_catalog, audit_doc(obs))
    assert any(fragment in e and path in e for e in errors), errors
    assert all(e.startswith("a.json:") for e in errors)


def test_unknown_field_suggestion(fixture_catalog: Catalog) -> None:
    (error,) = _errors(fixture_catalog, audit_doc({"heigth_m": 1}))
    assert "did you mean 'height_m'?" in error


def test_unknown_standard_lists_known(fixture_catalog: Catalog) -> None:
    (error,) = _errors(fixture_catalog, audit_doc(standard="yuzhong-nothing"))
    assert "unknown standard 'yuzhong-nothing'" in error and "test-fixture" in error


def test_version_mismatch(fixture_catalog: Catalog) -> None:
    (error,) = _errors(fixture_catalog, audit_doc(standard_version="0.9"))
    assert "made with version 0.9 of test-fixture, which has been replaced by version 1.0" in error
    assert "$.standard_version" in error and "check template test-fixture --from" in error
    (error,) = _errors(fixture_catalog, audit_doc(standard_version="1.1"))  # newer than the one loaded
    assert "audit is for version '1.1'" in error and "check template STANDARD --from" in error


@pytest.mark.parametrize(
    ("waiver", "fragment"),
    [
        (
            {"rule": "T-S99", "reason": "r", "approved_by": "b", "expires": "2027-01-01"},
            "unknown rule 'T-S99'",
        ),
        ({"rule": "T-M1", "reason": "r", "approved_by": "b", "expires": "2027-01-01"}, "cannot be waived"),
        ({"rule": "T-S1", "reason": "r", "approved_by": "b", "expires": "soon"}, "$.waivers[0].expires"),
        ({"rule": "T-S1", "reason": "r", "expires": "2027-01-01"}, "'approved_by' is missing"),
    ],
)
def test_invalid_waivers(fixture_catalog: Catalog, waiver: dict[str, Any], fragment: str) -> None:
    errors = _errors(fixture_catalog, audit_doc(GOOD, waivers=[waiver]))
    assert any(fragment in e for e in errors), errors


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"format": 2}, "$.format"),
        ({"audited_on": "12/05/2026"}, "$.audited_on"),
        ({"facility": {"name": ""}}, "$.facility.name"),
        ({"assesor": {"name": "x"}}, "unknown key 'assesor'"),
        ({"observations": []}, "$.observations"),
    ],
)
def test_invalid_envelope(fixture_catalog: Catalog, change: dict[str, Any], fragment: str) -> None:
    errors = _errors(fixture_catalog, audit_doc(GOOD, **change))
    assert any(fragment in e for e in errors), errors


def test_missing_required_keys(fixture_catalog: Catalog) -> None:
    errors = _errors(fixture_catalog, {"format": 1})
    for key in ("standard", "facility", "assessor", "audited_on", "observations"):
        assert any(f"'{key}' is missing" in e for e in errors), key


def test_not_an_object_and_syntax(fixture_catalog: Catalog) -> None:
    assert "must be a JSON object" in _errors(fixture_catalog, "[1, 2]")[0]
    assert "JSON syntax error" in _errors(fixture_catalog, '{"format": 1,')[0]
    assert "NaN" in _errors(fixture_catalog, '{"format": NaN}')[0]
    assert "duplicate key" in _errors(fixture_catalog, '{"format": 1, "format": 1}')[0]


def test_lone_surrogate_refused(fixture_catalog: Catalog) -> None:
    text = json.dumps(audit_doc(GOOD), ensure_ascii=False).replace("测试公园", "\\ud800")
    assert any("$.facility.name" in e and "invalid character" in e for e in _errors(fixture_catalog, text))


@pytest.mark.parametrize(
    ("part", "key"),
    [
        ("facility", "name"),
        ("facility", "address"),
        ("facility", "street"),
        ("facility", "district"),
        ("assessor", "name"),
        ("assessor", "organisation"),
        (None, "notes"),
    ],
)
def test_lone_surrogate_refused_in_every_text_of_the_envelope(
    fixture_catalog: Catalog, part: str | None, key: str
) -> None:
    """pydantic-core refuses a lone surrogate in a length-bounded string, which is what lets the
    envelope go without a Python validator per string: this holds it to that."""
    doc = audit_doc(GOOD, notes="备注")
    target = doc if part is None else doc[part]
    target[key] = "MARK"
    text = json.dumps(doc, ensure_ascii=False).replace("MARK", "a\\udc80b")
    where = f"$.{key}" if part is None else f"$.{part}.{key}"
    assert any(where in e and "invalid character" in e for e in _errors(fixture_catalog, text))


def test_located_lines(fixture_catalog: Catalog) -> None:
    text = json.dumps(audit_doc({"height_m": 9}), indent=1)
    (error,) = _errors(fixture_catalog, text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"height_m"' in row)
    assert error.startswith(f"a.json:{line}:")


def test_size_cap(fixture_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(audit_doc(GOOD, notes="x" * (3 << 20))), encoding="utf-8")
    with pytest.raises(AuditError, match="larger than the limit"):
        load_audit(path, fixture_catalog)


@pytest.mark.parametrize(
    ("audited_on", "refused"),
    [("2026-05-12", False), ("2026-05-13", False), ("2026-05-14", True), ("2027-01-01", True)],
)
def test_an_audit_dated_after_tomorrow_is_refused(
    fixture_catalog: Catalog, audited_on: str, refused: bool
) -> None:
    import datetime as dt

    text = json.dumps(audit_doc(GOOD, audited_on=audited_on), ensure_ascii=False, indent=1)
    today = dt.date(2026, 5, 12)
    if not refused:  # one day of grace for time zones
        assert parse_audit(text, fixture_catalog, "a.json", today=today).audited_on == audited_on
        return
    with pytest.raises(AuditError) as info:
        parse_audit(text, fixture_catalog, "a.json", today=today)
    (problem,) = info.value.problems
    assert str(problem).startswith("a.json:13:16: $.audited_on: ")
    assert f"the audit date {audited_on} is after today (2026-05-12)" in str(problem)


def test_the_clock_decides_by_default(fixture_catalog: Catalog) -> None:
    text = json.dumps(audit_doc(GOOD, audited_on="9999-12-31"), ensure_ascii=False)
    with pytest.raises(AuditError, match="after today"):
        parse_audit(text, fixture_catalog, "a.json")
