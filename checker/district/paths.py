"""Which files a batch checks: directories walked for ``*.json``, ``-`` for standard input."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from checker.core.errors import Problem, UsageError
from checker.core.messages import say

__all__ = ["STDIN", "STDIN_NAME", "expand_paths"]

STDIN = "-"
STDIN_NAME = "<stdin>"


def expand_paths(args: Iterable[str]) -> list[str]:
    """Directories become their ``*.json`` files (recursively, sorted); files and ``-`` pass through.

    Hidden files and directories (``.git``, editor backups) are skipped and
    symbolic links to directories are not followed, so a link loop cannot
    make the walk endless. A subdirectory that cannot be listed is returned
    as a path, so the batch reports it as unreadable. A directory holding no audit at all raises a
    UsageError (one problem per such directory): checking nothing and
    reporting success would hide a wrong path.
    """
    out: list[str] = []
    empty: list[Problem] = []
    for arg in args:
        if arg != STDIN and os.path.isdir(arg):
            found = _walk(arg)
            if not found:
                empty.append(Problem.of(arg, say("source.no_audits"), say("hint.check_path")))
            out.extend(found)
        else:
            out.append(arg)
    if empty:
        raise UsageError(empty)
    return out


def _walk(top: str) -> list[str]:
    """The audit files under ``top``; a directory that cannot be listed is kept as an entry,
    so reading it reports the error in its place (silently skipping it would lose its audits)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def unreadable(exc: OSError) -> None:
        if exc.filename is not None:
            where = os.fsdecode(exc.filename)
            found.append((Path(where).relative_to(top).parts, where))

    for root, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(top).parts
        for name in files:
            if name.endswith(".json") and not name.startswith("."):
                found.append(((*rel, name), os.path.join(root, name)))
    found.sort()
    return [path for _, path in found]
