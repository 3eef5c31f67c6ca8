"""``check import``: filled checklists and field-form exports to audit JSON; and ``check FILE.xlsx``."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from checker.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    lang_option,
    load_catalog,
    print_error,
    resolve_lang,
    standards_option,
)
from checker.cli.terminal import echo, inert
from checker.core.catalog import Catalog
from checker.core.errors import AuditError
from checker.core.text import Lang

__all__ = ["convert_workbooks", "import_command"]


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE..."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write: a file for one submission, a directory for several (created if needed). "
    "Without it, one submission is printed on standard output.",
)
@click.option(
    "--standard",
    "standard_id",
    default=None,
    metavar="ID",
    help="The standard, when an export does not say it.",
)
@standards_option
@lang_option
def import_command(
    files: tuple[Path, ...],
    output: Path | None,
    standard_id: str | None,
    standards_dirs: tuple[Path, ...],
    lang: str | None,
) -> None:
    """Turn filled forms into audit JSON, one audit per submission, validated like any audit.

    FILE is a filled Excel checklist (from check template STANDARD --xlsx), an
    ODK Central export (CSV, or OData JSON) or a KoboToolbox export (JSON, or
    XLSX with "XML values and headers") of a form made by check template
    STANDARD --xlsform. Problems name the cell (FILE:检查表!D12) or the
    submission (FILE:submission 3: field); the valid submissions are still written.

    \b
    Examples:
      check import park.xlsx --output audits/eling-2026.json
      check import yuzhong-park.csv --output audits/parks/
      check import kobo-export.json kobo-export.xlsx -o audits/ --standard yuzhong-park
    """
    from checker.core.fsutil import atomic_write
    from checker.forms.importer import import_file

    language = resolve_lang(lang)
    catalog, _ = load_catalog(standards_dirs, language, report=False)
    items = [item for path in files for item in import_file(path, catalog, str(path), standard_id)]
    good = [item for item in items if item.audit is not None]
    worst = EXIT_OK
    for item in items:
        if item.problems:
            print_error(AuditError(item.problems), language)
            worst = EXIT_ERROR
    to_dir = output is not None and (output.is_dir() or str(output).endswith(("/", "\\")) or len(items) > 1)
    if output is None and len(good) > 1:
        echo(_say("import.need_output", language), err=True)
        sys.exit(EXIT_ERROR)
    used: set[str] = set()
    for item in good:
        if output is None:
            click.echo(item.text, nl=False)
            continue
        target = output / _file_name(item.submission.name, used) if to_dir else output
        if to_dir:
            target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, item.text)
        assert item.audit is not None
        facility = inert(item.audit.facility.name)
        echo(
            f"{_say('import.wrote', language)} {inert(str(target))} ({item.audit.standard}: {facility})",
            err=True,
        )
    sys.exit(worst)


def _say(key: str, lang: Lang) -> str:
    words = {
        "import.wrote": ("已写入", "wrote"),
        "import.need_output": (
            "有多条提交记录：请用 --output 目录 指定输出位置",
            "several submissions: give --output DIR for where to write them",
        ),
    }
    zh, en = words[key]
    return zh if lang == "zh" else en


def _file_name(name: str, used: set[str]) -> str:
    stem = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.") or "audit"
    candidate, n = f"{stem}.json", 2
    while candidate in used:
        candidate, n = f"{stem}-{n}.json", n + 1
    used.add(candidate)
    return candidate


def convert_workbooks(
    paths: Sequence[str], catalog: Catalog, language: Lang
) -> tuple[dict[str, bytes], list[str], list[tuple[str, AuditError]]]:
    """``check FILE.xlsx``: each workbook as the audit JSON it holds; the paths still to check;
    the invalid workbooks and their errors (printed here too, located by cell)."""
    converted: dict[str, bytes] = {}
    keep: list[str] = []
    failed: list[tuple[str, AuditError]] = []
    for path in paths:
        if not path.lower().endswith((".xlsx", ".xlsm")):
            keep.append(path)
            continue
        from checker.forms.importer import import_file  # only for a workbook: a batch of JSON starts faster

        items = import_file(Path(path), catalog, path)
        for item in items:
            if item.problems:
                error = AuditError(item.problems)
                print_error(error, language)
                failed.append((path, error))
        good = [item for item in items if item.audit is not None]
        if len(items) == 1 and good:
            converted[path] = good[0].text.encode("utf-8")
            keep.append(path)
    return converted, keep, failed
