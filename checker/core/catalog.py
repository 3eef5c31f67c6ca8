"""Finding standards: the package's own, then ``$TONGCHECK_STANDARDS``, then ``--standards``.

Discovery only reads each file's top-level ``id:`` (from a bounded header); a standard is parsed
and validated the first time it is asked for, so ``check audit.json`` pays for
the one guideline it uses (start-up time is a budget here). Listing or
iterating loads everything, which is what ``check list`` and ``check lint``
want. A broken file is kept as an error (reported, exit 2) rather than hiding
the others, and two files that claim the same id are an error, since an audit
would otherwise be scored against whichever happened to load last.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from checker.core.errors import Problem, StandardError
from checker.core.messages import did_you_mean, say
from checker.core.sources import SourceProblem, read_head
from checker.core.standard import Standard
from checker.core.standard_load import load_standard
from checker.core.yaml_source import top_level_scalar

__all__ = ["ENV_VAR", "Catalog", "builtin_dir"]

ENV_VAR = "TONGCHECK_STANDARDS"
_ID = re.compile(r"[a-z0-9-]{1,64}")
HEADER_BYTES = 8192
"""How much of a standard file discovery reads to find its id (ids come in the first lines)."""


def builtin_dir() -> Path:
    """The standards shipped with the package (a link to the repository's standards/)."""
    return Path(__file__).resolve().parents[1] / "standards"


def _text(head: bytes) -> str:
    """The header as text; a character cut in two at its end is dropped, any other bad byte voids it."""
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return head[: exc.start].decode("utf-8-sig") if exc.start >= len(head) - 3 else ""


class Catalog:
    """The standards by id (loaded on first use), plus the files that failed."""

    def __init__(self, standards: Iterable[Standard] = (), errors: Iterable[StandardError] = ()) -> None:
        self._loaded: dict[str, Standard] = {}
        self._pending: dict[str, Path] = {}
        self._paths: dict[str, str] = {}
        self._errors: list[StandardError] = list(errors)
        self._broken: dict[str, StandardError] = {}
        for standard in standards:
            self.add(standard, f"<{standard.id}>")

    def _claim(self, standard_id: str, path: str) -> bool:
        first = self._paths.get(standard_id)
        if first is not None:
            self._errors.append(
                StandardError(
                    [
                        Problem.of(
                            path,
                            say("standard.duplicate_standard", id=repr(standard_id), first=first),
                            say("hint.other_id"),
                        )
                    ]
                )
            )
            return False
        self._paths[standard_id] = path
        return True

    def add(self, standard: Standard, path: str) -> None:
        if self._claim(standard.id, path):
            self._loaded[standard.id] = standard

    def add_file(self, path: Path) -> None:
        """Register a standard file; parse it now only if its id cannot be read cheaply.

        The id is the top-level ``id:`` of the document's first
        ``HEADER_BYTES``, read by the YAML parser (never a line that merely
        looks like one inside a quoted or nested value); without it the file
        is loaded whole now, which refuses an oversized or special file
        before reading it.
        """
        try:
            head = _text(read_head(path, str(path), HEADER_BYTES))
        except SourceProblem:
            head = ""
        ident = top_level_scalar(head, "id") if head else None
        if ident is None and head and top_level_scalar(head, "common") is not None:
            return  # a common item (standards/common/), used by standards, not one itself
        if ident is None or not _ID.fullmatch(ident):
            self._load(path)
        elif self._claim(ident, str(path)):
            self._pending[ident] = path

    def _load(self, path: Path, expected: str | None = None) -> Standard | None:
        try:
            standard = load_standard(path)
        except StandardError as exc:
            self._errors.append(exc)
            return None
        if expected is None:
            self.add(standard, str(path))
        elif standard.id != expected:  # pragma: no cover - the id line and the model disagree
            self._errors.append(
                StandardError([Problem.of(str(path), say("standard.id_unreliable", id=repr(standard.id)))])
            )
            return None
        else:
            self._loaded[expected] = standard
        return standard

    @classmethod
    def discover(
        cls,
        directories: Iterable[str | Path] = (),
        *,
        builtin: bool = True,
        environment: bool = True,
    ) -> Catalog:
        """The shipped standards, those named by the environment, and ``directories``."""
        dirs: list[Path] = []
        if builtin:
            dirs.append(builtin_dir())
        if environment:
            dirs.extend(Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)
        dirs.extend(Path(d) for d in directories)
        catalog = cls()
        seen: set[Path] = set()
        for directory in dirs:
            for path in catalog._yaml_files(directory):
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    catalog.add_file(path)
        return catalog

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Catalog:
        catalog = cls()
        for path in paths:
            catalog.add_file(Path(path))
        return catalog

    def _yaml_files(self, directory: Path) -> list[Path]:
        if not directory.is_dir():
            self._errors.append(
                StandardError(
                    [
                        Problem.of(
                            str(directory),
                            say("standard.no_directory"),
                            say("hint.standards_dirs", env=ENV_VAR),
                        )
                    ]
                )
            )
            return []
        return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())

    def find(self, standard_id: str) -> Standard | None:
        """The standard with this id; None if unknown; StandardError if its file is broken."""
        found = self._loaded.get(standard_id)
        if found is not None:
            return found
        broken = self._broken.get(standard_id)
        if broken is not None:
            raise broken
        path = self._pending.pop(standard_id, None)
        if path is None:
            return None
        before = len(self._errors)
        found = self._load(path, standard_id)
        if found is None:
            self._broken[standard_id] = self._errors[before]
            raise self._broken[standard_id]
        return found

    def get(self, standard_id: str) -> Standard:
        found = self.find(standard_id)
        if found is None:
            hint = did_you_mean(
                standard_id, self.ids(), say("hint.known", known=", ".join(self.ids()) or "-")
            )
            raise StandardError(
                [Problem.of(standard_id, say("standard.unknown", id=repr(standard_id)), hint)]
            )
        return found

    def load_all(self) -> None:
        for standard_id in list(self._pending):
            self.find_quietly(standard_id)

    def find_quietly(self, standard_id: str) -> Standard | None:
        try:
            return self.find(standard_id)
        except StandardError:
            return None

    @property
    def errors(self) -> list[StandardError]:
        """Every problem with the standards found (loads them all)."""
        self.load_all()
        return self._errors

    @property
    def discovery_errors(self) -> list[StandardError]:
        """Problems found without parsing: missing directories, duplicate ids."""
        return list(self._errors)

    def path_of(self, standard_id: str) -> str:
        return self._paths[standard_id]

    def ids(self) -> list[str]:
        """Every id claimed, including those whose file turns out to be broken when loaded."""
        return sorted(set(self._loaded) | set(self._pending) | set(self._broken))

    def __iter__(self) -> Iterator[Standard]:
        self.load_all()
        return iter([self._loaded[i] for i in sorted(self._loaded)])

    def __len__(self) -> int:
        return len(self.ids())
