from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from checker import Catalog, check, load_audit
from checker.core.errors import AuditError, UsageError
from checker.district.batch import check_paths
from checker.district.digest import BatchItem, Digest
from checker.district.paths import expand_paths
from checker.district.summary import Summary, summarize
from checker.district.summary import render_text as render_summary

from .generate import Manifest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# --- finding files -----------------------------------------------------------------------


def test_expand_paths_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ("b/2.json", "b/10.json", "a/x/1.json", "a/notes.txt", ".git/objects.json", "a/.backup.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)  # a link loop is not followed
    found = expand_paths([str(tmp_path), "-", "missing.json"])
    rel = [os.path.relpath(p, tmp_path) for p in found[:3]]
    assert rel == ["a/x/1.json", "b/10.json", "b/2.json"]
    assert found[3:] == ["-", "missing.json"]


def test_expand_paths_refuses_a_directory_without_audits(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError) as info:
        expand_paths([str(tmp_path / "empty"), str(EXAMPLES / "parks")])
    assert "no audit files" in str(info.value) and "empty" in info.value.problems[0].file


# --- the batch -----------------------------------------------------------------------------


def test_batch_keeps_every_file_in_order_and_reports_corrupt_ones(
    district: Manifest, district_paths: list[str], oracle: dict[str, tuple[str, str | None, float]]
) -> None:
    items = list(check_paths(district_paths, workers=2, with_json=False))
    assert [i.path for i in items] == district_paths
    assert [i.index for i in items] == list(range(len(district_paths)))
    assert len(items) == district.total
    bad = {i.path for i in items if not i.ok}
    assert bad == {str(p) for p in district.corrupt}
    for item in items:
        if item.ok:
            assert item.digest is not None and item.problems == ()
            assert (item.digest.verdict, item.digest.level, item.digest.score) == oracle[item.path]
        else:
            assert item.exit_code == 2 and item.messages and isinstance(item.error, AuditError)
            assert item.messages[0].startswith(item.path)


def test_one_worker_and_two_workers_agree(district_paths: list[str]) -> None:
    one = [(i.path, i.digest, i.messages) for i in check_paths(district_paths, workers=1, with_json=False)]
    two = [(i.path, i.digest, i.messages) for i in check_paths(district_paths, workers=2, with_json=False)]
    assert one == two


def test_json_results_are_the_single_audit_results(district_paths: list[str], catalog: Catalog) -> None:
    sample = [p for p in district_paths if "broken" not in p][:25]
    items = list(check_paths(sample, workers=2))
    for item in items:
        expected = check(load_audit(item.path, catalog), catalog)
        assert item.json == expected.json_bytes()
        assert item.result == expected


def test_digest_content_hash_ignores_formatting(tmp_path: Path, catalog: Catalog) -> None:
    doc = json.loads((EXAMPLES / "parks" / "compliant.json").read_text(encoding="utf-8"))
    (tmp_path / "a.json").write_text(json.dumps(doc, indent=4), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    doc["assessor"]["name"] = "另一位评估员"
    (tmp_path / "c.json").write_text(json.dumps(doc), encoding="utf-8")
    a, b, c = (i.digest for i in check_paths(expand_paths([str(tmp_path)]), workers=1, catalog=catalog))
    assert a is not None and b is not None and c is not None
    assert a.content_hash == b.content_hash != c.content_hash


def test_stdin_in_a_batch(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    import io
    import sys

    data = (EXAMPLES / "schools" / "exemplary.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    items = list(check_paths(["-", str(EXAMPLES / "parks" / "compliant.json")], workers=2))
    assert items[0].path == "<stdin>" and items[0].ok
    assert items[0].result is not None and items[0].result.audit.path == "<stdin>"


def test_a_bug_costs_one_file_not_the_batch(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    import checker.district.worker as batch

    real = batch.digest_of

    def broken(standard, audit, outcomes, scored, content_hash):  # type: ignore[no-untyped-def]
        if audit.facility.id == "YZ-PRK-002":
            raise ZeroDivisionError("boom")
        return real(standard, audit, outcomes, scored, content_hash)

    monkeypatch.setattr(batch, "digest_of", broken)
    paths = expand_paths([str(EXAMPLES / "parks")])
    items = list(check_paths(paths, workers=2))
    bad = [i for i in items if not i.ok]
    assert len(bad) == 1 and bad[0].error_kind == "internal" and "ZeroDivisionError" in bad[0].messages[0]
    assert sum(i.ok for i in items) == len(paths) - 1


def test_a_dead_worker_is_replaced_and_its_files_retried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import checker.district.worker as batch

    marker = tmp_path / "died-once"
    real = batch.check_one

    def dies_once(index, name, data, catalog, with_json, **options):  # type: ignore[no-untyped-def]
        if name.endswith("incomplete.json") and not marker.exists():
            marker.touch()
            os._exit(3)  # as the OOM killer would end it
        return real(index, name, data, catalog, with_json, **options)

    monkeypatch.setattr(batch, "check_one", dies_once)
    paths = expand_paths([str(EXAMPLES)])
    items = list(check_paths(paths, workers=2, with_json=False))
    assert marker.exists()
    assert [i.path for i in items] == paths
    assert sum(not i.ok for i in items) == 1  # only the deliberately invalid example


def test_a_file_that_always_kills_its_worker_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.district.worker as batch

    real = batch.check_one

    def dies(index, name, data, catalog, with_json, **options):  # type: ignore[no-untyped-def]
        if name.endswith("parks/incomplete.json"):
            os._exit(3)
        return real(index, name, data, catalog, with_json, **options)

    monkeypatch.setattr(batch, "check_one", dies)
    paths = expand_paths([str(EXAMPLES)])
    items = list(check_paths(paths, workers=2, with_json=False))
    assert [i.path for i in items] == paths
    died = [i for i in items if i.error_kind == "internal"]
    assert [i.path for i in died] == [p for p in paths if p.endswith("parks/incomplete.json")]
    assert all("stopped" in i.messages[0] for i in died)
    # every other file is checked, those of the killer's chunk too
    assert sum(i.ok for i in items) == len(paths) - 1 - sum(1 for p in paths if "invalid" in Path(p).name)


def test_a_pool_broken_between_chunks_is_replaced_before_the_next_chunk() -> None:
    """A worker may die after one chunk was drained and before the next is submitted: the executor
    then refuses work (``BrokenProcessPool`` from ``submit``), which must not end the batch (a batch
    test failed so once under load)."""
    from concurrent.futures.process import BrokenProcessPool

    from checker.district.pool import _Pool

    class Refusing:
        stopped = False

        def submit(self, *task: object) -> None:
            raise BrokenProcessPool("A child process terminated abruptly")

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            self.stopped = True

    pool = _Pool((), 1)
    refusing = Refusing()
    pool.executor = refusing  # type: ignore[assignment]
    future, generation = pool.submit(pow, 2, 10)
    try:
        assert future.result(timeout=120) == 1024
        assert refusing.stopped and generation == 1 and pool.executor is not refusing
    finally:
        pool.close()


def test_broken_standard_is_an_error_record(tmp_path: Path) -> None:
    std = tmp_path / "standards"
    std.mkdir()
    (std / "bad.yaml").write_text("format: 1\nid: local-bad\nversion: 1\n", encoding="utf-8")
    audit = json.loads((EXAMPLES / "parks" / "compliant.json").read_text(encoding="utf-8"))
    audit["standard"] = "local-bad"
    audit.pop("standard_version")
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(audit), encoding="utf-8")
    items = list(check_paths([str(tmp_path / "a.json"), str(tmp_path / "b.json")], [std], workers=2))
    assert all(not i.ok for i in items)
    assert items[0].error is not None and items[0].error.kind == "standard"
    assert "bad.yaml" in items[0].messages[0]
    # b.json: the standard's errors again if another worker checked it, else "unknown standard"
    # (Catalog.find forgets a standard that failed to load; the single-process CLI says the same)


# --- the summary ----------------------------------------------------------------------------


def test_summary_counts_add_up(
    district: Manifest, district_paths: list[str], oracle: dict[str, tuple[str, str | None, float]]
) -> None:
    summary = summarize(check_paths(district_paths, workers=2, with_json=False))
    assert summary.total == district.total
    assert summary.valid == len(district.audits) and len(summary.invalid) == len(district.corrupt)
    expected = Counter((w.standard, *oracle[str(w.path)][:2]) for w in district.audits)
    got = Counter({(std, v, lv): n for std, c in summary.counts.items() for (v, lv), n in c.items()})
    assert got == expected
    data = summary.to_dict()
    assert sum(s["audits"] for s in data["standards"].values()) == summary.valid
    for std, block in data["standards"].items():
        assert sum(block["verdicts"].values()) == block["audits"]
        assert sum(block["certified_by_level"].values()) == block["verdicts"]["certified"]
        assert sum(summary.counts[std].values()) == block["audits"]
    assert summary.exit_code == 2
    assert {f["path"] for f in data["invalid_files"]} == {str(p) for p in district.corrupt}


def test_top_failing_rules_match_the_results(digests: list[Digest]) -> None:
    summary = Summary()
    for d in digests:
        summary.add_digest(d)
    counted: Counter[tuple[str, str]] = Counter()
    for d in digests:
        for rule, status, kind in zip(d.rule_ids, d.statuses, d.rule_kinds, strict=True):
            if status == "fail" and kind != "bonus":
                counted[(d.standard, rule)] += 1
    top = summary.top_failing(5)
    assert [(s, r) for s, r, _ in top] == [
        k for k, _ in sorted(counted.items(), key=lambda x: (-x[1], x[0]))[:5]
    ]
    assert all(k == counted[(s, r)] for s, r, k in top)


def test_render_summary_both_languages(district_paths: list[str], catalog: Catalog) -> None:
    summary = summarize(check_paths(district_paths, workers=2, with_json=False))
    zh = render_summary(summary, "zh", catalog)
    en = render_summary(summary, "en", catalog)
    assert (
        zh.startswith(f"汇总：共 {summary.total} 份评估")
        and "无效文件" in zh
        and "渝中区儿童友好校园建设指引" in zh
    )
    assert en.startswith(f"Summary: {summary.total} audits") and "Invalid files" in en
    assert "Most common failing rules" in en
    for bad in summary.invalid:
        assert bad.path in en


def test_summary_of_nothing_valid() -> None:
    summary = Summary()
    summary.add(BatchItem(0, "x.json", error_kind="audit", problems=()))
    assert "No valid audit" in render_summary(summary, "en")
    assert summary.exit_code == 2
