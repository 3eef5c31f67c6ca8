"""``check template``: what an assessor fills in: a JSON audit, an Excel checklist or an XLSForm."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checker.cli.common import (
    EXIT_ERROR,
    load_catalog,
    load_one_standard,
    print_error,
    resolve_lang,
    standards_option,
)
from checker.cli.completion import complete_standards
from checker.cli.terminal import echo, inert
from checker.core.audit import Audit
from checker.core.errors import AuditError, CheckerError, Problem
from checker.core.messages import say
from checker.core.sources import SourceProblem
from checker.core.standard import Standard
from checker.core.text import Lang


@click.command("template")
@click.argument("standard", shell_complete=complete_standards)
@click.option(
    "--xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write an Excel checklist (dropdowns, ranges, printable) instead of JSON.",
)
@click.option(
    "--xlsform",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write an XLSForm for ODK Collect / KoboToolbox (offline, photos).",
)
@click.option(
    "--from",
    "from_audit",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="AUDIT",
    help="Pre-fill from an earlier audit (JSON or checklist): a re-audit starts from the last one.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "bilingual"]),
    default=None,
    help="Language of the checklist and of messages (default: from the locale, else zh).",
)
@standards_option
def template_command(
    standard: str,
    xlsx: Path | None,
    xlsform: Path | None,
    from_audit: Path | None,
    lang: str | None,
    standards_dirs: tuple[Path, ...],
) -> None:
    """Make what an assessor fills in for STANDARD: a JSON audit (default), an Excel checklist or an XLSForm.

    The JSON template validates as it is ("incomplete"): fill in the names,
    the date and each "value" (null = not measured). Its "_help" block lists
    the fields that decide a prerequisite (控制项) and those needed only in some
    cases. The Excel checklist has one row per field with dropdowns, allowed
    ranges and these markers; print it, or fill it in and run check FILE.xlsx.
    The XLSForm goes to ODK Central or KoboToolbox; import their exports with
    check import.

    \b
    Examples:
      check template yuzhong-school > audits/renhe-2026.json
      check template yuzhong-park --xlsx eling.xlsx
      check template yuzhong-park --xlsx eling-2027.xlsx --from audits/eling-2026.json
      check template yuzhong-park --xlsx park-en.xlsx --lang bilingual
      check template yuzhong-park --xlsform yuzhong-park-form.xlsx
    """
    language: Lang = resolve_lang("zh" if lang == "bilingual" else lang)
    std = load_one_standard(standard, standards_dirs, language)
    audit = None
    if from_audit is not None:
        audit = _previous(from_audit, standards_dirs, language, std)
    if xlsx is not None:
        from checker.forms.xlsx_write import write_checklist

        write_checklist(std, xlsx, "bilingual" if lang == "bilingual" else language, audit)
        echo(("已写入 " if language == "zh" else "wrote ") + inert(str(xlsx)), err=True)
    if xlsform is not None:
        from checker.forms.xlsform import write_xlsform

        write_xlsform(std, xlsform)
        echo(("已写入 " if language == "zh" else "wrote ") + inert(str(xlsform)), err=True)
    if xlsx is None and xlsform is None:
        from checker.forms.json_template import audit_template

        click.echo(json.dumps(audit_template(std, audit), ensure_ascii=False, indent=2))


def _previous(path: Path, dirs: tuple[Path, ...], language: Lang, standard: Standard) -> Audit:
    """The audit a re-audit starts from (a JSON audit or a filled checklist). An audit of an
    earlier version of the standard is carried over: its version is updated and fields the
    new version no longer has are left out; everything else is validated as usual."""
    from checker.core.audit_load import validate_audit
    from checker.core.json_source import parse_json
    from checker.core.sources import MAX_AUDIT_BYTES, read_bytes
    from checker.forms.importer import import_file

    catalog, _ = load_catalog(dirs, language, report=False)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            item = import_file(path, catalog, str(path))[0]
            if item.problems:
                raise AuditError(item.problems)
            text = item.text
        else:
            text = read_bytes(path, str(path), MAX_AUDIT_BYTES)
        doc = parse_json(text, str(path), repair=True)
        data = doc.data
        if isinstance(data, dict) and data.get("standard") == standard.id:
            data["standard_version"] = standard.version
            if isinstance(data.get("observations"), dict):
                data["observations"] = {
                    k: v for k, v in data["observations"].items() if k in standard.field_map
                }
        audit = validate_audit(doc, catalog)
        if audit.standard != standard.id:
            raise AuditError(
                [
                    Problem.of(
                        str(path),
                        say("form.from_other_standard", standard=audit.standard, want=standard.id),
                        say("hint.from_same_standard"),
                    )
                ]
            )
        return audit
    except SourceProblem as exc:
        print_error(AuditError(exc.problems), language)
    except CheckerError as error:
        print_error(error, language)
    sys.exit(EXIT_ERROR)
