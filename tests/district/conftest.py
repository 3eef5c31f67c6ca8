from __future__ import annotations

from pathlib import Path

import pytest

from checker import Catalog, check, load_audit
from checker.district.batch import check_paths
from checker.district.digest import Digest
from checker.district.paths import expand_paths

from .generate import Manifest, generate_district


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.discover(environment=False)


@pytest.fixture(scope="session")
def district(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Manifest:
    """About 300 audits over the five shipped standards, 1-4 per facility, plus 12 corrupt files."""
    return generate_district(tmp_path_factory.mktemp("district"), catalog)


@pytest.fixture(scope="session")
def district_paths(district: Manifest) -> list[str]:
    return expand_paths([str(district.root)])


@pytest.fixture(scope="session")
def digests(district_paths: list[str]) -> list[Digest]:
    """The district's digests from a 2-worker batch (computed once)."""
    return [i.digest for i in check_paths(district_paths, workers=2, with_json=False) if i.digest is not None]


@pytest.fixture(scope="session")
def oracle(district: Manifest, catalog: Catalog) -> dict[str, tuple[str, str | None, float]]:
    """(verdict, level, score) per path, from the single-audit library path."""
    out = {}
    for written in district.audits:
        result = check(load_audit(written.path, catalog), catalog)
        out[str(written.path)] = (result.verdict, result.level, result.score)
    return out


@pytest.fixture
def unshipped_plan(tmp_path: Path) -> Path:
    """A plan with one target whose standard (yuzhong-zoo) is not shipped."""
    plan = tmp_path / "unshipped-plan.yaml"
    plan.write_text(
        "format: 1\nid: p\ntitle: {zh: 计划, en: Plan}\nperiod: {start: '2024-01-01', end: '2026-12-31'}\n"
        "targets:\n  - id: zoos\n    facility_type: park\n    title: {zh: 动物园, en: Zoos}\n"
        "    standard: yuzhong-zoo\n    level: compliant\n    count: 2\n    due: '2026-12-31'\n",
        encoding="utf-8",
    )
    return plan
