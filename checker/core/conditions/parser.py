"""Parsing a raw condition against the standard's fields, with every problem located.

Checks what a schema cannot: the field is declared, the operator fits the
field's type, the value has the field's type, lists are not empty.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from checker.core.conditions.cases import Case, Cases
from checker.core.conditions.logic import All, Count, Not
from checker.core.conditions.nodes import Compare, Condition, Per, Present
from checker.core.conditions.ops import ALL_OPS, FORMS, OPS_BY_TYPE, ConditionProblem, FieldLike
from checker.core.conditions.selectors import Alternatives
from checker.core.messages import Msg, plain, say

Path = tuple[str | int, ...]


class _Parser:
    def __init__(self, fields: Mapping[str, FieldLike]) -> None:
        self.fields = fields
        self.problems: list[ConditionProblem] = []

    def fail(self, path: Path, message: Msg, hint: Msg | None = None) -> None:
        self.problems.append(ConditionProblem(path, message, hint or plain("")))

    def parse(self, raw: Any, path: Path) -> Condition | None:
        if not isinstance(raw, dict):
            self.fail(path, say("cond.not_mapping"), say("hint.conditions_doc"))
            return None
        forms = [k for k in FORMS if k in raw]
        if len(forms) != 1:
            listed = ", ".join(forms) if forms else "none"
            self.fail(
                path, say("cond.one_form", forms=", ".join(FORMS), found=listed), say("hint.split_condition")
            )
            return None
        form = forms[0]
        if form in ("all", "any"):
            return self._group(raw, path, form)
        if form == "not":
            self._only(raw, path, {"not"})
            inner = self.parse(raw["not"], (*path, "not"))
            return Not(inner) if inner is not None else None
        if form == "count":
            return self._count(raw, path)
        if form == "per":
            return self._per(raw, path)
        if form == "cases":
            return self._cases(raw, path)
        return self._field(raw, path)

    def _cases(self, raw: dict[str, Any], path: Path) -> Condition | None:
        self._only(raw, path, {"cases"})
        items = raw["cases"]
        if not isinstance(items, list) or not items:
            self.fail((*path, "cases"), say("cond.empty_list", what="cases:"), say("hint.cases_shape"))
            return None
        out: list[Case] = []
        for i, item in enumerate(items):
            cpath = (*path, "cases", i)
            if not isinstance(item, dict) or "when" not in item:
                self.fail(cpath, say("cond.case_shape"), say("hint.cases_shape"))
                continue
            self._only(item, cpath, {"when", "require", "label"})
            when = self.parse(item["when"], (*cpath, "when"))
            require = self.parse(item["require"], (*cpath, "require")) if "require" in item else None
            label = item.get("label")
            if label is not None and not (
                isinstance(label, dict)
                and set(label) == {"zh", "en"}
                and all(isinstance(v, str) for v in label.values())
            ):
                self.fail((*cpath, "label"), say("cond.case_label"), say("hint.bilingual"))
                label = None
            if when is not None and ("require" not in item or require is not None):
                out.append(Case(when, require, label))
        return Cases(out) if len(out) == len(items) else None

    def _only(self, raw: dict[str, Any], path: Path, allowed: set[str]) -> bool:
        extra = [k for k in raw if k not in allowed]
        for key in extra:
            hint = (
                say("hint.one_operator")
                if key in ALL_OPS or key == "present"
                else say("hint.allowed_here", keys=", ".join(sorted(allowed)))
            )
            self.fail((*path, key), say("cond.unexpected_key", key=repr(key)), hint)
        return not extra

    def _list(self, raw: Any, path: Path, what: str) -> list[Condition] | None:
        if not isinstance(raw, list) or not raw:
            self.fail(path, say("cond.empty_list", what=what), say("hint.add_condition"))
            return None
        parts = [self.parse(item, (*path, i)) for i, item in enumerate(raw)]
        if any(p is None for p in parts):
            return None
        return [p for p in parts if p is not None]

    def _group(self, raw: dict[str, Any], path: Path, form: str) -> Condition | None:
        self._only(raw, path, {form})
        parts = self._list(raw[form], (*path, form), f"{form}:")
        if parts is None:
            return None
        return All(parts) if form == "all" else Alternatives(parts)

    def _operator(
        self, raw: dict[str, Any], path: Path, extra: set[str], allowed: tuple[str, ...], what: Msg | str
    ) -> str | None:
        ops = [k for k in raw if k in ALL_OPS]
        if len(ops) != 1:
            found = ", ".join(ops) if ops else "none"
            self.fail(
                path,
                say("cond.one_operator", what=what, found=found),
                say("hint.use_one_of", ops=", ".join(allowed)),
            )
            self._only(raw, path, extra | set(ALL_OPS))
            return None
        op = ops[0]
        ok = self._only(raw, path, extra | {op})
        if op not in allowed:
            self.fail(
                (*path, op),
                say("cond.operator_fit", op=repr(op), what=what),
                say("hint.use_one_of", ops=", ".join(allowed)),
            )
            return None
        return op if ok else None

    def _numbers(self, raw: Any, path: Path, op: str) -> Any:
        def number(v: Any, p: Path) -> bool:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                self.fail(p, say("cond.number", found=repr(v)), say("hint.plain_number"))
                return False
            return True

        return self._shaped(raw, path, op, number)

    def _shaped(self, raw: Any, path: Path, op: str, check: Callable[[Any, Path], bool]) -> Any:
        if op in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                self.fail(path, say("cond.in_list", op=op), say("hint.write_list"))
                return None
            oks = [check(v, (*path, i)) for i, v in enumerate(raw)]
            return list(raw) if all(oks) else None
        if op == "between":
            if not isinstance(raw, list) or len(raw) != 2:
                self.fail(path, say("cond.between"), say("hint.between"))
                return None
            if not (check(raw[0], (*path, 0)) and check(raw[1], (*path, 1))):
                return None
            if raw[0] > raw[1]:
                self.fail(path, say("cond.between_order", low=raw[0], high=raw[1]), say("hint.swap"))
                return None
            return [raw[0], raw[1]]
        return raw if check(raw, path) else None

    def _count(self, raw: dict[str, Any], path: Path) -> Condition | None:
        op = self._operator(raw, path, {"count"}, ALL_OPS, "count:")
        parts = self._list(raw["count"], (*path, "count"), "count:")
        if op is None or parts is None:
            return None
        value = self._numbers(raw[op], (*path, op), op)
        return None if value is None else Count(parts, op, value)

    def _numeric_field(self, raw: Any, path: Path) -> FieldLike | None:
        field = self._declared(raw, path)
        if field is not None and field.type not in ("integer", "number"):
            self.fail(
                path,
                say("cond.per_numeric", field=repr(field.id), type=field.type),
                say("hint.numeric_field"),
            )
            return None
        return field

    def _per(self, raw: dict[str, Any], path: Path) -> Condition | None:
        op = self._operator(raw, path, {"per"}, ALL_OPS, "per:")
        spec = raw["per"]
        ppath = (*path, "per")
        if not isinstance(spec, dict):
            self.fail(ppath, say("cond.per_shape"), say("hint.per_shape"))
            return None
        bad = [k for k in spec if k not in ("field", "of", "per")]
        for key in bad:
            self.fail(
                (*ppath, key),
                say("cond.per_key", key=repr(key)),
                say("hint.allowed_here", keys="field, of, per"),
            )
        a = self._numeric_field(spec.get("field"), (*ppath, "field"))
        b = self._numeric_field(spec.get("of"), (*ppath, "of"))
        per = spec.get("per", 1)
        if isinstance(per, bool) or not isinstance(per, int | float) or not per > 0:
            self.fail((*ppath, "per"), say("cond.per_positive", found=repr(per)), say("hint.plain_number"))
            return None
        if op is None or a is None or b is None or bad:
            return None
        value = self._numbers(raw[op], (*path, op), op)
        return None if value is None else Per(a, b, float(per), op, value)

    def _declared(self, fid: Any, path: Path) -> FieldLike | None:
        if not isinstance(fid, str):
            self.fail(path, say("cond.field_name"), say("hint.declare_field"))
            return None
        field = self.fields.get(fid)
        if field is None:
            close = _closest(fid, list(self.fields))
            hint = say("hint.did_you_mean", word=repr(close)) if close else say("hint.declare_field")
            self.fail(path, say("cond.undeclared_field", field=repr(fid)), hint)
        return field

    def _field(self, raw: dict[str, Any], path: Path) -> Condition | None:
        field = self._declared(raw["field"], (*path, "field"))
        if "present" in raw:
            ok = self._only(raw, path, {"field", "present"})
            want = raw["present"]
            if not isinstance(want, bool):
                self.fail((*path, "present"), say("cond.present_bool"), say("hint.type_boolean"))
                return None
            return Present(field, want) if field is not None and ok else None
        if field is None:
            self._only(raw, path, {"field", *ALL_OPS})
            return None
        op = self._operator(
            raw,
            path,
            {"field"},
            OPS_BY_TYPE[field.type],
            say("cond.a_field", type=field.type, field=field.id),
        )
        if op is None:
            return None
        value = self._typed(field, raw[op], (*path, op), op)
        return None if value is None else Compare(field, op, value)

    def _typed(self, field: FieldLike, raw: Any, path: Path, op: str) -> Any:
        kind = field.type
        if kind in ("integer", "number"):
            return self._numbers(raw, path, op)
        if kind == "date":

            def date(v: Any, p: Path) -> bool:
                if isinstance(v, str):
                    try:
                        dt.date.fromisoformat(v)
                        return len(v) == 10
                    except ValueError:
                        pass
                self.fail(p, say("cond.date", found=repr(v)), say("hint.quote_date"))
                return False

            value = self._shaped(raw, path, op, date)
            if value is None:
                return None
            if isinstance(value, list):
                return [dt.date.fromisoformat(v).toordinal() for v in value]
            return dt.date.fromisoformat(value).toordinal()
        if kind == "boolean":
            if not isinstance(raw, bool):
                self.fail(
                    path, say("cond.boolean", field=field.id, found=repr(raw)), say("hint.type_boolean")
                )
                return None
            return raw
        values = getattr(field, "values", None) or []

        def text(v: Any, p: Path) -> bool:
            if not isinstance(v, str):
                self.fail(p, say("cond.text", found=repr(v)), say("hint.type_text"))
                return False
            if kind == "enum" and v not in values:
                close = _closest(v, list(values))
                hint = (
                    say("hint.did_you_mean", word=repr(close))
                    if close
                    else say("hint.declared_values", values=", ".join(values))
                )
                self.fail(p, say("cond.undeclared_value", value=repr(v), field=field.id), hint)
                return False
            return True

        value = self._shaped(raw, path, op, text)
        return value


def _closest(word: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def parse_condition(
    raw: Any, path: Path, fields: Mapping[str, FieldLike]
) -> tuple[Condition | None, list[ConditionProblem]]:
    """Parse and type-check one condition; returns the node and every problem found."""
    parser = _Parser(fields)
    node = parser.parse(raw, path)
    return (node if not parser.problems else None), parser.problems
