"""``check export``: every result as CSV and/or XLSX."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK
from checker.cli.common import lang_option as _lang_option
from checker.cli.common import resolve_lang as _lang
from checker.cli.common import standards_option as _standards_option
from checker.cli.common import workers_option as _workers_option
from checker.cli.district_common import Closing, DistrictBatch, db_option, district_catalog, fail
from checker.cli.terminal import echo

if TYPE_CHECKING:
    from checker.district.digest import Digest

__all__ = ["export_command"]


@click.command("export")
@click.argument("audits", nargs=-1, metavar="[AUDIT|DIR]...")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a CSV file.")
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook."
)
@click.option(
    "--from-history", is_flag=True, help="Export every audit recorded in the history instead of files."
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
    if usage is not None:
        fail(UsageError([Problem("<export>", usage)]), language)
    catalog = district_catalog(standards_dirs, language)
    batch = DistrictBatch(language)
    writers: list[Any] = []
    try:
        if csv_path is not None:
            writers.append(CsvWriter(csv_path))
        if xlsx_path is not None:
            writers.append(XlsxWriter(xlsx_path, language, catalog))
    except OSError as exc:
        for w in writers:
            w.abort()
        fail(
            UsageError([Problem(str(exc.filename or "<export>"), f"cannot write: {exc.strerror}")]), language
        )
    try:
        if from_history:
            from checker.district.history import open_history
            from checker.district.history_query import digests

            with Closing(open_history(db, create=False)) as conn:
                _feed(digests(conn, with_rules=True), writers)
        else:
            _feed(batch.digests(audits, standards_dirs, workers, catalog), writers)
    except CheckerError as error:
        for w in writers:
            w.abort()
        fail(error, language)
    except BaseException:
        for w in writers:
            w.abort()
        raise
    for w, path in zip(writers, [p for p in (csv_path, xlsx_path) if p is not None], strict=True):
        w.close()
        echo(t("wrote", language, path=path, n=w.rows), err=True)
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


def _feed(digests: Iterable[Digest], writers: list[Any]) -> None:
    for d in digests:
        for w in writers:
            w.add(d)
