"""The cells of a checklist: dropdown lists, Excel data validation, and values as shown.

What a cell offers (``choice_items``) is also what the import reads back, so
both sides use these functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.core.conditions import fmt_number
from checker.core.standard import FieldSpec
from checker.forms.words import FormLang, pair, w

__all__ = ["Lists", "allowed", "choice_items", "shown_value", "validation"]


class Lists:
    """Dropdown choices live on a hidden sheet (no 255-character limit), one column per list."""

    def __init__(self, sheet: Any, lang: FormLang) -> None:
        self.sheet, self.lang, self.next = sheet, lang, 1
        self.made: dict[tuple[str, ...], str] = {}

    def ref(self, items: list[str]) -> str:
        from openpyxl.utils import get_column_letter

        key = tuple(items)
        if key not in self.made:
            letter = get_column_letter(self.next)
            for i, item in enumerate(items, 1):
                self.sheet.cell(row=i, column=self.next, value=item)
            self.made[key] = f"'_lists'!${letter}$1:${letter}${len(items)}"
            self.next += 1
        return self.made[key]


def _nulls(lang: FormLang) -> list[str]:
    return [w("not_measured", lang, sep=" "), w("not_applicable", lang, sep=" ")]


def choice_items(spec: FieldSpec, lang: FormLang) -> list[str]:
    """The dropdown of a yes/no or enum field: what the import reads back."""
    if spec.type == "boolean":
        return [w("yes", lang, sep=" "), w("no", lang, sep=" "), *_nulls(lang)]
    items = [
        pair(spec.value_labels[v], lang) if spec.value_labels and v in spec.value_labels else v
        for v in spec.values or []
    ]
    return [*items, *_nulls(lang)]


def shown_value(spec: FieldSpec, value: Any, lang: FormLang) -> Any:
    """An audit value as the checklist shows it (the dropdown's words, real dates)."""
    if value is None:
        return None
    if spec.type == "boolean":
        return w("yes" if value else "no", lang, sep=" ")
    if spec.type == "enum":
        items = choice_items(spec, lang)
        return items[(spec.values or []).index(value)] if value in (spec.values or []) else value
    if spec.type == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def allowed(spec: FieldSpec, lang: FormLang) -> str:
    if spec.type in ("boolean", "enum"):
        return " | ".join(choice_items(spec, lang)[:-2])
    if spec.type in ("integer", "number"):
        kind = w("any_whole" if spec.type == "integer" else "any_number", lang)
        lo = None if spec.min is None else fmt_number(spec.min)
        hi = None if spec.max is None else fmt_number(spec.max)
        if lo is not None and hi is not None:
            return f"{kind} {w('range', lang, lo=lo, hi=hi)}"
        if lo is not None or hi is not None:
            return f"{kind} {w('at_least' if lo is not None else 'at_most', lang, lo=lo or '', hi=hi or '')}"
        return kind
    return w("any_date" if spec.type == "date" else "any_text", lang)


def validation(spec: FieldSpec, lang: FormLang, choices: Lists) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "errorTitle": w("invalid_entry", lang),
    }
    if spec.type in ("boolean", "enum"):
        dv = DataValidation(type="list", formula1=choices.ref(choice_items(spec, lang)), **common)
        dv.error = w("pick_from_list", lang)
        return dv
    if spec.type in ("integer", "number"):
        kind = "whole" if spec.type == "integer" else "decimal"
        lo = -1e15 if spec.min is None else spec.min
        hi = 1e15 if spec.max is None else spec.max
        dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi), **common)
        dv.error = allowed(spec, lang)
        return dv
    if spec.type == "date":
        dv = DataValidation(type="date", operator="between", formula1="32874", formula2="73051", **common)
        dv.error = allowed(spec, lang)
        return dv
    return None
