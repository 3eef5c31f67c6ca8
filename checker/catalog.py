"""Finding standards: the package's own, then ``$TONGCHECK_STANDARDS``, then ``--standards``.

Every ``*.yaml`` file in those directories is loaded; a broken file is kept as
an error (reported, exit 2) rather than hiding the others, and two files that
claim the same id are an error, since an audit would otherwise be scored
against whichever happened to load last.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import Problem, StandardError
from .standard import Standard, load_standard

__all__ = ["ENV_VAR", "Catalog", "builtin_dir"]

ENV_VAR = "TONGCHECK_STANDARDS"


def builtin_dir() -> Path:
    """The standards shipped with the package (a link to the repository's standards/)."""
    return Path(__file__).resolve().parent / "standards"


class Catalog:
    """The loaded standards by id, plus the files that failed to load."""

    def __init__(self, standards: Iterable[Standard] = (), errors: Iterable[StandardError] = ()) -> None:
        self._by_id: dict[str, Standard] = {}
        self._paths: dict[str, str] = {}
        self.errors: list[StandardError] = list(errors)
        for standard in standards:
            self.add(standard, f"<{standard.id}>")

    def add(self, standard: Standard, path: str) -> None:
        first = self._paths.get(standard.id)
        if first is not None:
            self.errors.append(
                StandardError(
                    [
                        Problem(
                            path,
                            f"standard id {standard.id!r} is already defined in {first}",
                            hint="give one of them another id, or remove the duplicate directory",
                        )
                    ]
                )
            )
            return
        self._by_id[standard.id] = standard
        self._paths[standard.id] = path

    @classmethod
    def discover(
        cls,
        directories: Iterable[str | Path] = (),
        *,
        builtin: bool = True,
        environment: bool = True,
    ) -> Catalog:
        """Load the shipped standards, those named by the environment, and ``directories``."""
        dirs: list[Path] = []
        if builtin:
            dirs.append(builtin_dir())
        if environment:
            dirs.extend(Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)
        dirs.extend(Path(d) for d in directories)
        catalog = cls()
        seen: set[Path] = set()
        for directory in dirs:
            for path in _yaml_files(directory, catalog):
                real = path.resolve()
                if real in seen:
                    continue
                seen.add(real)
                try:
                    catalog.add(load_standard(path), str(path))
                except StandardError as exc:
                    catalog.errors.append(exc)
        return catalog

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Catalog:
        catalog = cls()
        for path in paths:
            try:
                catalog.add(load_standard(path), str(path))
            except StandardError as exc:
                catalog.errors.append(exc)
        return catalog

    def find(self, standard_id: str) -> Standard | None:
        return self._by_id.get(standard_id)

    def get(self, standard_id: str) -> Standard:
        found = self._by_id.get(standard_id)
        if found is None:
            import difflib

            close = difflib.get_close_matches(standard_id, self.ids(), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(self.ids()) or 'none'}"
            raise StandardError([Problem("<catalog>", f"unknown standard {standard_id!r}", hint=hint)])
        return found

    def path_of(self, standard_id: str) -> str:
        return self._paths[standard_id]

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def __iter__(self) -> Iterator[Standard]:
        return iter(self._by_id[i] for i in self.ids())

    def __len__(self) -> int:
        return len(self._by_id)


def _yaml_files(directory: Path, catalog: Catalog) -> list[Path]:
    if not directory.is_dir():
        catalog.errors.append(
            StandardError(
                [
                    Problem(
                        str(directory),
                        "standards directory does not exist",
                        hint=f"check --standards or ${ENV_VAR}",
                    )
                ]
            )
        )
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
