"""``check progress``: where the district stands against its plan's targets."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK
from checker.cli.common import lang_option as _lang_option
from checker.cli.common import resolve_lang as _lang
from checker.cli.common import standards_option as _standards_option
from checker.cli.common import workers_option as _workers_option
from checker.cli.completion import complete_audits
from checker.cli.district_common import Closing, DistrictBatch, db_option, district_catalog, fail, tee
from checker.cli.terminal import echo

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.progress_pdf import DocLang

__all__ = ["progress_command"]


@click.command("progress")
@click.argument("audits", nargs=-1, metavar="[AUDIT|DIR]...", shell_complete=complete_audits)
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Plan file (default: the shipped plans/yuzhong-2024-2026.yaml).",
)
@db_option
@click.option("--record", is_flag=True, help="Also record the audits checked in the history database.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: readable; json: one object with every target.",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="List every facility under each target (default: ten of each kind)."
)
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the district progress report as PDF to this file.",
)
@click.option(
    "--report-lang",
    "report_lang",
    type=click.Choice(["zh", "en", "bilingual"]),
    default=None,
    help="Language of the progress report, on the terminal and in --pdf (default: the --lang "
    "of the command); bilingual: Chinese first, then English.",
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
    report_lang: str | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Where the district stands against its plan: target, certified, gap, per facility type.

    Counts facilities, not audits: the latest audit of each facility (by
    facility id, else name) decides, and it counts when certified at the
    target's level or above. As the plan's `counting` says (the shipped plan
    does both), only audits dated within the plan period count, and only
    designations still valid at the target's due date. With AUDIT files or
    directories, they are checked now; without, the history database is read.

    \b
    Examples:
      check progress audits/                      check every audit under audits/
      check progress audits/ --record             ... and record them in the history
      check progress                              from the history database
      check progress --plan my-plan.yaml --lang en
      check progress audits/ --pdf progress.pdf --report-lang bilingual
    """
    from checker.district.history import database_errors, open_history
    from checker.district.history import record as record_history
    from checker.district.history_query import digests as history_digests
    from checker.district.plan import PlanError, builtin_plan, check_plan, load_plan
    from checker.district.progress import InvalidAudit, LatestAudits, compute_progress

    language = _lang(lang)
    doc_lang: DocLang = report_lang or language  # type: ignore[assignment]
    try:
        plan = load_plan(plan_path or builtin_plan())
    except PlanError as error:
        fail(error, language)
    catalog = district_catalog(standards_dirs, language)
    problems = check_plan(plan, catalog)
    if problems:
        fail(PlanError(problems), language)
    latest = LatestAudits.for_plan(plan)
    batch = DistrictBatch(language)
    from checker.core.errors import CheckerError

    try:
        if audits:
            stream = batch.digests(audits, standards_dirs, workers, catalog)
            if record:
                with database_errors(db), Closing(open_history(db)) as conn:
                    record_history(conn, tee(stream, latest.add))
            else:
                latest.add_all(stream)
        else:
            with database_errors(db), Closing(open_history(db, create=False)) as conn:
                latest.add_all(history_digests(conn, with_rules=True))
    except CheckerError as error:
        fail(error, language)
    invalid = [InvalidAudit(path, problems) for path, problems in batch.failed]
    progress = compute_progress(plan, latest, catalog, invalid)
    if fmt == "json":
        click.echo(json.dumps(progress.to_dict(), ensure_ascii=False, indent=2))
    else:
        from checker.cli.district_text import render_progress, render_progress_bilingual

        if doc_lang == "bilingual":
            echo(render_progress_bilingual(progress, catalog, verbose))
        else:
            echo(render_progress(progress, doc_lang, catalog, verbose))
    if pdf_path is not None:
        _write_progress_pdf(progress, pdf_path, doc_lang, language, catalog)
    sys.exit(EXIT_ERROR if batch.invalid else EXIT_OK)


def _write_progress_pdf(progress: Any, path: Path, doc_lang: DocLang, lang: Lang, catalog: Catalog) -> None:
    from checker.core.errors import CheckerError
    from checker.district.progress_pdf import write_progress_pdf

    try:
        write_progress_pdf(progress, path, doc_lang, catalog)
    except CheckerError as error:
        fail(error, lang)
    from checker.district.words import t

    echo(t("wrote_pdf", lang, path=path), err=True)
