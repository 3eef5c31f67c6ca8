"""What the district commands (progress, history, export) share: the batch, the database option.

Exit status follows ``check``: 0 done, 2 invalid input (a plan, a history
file, or some audits: the others are still used and the report is still
printed). Heavy modules (openpyxl, the report package) are imported only by
the command that needs them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from checker.cli.common import EXIT_ERROR, load_catalog
from checker.cli.common import print_error as _print_error

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.errors import CheckerError, Problem
    from checker.core.text import Lang
    from checker.district.digest import Digest

__all__ = ["Closing", "DistrictBatch", "db_option", "district_catalog", "fail", "tee"]

F = Callable[..., Any]


def db_option(f: F) -> F:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="History database (default: $TONGCHECK_DB, else one file per user: see `check history where`).",
    )(f)


def fail(error: CheckerError, lang: Lang) -> NoReturn:
    _print_error(error, lang)
    sys.exit(EXIT_ERROR)


def district_catalog(dirs: tuple[Path, ...], lang: Lang) -> Catalog:
    """The catalog; problems found without parsing (a missing --standards directory) are printed."""
    return load_catalog(dirs, lang, load_all=False)[0]


@dataclass
class DistrictBatch:
    """Audits checked for a district command: digests streamed, invalid files reported as they come."""

    lang: Lang
    invalid: int = 0
    valid: int = 0
    failed: list[tuple[str, tuple[Problem, ...]]] = field(default_factory=list)
    """Every invalid file and its problems, so reports and exports can list them."""
    _reported: set[str] = field(default_factory=set)

    def digests(
        self, args: tuple[str, ...], dirs: tuple[Path, ...], workers: int | None, catalog: Catalog
    ) -> Iterator[Digest]:
        from checker.cli.progress_bar import progress_bar
        from checker.core.errors import CheckerError
        from checker.district.batch import check_paths
        from checker.district.paths import expand_paths

        try:
            paths = expand_paths(args)
        except CheckerError as error:
            fail(error, self.lang)
        with progress_bar(len(paths), self.lang) as on_progress:
            for item in check_paths(paths, dirs, workers, on_progress, with_json=False, catalog=catalog):
                if item.digest is not None:
                    self.valid += 1
                    yield item.digest
                    continue
                self.invalid += 1
                self.failed.append((item.path, item.problems))
                failed = item.error
                assert failed is not None
                if failed.kind != "standard" or str(failed) not in self._reported:
                    on_progress.clear()
                    _print_error(failed, self.lang)
                    self._reported.add(str(failed))


def tee(digests: Iterable[Digest], sink: Callable[[Digest], None]) -> Iterator[Digest]:
    for d in digests:
        sink(d)
        yield d


class Closing:
    """``with`` for a sqlite3 connection that closes it (sqlite3's own only ends the transaction)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __enter__(self) -> Any:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()
