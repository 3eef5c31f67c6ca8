"""``check register list|show|revoke``: the register of issued certificates (the history's database)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checker.cli.common import EXIT_ERROR, lang_option, print_error, resolve_lang
from checker.cli.district_common import Closing, db_option
from checker.cli.terminal import echo, inert
from checker.core.errors import CheckerError, Problem, UsageError

__all__ = ["register_command"]

_STATUS = {
    "valid": ("有效", "valid"),
    "revoked": ("已撤销", "revoked"),
    "superseded": ("已取代", "superseded"),
    "expired": ("已过期", "expired"),
}


@click.group("register")
def register_command() -> None:
    """The register of issued certificates: every signed certificate, and whether it still stands.

    Signed certificates are recorded when `check AUDIT --pdf DIR --sign-key FILE`
    writes them; a newer certificate for the same facility and standard
    supersedes the older one. The register is kept in the history database
    (--db, default as for `check history`).

    \b
    Examples:
      check register list
      check register list --status valid --format json
      check register show YZ-SCH-2026-Q4Z0-06Z9
      check register revoke YZ-SCH-2026-Q4Z0-06Z9 --reason "复评不合格"
    """


def _fail(error: CheckerError, lang: str) -> None:
    print_error(error, "en" if lang == "en" else "zh")
    sys.exit(EXIT_ERROR)


@register_command.command("list")
@db_option
@click.option("--facility", default=None, help="Only this facility (its id, or exact name).")
@click.option(
    "--status", type=click.Choice(sorted(_STATUS)), default=None, help="Only certificates in this state."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def register_list(
    db: Path | None, facility: str | None, status: str | None, fmt: str, lang: str | None
) -> None:
    """Every certificate issued, newest first, with its status today.

    \b
    Examples:
      check register list
      check register list --facility YZ-SCH-001 --status valid --format json
    """
    from checker.district.history import open_history
    from checker.district.register import entries

    language = resolve_lang(lang)
    try:
        with Closing(open_history(db, create=False)) as conn:
            rows = entries(conn, facility=facility, status=status)
    except CheckerError as error:
        _fail(error, language)
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("登记簿中没有证书。" if language == "zh" else "No certificates in the register.")
        return
    i = 0 if language == "zh" else 1
    for e in rows:
        word = _STATUS[e.status()][i]
        echo(
            f"{e.number}  {word:<6} {e.issued_on} → {e.valid_until}  {inert(e.level):<10} {e.score:6.2f}  "
            f"{inert(e.facility_id or '-')}  {inert(e.facility_name)}"
        )


@register_command.command("show")
@click.argument("number")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def register_show(number: str, db: Path | None, fmt: str, lang: str | None) -> None:
    """One certificate: facility, standard, level, score, dates, hash, payload and status.

    \b
    Example:
      check register show YZ-SCH-2026-Q4Z0-06Z9
    """
    from checker.district.history import open_history
    from checker.district.register import lookup

    language = resolve_lang(lang)
    try:
        with Closing(open_history(db, create=False)) as conn:
            entry = lookup(conn, number)
    except CheckerError as error:
        _fail(error, language)
    if entry is None:
        message = "no certificate with this number in the register / 登记簿中没有此证书编号"
        _fail(UsageError([Problem(number, message)]), language)
        return
    data = entry.to_dict()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    data["status"] = _STATUS[entry.status()][0 if language == "zh" else 1]
    for key, value in data.items():
        if value not in (None, ""):
            echo(f"{key:<16} {inert(str(value))}")


@register_command.command("revoke")
@click.argument("number")
@click.option("--reason", required=True, help="Why, in words the facility and the public will read.")
@click.option("--on", "on", default=None, metavar="YYYY-MM-DD", help="Date of revocation (default: today).")
@db_option
@lang_option
def register_revoke(number: str, reason: str, on: str | None, db: Path | None, lang: str | None) -> None:
    """Revoke a certificate (it stays in the register, marked revoked with the reason).

    \b
    Example:
      check register revoke YZ-SCH-2026-Q4Z0-06Z9 --reason "护栏拆除，复评不合格"
    """
    import datetime as dt

    from checker.district.history import open_history
    from checker.district.register import revoke

    language = resolve_lang(lang)
    try:
        if on is not None:
            try:
                dt.date.fromisoformat(on)
            except ValueError:
                raise UsageError(
                    [Problem(f"--on {on}", "not a date / 不是日期", hint="use YYYY-MM-DD")]
                ) from None
        with Closing(open_history(db, create=False)) as conn:
            entry = revoke(conn, number, reason, on)
    except CheckerError as error:
        _fail(error, language)
    if language == "zh":
        click.echo(
            f"已撤销 {entry.number}（{entry.facility_name}），{entry.revoked_on}：{entry.revoked_reason}"
        )
    else:
        click.echo(
            f"revoked {entry.number} ({entry.facility_name}) on {entry.revoked_on}: {entry.revoked_reason}"
        )
