"""The report options of ``check run`` (``--pdf``, ``--html``, ``--report``, ``--report-lang``).

``cli.py`` stays the owner of the command; this module adds the options and
does the writing::

    @report_options                           # with the command's other options
    def run_command(..., pdf, html, report, report_lang): ...
        code = emit_reports(items, {"pdf": pdf, ...}, lang)

The command collects ``(result, standard)`` pairs while it checks and calls
:func:`emit_reports` once at the end, which returns its exit-code
contribution.

Only click is imported here; reports import jinja2 and WeasyPrint when the
first document is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, EXIT_OK
from checker.cli.common import print_error as _print_error
from checker.cli.terminal import echo
from checker.core.errors import CheckerError, Problem, UsageError

if TYPE_CHECKING:
    from checker.core.result import Result
    from checker.core.standard import Standard
    from checker.core.text import Lang
    from checker.report import KindOption, ReportLang

__all__ = ["emit_reports", "report_options"]


F = Callable[..., Any]


def report_options(f: F) -> F:
    """Add ``--pdf``, ``--html``, ``--report`` and ``--report-lang`` to a click command.

    The command receives them as the keyword arguments ``pdf``, ``html``,
    ``report`` and ``report_lang`` and passes them to :func:`emit_reports`.
    """
    decorators = [
        click.option(
            "--report-lang",
            "report_lang",
            type=click.Choice(["zh", "en", "bilingual"]),
            default=None,
            help="Language of the reports (default: the --lang of the command).",
        ),
        click.option(
            "--report",
            "report",
            type=click.Choice(["auto", "certificate", "gap", "both"]),
            default="auto",
            show_default=True,
            help="auto: a certificate when certified, else the gap report; both: certificate "
            "and the gap report toward the next level.",
        ),
        click.option(
            "--html",
            "html",
            metavar="PATH",
            type=click.Path(path_type=Path),
            default=None,
            help="Also write the report as a web page (same rules as --pdf).",
        ),
        click.option(
            "--pdf",
            "pdf",
            metavar="PATH",
            type=click.Path(path_type=Path),
            default=None,
            help="Write PDF reports (PDF/A-3b, result JSON attached) into the directory PATH, "
            "or to the file PATH (*.pdf) when there is one audit.",
        ),
    ]
    for decorator in decorators:
        f = decorator(f)
    return f


def _written(path: Path, lang: Lang) -> None:
    echo(f"{'已写入' if lang == 'zh' else 'wrote'} {path}", err=True)


def emit_reports(items: Sequence[tuple[Result, Standard]], options: dict[str, Any],
                 lang: Lang) -> int:  # fmt: skip
    """Write the reports the options ask for; 0, or 2 when any could not be written.

    ``options`` holds ``pdf``, ``html`` (paths or None), ``report`` (auto,
    certificate, gap, both) and ``report_lang`` (zh, en, bilingual or None
    for ``lang``), and the issuing options of ``cli.sign_options``
    (``sign_key``, ``verify_url``, ``seal``, ``register_db``). Errors are
    printed like the CLI prints them; the written paths go to standard
    error, so ``--format json`` output stays clean. Signed certificates that
    were written are recorded in the register.
    """
    from checker.cli.sign_options import make_issue, record_issued
    from checker.report import is_directory_target, write_report, write_reports

    kind: KindOption = options.get("report") or "auto"
    report_lang: ReportLang = options.get("report_lang") or lang
    code = EXIT_OK
    if not items or (options.get("pdf") is None and options.get("html") is None):
        return code
    issue = make_issue(options, lang)
    commit = None
    if issue is not None and issue.key is not None:
        issue, commit = record_issued(items, issue, options.get("register_db"), lang)
    written: set[int] = set()
    for fmt in ("pdf", "html"):
        target = options.get(fmt)
        if target is None or not items:
            continue
        target = Path(target)
        try:
            if fmt == "pdf":
                from checker.report.fonts import find_cjk_fonts

                find_cjk_fonts()  # one clear message, not one per audit
            if not is_directory_target(target):
                if len(items) > 1:
                    raise UsageError([Problem(
                        f"--{fmt} {target}",
                        f"a single file takes one audit; {len(items)} were checked",
                        hint=f"give a directory, e.g. --{fmt} reports/",
                    )])  # fmt: skip
                result, standard = items[0]
                for path in write_report(result, standard, target, kind=kind,
                                         lang=report_lang, fmt=fmt, issue=issue):  # fmt: skip
                    _written(path, lang)
                written.add(0)
                continue
            for outcome in write_reports(items, target, kind=kind, lang=report_lang, fmt=fmt, issue=issue):
                if outcome.error is not None:
                    _print_error(outcome.error, lang)
                    code = EXIT_ERROR
                elif outcome.paths:
                    written.add(outcome.index)
                for path in outcome.paths:
                    _written(path, lang)
        except CheckerError as error:
            _print_error(error, lang)
            code = EXIT_ERROR
    if commit is not None:
        code = max(code, commit(sorted(written)))
    return code
