"""Logic nodes: all, any, not and count, in three-valued logic.

``all`` is false if any part is false, else unknown if any part is unknown;
``any`` mirrors it; ``count`` is decided only when every possible count of
the unknown parts gives the same answer (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.core.conditions.nodes import Compare, Condition
from checker.core.conditions.ops import NUMERIC_OPS, Obs, PlainField, Tri
from checker.core.text import Lang


class _Group(Condition):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Condition]) -> None:
        self.parts = parts

    def unknown_fields(self, obs: Obs) -> list[str]:
        out: list[str] = []
        for part in self.parts:
            if part.evaluate(obs) is None:
                out.extend(f for f in part.unknown_fields(obs) if f not in out)
        return out

    def field_ids(self) -> list[str]:
        return [f for part in self.parts for f in part.field_ids()]

    def _join(self, parts: list[Condition], obs: Obs, lang: Lang, plain: bool = False) -> str:
        return ("；" if lang == "zh" else "; ").join(p.explain(obs, lang, plain) for p in parts)


class All(_Group):
    __slots__ = ()

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)

        def all_of(obs: Obs) -> Tri:
            result: Tri = True
            for fn in fns:
                value = fn(obs)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result

        return all_of

    def evaluate(self, obs: Obs) -> Tri:
        result: Tri = True
        for part in self.parts:
            value = part.evaluate(obs)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        state = self.evaluate(obs)
        if state is True:
            return self._join(self.parts, obs, lang, plain)
        wanted = False if state is False else None
        return self._join([p for p in self.parts if p.evaluate(obs) is wanted], obs, lang, plain)


class AnyOf(_Group):
    __slots__ = ()

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)

        def any_of(obs: Obs) -> Tri:
            result: Tri = False
            for fn in fns:
                value = fn(obs)
                if value is True:
                    return True
                if value is None:
                    result = None
            return result

        return any_of

    def evaluate(self, obs: Obs) -> Tri:
        result: Tri = False
        for part in self.parts:
            value = part.evaluate(obs)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        state = self.evaluate(obs)
        if state is True:
            first = next(p for p in self.parts if p.evaluate(obs) is True)
            return first.explain(obs, lang, plain)
        text = self._join(self.parts, obs, lang, plain=True)
        prefix = "以下均不满足：" if lang == "zh" else "none of these holds: "
        return prefix + text if state is False else text


class Not(Condition):
    __slots__ = ("part",)

    def __init__(self, part: Condition) -> None:
        self.part = part

    def compile(self) -> Callable[[Obs], Tri]:
        fn = self.part.compile()
        return lambda obs: None if (value := fn(obs)) is None else not value

    def evaluate(self, obs: Obs) -> Tri:
        value = self.part.evaluate(obs)
        return None if value is None else not value

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        inner = self.part.explain(obs, lang, plain=True)
        if self.part.evaluate(obs) is None:
            return inner
        return f"不应满足：{inner}" if lang == "zh" else f"must not hold: {inner}"

    def unknown_fields(self, obs: Obs) -> list[str]:
        return self.part.unknown_fields(obs)

    def field_ids(self) -> list[str]:
        return self.part.field_ids()


class Count(_Group):
    __slots__ = ("fn", "op", "value")

    def __init__(self, parts: list[Condition], op: str, value: Any) -> None:
        super().__init__(parts)
        self.op, self.value = op, value
        self.fn = NUMERIC_OPS[op]

    def compile(self) -> Callable[[Obs], Tri]:
        fns = tuple(p.compile() for p in self.parts)
        op, v = self.fn, self.value

        def count(obs: Obs) -> Tri:
            true = unknown = 0
            for fn in fns:
                value = fn(obs)
                if value is True:
                    true += 1
                elif value is None:
                    unknown += 1
            first = op(true, v)
            for n in range(true + 1, true + unknown + 1):
                if op(n, v) != first:
                    return None
            return first

        return count

    def evaluate(self, obs: Obs) -> Tri:
        true = unknown = 0
        for part in self.parts:
            value = part.evaluate(obs)
            if value is True:
                true += 1
            elif value is None:
                unknown += 1
        first = self.fn(true, self.value)
        for n in range(true + 1, true + unknown + 1):
            if self.fn(n, self.value) != first:
                return None
        return first

    def explain(self, obs: Obs, lang: Lang, plain: bool = False) -> str:
        states = [p.evaluate(obs) for p in self.parts]
        true = states.count(True)
        req = Compare.__new__(Compare)
        req.field, req.op, req.value = PlainField(), self.op, self.value
        head = (
            f"满足 {true}/{len(states)} 项（要求 {req.requirement(lang)}）"
            if lang == "zh"
            else f"{true} of {len(states)} hold (required {req.requirement(lang)})"
        )
        want = bool(self.evaluate(obs))
        shown = [p for p, s in zip(self.parts, states, strict=True) if s is want or s is None]
        return (
            f"{head}：{self._join(shown, obs, lang, plain=True)}"
            if lang == "zh"
            else f"{head}: {self._join(shown, obs, lang, plain=True)}"
        )


# --- parsing ---------------------------------------------------------------
