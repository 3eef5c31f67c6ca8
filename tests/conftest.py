from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from checker import Catalog, Standard, load_standard

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_STANDARD = FIXTURES / "standards" / "fixture.yaml"

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session", autouse=True)
def _history_in_a_temporary_place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes the user's own history: the per-user data directory is a temporary one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        for var in ("TONGCHECK_DB", "TONGCHECK_HISTORY"):
            patch.delenv(var, raising=False)
        yield


@pytest.fixture(scope="session")
def fixture_standard() -> Standard:
    return load_standard(FIXTURE_STANDARD)


@pytest.fixture(scope="session")
def fixture_catalog(fixture_standard: Standard) -> Catalog:
    return Catalog([fixture_standard])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def audit_doc(obs: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": 1,
        "standard": "test-fixture",
        "standard_version": "1.0",
        "facility": {"id": "T-1", "name": "测试公园"},
        "assessor": {"name": "王评估", "organisation": "测试机构"},
        "audited_on": "2026-05-12",
        "observations": obs or {},
    }
    doc.update(overrides)
    return doc


GOOD = {
    "gate": True,
    "height_m": 0.7,
    "count_n": 3,
    "kids": 300,
    "surface": "rubber",
    "operator_name": "city",
    "inspected_on": "2025-02-01",
    "shade_pct": 50,
    "noise_db": 50,
    "has_water": False,
}


@pytest.fixture
def write_audit(tmp_path: Path) -> Callable[..., Path]:
    def write(doc: dict[str, Any] | str, name: str = "audit.json") -> Path:
        path = tmp_path / name
        text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
