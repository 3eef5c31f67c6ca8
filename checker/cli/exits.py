"""How ``check`` ends: one exit status per meaning, one readable line for what went wrong.

======  ==========================================================
status  meaning
======  ==========================================================
0       every audit certified (or the command did what was asked)
1       some valid audit not certified or incomplete (待补证)
2       bad input or usage (the other inputs are still checked)
3       an internal error: a fault in tongcheck, never in the input
130     interrupted (Ctrl-C)
141     the reader of standard output went away (``check DIR | head``)
======  ==========================================================

An unexpected exception prints one line (``错误: 内部错误: ...`` with a hint);
the traceback only with ``--debug`` anywhere on the command line or
``TONGCHECK_DEBUG=1``. Ctrl-C cancels the batch (its workers end at once),
lists the files already written and exits 130 instead of click's "Aborted!"
with 1. When the reader of standard output closes it early, the work
stops at once and the status is 141 (128 + SIGPIPE, what a shell reports
for ``yes | head``), not click's 1, which would read as "not certified".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from checker.cli.common import EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE_CLOSED
from checker.cli.terminal import echo, inert
from checker.core.text import Lang

__all__ = ["DEBUG_FLAG", "run_cli"]

DEBUG_FLAG = "--debug"


def _debug(args: list[str]) -> bool:
    """Whether to show tracebacks; ``--debug`` (before any ``--``) is taken out of ``args``."""
    end = args.index("--") if "--" in args else len(args)
    found = DEBUG_FLAG in args[:end]
    if found:
        args[:end] = [a for a in args[:end] if a != DEBUG_FLAG]
        os.environ["TONGCHECK_DEBUG"] = "1"  # for the worker processes too
    return found or os.environ.get("TONGCHECK_DEBUG", "") not in ("", "0")


def _lang(args: list[str]) -> Lang:
    """The --lang given on the command line (read without click, which may have failed), else the locale's."""
    from checker.core.text import default_lang

    for i, arg in enumerate(args):
        value = arg[len("--lang=") :] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in ("zh", "en"):
            return "en" if value == "en" else "zh"
    return default_lang()


def _say_line(key: str, lang: Lang, hint: str = "", **params: object) -> None:
    from checker.core.messages import say

    label = "错误" if lang == "zh" else "error"
    text = f"{label}: {say(key, **params)(lang)}"
    if hint:
        text += f" — {say(hint)(lang)}"
    echo(text, err=True)


def _interrupted(exc: BaseException | None, lang: Lang) -> int:
    from checker.core.errors import Interrupted
    from checker.core.messages import say

    echo(say("run.interrupted")(lang), err=True)
    if isinstance(exc, Interrupted) and exc.written:
        echo(say("run.written_before", count=len(exc.written))(lang), err=True)
        for path in exc.written:
            echo(f"  {inert(path)}", err=True)
    return EXIT_INTERRUPTED


def run_cli(group: Callable[..., object], argv: list[str]) -> int:
    """Run the click ``group`` on ``argv``; the exit status (the group's own, or 2, 3, 130)."""
    args = list(argv)
    debug = _debug(args)
    lang = _lang(args)
    stdout = sys.stdout
    try:
        result = group(args=args, prog_name="check", standalone_mode=False)
    except click.exceptions.Abort as exc:  # click's word for Ctrl-C, or end of input at a prompt
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, EOFError):
            echo("", err=True)
            return EXIT_ERROR
        return _interrupted(cause, lang)
    except KeyboardInterrupt as exc:
        return _interrupted(exc, lang)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SystemExit:
        # click's own answer to a closed pipe: sys.exit(1) after wrapping the streams to mute them
        if sys.stdout is not stdout:
            return EXIT_PIPE_CLOSED
        raise
    except Exception as exc:  # a fault in tongcheck: one line, the traceback on request
        if debug:
            import traceback

            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
        _say_line("run.internal", lang, "hint.internal", error=inert(detail))
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0
