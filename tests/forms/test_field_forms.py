"""XLSForm for ODK Collect / KoboToolbox, and imports of their exports.

pyxform (the converter ODK Central and KoboToolbox run) must convert every
standard's form without a warning; a submission of every standard, shaped like
an ODK Central export (see ``exports.py`` for where each shape comes from),
imports to an audit with the example's result.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pyxform.xls2xform import xls2xform_convert

from checker import Catalog, check, load_audit
from checker.cli.main import cli

from . import exports

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.discover(environment=False)
STANDARDS = CATALOG.ids()


def _example(standard_id: str, stem: str = "compliant") -> Path:
    return ROOT / "examples" / Path(CATALOG.path_of(standard_id)).stem / f"{stem}.json"


def _outcome(audit: object, waivers: bool = True) -> tuple[object, ...]:
    """Score, level, verdict and statuses; ``waivers=False`` as a field form sees it (waivers are
    approved in the office and added in the checklist or the JSON, not on the phone)."""
    if not waivers:
        audit = audit.model_copy(update={"waivers": []})  # type: ignore[attr-defined]
    result = check(audit, CATALOG)  # type: ignore[arg-type]
    return result.score, result.level, result.verdict, [(r.id, r.status) for r in result.rules]


def _import(*args: str) -> object:
    return CliRunner().invoke(cli, ["import", *args, "--lang", "en"], catch_exceptions=False)


@pytest.mark.parametrize("standard_id", STANDARDS)
def test_every_xlsform_converts_without_warnings_and_every_export_imports(
    standard_id: str, tmp_path: Path
) -> None:
    form = tmp_path / f"{standard_id}.xlsx"
    assert CliRunner().invoke(cli, ["template", standard_id, "--xlsform", str(form)]).exit_code == 0
    warnings = xls2xform_convert(
        xlsform_path=str(form), xform_path=str(tmp_path / "form.xml"), validate=False
    )
    assert warnings == []
    xml = (tmp_path / "form.xml").read_text(encoding="utf-8")
    assert f'id="{standard_id}"' in xml and f'version="{CATALOG.get(standard_id).version}"' in xml
    # one submission shaped like ODK Central's CSV export, named after the form as Central names it
    example = load_audit(_example(standard_id), CATALOG)
    export = tmp_path / f"{standard_id}.csv"
    export.write_text(exports.odk_csv([exports.answers(example, CATALOG.get(standard_id))]), encoding="utf-8")
    out = tmp_path / "audit.json"
    result = _import(str(export), "--output", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert _outcome(load_audit(out, CATALOG)) == _outcome(example, waivers=False)


def test_survey_columns_follow_the_standard() -> None:
    from checker.forms.xlsform import choice_rows, survey_rows

    park = CATALOG.get("yuzhong-park")
    rows = {r["name"]: r for r in survey_rows(park) if "name" in r}
    swing = rows["swing_front_rear_clear_m"]
    assert swing["type"] == "decimal" and swing["required"] == "yes"
    assert "${has_swings} = 'true'" in swing["relevant"] and swing["relevant"].startswith("not(")
    assert swing["constraint"].startswith(". >= ") and "m" in swing["constraint_message::中文 (zh)"]
    assert swing["label::中文 (zh)"].startswith("秋千") and "label::English (en)" in swing
    assert "控制项：PRK-PLY-06" in swing["hint::中文 (zh)"] and "仅当" in swing["hint::中文 (zh)"]
    assert rows["has_swings"]["type"] == "select_one tc_yes_no" and "relevant" not in rows["has_swings"]
    assert rows["park_type"]["type"] == "select_one tc_park_type"
    assert {c["name"] for c in choice_rows(park) if c["list_name"] == "tc_park_type"} == set(
        park.field_map["park_type"].values or []
    )
    photos = [r for r in rows.values() if r["type"] == "image"]
    assert len(photos) == len(park.rule_map)
    assert rows["tc_standard"]["calculation"] == "'yuzhong-park'"


def test_odk_odata_with_a_photo_keeps_the_file_name(tmp_path: Path) -> None:
    park = CATALOG.get("yuzhong-park")
    example = load_audit(_example("yuzhong-park"), CATALOG)
    export = tmp_path / "Submissions.json"
    subs = [exports.answers(example, park, photo=("PRK-PLY-06", "1733040000000.jpg"))]
    export.write_text(exports.odk_odata(subs, "yuzhong-park"), encoding="utf-8")
    out = tmp_path / "a.json"
    assert _import(str(export), "-o", str(out)).exit_code == 0  # type: ignore[attr-defined]
    audit = load_audit(out, CATALOG)
    assert "1733040000000.jpg" in audit.evidence("swing_front_rear_clear_m")
    assert _outcome(audit) == _outcome(example, waivers=False)


def test_kobo_json_and_xlsx_several_submissions(tmp_path: Path) -> None:
    school = CATALOG.get("yuzhong-school")
    subs = [
        exports.answers(load_audit(_example("yuzhong-school", s), CATALOG), school)
        for s in ("compliant", "exemplary")
    ]
    subs[0]["tc_info"]["tc_facility_id"] = "YZ-A"
    subs[1]["tc_info"]["tc_facility_id"] = "YZ-B"
    (tmp_path / "kobo.json").write_text(exports.kobo_json(subs, "yuzhong-school"), encoding="utf-8")
    exports.kobo_xlsx(subs, tmp_path / "kobo.xlsx")
    for name in ("kobo.json", "kobo.xlsx"):
        out = tmp_path / name.replace(".", "-")
        result = _import(str(tmp_path / name), "--output", str(out), "--standard", "yuzhong-school")
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        written = sorted(p.name for p in out.glob("*.json"))
        assert len(written) == 2, written
        levels = {
            load_audit(p, CATALOG).facility.id: check(load_audit(p, CATALOG), CATALOG).level
            for p in out.glob("*.json")
        }
        assert levels == {"YZ-A": "compliant", "YZ-B": "exemplary"}


def test_bad_exports_name_the_submission(tmp_path: Path) -> None:
    park = CATALOG.get("yuzhong-park")
    good = exports.answers(load_audit(_example("yuzhong-park"), CATALOG), park)
    old = json.loads(json.dumps(good))
    old["tc_info"]["tc_version"] = "2025.1"
    empty = {g: dict.fromkeys(qs, "") for g, qs in good.items()}
    wrong = json.loads(json.dumps(good))
    wrong["sec_play"]["max_free_fall_height_m"] = "1.5m"
    export = tmp_path / "yuzhong-park.csv"
    export.write_text(exports.odk_csv([good, old, empty, wrong]), encoding="utf-8")
    result = _import(str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert f"{export}:submission 2 (uuid:00000002-aaaa-bbbb-cccc-dddddddddddd): tc_info-tc_version" in err
    assert f"{export}:submission 3" in err and "empty" in err
    assert "submission 4" in err and "sec_play-max_free_fall_height_m" in err and 'found "1.5m"' in err
    assert len(list((tmp_path / "out").glob("*.json"))) == 1  # the valid submission is still written


def test_unknown_files(tmp_path: Path) -> None:
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "not an export this tool knows" in _import(str(other)).stderr  # type: ignore[attr-defined]
    book = tmp_path / "plain.xlsx"
    from openpyxl import Workbook

    Workbook().save(book)
    assert _import(str(book)).exit_code == 2  # type: ignore[attr-defined]
    assert load_workbook(book)  # untouched
