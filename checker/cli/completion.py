"""Shell completion (click's): standard ids where a standard is asked for, audit files where audits are.

Enable it once per shell (README, "Shell completion"):

    eval "$(_CHECK_COMPLETE=bash_source check)"     # bash; zsh_source, fish_source likewise

Standard ids come from the catalog (the shipped standards, ``--standards``
directories given before the cursor, ``$TONGCHECK_STANDARDS``), found by
discovery only: a bounded read of each file's header, nothing parsed.
Audit files are the ``*.json`` and ``*.xlsx`` files and the directories
under what was typed so far.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from click.shell_completion import CompletionItem

__all__ = ["complete_audits", "complete_standards"]

_AUDIT_SUFFIXES = (".json", ".xlsx", ".xlsm")


def complete_standards(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    """The ids of the standards available (and YAML files, for commands that take a path too)."""
    from checker.core.catalog import Catalog

    dirs = tuple(ctx.params.get("standards_dirs") or ()) if ctx is not None else ()
    try:
        catalog = Catalog.discover(dirs)
        ids = sorted(catalog.ids())
    except Exception:  # completion must never print a traceback into the shell
        ids = []
    items = [CompletionItem(i) for i in ids if i.startswith(incomplete)]
    if "/" in incomplete or incomplete.startswith("."):
        items += _paths(incomplete, (".yaml", ".yml"))
    return items


def complete_audits(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    """Audit files (``*.json``, ``*.xlsx``) and directories under what was typed."""
    return _paths(incomplete, _AUDIT_SUFFIXES)


def _paths(incomplete: str, suffixes: tuple[str, ...]) -> list[CompletionItem]:
    head, _, tail = incomplete.rpartition("/")
    base = Path(head + "/" if head or incomplete.startswith("/") else ".")
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        return []
    items = []
    for entry in entries:
        if not entry.name.startswith(tail) or (entry.name.startswith(".") and not tail.startswith(".")):
            continue
        shown = f"{head}/{entry.name}" if head or incomplete.startswith("/") else entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            items.append(CompletionItem(shown + "/", type="plain"))
        elif entry.name.lower().endswith(suffixes):
            items.append(CompletionItem(shown, type="plain"))
    return items
