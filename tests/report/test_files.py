"""File names safe everywhere, directory or file targets, atomic writes."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from checker import Result
from checker.core.fsutil import atomic_write
from checker.report import is_directory_target, kinds_for, report_filename


def test_filename_is_safe(hostile: Result, certified: Result) -> None:
    for result in (hostile, certified):
        for kind in ("certificate", "gap"):
            name = report_filename(result, kind, "pdf")  # type: ignore[arg-type]
            assert "/" not in name and "\\" not in name and ".." not in name
            assert not any(ch in name for ch in '<>:"|?*') and name.isprintable()
            assert len(name.encode()) < 200 and name.endswith(".pdf")
    assert (
        report_filename(certified, "certificate", "pdf")
        == "YZ-PRK-012_渝中区人和街儿童友好公园_test-long_certificate.pdf"
    )  # type: ignore[arg-type]
    assert report_filename(certified, "gap", "html").endswith("_gap-report.html")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facility", "expected"),
    [
        ({"name": "CON"}, "_CON_test-long_gap-report.pdf"),
        ({"name": "   ", "id": ""}, "facility-"),
        ({"name": "a" * 400}, "a" * 72 + "_test-long"),
        ({"name": "人" * 100}, "人" * 24 + "_test-long"),
    ],
)
def test_filename_edge_cases(certified: Result, facility: dict[str, str], expected: str) -> None:
    result = replace(certified, audit=replace(certified.audit, facility=facility))
    name = report_filename(result, "gap", "pdf")  # type: ignore[arg-type]
    assert name.startswith(expected) or expected in name


def test_directory_or_file(tmp_path: Path) -> None:
    assert is_directory_target(tmp_path)
    assert is_directory_target(tmp_path / "new")
    assert is_directory_target(str(tmp_path / "x.pdf") + os.sep)
    assert not is_directory_target(tmp_path / "report.pdf")
    assert not is_directory_target(tmp_path / "report.HTML")


def test_kinds_for(certified: Result, failing: Result) -> None:
    assert kinds_for(certified, "auto") == ["certificate"]
    assert kinds_for(failing, "auto") == ["gap"]
    assert kinds_for(certified, "both") == ["certificate", "gap"]
    assert kinds_for(failing, "both") == ["gap"]
    assert kinds_for(failing, "gap") == ["gap"]


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    atomic_write(target, b"one")
    atomic_write(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_atomic_write_crash_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF-old")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"%PDF-new" * 1000)
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_atomic_write_interrupted_mid_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "b.pdf"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"%PDF-half")
    assert not target.exists() and list(tmp_path.iterdir()) == []
