"""``check export``: every result as CSV and/or XLSX."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK, print_error
from checker.cli.common import lang_option as _lang_option
from checker.cli.common import resolve_lang as _lang
from checker.cli.common import standards_option as _standards_option
from checker.cli.common import workers_option as _workers_option
from checker.cli.completion import complete_audits
from checker.cli.district_common import Closing, DistrictBatch, db_option, district_catalog, fail
from checker.cli.terminal import echo

if TYPE_CHECKING:
    from checker.core.errors import CheckerError
    from checker.district.digest import Digest

__all__ = ["export_command"]


@click.command("export")
@click.argument("audits", nargs=-1, metavar="[AUDIT|DIR]...", shell_complete=complete_audits)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a CSV file.")
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook."
)
@click.option(
    "--from-history", is_flag=True, help="Export every audit recorded in the history instead of files."
)
@click.option(
    "--technical",
    is_flag=True,
    help="Also the file path and content hash of every audit, and a sheet of rule ids (XLSX).",
)
@db_option
@_workers_option
@_standards_option
@_lang_option
def export_command(
    audits: tuple[str, ...],
    csv_path: Path | None,
    xlsx_path: Path | None,
    from_history: bool,
    technical: bool,
    db: Path | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Export results: CSV (data, one row per audit) and/or an XLSX workbook to file and print.

    The CSV has stable column names and codes (UTF-8 with BOM, opens in
    Excel). The workbook is in the chosen language: 汇总 (the latest audit of
    every facility), one sheet per guideline named by its short name (校园,
    公园…) with a column per rule headed by its title (the id in the note),
    and 无效文件 (files that could not be checked). Every sheet prints on A4
    landscape, fit to width, the header row on every page.

    \b
    Examples:
      check export audits/ --xlsx district.xlsx --csv district.csv
      check export --from-history --xlsx history.xlsx --lang en
      check export audits/ --xlsx data.xlsx --technical     with paths and content hashes
    """
    from checker.core.errors import CheckerError, Problem, UsageError
    from checker.district.export import CsvWriter
    from checker.district.export_xlsx import XlsxWriter
    from checker.district.words import t

    language = _lang(lang)
    usage = None
    if csv_path is None and xlsx_path is None:
        usage = "give --csv FILE and/or --xlsx FILE / 请指定 --csv 或 --xlsx 输出文件"
    elif bool(audits) == from_history:
        usage = (
            "give AUDIT files or directories, or --from-history (not both) "
            "/ 请给出评估文件或目录，或使用 --from-history（二者选一）"
        )
    elif csv_path is not None and xlsx_path is not None and _same(csv_path, xlsx_path):
        usage = (
            f"--csv and --xlsx name the same file {csv_path}: give two paths "
            f"/ --csv 与 --xlsx 指向同一文件 {csv_path}，请给出两个不同的路径"
        )
    if usage is not None:
        fail(UsageError([Problem("<export>", usage)]), language)
    catalog = district_catalog(standards_dirs, language)
    batch = DistrictBatch(language)
    writers: list[Any] = []
    try:
        if csv_path is not None:
            writers.append(CsvWriter(csv_path))
        if xlsx_path is not None:
            writers.append(XlsxWriter(xlsx_path, language, catalog, technical=technical))
    except OSError as exc:
        for w in writers:
            w.abort()
        fail(_cannot_write(exc), language)
    try:
        if from_history:
            from checker.district.history import database_errors, open_history
            from checker.district.history_query import digests

            with database_errors(db), Closing(open_history(db, create=False)) as conn:
                skipped = _feed(digests(conn, with_rules=True), writers)
        else:
            skipped = _feed(batch.digests(audits, standards_dirs, workers, catalog), writers)
    except CheckerError as error:
        for w in writers:
            w.abort()
        fail(error, language)
    except BaseException:
        for w in writers:
            w.abort()
        raise
    failed = bool(batch.invalid or skipped)
    for w, path in zip(writers, [p for p in (csv_path, xlsx_path) if p is not None], strict=True):
        if isinstance(w, XlsxWriter):
            for file, problems in batch.failed:
                w.add_invalid(file, problems)
        try:
            w.close()
        except OSError as exc:  # the others are still written
            print_error(_cannot_write(exc), language)
            failed = True
            continue
        echo(t("wrote", language, path=path, n=w.rows), err=True)
        replaced = getattr(getattr(w, "text", None), "replaced", 0)
        if replaced:
            echo(t("xlsx_replaced", language, path=path, n=replaced), err=True)
    for w, row, why in skipped:
        echo(t("row_skipped", language, target=w.path, path=row, error=why), err=True)
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _cannot_write(exc: OSError) -> CheckerError:
    from checker.core.errors import Problem, UsageError

    return UsageError(
        [
            Problem(
                str(exc.filename or "<export>"),
                f"cannot write: {exc.strerror or exc} / 无法写入",
                hint="check that the directory exists and is writable / 请确认目录存在且可写",
            )
        ]
    )


def _feed(digests: Iterable[Digest], writers: list[Any]) -> list[tuple[Any, str, str]]:
    """Every digest to every writer; a row one writer cannot take is skipped there, not everywhere."""
    skipped: list[tuple[Any, str, str]] = []
    for d in digests:
        for w in writers:
            try:
                w.add(d)
            except (ValueError, TypeError, UnicodeError) as exc:
                skipped.append((w, d.path, f"{type(exc).__name__}: {exc}"))
    return skipped
