"""``check history record|show|list``: re-audits over time, in one SQLite file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK
from checker.cli.common import lang_option as _lang_option
from checker.cli.common import resolve_lang as _lang
from checker.cli.common import standards_option as _standards_option
from checker.cli.common import workers_option as _workers_option
from checker.cli.completion import complete_audits, complete_standards
from checker.cli.district_common import Closing, DistrictBatch, db_option, district_catalog, fail
from checker.cli.terminal import echo

if TYPE_CHECKING:
    pass

__all__ = ["history_command"]


@click.group("history")
def history_command() -> None:
    """The history of audits: record results, show a facility's progress over time.

    The history is one SQLite file per user (in the platform's data
    directory; `check history where` prints it), or $TONGCHECK_DB, or --db.
    Recording the same audit twice adds nothing, so re-running a whole
    district is safe.

    \b
    Examples:
      check history record audits/
      check history show YZ-SCH-007
      check history list
      check history where
    """


@history_command.command("record")
@click.argument("audits", nargs=-1, required=True, metavar="AUDIT|DIR...", shell_complete=complete_audits)
@db_option
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
    from checker.district.history import database_errors, open_history, record
    from checker.district.words import t

    language = _lang(lang)
    catalog = district_catalog(standards_dirs, language)
    batch = DistrictBatch(language)
    try:
        with database_errors(db), Closing(open_history(db)) as conn:
            stats = record(conn, batch.digests(audits, standards_dirs, workers, catalog))
    except CheckerError as error:
        fail(error, language)
    echo(t("recorded", language, added=stats.added, unchanged=stats.unchanged, invalid=batch.invalid))
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


@history_command.command("show")
@click.argument("facility")
@click.option(
    "--standard",
    default=None,
    help="Only the audits against this standard id.",
    shell_complete=complete_standards,
)
@db_option
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
    from checker.cli.district_text import render_timeline
    from checker.core.errors import CheckerError, Problem, UsageError
    from checker.district.history import database_errors, open_history
    from checker.district.history_query import find_facility, timeline
    from checker.district.words import t

    language = _lang(lang)
    try:
        with database_errors(db), Closing(open_history(db, create=False)) as conn:
            key = find_facility(conn, facility)
            entries = timeline(conn, key, standard) if key is not None else []
    except CheckerError as error:
        fail(error, language)
    if key is None or not entries:
        fail(
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
    catalog = district_catalog(standards_dirs, language)
    latest_name = entries[-1].facility_name
    name = latest_name if key.startswith("name:") else f"{key} {latest_name}"
    echo(render_timeline(name, entries, language, catalog))


@history_command.command("list")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_standards_option
@_lang_option
def history_list(db: Path | None, fmt: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """The facilities recorded: number of audits, first and latest date, where each stands now.

    \b
    Examples:
      check history list
      check history list --format json --db district.sqlite3
    """
    from dataclasses import asdict

    from checker.cli.district_text import render_facilities
    from checker.core.errors import CheckerError
    from checker.district.history import database_errors, open_history
    from checker.district.history_query import facilities

    language = _lang(lang)
    try:
        with database_errors(db), Closing(open_history(db, create=False)) as conn:
            rows = facilities(conn)
    except CheckerError as error:
        fail(error, language)
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        echo(render_facilities(rows, language, district_catalog(standards_dirs, language)))


@history_command.command("where")
@db_option
@_lang_option
def history_where(db: Path | None, lang: str | None) -> None:
    """Print where the history database is (the file every history command uses).

    The first of: --db, $TONGCHECK_DB, $TONGCHECK_HISTORY, the per-user data
    directory. The path goes to standard output alone, the explanation to
    standard error, so scripts can use it.

    \b
    Examples:
      check history where
      cp "$(check history where)" backup.sqlite3
    """
    from checker.district.history import LEGACY_DB, where
    from checker.district.words import t

    language = _lang(lang)
    path, source = where(db)
    click.echo(str(path))
    echo(t("db_where_" + ("default" if source == "default" else "given"), language, source=source), err=True)
    if not path.exists():
        echo(t("db_not_yet", language), err=True)
    legacy = Path(LEGACY_DB)
    if legacy.exists() and legacy.resolve() != path.resolve():
        echo(t("db_legacy", language, legacy=legacy.resolve()), err=True)
