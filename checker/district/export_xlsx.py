"""The XLSX export a district clerk can file and print.

Sheets, in order:

* **汇总** (Summary): the latest audit of every facility (per guideline):
  verdict, level, score, valid until, the prerequisites not met, how many
  audits there were;
* one sheet per guideline, named by its Chinese short name (校园, 公园…):
  every audit, one row each, a column per rule headed by the rule's title
  (its id in the cell's note), statuses coloured;
* **无效文件** (Invalid files): every file that could not be checked, where
  and why;
* with ``technical``: the file path and content hash columns, and a sheet
  listing every rule id.

Every sheet prints on A4 landscape, fit to the page width, the header row
repeated on each page. Text from audits is made fit for a cell (control
characters shown escaped, counted in ``replaced``). Written row by row
through openpyxl's write-only mode (each sheet spooled to disk), to a
temporary file renamed into place only when complete. openpyxl is imported
only here, and only when an XLSX is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.fsutil import AtomicFile
from checker.district.export import Writer
from checker.district.xlsx_sheets import HEAD, SHEETS, CellText, print_setup, sheet_title, short_title, word

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.errors import Problem
    from checker.core.standard import Standard
    from checker.core.text import Lang
    from checker.district.digest import Digest

__all__ = ["XlsxWriter", "write_xlsx"]

_FILLS = {"fail": "F8CBAD", "missing": "FFE699", "partial": "DDEBF7", "pass": "E2EFDA"}
_IDENTITY = ("facility_id", "facility_name", "street", "audited_on", "verdict", "level", "score")
_TECHNICAL = ("path", "content_hash")
_SUMMARY = (
    "facility_id",
    "facility_name",
    "street",
    "standard",
    "audited_on",
    "verdict",
    "level",
    "score",
    "valid_until",
    "held_back",
    "audits",
)
_WIDTHS = {"facility_name": 30, "street": 12, "held_back": 40, "path": 40, "content_hash": 20, "audits": 9}


def _date(text: str | None) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return text or ""


class XlsxWriter(Writer):
    """Add digests one by one (and invalid files with ``add_invalid``); ``close()`` writes the book."""

    def __init__(
        self, path: str | Path, lang: Lang = "zh", catalog: Catalog | None = None, *, technical: bool = False
    ) -> None:
        from openpyxl import Workbook

        self.path = Path(path)
        self._target = AtomicFile(self.path)  # fails now, naming the target, if it cannot be written
        self.lang, self.catalog, self.technical = lang, catalog, technical
        self.text = CellText()
        self.workbook = Workbook(write_only=True)
        self._used: set[str] = set()
        self._sheets: dict[tuple[str, tuple[str, ...]], tuple[Any, Digest]] = {}
        self._rows: dict[str, int] = {}
        self._latest: dict[tuple[str, str], tuple[Digest, int]] = {}
        self._invalid: list[tuple[str, Problem]] = []
        self.rows = 0
        self.summary = self.workbook.create_sheet(sheet_title(SHEETS["summary"][lang], self._used))

    # --- cells --------------------------------------------------------------------------------

    def _cell(self, ws: Any, value: Any, *, bold: bool = False, note: str | None = None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment, Font

        if isinstance(value, str) or value is None:
            cell = WriteOnlyCell(ws, value=self.text(value))
            cell.data_type = "s"  # audit text stays text: openpyxl would store "=..." as a formula
        else:
            cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if note:
            cell.comment = Comment(note, "tongcheck", width=220, height=60)
        return cell

    def _header(self, ws: Any, keys: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> None:
        row = [self._cell(ws, HEAD[k][self.lang], bold=True) for k in keys]
        row += [self._cell(ws, title, bold=True, note=note) for title, note in extra]
        with _quiet_openpyxl():  # the first row creates the sheet's spool file
            ws.append(row)

    # --- lookups ------------------------------------------------------------------------------

    def _standard(self, ident: str) -> Standard | None:
        return self.catalog.find_quietly(ident) if self.catalog is not None else None

    def _level(self, d: Digest) -> str:
        if d.level is None:
            return word("no_level", self.lang)
        found = self._standard(d.standard)
        labels = {lv.id: lv.label(self.lang) for lv in found.levels} if found is not None else {}
        return labels.get(d.level, d.level)

    def _rule_title(self, standard: str, rule: str) -> str:
        found = self._standard(standard)
        spec = found.rule_map.get(rule) if found is not None else None
        return spec.title(self.lang) if spec is not None else rule

    def _held_back(self, d: Digest) -> str:
        kinds = d.rule_kinds or ("scored",) * len(d.rule_ids)
        held = [
            f"{rule} {self._rule_title(d.standard, rule)}（{word(status, self.lang)}）"
            if self.lang == "zh"
            else f"{rule} {self._rule_title(d.standard, rule)} ({word(status, self.lang)})"
            for rule, status, kind in zip(d.rule_ids, d.statuses, kinds, strict=True)
            if kind == "mandatory" and status in ("fail", "missing")
        ]
        return "；".join(held) if self.lang == "zh" else "; ".join(held)

    # --- rows ---------------------------------------------------------------------------------

    def _identity(self, ws: Any, d: Digest) -> list[Any]:
        cells = [
            self._cell(ws, d.facility_id),
            self._cell(ws, d.facility_name),
            self._cell(ws, d.street),
            self._cell(ws, _date(d.audited_on)),
            word(d.verdict, self.lang),
            self._level(d),
            d.score,
        ]
        if self.technical:
            cells += [self._cell(ws, d.path), d.content_hash]
        return cells

    def _sheet_for(self, d: Digest) -> Any:
        key = (d.standard, d.rule_ids)
        entry = self._sheets.get(key)
        if entry is None:
            # first audit of this guideline (or of an edition with other rules): a new sheet
            short = short_title(self._standard(d.standard), d.standard, self.lang)
            if any(k[0] == d.standard for k in self._sheets):
                short = f"{short} {d.version}"
            ws = self.workbook.create_sheet(sheet_title(short, self._used))
            identity = list(_IDENTITY) + (list(_TECHNICAL) if self.technical else [])
            rules = [(self._rule_title(d.standard, r), f"{d.standard} {r}") for r in d.rule_ids]
            widths = [_WIDTHS.get(k, 12) for k in identity] + [14] * len(rules)
            print_setup(ws, widths, "C2")
            self._header(ws, identity, rules)
            entry = self._sheets[key] = (ws, d)
            self._rows[ws.title] = 0
        return entry[0]

    def add(self, d: Digest) -> None:
        ws = self._sheet_for(d)
        row = self._identity(ws, d) + [word(s, self.lang) for s in d.statuses]
        ws.append(row)
        self._rows[ws.title] += 1
        self.rows += 1
        key = (d.facility_key, d.standard)
        before = self._latest.get(key)
        count = before[1] + 1 if before else 1
        if before is None or d.audited_on >= before[0].audited_on:
            self._latest[key] = (d, count)
        else:
            self._latest[key] = (before[0], count)

    def add_invalid(self, path: str, problems: Iterable[Problem]) -> None:
        """A file that could not be checked: one row per problem on the 无效文件 sheet."""
        for problem in problems:
            self._invalid.append((path, problem))

    # --- the end ------------------------------------------------------------------------------

    def _fill_summary(self) -> None:
        ws, lang = self.summary, self.lang
        keys = list(_SUMMARY) + (list(_TECHNICAL) if self.technical else [])
        print_setup(ws, [_WIDTHS.get(k, 12) for k in keys], "C2")
        self._header(ws, keys)
        for d, count in sorted(self._latest.values(), key=lambda e: (e[0].standard, e[0].facility_key)):
            row = [
                self._cell(ws, d.facility_id),
                self._cell(ws, d.facility_name),
                self._cell(ws, d.street),
                short_title(self._standard(d.standard), d.standard, lang),
                self._cell(ws, _date(d.audited_on)),
                word(d.verdict, lang),
                self._level(d),
                d.score,
                self._cell(ws, _date(d.valid_until)) if d.verdict == "certified" else "",
                self._cell(ws, self._held_back(d)),
                count,
            ]
            if self.technical:
                row += [self._cell(ws, d.path), d.content_hash]
            ws.append(row)
        self._filter(ws, len(keys), len(self._latest))

    def _fill_invalid(self) -> None:
        ws = self.workbook.create_sheet(sheet_title(SHEETS["invalid"][self.lang], self._used))
        print_setup(ws, [40, 30, 60, 40], "A2")
        self._header(ws, ("path", "where", "problem", "fix"))
        for path, problem in self._invalid:
            where = problem.location()
            where = where[len(problem.file) :].lstrip(":") if where.startswith(problem.file) else where
            ws.append(
                [
                    self._cell(ws, path),
                    self._cell(ws, where),
                    self._cell(ws, problem.message_in(self.lang)),
                    self._cell(ws, problem.hint_in(self.lang)),
                ]
            )
        self._filter(ws, 4, len(self._invalid))

    def _fill_rules(self) -> None:
        ws = self.workbook.create_sheet(sheet_title(SHEETS["rules"][self.lang], self._used))
        print_setup(ws, [22, 14, 50, 12], "A2")
        self._header(ws, ("standard_id", "rule", "title", "kind"))
        for (standard, rule_ids), (_, first) in self._sheets.items():
            kinds = first.rule_kinds or ("scored",) * len(rule_ids)
            for rule, kind in zip(rule_ids, kinds, strict=True):
                ws.append([standard, rule, self._rule_title(standard, rule), word(kind, self.lang)])

    def _filter(self, ws: Any, columns: int, rows: int) -> None:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, columns))}{rows + 1}"

    def _colour(self) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill
        from openpyxl.utils import get_column_letter as letter

        first = len(_IDENTITY) + (len(_TECHNICAL) if self.technical else 0)
        for (_, rule_ids), (ws, _) in self._sheets.items():
            rows = self._rows[ws.title]
            self._filter(ws, first + len(rule_ids), rows)
            if not rule_ids:
                continue
            area = f"{letter(first + 1)}2:{letter(first + len(rule_ids))}{rows + 1}"
            for status, colour in _FILLS.items():
                fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
                rule = CellIsRule(operator="equal", formula=[f'"{word(status, self.lang)}"'], fill=fill)
                ws.conditional_formatting.add(area, rule)

    def close(self) -> None:
        with _quiet_openpyxl():
            self.text.counting = False
            self._fill_summary()
            self.text.counting = True
            self._colour()
            self._fill_invalid()
            if self.technical:
                self._fill_rules()
            try:
                self.workbook.save(str(self._target.path))
            except BaseException:
                self._target.discard()
                raise
            self._target.commit()

    def abort(self) -> None:
        # finish each spooled sheet and drop its temporary file (openpyxl has no public "discard")
        for ws in self.workbook.worksheets:
            with contextlib.suppress(Exception), _quiet_openpyxl():
                if not ws.closed:
                    ws.close()
                writer = getattr(ws, "_writer", None)
                if writer is not None:
                    writer.cleanup()
        self._target.discard()


@contextlib.contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """openpyxl names its spool files with ``NamedTemporaryFile(mode="w")`` without an encoding.

    Only the name is used (the XML is written in binary), so the
    EncodingWarning that ``-X warn_default_encoding`` raises is noise; it is
    silenced here and only here, not for our own code.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=EncodingWarning)
        yield


def write_xlsx(
    digests: Iterable[Digest],
    path: str | Path,
    lang: Lang = "zh",
    catalog: Catalog | None = None,
    *,
    technical: bool = False,
    invalid: Iterable[tuple[str, Sequence[Problem]]] = (),
) -> int:
    """Write the workbook (see :class:`XlsxWriter`); returns the number of audits written."""
    writer = XlsxWriter(path, lang, catalog, technical=technical)
    with writer:
        for d in digests:
            writer.add(d)
        for file, problems in invalid:
            writer.add_invalid(file, problems)
    return writer.rows
