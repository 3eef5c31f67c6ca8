"""The `check` command: a thin shell over the library.

Exit status is decided once, from the worst outcome: 0 every audit certified,
1 some audit valid but not certified or incomplete, 2 a usage error or an
invalid audit or standard (the other audits are still checked).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from checker import __version__
from checker.cli.common import (
    EXIT_ERROR,
    EXIT_NOT_CERTIFIED,
    EXIT_OK,
    lang_option,
    standards_option,
    workers_option,
)
from checker.cli.common import print_error as _print_error
from checker.cli.common import resolve_lang as _lang
from checker.cli.district import export_command, history_command, progress_command
from checker.cli.report_options import emit_reports, report_options
from checker.core.errors import CheckerError, StandardError
from checker.core.text import Lang, default_lang


class DefaultGroup(click.Group):
    """`check AUDIT...` means `check run AUDIT...`: the common case needs no verb."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        elif not args:
            args = ["--help"]
        return super().parse_args(ctx, args)


def _catalog(
    dirs: tuple[Path, ...], lang: Lang, report: bool = True, load_all: bool = True
) -> tuple[Any, int]:
    """The catalog, with its problems printed: all of them, or (load_all=False) only
    those found without parsing; a broken standard then surfaces when an audit uses it."""
    from checker.core.catalog import Catalog

    catalog = Catalog.discover(dirs)
    code = EXIT_OK
    if report:
        for error in catalog.errors if load_all else catalog.discovery_errors:
            _print_error(error, lang)
            code = EXIT_ERROR
    return catalog, code


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tongcheck")
def cli() -> None:
    """Check child-friendly facility audits (儿童友好) against their standards.

    \b
    Examples:
      check examples/schools/exemplary.json        summary of one audit
      check --format json audits/*.json            JSON Lines, one result per audit
      check list                                   the standards available
      check template yuzhong-school > audit.json   a blank audit to fill in
      check show yuzhong-school --lang en          the checklist, readable
      check audit.json --pdf reports/              certificate or gap report (PDF)
      check audits/                                a district: every audit, then a summary
      check progress audits/                       progress against the plan's 2026 targets

    Exit status: 0 all certified, 1 some not certified or incomplete,
    2 invalid input (other audits are still checked).
    """


@cli.command("run")
@click.argument("audits", nargs=-1, required=True, metavar="AUDIT...")
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
) -> None:
    """Validate and score audits (AUDIT is a JSON file, a directory of them, or - for standard input).

    A directory is searched recursively for *.json files. Several audits are
    checked in parallel, printed in order, and followed by a summary (on
    standard error with --format json).

    \b
    Examples:
      check examples/schools/exemplary.json
      check --lang en examples/schools/*.json
      check audits/ --format json > results.jsonl
      cat audit.json | check - --format json
      check examples/parks/*.json --pdf reports/          certificate or gap report each
      check audit.json --pdf gap.pdf --report gap --report-lang bilingual
    """
    import os

    from checker.district.batch import check_paths, expand_paths, progress_bar, render_summary
    from checker.district.summary import Summary
    from checker.report.text import format_result

    language = _lang(lang)
    catalog, worst = _catalog(standards_dirs, language, load_all=False)
    try:
        paths = expand_paths(audits)
    except CheckerError as error:
        _print_error(error, language)
        sys.exit(EXIT_ERROR)
    many = len(paths) > 1 or any(a != "-" and os.path.isdir(a) for a in audits)
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
            with_json=fmt == "json" or (many and workers != 1),
            catalog=catalog,
            keep=True,
        )
        for item in batch:
            summary.add(item)
            failed = item.error
            if failed is not None:
                if failed.kind != "standard" or str(failed) not in reported:
                    on_progress.clear()
                    _print_error(failed, language)
                    reported.add(str(failed))
                worst = max(worst, EXIT_ERROR)
                continue
            result = item.result if fmt == "text" or want_reports else None
            if result is not None and want_reports:
                reports.append((result, catalog.get(result.standard.id)))
            if fmt == "json":
                click.echo(item.json)
            else:
                assert result is not None
                if not first:
                    click.echo("")
                click.echo(format_result(result, language, verbose), color=color)
                first = False
            worst = max(worst, item.exit_code)
    if many:
        text = render_summary(summary, language, catalog)
        if fmt == "json":
            click.echo(text, err=True)
        else:
            click.echo("")
            click.echo(text, color=color)
    if reports:
        options = {"pdf": pdf, "html": html, "report": report, "report_lang": report_lang}
        worst = max(worst, emit_reports(reports, options, language))
    sys.exit(worst)


@cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@standards_option
@lang_option
def list_command(fmt: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """List the standards that are available, with version and rule counts.

    \b
    Example:
      check list --standards ./my-standards
    """
    language = _lang(lang)
    catalog, code = _catalog(standards_dirs, language)
    rows = []
    for s in catalog:
        rules = [r for sec in s.sections for r in sec.rules]
        rows.append(
            {
                "id": s.id,
                "version": s.version,
                "facility_type": s.facility_type,
                "title": s.title(language),
                "rules": len(rules),
                "mandatory": sum(r.mandatory for r in rules),
                "path": catalog.path_of(s.id),
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            click.echo(
                f"{row['id']:<24} {row['version']:<8} {row['facility_type']:<14} "
                f"{row['rules']:>3} rules ({row['mandatory']} mandatory)  {row['title']}"
            )
        if not rows:
            click.echo("no standards found" if language == "en" else "未找到任何标准", err=True)
    sys.exit(code)


def _standard(ident: str, dirs: tuple[Path, ...], language: Lang) -> Any:
    """A standard by id, or by path to a YAML file."""
    from checker.core.standard import load_standard

    try:
        if ident.endswith((".yaml", ".yml")) or "/" in ident:
            return load_standard(ident)
        catalog, _ = _catalog(dirs, language, report=False)
        return catalog.get(ident)
    except CheckerError as error:
        _print_error(error, language)
        sys.exit(EXIT_ERROR)


@cli.command("show")
@click.argument("standard")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@standards_option
@lang_option
def show_command(standard: str, fmt: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """Show one standard as a readable checklist (STANDARD is an id or a YAML path).

    \b
    Examples:
      check show yuzhong-school
      check show standards/parks.yaml --format markdown --lang en
    """
    from checker.report.catalogue import render_markdown, render_text

    language = _lang(lang)
    std = _standard(standard, standards_dirs, language)
    click.echo(render_markdown(std) if fmt == "markdown" else render_text(std, language))


@cli.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
def lint_command(files: tuple[Path, ...], lang: str | None) -> None:
    """Validate standard files: JSON Schema, models and cross-checks; all errors at once.

    \b
    Example:
      check lint standards/*.yaml
    """
    from checker.core.lint import lint_file

    language = _lang(lang)
    worst = EXIT_OK
    for path in files:
        problems = lint_file(path)
        if problems:
            _print_error(StandardError(problems), language)
            worst = EXIT_ERROR
        else:
            click.echo(f"{path}: ok")
    sys.exit(worst)


@cli.command("template")
@click.argument("standard")
@standards_option
@lang_option
def template_command(standard: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """Print a blank audit for STANDARD: every field, with label, unit and values as a note.

    Fill in facility, assessor and audited_on, then each "value" (leave null
    what was not observed); replace the hint in "note" with your own remark
    or delete it. The "$schema" key lets editors autocomplete: save the
    output of `check schema STANDARD` under that name next to the audit.

    \b
    Example:
      check template yuzhong-school > audits/renhe-2026.json
    """
    from checker.core.templates import audit_template

    std = _standard(standard, standards_dirs, _lang(lang))
    click.echo(json.dumps(audit_template(std), ensure_ascii=False, indent=2))


@cli.command("schema")
@click.argument("what", metavar="standard|audit|result|STANDARD_ID")
@standards_option
def schema_command(what: str, standards_dirs: tuple[Path, ...]) -> None:
    """Print a JSON Schema: of the standard, audit or result format, or of one standard's audits.

    \b
    Examples:
      check schema standard > standard.schema.json
      check schema yuzhong-school > school-audit.schema.json   (for editor autocompletion)
    """
    from checker.core.schema import audit_schema_for, bundled_schema

    if what in ("standard", "audit", "result"):
        schema = bundled_schema(what)
    else:
        schema = audit_schema_for(_standard(what, standards_dirs, default_lang()))
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@cli.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs/standards"),
    show_default=True,
    help="Directory for the catalogue pages.",
)
@click.option(
    "--check", "check_only", is_flag=True, help="Only check that the pages are up to date (exit 1 if not)."
)
@standards_option
def docs_command(out_dir: Path, check_only: bool, standards_dirs: tuple[Path, ...]) -> None:
    """Write the readable catalogue of every standard (docs/standards/<id>.md).

    \b
    Examples:
      check docs
      check docs --check        (what CI runs: fails when a page is stale)
    """
    from checker.core.fsutil import atomic_write
    from checker.report.catalogue import render_markdown

    catalog, code = _catalog(standards_dirs, default_lang())
    stale = []
    if not check_only:
        out_dir.mkdir(parents=True, exist_ok=True)
    for standard in catalog:
        page = out_dir / f"{standard.id}.md"
        text = render_markdown(standard)
        current = page.read_text(encoding="utf-8") if page.exists() else None
        if current == text:
            continue
        if check_only:
            stale.append(str(page))
        else:
            atomic_write(page, text)
            click.echo(f"wrote {page}")
    for page_name in stale:
        click.echo(f"{page_name} is out of date: run `check docs`", err=True)
    sys.exit(code or (EXIT_NOT_CERTIFIED if stale else EXIT_OK))


for _command in (progress_command, history_command, export_command):
    cli.add_command(_command)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":
    main()
