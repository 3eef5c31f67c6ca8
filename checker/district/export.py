"""Exports for the people who use the results: CSV for data work (XLSX in ``export_xlsx``).

Both are written from a stream of digests, row by row (the XLSX through
openpyxl's write-only mode, which spools each sheet to disk), so exporting
10,000 audits does not hold them in memory. Both go to a temporary file
next to the target and are renamed into place only when complete: an
interrupted export never leaves half a spreadsheet under the real name.

The CSV is data: stable column names and codes (``not_certified``,
``fail``), UTF-8 with a byte-order mark so Excel opens the Chinese names
correctly. The XLSX is for reading: headers, verdicts, levels and rule
statuses in the chosen language, one sheet with every audit and one sheet
per standard with a column per rule. openpyxl is imported only here, and
only when an XLSX is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.fsutil import AtomicFile

if TYPE_CHECKING:
    from checker.district.digest import Digest

__all__ = ["CSV_COLUMNS", "CsvWriter", "Writer", "csv_row", "defused", "write_csv"]

CSV_COLUMNS = (
    "path",
    "standard",
    "standard_version",
    "facility_type",
    "facility_id",
    "facility_name",
    "street",
    "audited_on",
    "verdict",
    "level",
    "score",
    "earned",
    "possible",
    "failing_rules",
    "missing_rules",
    "content_hash",
)


def _rules_with(d: Digest, status: str) -> str:
    kinds = d.rule_kinds or ("scored",) * len(d.rule_ids)
    return " ".join(
        rule for rule, s, k in zip(d.rule_ids, d.statuses, kinds, strict=True) if s == status and k != "bonus"
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defused(text: str) -> str:
    """Text from an audit that a spreadsheet would run as a formula gets a leading apostrophe.

    Facility names and paths come from audit files; ``=HYPERLINK(...)`` in a
    name must stay text when the board opens the CSV in Excel.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(d: Digest) -> list[Any]:
    return [
        defused(d.path),
        d.standard,
        d.version,
        d.facility_type,
        defused(d.facility_id or ""),
        defused(d.facility_name),
        defused(d.street or ""),
        d.audited_on,
        d.verdict,
        d.level or "",
        d.score,
        d.earned,
        d.possible,
        _rules_with(d, "fail"),
        _rules_with(d, "missing"),
        d.content_hash,
    ]


class Writer:
    """Add digests one by one; ``close()`` puts the file in place, an exception leaves no trace."""

    rows: int
    path: Path

    def add(self, digest: Digest) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()


class CsvWriter(Writer):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = AtomicFile(path)
        self._handle = open(self._file.path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(CSV_COLUMNS)
        self.rows = 0

    def add(self, digest: Digest) -> None:
        self._writer.writerow(csv_row(digest))
        self.rows += 1

    def close(self) -> None:
        self._handle.close()
        self._file.commit()

    def abort(self) -> None:
        self._handle.close()
        self._file.discard()


def write_csv(digests: Iterable[Digest], path: str | Path) -> int:
    """One row per audit (columns ``CSV_COLUMNS``); returns the number of rows."""
    with CsvWriter(path) as writer:
        for d in digests:
            writer.add(d)
    return writer.rows
