"""The issuing options of ``check run`` (``--sign-key``, ``--verify-url``, ``--seal``, ``--register``).

With a signing key every PDF is signed and every certificate carries a
signed payload and is recorded in the register (by default the history's
database). Without one, certificates are unsigned specimens and nothing is
recorded. The passphrase of a protected key comes from
``$TONGCHECK_KEY_PASSPHRASE`` or, in a terminal, a prompt; it is never an
option (it would end up in the shell history).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.cli.common import EXIT_ERROR, print_error
from checker.core.errors import CheckerError

if TYPE_CHECKING:
    from checker.core.result import Result
    from checker.core.standard import Standard
    from checker.core.text import Lang
    from checker.report.issue import Issue
    from checker.report.keys import SigningKey

__all__ = ["load_key", "make_issue", "record_issued", "sign_options"]

F = Callable[..., Any]


def sign_options(f: F) -> F:
    """Add ``--sign-key``, ``--verify-url``, ``--seal`` and ``--register`` to a command."""
    decorators = [
        click.option(
            "--register",
            "register_db",
            metavar="DB",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Register of issued certificates (default: the history database).",
        ),
        click.option(
            "--seal",
            metavar="IMAGE",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="The issuing body's seal (PNG or JPEG) printed on certificates; default: a drawn slot.",
        ),
        click.option(
            "--verify-url",
            metavar="URL",
            default=None,
            help="Verification page the QR code points to (default: $TONGCHECK_VERIFY_URL).",
        ),
        click.option(
            "--sign-key",
            metavar="FILE",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            envvar="TONGCHECK_SIGNING_KEY",
            help="Sign PDFs and certificates with this issuer key (from `check keys new`; "
            "default: $TONGCHECK_SIGNING_KEY). Without a key certificates are unsigned specimens.",
        ),
    ]
    for decorator in decorators:
        f = decorator(f)
    return f


def load_key(path: Path, lang: Lang) -> SigningKey:
    """The signing key, asking for its passphrase in a terminal when the environment has none."""
    from checker.report.keys import PASSPHRASE_ENV, KeyFileError, load_signing_key

    env = os.environ.get(PASSPHRASE_ENV)
    passphrase = env.encode("utf-8") if env else None
    try:
        return load_signing_key(path, passphrase)
    except KeyFileError as error:
        needs = "protected by a passphrase" in error.problems[0].message
        if not (needs and sys.stdin.isatty()):
            raise
    prompt = "私钥口令" if lang == "zh" else "Key passphrase"
    entered = click.prompt(prompt, hide_input=True, err=True)
    return load_signing_key(path, str(entered).encode("utf-8"))


def make_issue(options: dict[str, Any], lang: Lang) -> Issue | None:
    """The :class:`Issue` the options ask for; exits 2 with one message when the key or seal is bad."""
    from checker.report.issue import Issue, seal_from_bytes
    from checker.report.payload import DEFAULT_VERIFY_URL, URL_ENV

    key_path = options.get("sign_key")
    url = options.get("verify_url") or os.environ.get(URL_ENV) or DEFAULT_VERIFY_URL
    try:
        key = load_key(Path(key_path), lang) if key_path else None
        seal = None
        if options.get("seal"):
            seal_path = Path(options["seal"])
            try:
                data = seal_path.read_bytes()
            except OSError as exc:
                from checker.core.errors import Problem
                from checker.report.errors import ReportError

                raise ReportError(
                    [Problem(str(seal_path), f"cannot read the seal image: {exc.strerror}")]
                ) from None
            seal = seal_from_bytes(data, str(seal_path))
    except CheckerError as error:
        print_error(error, lang)
        sys.exit(EXIT_ERROR)
    if not url.startswith(("https://", "http://")):
        click.echo(
            f"错误: --verify-url {url}：核验网址须以 https:// 开头 / error: --verify-url must start with https://",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    if key is not None and url == DEFAULT_VERIFY_URL:
        click.echo(
            f"警告：二维码指向占位核验网址，请用 --verify-url 或 ${URL_ENV} 设为本区核验页面 / "
            "warning: the QR codes point to the placeholder verification address; "
            f"set --verify-url or ${URL_ENV}",
            err=True,
        )
    return Issue(key=key, verify_url=url, seal=seal)


def record_issued(
    items: Sequence[tuple[Result, Standard]], issue: Issue, db: Path | None, lang: Lang
) -> tuple[Issue, Callable[[Sequence[int]], int]]:
    """Open the register, give ``issue`` the dates of certificates already issued, and return the
    function that records the certified items written (by index); it returns an exit-code part."""
    from dataclasses import replace

    from checker.district.history import open_history
    from checker.district.register import add_issuer, entry_for, issued_dates, record
    from checker.report.certificate import certificate_number
    from checker.report.issue import issue_facts

    certified = [i for i, (r, _) in enumerate(items) if r.verdict == "certified" and r.level is not None]
    try:
        conn = open_history(db)
        dates = issued_dates(conn, [certificate_number(items[i][0]) for i in certified])
    except CheckerError as error:
        print_error(error, lang)
        sys.exit(EXIT_ERROR)
    issue = replace(issue, issued=dates)

    def commit(written: Sequence[int]) -> int:
        code = 0
        try:
            assert issue.key is not None
            add_issuer(conn, issue.key.issuer)
            for index in written:
                if index not in certified:
                    continue
                result, standard = items[index]
                try:
                    facts = issue_facts(result, standard, issue)
                except CheckerError:
                    continue  # its error was reported with the report
                for number in record(conn, entry_for(result, facts)):
                    word = "已取代" if lang == "zh" else "superseded"
                    click.echo(f"{word} {number} → {facts.number}", err=True)
        except CheckerError as error:
            print_error(error, lang)
            code = EXIT_ERROR
        finally:
            conn.close()
        return code

    return issue, commit
