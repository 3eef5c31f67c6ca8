"""``check verify TARGET...``: is a certificate genuine and still valid?

TARGET is a PDF (certificate or gap report), a QR payload or verification
URL, or a certificate number (looked up in the register). Exit status: 0
every target genuine and valid; 1 some target not genuine, altered,
unsigned, revoked, superseded, expired or unknown; 2 some target unreadable
or nothing to verify against.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, lang_option, print_error, resolve_lang
from checker.cli.terminal import echo, inert
from checker.core.errors import CheckerError, Problem, UsageError
from checker.core.words import level_word

if TYPE_CHECKING:
    import sqlite3

    from checker.core.text import Lang
    from checker.report.keys import Issuer
    from checker.report.verify import Finding

__all__ = ["verify_command"]

NUMBER = re.compile(r"^YZ-[A-Z]{3}-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
MAX_PDF = 64 * 1024 * 1024


@click.command("verify")
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@click.option(
    "--pub",
    "pubs",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The issuer certificate to trust (FILE.pub from `check keys new`); repeatable.",
)
@click.option(
    "--register",
    "register_db",
    metavar="DB",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also check the register: revoked, superseded, unknown (its issuer keys are trusted too).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def verify_command(
    targets: tuple[str, ...], pubs: tuple[Path, ...], register_db: Path | None, fmt: str, lang: str | None
) -> None:
    """Check certificates offline: a PDF, a QR payload or URL, or a certificate number.

    A PDF's signature, its attached result.json and the signed payload must
    all agree and be made by the issuer key you trust (--pub, or the keys in
    the register). A certificate number is looked up in the register (by
    default the history database).

    \b
    Examples:
      check verify certificate.pdf --pub district.pem.pub
      check verify 'https://…/c?c=TC2~YZ-SCH-2026-…' --pub district.pem.pub
      check verify YZ-SCH-2026-Q4Z0-06Z9 --register district.sqlite3
      check verify out/*.pdf --register district.sqlite3 --format json

    Exit status: 0 all genuine and valid; 1 some not genuine, altered,
    revoked, superseded, expired or unknown; 2 some unreadable.
    """
    from checker.report.keys import load_issuer

    language = resolve_lang(lang)
    try:
        trusted: list[Issuer] = [load_issuer(p) for p in pubs]
    except CheckerError as error:
        print_error(error, language)
        sys.exit(EXIT_ERROR)
    numbers = [t for t in targets if NUMBER.match(t.strip().upper()) and not Path(t).exists()]
    conn = _open_register(register_db, language, needed=bool(numbers))
    try:
        if conn is not None:
            from checker.district.register import issuers

            known = {i.key_id for i in trusted}
            trusted += [i for i in issuers(conn) if i.key_id not in known]
        if not trusted and len(numbers) < len(targets):
            hint = "give --pub DISTRICT.pem.pub (published by the district), or --register DB"
            message = "no issuer certificate to verify against / 未指定签发证书"
            print_error(UsageError([Problem("--pub", message, hint=hint)]), language)
            sys.exit(EXIT_ERROR)
        findings = [(t, _check(t, trusted, conn, register_db is not None)) for t in targets]
    finally:
        if conn is not None:
            conn.close()
    _print(findings, fmt, language)
    sys.exit(max(f.exit_code for _, f in findings))


def _open_register(db: Path | None, lang: Lang, needed: bool) -> sqlite3.Connection | None:
    if db is None and not needed:
        return None
    from checker.district.history import open_history

    try:
        return open_history(db, create=False)
    except CheckerError as error:
        print_error(error, lang)
        sys.exit(EXIT_ERROR)


def _check(target: str, trusted: list[Issuer], conn: sqlite3.Connection | None, strict: bool) -> Finding:
    from checker.report.verify import check_payload, check_pdf, finding, looks_like_payload

    text = target.strip()
    path = Path(target)
    if NUMBER.match(text.upper()) and not path.exists():
        return _by_number(text.upper(), trusted, conn)
    if path.is_file():
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_PDF + 1)
        except OSError as exc:
            return finding("unreadable", why=str(exc.strerror))
        if len(data) > MAX_PDF:
            return finding("unreadable", why="larger than 64 MB / 文件过大")
        if data.startswith(b"%PDF"):
            found = check_pdf(data, trusted, source=target)
        else:
            found = check_payload(data.decode("utf-8", "replace"), trusted)
    elif looks_like_payload(text):
        found = check_payload(text, trusted)
    else:
        return finding(
            "unreadable", why="not a file, a payload or a certificate number / 不是文件、核验码或证书编号"
        )
    return _with_register(found, conn, strict)


def _by_number(number: str, trusted: list[Issuer], conn: sqlite3.Connection | None) -> Finding:
    from checker.district.register import lookup
    from checker.report.verify import check_payload, finding

    entry = lookup(conn, number) if conn is not None else None
    if entry is None:
        return finding("unknown")
    found = check_payload(entry.payload, trusted)
    found.facility = entry.facility_name
    return _with_register(found, conn, True)


def _with_register(found: Finding, conn: sqlite3.Connection | None, strict: bool) -> Finding:
    """A genuine certificate's standing in the register: revoked, superseded, or unknown there."""
    from checker.district.register import lookup
    from checker.report.verify import finding

    if conn is None and found.outcome == "genuine" and found.facts is not None:
        offline = finding("genuine", "genuine_offline")
        offline.facts, offline.facility, offline.signer = found.facts, found.facility, found.signer
        return offline
    if conn is None or found.outcome not in ("genuine", "expired") or found.facts is None:
        return found
    entry = lookup(conn, found.facts.number)
    if entry is None:
        replaced = finding("unknown") if strict else found
    elif entry.revoked_on:
        replaced = finding("revoked", on=entry.revoked_on, reason=entry.revoked_reason or "")
    elif entry.superseded_by:
        replaced = finding("superseded", by=entry.superseded_by)
    else:
        return found
    replaced.facts, replaced.facility, replaced.signer = found.facts, found.facility, found.signer
    return replaced


def _print(findings: list[tuple[str, Finding]], fmt: str, lang: Lang) -> None:
    if fmt == "json":
        click.echo(json.dumps([_as_dict(t, f) for t, f in findings], ensure_ascii=False, indent=2))
        return
    for target, f in findings:
        shown = target if len(target) <= 48 else target[:45] + "..."
        mark = "✓" if f.exit_code == 0 else "✗"
        line = f"{mark} {inert(shown)}: {f.message(lang)}"
        facts = f.facts
        if facts is not None:
            parts = [facts.number, f.facility or facts.facility, level_word(facts.level, lang), facts.score]
            until = "有效期至" if lang == "zh" else "valid until"
            parts.append(f"{until} {facts.valid_until}")
            if f.signer:
                parts.append(("签发：" if lang == "zh" else "signed by ") + f.signer)
            line += " — " + " · ".join(inert(p) for p in parts if p)
        elif f.facility:
            line += " — " + inert(f.facility)
        echo(line, err=f.exit_code == 2)


def _as_dict(target: str, f: Finding) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "target": target,
        "outcome": f.outcome,
        "exit": f.exit_code,
        "message": {"zh": f.zh, "en": f.en},
        "facts": asdict(f.facts) if f.facts is not None else None,
        "facility": f.facility,
        "signer": f.signer,
    }
