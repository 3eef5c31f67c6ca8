"""District commands: ``progress`` against the plan, ``history`` of re-audits, ``export`` to CSV/XLSX.

Registered on the main group by ``checker.cli`` (``cli.add_command``). This
module must not import ``checker.cli`` at import time (cli imports it), so
the two shared options are declared here with the same meaning, and the
CLI helpers are imported inside the commands. Heavy modules (openpyxl,
the report package) are imported only by the command that needs them.

Exit status follows ``check``: 0 done, 2 invalid input (a plan, a history
file, or some audits: the others are still used and the report is still
printed).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK
from checker.cli.common import lang_option as _lang_option
from checker.cli.common import print_error as _print_error
from checker.cli.common import resolve_lang as _lang
from checker.cli.common import standards_option as _standards_option
from checker.cli.common import workers_option as _workers_option

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.errors import CheckerError
    from checker.core.text import Lang
    from checker.district.batch import Digest

__all__ = ["export_command", "history_command", "progress_command"]

F = Callable[..., Any]


def _db_option(f: F) -> F:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="History database (default: $TONGCHECK_HISTORY, else ./tongcheck-history.sqlite3).",
    )(f)


def _fail(error: CheckerError, lang: Lang) -> NoReturn:
    _print_error(error, lang)
    sys.exit(EXIT_ERROR)


def _catalog(dirs: tuple[Path, ...], lang: Lang) -> Catalog:
    """The catalog; problems found without parsing (a missing --standards directory) are printed."""
    from checker.core.catalog import Catalog

    catalog = Catalog.discover(dirs)
    for error in catalog.discovery_errors:
        _print_error(error, lang)
    return catalog


@dataclass
class _Batch:
    """Audits checked for a district command: digests streamed, invalid files reported as they come."""

    lang: Lang
    invalid: int = 0
    valid: int = 0
    _reported: set[str] = field(default_factory=set)

    def digests(
        self, args: tuple[str, ...], dirs: tuple[Path, ...], workers: int | None, catalog: Catalog
    ) -> Iterator[Digest]:
        from checker.core.errors import CheckerError
        from checker.district.batch import check_paths, expand_paths, progress_bar

        try:
            paths = expand_paths(args)
        except CheckerError as error:
            _fail(error, self.lang)
        with progress_bar(len(paths), self.lang) as on_progress:
            for item in check_paths(paths, dirs, workers, on_progress, with_json=False, catalog=catalog):
                if item.digest is not None:
                    self.valid += 1
                    yield item.digest
                    continue
                self.invalid += 1
                failed = item.error
                assert failed is not None
                if failed.kind != "standard" or str(failed) not in self._reported:
                    on_progress.clear()
                    _print_error(failed, self.lang)
                    self._reported.add(str(failed))


def _tee(digests: Iterable[Digest], sink: Callable[[Digest], None]) -> Iterator[Digest]:
    for d in digests:
        sink(d)
        yield d


# --- progress ----------------------------------------------------------------------------


@click.command("progress")
@click.argument("audits", nargs=-1, metavar="[AUDIT|DIR]...")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Plan file (default: the shipped plans/yuzhong-2024-2026.yaml).",
)
@_db_option
@click.option("--record", is_flag=True, help="Also record the audits checked in the history database.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: readable; json: one object with every target.",
)
@click.option("--verbose", "-v", is_flag=True, help="List the certified facilities under each target.")
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the district progress report as PDF to this file.",
)
@_workers_option
@_standards_option
@_lang_option
def progress_command(
    audits: tuple[str, ...],
    plan_path: Path | None,
    db: Path | None,
    record: bool,
    fmt: str,
    verbose: bool,
    pdf_path: Path | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Where the district stands against its plan: target, certified, gap, per facility type.

    Counts facilities, not audits: the latest audit of each facility (by
    facility id, else name) decides, and it counts when certified at the
    target's level or above. With AUDIT files or directories, they are
    checked now; without, the history database is read.

    \b
    Examples:
      check progress audits/                      check every audit under audits/
      check progress audits/ --record             ... and record them in the history
      check progress                              from the history database
      check progress --plan my-plan.yaml --lang en
    """
    from checker.district.history import digests as history_digests
    from checker.district.history import open_history
    from checker.district.history import record as record_history
    from checker.district.plan import (
        LatestAudits,
        PlanError,
        builtin_plan,
        check_plan,
        compute_progress,
        load_plan,
    )

    language = _lang(lang)
    try:
        plan = load_plan(plan_path or builtin_plan())
    except PlanError as error:
        _fail(error, language)
    catalog = _catalog(standards_dirs, language)
    problems = check_plan(plan, catalog)
    if problems:
        _fail(PlanError(problems), language)
    latest = LatestAudits()
    batch = _Batch(language)
    from checker.core.errors import CheckerError

    try:
        if audits:
            stream = batch.digests(audits, standards_dirs, workers, catalog)
            if record:
                with _closing(open_history(db)) as conn:
                    record_history(conn, _tee(stream, latest.add))
            else:
                latest.add_all(stream)
        else:
            with _closing(open_history(db, create=False)) as conn:
                latest.add_all(history_digests(conn))
    except CheckerError as error:
        _fail(error, language)
    progress = compute_progress(plan, latest, catalog)
    if fmt == "json":
        data = progress.to_dict()
        data["invalid_audits"] = batch.invalid
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from checker.district.text import render_progress

        click.echo(render_progress(progress, language, catalog, verbose))
    if pdf_path is not None:
        _write_progress_pdf(progress, pdf_path, language, catalog)
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


def _write_progress_pdf(progress: Any, path: Path, lang: Lang, catalog: Catalog) -> None:
    from checker.core.errors import CheckerError
    from checker.district.progress_pdf import write_progress_pdf

    try:
        write_progress_pdf(progress, path, lang, catalog)
    except CheckerError as error:
        _fail(error, lang)
    from checker.district.text import t

    click.echo(t("wrote_pdf", lang, path=path), err=True)


class _closing:
    """``with`` for a sqlite3 connection that closes it (sqlite3's own only ends the transaction)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __enter__(self) -> Any:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


# --- history -------------------------------------------------------------------------------


@click.group("history")
def history_command() -> None:
    """The history of audits: record results, show a facility's progress over time.

    The history is one SQLite file (default ./tongcheck-history.sqlite3, or
    $TONGCHECK_HISTORY, or --db). Recording the same audit twice adds
    nothing, so re-running a whole district is safe.

    \b
    Examples:
      check history record audits/
      check history show YZ-SCH-007
      check history list
    """


@history_command.command("record")
@click.argument("audits", nargs=-1, required=True, metavar="AUDIT|DIR...")
@_db_option
@_workers_option
@_standards_option
@_lang_option
def history_record(
    audits: tuple[str, ...],
    db: Path | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Check audits and record their results (a re-run records nothing twice).

    \b
    Example:
      check history record audits/2026/ --db district.sqlite3
    """
    from checker.core.errors import CheckerError
    from checker.district.history import open_history, record
    from checker.district.text import t

    language = _lang(lang)
    catalog = _catalog(standards_dirs, language)
    batch = _Batch(language)
    try:
        with _closing(open_history(db)) as conn:
            stats = record(conn, batch.digests(audits, standards_dirs, workers, catalog))
    except CheckerError as error:
        _fail(error, language)
    click.echo(t("recorded", language, added=stats.added, unchanged=stats.unchanged, invalid=batch.invalid))
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


@history_command.command("show")
@click.argument("facility")
@click.option("--standard", default=None, help="Only the audits against this standard id.")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_standards_option
@_lang_option
def history_show(
    facility: str,
    standard: str | None,
    db: Path | None,
    fmt: str,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """A facility's audits over time: score and level per date, rules fixed and newly failing.

    FACILITY is a facility id (or, for audits without one, the exact name).

    \b
    Examples:
      check history show YZ-SCH-007
      check history show YZ-SCH-007 --format json
    """
    from checker.core.errors import CheckerError, Problem, UsageError
    from checker.district.history import find_facility, open_history, timeline
    from checker.district.text import render_timeline, t

    language = _lang(lang)
    try:
        with _closing(open_history(db, create=False)) as conn:
            key = find_facility(conn, facility)
            entries = timeline(conn, key, standard) if key is not None else []
    except CheckerError as error:
        _fail(error, language)
    if key is None or not entries:
        _fail(
            UsageError(
                [
                    Problem(
                        facility,
                        t("no_history", language),
                        hint="`check history list` shows the facilities recorded "
                        "/ `check history list` 列出已记录的设施",
                    )
                ]
            ),
            language,
        )
    if fmt == "json":
        click.echo(
            json.dumps(
                {"facility": key, "audits": [e.to_dict() for e in entries]}, ensure_ascii=False, indent=2
            )
        )
        return
    catalog = _catalog(standards_dirs, language)
    latest_name = entries[-1].facility_name
    name = latest_name if key.startswith("name:") else f"{key} {latest_name}"
    click.echo(render_timeline(name, entries, language, catalog))


@history_command.command("list")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_standards_option
@_lang_option
def history_list(db: Path | None, fmt: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """The facilities recorded: number of audits, first and latest date, where each stands now."""
    from dataclasses import asdict

    from checker.core.errors import CheckerError
    from checker.district.history import facilities, open_history
    from checker.district.text import render_facilities

    language = _lang(lang)
    try:
        with _closing(open_history(db, create=False)) as conn:
            rows = facilities(conn)
    except CheckerError as error:
        _fail(error, language)
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(render_facilities(rows, language, _catalog(standards_dirs, language)))


# --- export --------------------------------------------------------------------------------


@click.command("export")
@click.argument("audits", nargs=-1, metavar="[AUDIT|DIR]...")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a CSV file.")
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook."
)
@click.option(
    "--from-history", is_flag=True, help="Export every audit recorded in the history instead of files."
)
@_db_option
@_workers_option
@_standards_option
@_lang_option
def export_command(
    audits: tuple[str, ...],
    csv_path: Path | None,
    xlsx_path: Path | None,
    from_history: bool,
    db: Path | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Export results, one row per audit: CSV (data) and/or XLSX (one sheet per standard).

    The CSV has stable column names and codes (UTF-8 with BOM, opens in
    Excel); the workbook is in the chosen language, with a sheet of every
    audit and one sheet per standard with a column per rule. Invalid files
    are reported and left out.

    \b
    Examples:
      check export audits/ --xlsx district.xlsx --csv district.csv
      check export --from-history --xlsx history.xlsx --lang en
    """
    from checker.core.errors import CheckerError, Problem, UsageError
    from checker.district.export import CsvWriter, XlsxWriter
    from checker.district.text import t

    language = _lang(lang)
    usage = None
    if csv_path is None and xlsx_path is None:
        usage = "give --csv FILE and/or --xlsx FILE / 请指定 --csv 或 --xlsx 输出文件"
    elif bool(audits) == from_history:
        usage = (
            "give AUDIT files or directories, or --from-history (not both) "
            "/ 请给出评估文件或目录，或使用 --from-history（二者选一）"
        )
    if usage is not None:
        _fail(UsageError([Problem("<export>", usage)]), language)
    catalog = _catalog(standards_dirs, language)
    batch = _Batch(language)
    writers: list[Any] = []
    try:
        if csv_path is not None:
            writers.append(CsvWriter(csv_path))
        if xlsx_path is not None:
            writers.append(XlsxWriter(xlsx_path, language, catalog))
    except OSError as exc:
        for w in writers:
            w.abort()
        _fail(
            UsageError([Problem(str(exc.filename or "<export>"), f"cannot write: {exc.strerror}")]), language
        )
    try:
        if from_history:
            from checker.district.history import digests, open_history

            with _closing(open_history(db, create=False)) as conn:
                _feed(digests(conn, with_rules=True), writers)
        else:
            _feed(batch.digests(audits, standards_dirs, workers, catalog), writers)
    except CheckerError as error:
        for w in writers:
            w.abort()
        _fail(error, language)
    except BaseException:
        for w in writers:
            w.abort()
        raise
    for w, path in zip(writers, [p for p in (csv_path, xlsx_path) if p is not None], strict=True):
        w.close()
        click.echo(t("wrote", language, path=path, n=w.rows), err=True)
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


def _feed(digests: Iterable[Digest], writers: list[Any]) -> None:
    for d in digests:
        for w in writers:
            w.add(d)
