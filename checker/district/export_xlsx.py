"""The XLSX export for the review board: headers, verdicts, levels and statuses in words.

Written row by row through openpyxl's write-only mode (each sheet spooled to
disk), to a temporary file renamed into place only when complete. openpyxl
is imported only here, and only when an XLSX is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.core.fsutil import atomic_output
from checker.district.export import CSV_COLUMNS, Writer, csv_row

if TYPE_CHECKING:
    from checker.core.catalog import Catalog
    from checker.core.text import Lang
    from checker.district.digest import Digest

__all__ = ["XlsxWriter", "write_xlsx"]


_HEAD: dict[str, dict[str, str]] = {
    "path": {"zh": "文件", "en": "File"},
    "standard": {"zh": "标准", "en": "Standard"},
    "standard_version": {"zh": "版本", "en": "Version"},
    "facility_type": {"zh": "设施类型", "en": "Facility type"},
    "facility_id": {"zh": "设施编号", "en": "Facility id"},
    "facility_name": {"zh": "设施名称", "en": "Facility"},
    "street": {"zh": "街道", "en": "Street"},
    "audited_on": {"zh": "评估日期", "en": "Audited on"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "level": {"zh": "等级", "en": "Level"},
    "score": {"zh": "得分", "en": "Score"},
    "earned": {"zh": "得分点", "en": "Points earned"},
    "possible": {"zh": "可得分", "en": "Points possible"},
    "failing_rules": {"zh": "不通过条目", "en": "Failing rules"},
    "missing_rules": {"zh": "缺数据条目", "en": "Rules missing data"},
    "content_hash": {"zh": "内容哈希", "en": "Content hash"},
    "rule": {"zh": "条目", "en": "Rule"},
    "title": {"zh": "名称", "en": "Title"},
    "kind": {"zh": "类型", "en": "Kind"},
}
_SHEETS = {
    "all": {"zh": "全部评估", "en": "All audits"},
    "rules": {"zh": "条目说明", "en": "Rules"},
}
_WORDS: dict[str, dict[str, str]] = {
    "incomplete": {"zh": "待补证", "en": "incomplete"},  # a cell, not a sentence
    "scored": {"zh": "评分项", "en": "scored"},
    "no_level": {"zh": "未达等级", "en": "none"},
}
_FILLS = {"fail": "F8CBAD", "missing": "FFE699", "partial": "DDEBF7", "pass": "E2EFDA"}
_IDENTITY = ("facility_id", "facility_name", "street", "audited_on", "verdict", "level", "score", "path")


def _word(key: str, lang: Lang) -> str:
    """Verdict and status words come from the terminal's catalogue, so every view agrees."""
    from checker.core.words import UI

    entry = _WORDS.get(key) or UI.get(key)
    return entry[lang] if entry else key


def _sheet_title(text: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"-{n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


class _Labels:
    """Level labels and rule titles from the catalog, looked up once per standard."""

    def __init__(self, catalog: Catalog | None, lang: Lang) -> None:
        self.catalog = catalog
        self.lang = lang
        self._levels: dict[str, dict[str, str]] = {}

    def level(self, standard: str, level: str | None) -> str:
        if level is None:
            return _word("no_level", self.lang)
        labels = self._levels.get(standard)
        if labels is None:
            found = self.catalog.find_quietly(standard) if self.catalog is not None else None
            labels = {lv.id: lv.label(self.lang) for lv in found.levels} if found is not None else {}
            self._levels[standard] = labels
        return labels.get(level, level)

    def rule_title(self, standard: str, rule: str) -> str:
        found = self.catalog.find_quietly(standard) if self.catalog is not None else None
        spec = found.rule_map.get(rule) if found is not None else None
        return spec.title(self.lang) if spec is not None else ""


def _date(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


class XlsxWriter(Writer):
    """The workbook: every audit on the first sheet, one sheet per standard with rule statuses."""

    def __init__(self, path: str | Path, lang: Lang = "zh", catalog: Catalog | None = None) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._cell = WriteOnlyCell
        self._letter = get_column_letter
        self._bold = Font(bold=True)
        self.path = Path(path)
        self.lang = lang
        self.labels = _Labels(catalog, lang)
        self.workbook = Workbook(write_only=True)
        self._used: set[str] = set()
        self._sheets: dict[tuple[str, tuple[str, ...]], tuple[Any, tuple[str, ...]]] = {}
        self._counts: dict[str, int] = {}
        self.rows = 0
        self.main = self.workbook.create_sheet(_sheet_title(_SHEETS["all"][lang], self._used))
        self.main.freeze_panes = "A2"
        widths = {
            "facility_name": 28,
            "path": 40,
            "failing_rules": 40,
            "missing_rules": 30,
            "content_hash": 20,
        }
        for i, column in enumerate(CSV_COLUMNS, start=1):
            self.main.column_dimensions[get_column_letter(i)].width = widths.get(column, 14)
        self._header(self.main, [_HEAD[c][lang] for c in CSV_COLUMNS])

    def _header(self, ws: Any, names: list[str]) -> None:
        row = []
        for name in names:
            cell = self._cell(ws, value=name)
            cell.font = self._bold
            row.append(cell)
        with _quiet_openpyxl():  # the first row creates the sheet's spool file
            ws.append(row)

    def _text(self, ws: Any, value: str | None) -> Any:
        """Audit text as a string cell: openpyxl would store "=..." as a formula."""
        cell = self._cell(ws, value=value or "")
        cell.data_type = "s"
        return cell

    def _date(self, ws: Any, value: str) -> Any:
        cell = self._cell(ws, value=_date(value))
        cell.number_format = "yyyy-mm-dd"
        return cell

    def _sheet_for(self, d: Digest) -> Any:
        key = (d.standard, d.rule_ids)
        entry = self._sheets.get(key)
        if entry is None:
            # first audit of this standard (or of an edition with other rules): a new sheet
            ws = self.workbook.create_sheet(_sheet_title(d.standard, self._used))
            ws.freeze_panes = f"{self._letter(len(_IDENTITY) + 1)}2"
            ws.column_dimensions["B"].width = 28
            self._header(ws, [_HEAD[c][self.lang] for c in _IDENTITY] + list(d.rule_ids))
            entry = self._sheets[key] = (ws, d.rule_kinds)
            self._counts[ws.title] = 0
        return entry[0]

    def add(self, d: Digest) -> None:
        lang, labels = self.lang, self.labels
        self.rows += 1
        row: list[Any] = csv_row(d)
        for key, text in (
            ("path", d.path),
            ("facility_id", d.facility_id),
            ("facility_name", d.facility_name),
            ("street", d.street),
        ):
            row[_AT[key]] = self._text(self.main, text)
        row[_AT["audited_on"]] = self._date(self.main, d.audited_on)
        row[_AT["verdict"]] = _word(d.verdict, lang)
        row[_AT["level"]] = labels.level(d.standard, d.level)
        self.main.append(row)
        ws = self._sheet_for(d)
        self._counts[ws.title] += 1
        ws.append(
            [
                self._text(ws, d.facility_id),
                self._text(ws, d.facility_name),
                self._text(ws, d.street),
                self._date(ws, d.audited_on),
                _word(d.verdict, lang),
                labels.level(d.standard, d.level),
                d.score,
                self._text(ws, d.path),
                *(_word(s, lang) for s in d.statuses),
            ]
        )

    def _finish(self) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill

        letter, lang = self._letter, self.lang
        for (_, rule_ids), (ws, _) in self._sheets.items():
            rows = self._counts[ws.title]
            last = letter(len(_IDENTITY) + len(rule_ids))
            if rule_ids:
                area = f"{letter(len(_IDENTITY) + 1)}2:{last}{rows + 1}"
                for status, colour in _FILLS.items():
                    fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
                    ws.conditional_formatting.add(
                        area, CellIsRule(operator="equal", formula=[f'"{_word(status, lang)}"'], fill=fill)
                    )
            ws.auto_filter.ref = f"A1:{last}{rows + 1}"
        self.main.auto_filter.ref = f"A1:{letter(len(CSV_COLUMNS))}{self.rows + 1}"
        rules = self.workbook.create_sheet(_sheet_title(_SHEETS["rules"][lang], self._used))
        rules.column_dimensions["C"].width = 50
        self._header(rules, [_HEAD[c][lang] for c in ("standard", "rule", "title", "kind")])
        for (standard, rule_ids), (_, kinds) in self._sheets.items():
            kinds = kinds or ("scored",) * len(rule_ids)
            for rule, kind in zip(rule_ids, kinds, strict=True):
                rules.append([standard, rule, self.labels.rule_title(standard, rule), _word(kind, lang)])

    def close(self) -> None:
        with _quiet_openpyxl():
            self._finish()
            with atomic_output(self.path) as tmp:
                self.workbook.save(str(tmp))

    def abort(self) -> None:
        # finish each spooled sheet and drop its temporary file (openpyxl has no public "discard")
        for ws in self.workbook.worksheets:
            with contextlib.suppress(Exception), _quiet_openpyxl():
                if not ws.closed:
                    ws.close()
                writer = getattr(ws, "_writer", None)
                if writer is not None:
                    writer.cleanup()


_AT = {name: i for i, name in enumerate(CSV_COLUMNS)}


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
    digests: Iterable[Digest], path: str | Path, lang: Lang = "zh", catalog: Catalog | None = None
) -> int:
    """Write the workbook (see :class:`XlsxWriter`); returns the number of audits written."""
    with XlsxWriter(path, lang, catalog) as writer:
        for d in digests:
            writer.add(d)
    return writer.rows
