"""The catalogue commands: ``list``, ``show``, ``lint``, ``schema``, ``docs``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checker.cli.common import (
    EXIT_ERROR,
    EXIT_NOT_CERTIFIED,
    EXIT_OK,
    lang_option,
    load_catalog,
    load_one_standard,
    print_error,
    resolve_lang,
    standards_option,
)
from checker.cli.completion import complete_standards
from checker.cli.terminal import echo
from checker.core.errors import StandardError
from checker.core.text import default_lang


@click.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@standards_option
@lang_option
def list_command(fmt: str, standards_dirs: tuple[Path, ...], lang: str | None) -> None:
    """List the standards that are available, with version and rule counts.

    \b
    Example:
      check list --standards ./my-standards
    """
    language = resolve_lang(lang)
    catalog, code = load_catalog(standards_dirs, language)
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
            echo(
                f"{row['id']:<24} {row['version']:<8} {row['facility_type']:<14} "
                f"{row['rules']:>3} rules ({row['mandatory']} mandatory)  {row['title']}"
            )
        if not rows:
            echo("no standards found" if language == "en" else "未找到任何标准", err=True)
    sys.exit(code)


@click.command("show")
@click.argument("standard", shell_complete=complete_standards)
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

    language = resolve_lang(lang)
    std = load_one_standard(standard, standards_dirs, language)
    echo(render_markdown(std) if fmt == "markdown" else render_text(std, language))


@click.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
def lint_command(files: tuple[Path, ...], lang: str | None) -> None:
    """Validate standard files: JSON Schema, models and cross-checks; all errors at once.

    \b
    Example:
      check lint standards/*.yaml
    """
    from checker.core.lint import lint_file

    language = resolve_lang(lang)
    worst = EXIT_OK
    for path in files:
        problems = lint_file(path)
        if problems:
            print_error(StandardError(problems), language)
            worst = EXIT_ERROR
        else:
            echo(f"{path}: ok")
    sys.exit(worst)


@click.command("schema")
@click.argument(
    "what", metavar="standard|common|audit|result|STANDARD_ID", shell_complete=complete_standards
)
@standards_option
def schema_command(what: str, standards_dirs: tuple[Path, ...]) -> None:
    """Print a JSON Schema: of the standard, audit or result format, or of one standard's audits.

    \b
    Examples:
      check schema standard > standard.schema.json
      check schema yuzhong-school > school-audit.schema.json   (for editor autocompletion)
    """
    from checker.core.schema import audit_schema_for, bundled_schema

    if what in ("standard", "common", "audit", "result"):
        schema = bundled_schema(what)
    else:
        schema = audit_schema_for(load_one_standard(what, standards_dirs, default_lang()))
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@click.command("docs")
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

    catalog, code = load_catalog(standards_dirs, default_lang())
    stale: list[tuple[str, bool]] = []
    if not check_only:
        out_dir.mkdir(parents=True, exist_ok=True)
    for standard in catalog:
        page = out_dir / f"{standard.id}.md"
        text = render_markdown(standard)
        current = page.read_text(encoding="utf-8") if page.exists() else None
        if current == text:
            continue
        if check_only:
            stale.append((str(page), current is None))
        else:
            atomic_write(page, text)
            echo(f"wrote {page}")
    for page_name, missing in stale:
        what = "is missing" if missing else "is out of date"
        echo(f"{page_name} {what}: run `check docs` / {'缺少此页' if missing else '此页已过时'}", err=True)
    sys.exit(code or (EXIT_NOT_CERTIFIED if stale else EXIT_OK))
