"""What every `check` subcommand shares: exit codes, common options, language, error printing.

Kept apart from ``cli.py`` so that command modules (district review, reports)
can use it without importing the main group (which imports them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from checker.cli.terminal import echo
from checker.core.catalog import Catalog
from checker.core.errors import CheckerError
from checker.core.standard import Standard
from checker.core.standard_load import load_standard
from checker.core.text import Lang

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_CERTIFIED",
    "EXIT_OK",
    "EXIT_PIPE_CLOSED",
    "lang_option",
    "load_catalog",
    "load_one_standard",
    "print_error",
    "resolve_lang",
    "standards_option",
    "workers_option",
]

EXIT_OK = 0
EXIT_NOT_CERTIFIED = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports `yes | head`

F = Callable[..., Any]


def standards_option(f: F) -> F:
    return click.option(
        "--standards",
        "standards_dirs",
        multiple=True,
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="Also load the standards (*.yaml) in DIR; repeatable. "
        "$TONGCHECK_STANDARDS adds directories too (separated by ':').",
    )(f)


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Language of the output (default: from the locale, else zh).",
    )(f)


def workers_option(f: F) -> F:
    return click.option(
        "--workers",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Processes checking audits in parallel when several are given (default: every core).",
    )(f)


def resolve_lang(value: str | None) -> Lang:
    """The --lang given, else the locale's language, falling back to Chinese."""
    from checker.core.text import default_lang

    return "en" if value == "en" else "zh" if value == "zh" else default_lang()


def print_error(error: CheckerError, lang: Lang) -> None:
    """One ``error: file:line:col: what — fix`` paragraph per problem, on standard error."""
    from checker.cli.result_text import format_errors

    for line in format_errors(error, lang):
        echo(line, err=True)


def load_catalog(
    dirs: tuple[Path, ...], lang: Lang, report: bool = True, load_all: bool = True
) -> tuple[Catalog, int]:
    """The catalog, with its problems printed: all of them, or (load_all=False) only
    those found without parsing; a broken standard then surfaces when an audit uses it."""
    catalog = Catalog.discover(dirs)
    code = EXIT_OK
    if report:
        for error in catalog.errors if load_all else catalog.discovery_errors:
            print_error(error, lang)
            code = EXIT_ERROR
    return catalog, code


def load_one_standard(ident: str, dirs: tuple[Path, ...], language: Lang) -> Standard:
    """A standard by id, or by path to a YAML file."""
    try:
        if ident.endswith((".yaml", ".yml")) or "/" in ident:
            return load_standard(ident)
        catalog, _ = load_catalog(dirs, language, report=False)
        return catalog.get(ident)
    except CheckerError as error:
        print_error(error, language)
        sys.exit(EXIT_ERROR)
