"""``check AUDIT...`` (``check run``): validate and score audits, print them, write reports.

Exit status is decided once, from the worst outcome: 0 every audit certified,
1 some audit valid but not certified or incomplete, 2 a usage error or an
invalid audit or standard (the other audits are still checked).
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import (
    EXIT_ERROR,
    lang_option,
    load_catalog,
    print_error,
    resolve_lang,
    standards_option,
    workers_option,
)
from checker.cli.completion import complete_audits
from checker.cli.report_options import emit_reports, report_options
from checker.cli.sign_options import sign_options
from checker.cli.terminal import echo
from checker.core.errors import CheckerError

if TYPE_CHECKING:
    from checker.core.text import Lang
    from checker.district.worker import Render


@click.command("run")
@click.argument("audits", nargs=-1, required=True, metavar="AUDIT...", shell_complete=complete_audits)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: readable summary; json: the result object (JSON Lines for several).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every rule, not only those to act on.")
@click.option(
    "--color/--no-color", default=None, help="Force colour on or off (default: only on a terminal)."
)
@workers_option
@standards_option
@lang_option
@report_options
@sign_options
def run_command(
    audits: tuple[str, ...],
    fmt: str,
    verbose: bool,
    color: bool | None,
    workers: int | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
    pdf: Path | None,
    html: Path | None,
    report: str,
    report_lang: str | None,
    sign_key: Path | None,
    verify_url: str | None,
    seal: Path | None,
    register_db: Path | None,
) -> None:
    """Validate and score audits (AUDIT is a JSON file, a filled Excel checklist (.xlsx), a directory
    of JSON audits, or - for standard input).

    A directory is searched recursively for *.json files. Several audits are
    checked in parallel, printed in order, and followed by a summary (on
    standard error with --format json).

    \b
    Examples:
      check examples/schools/exemplary.json
      check park-checklist.xlsx                          a filled Excel checklist
      check --lang en examples/schools/*.json
      check audits/ --format json > results.jsonl
      cat audit.json | check - --format json
      check examples/parks/*.json --pdf reports/          certificate or gap report each
      check audit.json --pdf gap.pdf --report gap --report-lang bilingual
      check audits/ --pdf out/ --sign-key keys/district.pem    signed, recorded in the register
    """
    import os

    from checker.cli.import_cmd import convert_workbooks
    from checker.cli.progress_bar import progress_bar
    from checker.cli.result_line import WARNINGS
    from checker.core.errors import error_record
    from checker.district.batch import check_paths
    from checker.district.paths import expand_paths
    from checker.district.summary import Summary
    from checker.district.summary import render_text as render_summary

    language = resolve_lang(lang)
    catalog, worst = load_catalog(standards_dirs, language, load_all=False)
    try:
        paths = expand_paths(audits)
    except CheckerError as error:
        print_error(error, language)
        sys.exit(EXIT_ERROR)
    converted, paths, bad_workbooks = convert_workbooks(paths, catalog, language)
    for path, wrong in bad_workbooks:
        worst = EXIT_ERROR
        if fmt == "json":
            click.echo(json.dumps(error_record(path, wrong), ensure_ascii=False))
    if not paths:
        sys.exit(worst)
    many = len(paths) > 1 or any(a != "-" and os.path.isdir(a) for a in audits)
    # a batch reads one line per audit, then the summary; --verbose (or one audit) the full view
    one_line = many and not verbose
    want_reports = pdf is not None or html is not None
    summary = Summary()
    reported: set[str] = set()
    reports: list[tuple[Any, Any]] = []
    first = True
    # a bar only when the results do not scroll by on the same terminal (they are the progress then)
    bar = many and sys.stderr.isatty() and not sys.stdout.isatty()
    with progress_bar(len(paths), language, enabled=bar) as on_progress:
        batch = check_paths(
            paths,
            standards_dirs,
            workers if many else 1,
            on_progress,
            with_json=fmt == "json" or (want_reports and many and workers != 1),
            catalog=catalog,
            keep=want_reports,
            data=converted,
            render=_render(language, verbose, one_line) if fmt == "text" else None,
        )
        for item in batch:
            summary.add(item)
            failed = item.error
            if failed is not None:
                if failed.kind != "standard" or str(failed) not in reported:
                    on_progress.clear()
                    print_error(failed, language)
                    reported.add(str(failed))
                if fmt == "json":  # every invalid audit is a record too, so nothing vanishes from the stream
                    click.echo(json.dumps(error_record(item.path, failed), ensure_ascii=False))
                worst = max(worst, item.exit_code)
                continue
            result = item.result if want_reports else None
            if result is not None:
                reports.append((result, catalog.get(result.standard.id)))
            if fmt == "json":
                click.echo(item.json)
            else:
                assert item.text is not None
                text, _, warnings = item.text.partition(WARNINGS)
                if not first and not one_line:
                    echo("")
                echo(text, color=color)
                if warnings:  # warnings go to standard error, the result stays on standard output
                    on_progress.clear()
                    echo(warnings, err=True, color=color)
                first = False
            worst = max(worst, item.exit_code)
    if many:
        text = render_summary(summary, language, catalog)
        if fmt == "json":
            echo(text, err=True)
        else:
            echo("")
            echo(text, color=color)
    if reports:
        options = {
            "pdf": pdf,
            "html": html,
            "report": report,
            "report_lang": report_lang,
            "sign_key": sign_key,
            "verify_url": verify_url,
            "seal": seal,
            "register_db": register_db,
        }
        worst = max(worst, emit_reports(reports, options, language))
    sys.exit(worst)


def _render(language: Lang, verbose: bool, one_line: bool) -> Render:
    """What the workers write for a person: one line per audit (it reads no reason: ``Brief``)
    or the full view."""
    from checker.cli.result_line import render
    from checker.district.worker import Brief

    text = partial(render, lang=language, verbose=verbose, one_line=one_line)
    return Brief(text) if one_line else text
