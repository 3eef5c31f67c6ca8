"""``check keys new|show``: the district's signing key and the public certificate it publishes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checker.cli.common import EXIT_ERROR, lang_option, print_error, resolve_lang
from checker.cli.terminal import echo, inert
from checker.core.errors import CheckerError

__all__ = ["keys_command"]


@click.group("keys")
def keys_command() -> None:
    """Issuer keys: the private key that signs certificates, and FILE.pub that anyone verifies with.

    \b
    Examples:
      check keys new keys/district.pem --subject "重庆市渝中区妇女儿童工作委员会"
      check keys new keys/district.pem --passphrase      asks for a passphrase
      check keys show keys/district.pem.pub
    """


@keys_command.command("new")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--subject",
    default=None,
    help="The issuing body's name, printed on certificates as 发证单位 "
    "(default: 重庆市渝中区妇女儿童工作委员会).",
)
@click.option(
    "--passphrase",
    "protect",
    is_flag=True,
    help="Protect the key with a passphrase ($TONGCHECK_KEY_PASSPHRASE, else asked twice).",
)
@click.option(
    "--force", is_flag=True, help="Replace an existing key (old certificates then need the old FILE.pub)."
)
@lang_option
def keys_new(file: Path, subject: str | None, protect: bool, force: bool, lang: str | None) -> None:
    """Create an ECDSA P-256 key in FILE (mode 0600) and its self-signed certificate in FILE.pub.

    Keep FILE secret and backed up; publish FILE.pub (the district website,
    the office) so that anyone can verify certificates with
    `check verify CERT.pdf --pub FILE.pub`.

    \b
    Example:
      check keys new keys/district.pem --subject "重庆市渝中区妇女儿童工作委员会"
    """
    from checker.report.keys import DEFAULT_SUBJECT, PASSPHRASE_ENV, write_key_pair

    language = resolve_lang(lang)
    passphrase = None
    if protect:
        env = os.environ.get(PASSPHRASE_ENV)
        if env:
            passphrase = env.encode("utf-8")
        elif sys.stdin.isatty():
            prompt = "新私钥口令" if language == "zh" else "New key passphrase"
            passphrase = str(
                click.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True)
            ).encode()
        else:
            click.echo(
                f"error: --passphrase needs a terminal or ${PASSPHRASE_ENV} "
                f"/ 请在终端中运行或设置 ${PASSPHRASE_ENV}",
                err=True,
            )
            sys.exit(EXIT_ERROR)
    try:
        key_file, pub = write_key_pair(file, subject or DEFAULT_SUBJECT, passphrase, force=force)
        from checker.report.keys import load_issuer

        issuer = load_issuer(pub)
    except CheckerError as error:
        print_error(error, language)
        sys.exit(EXIT_ERROR)
    if language == "zh":
        click.echo(f"已生成私钥 {key_file}（仅本人可读，请妥善保管并备份）")
        echo(f"已生成签发证书 {pub}（公开发布，供核验）：{inert(issuer.subject)}，密钥编号 {issuer.key_id}")
    else:
        click.echo(f"wrote the private key {key_file} (readable by you only: keep it secret, back it up)")
        click.echo(
            f"wrote the issuer certificate {pub} (publish it): {issuer.subject}, key id {issuer.key_id}"
        )


@keys_command.command("show")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
def keys_show(file: Path, lang: str | None) -> None:
    """Who an issuer certificate (FILE.pub) names, its key id and fingerprint, and its validity.

    \b
    Example:
      check keys show keys/district.pem.pub
    """
    import hashlib

    from cryptography.hazmat.primitives import serialization

    from checker.report.keys import load_issuer, pub_path

    language = resolve_lang(lang)
    target = file if file.suffix == ".pub" else pub_path(file)
    try:
        issuer = load_issuer(target)
    except CheckerError as error:
        print_error(error, language)
        sys.exit(EXIT_ERROR)
    cert = issuer.certificate
    der = cert.public_bytes(serialization.Encoding.DER)
    labels = ("签发单位", "密钥编号", "SHA-256 指纹", "有效期") if language == "zh" else (
        "subject", "key id", "SHA-256", "valid")  # fmt: skip
    echo(f"{labels[0]}: {inert(issuer.subject)}")
    click.echo(f"{labels[1]}: {issuer.key_id}")
    click.echo(f"{labels[2]}: {hashlib.sha256(der).hexdigest()}")
    click.echo(f"{labels[3]}: {cert.not_valid_before_utc:%Y-%m-%d} – {cert.not_valid_after_utc:%Y-%m-%d}")
