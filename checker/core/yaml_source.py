"""Strict YAML for standards and plans: safe loading, no aliases, no YAML 1.1 coercions.

Duplicate keys are refused (PyYAML keeps the last), ``no`` stays a string,
``010`` is not 8, numbers are finite and at most 10^15 in size (``1e400``, a
5,000-digit integer are refused where they stand), and every node's mark is
kept so a JSON path maps back to ``line:col``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from checker.core.conditions.ops import Decimals, is_limit
from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.core.sources import MAX_DEPTH, Located, Path_, SourceProblem, format_path

__all__ = ["parse_yaml", "top_level_scalar"]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _StrictResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema scalars only: ``no``, ``010``, ``12:30`` and dates stay text."""


_StrictResolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        _FLOAT,
        r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$",
        "-+0123456789.",
    ),
):
    _StrictResolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

if getattr(yaml, "__with_libyaml__", False):
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _Loader(CParser, _StrictResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictResolver.__init__(self)

else:  # pragma: no cover - libyaml is present on every supported platform

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _StrictResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _StrictResolver.__init__(self)


def parse_yaml(text: str, name: str, kind: str = "standard") -> tuple[Any, Located]:
    """Parse one YAML document into plain data, refusing aliases, tags and duplicates.

    ``kind`` (``standard`` or ``plan``) is what the messages call the file."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceProblem(
            Problem.of(
                name,
                _syntax_message(str(exc.problem or exc.context)),
                say("hint.yaml_syntax"),
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise SourceProblem(
            Problem.of(name, say("yaml.unreadable", detail=exc), say("hint.check_file"))
        ) from None
    finally:
        loader.dispose()
    if node is None:
        template = "hint.plans_doc" if kind == "plan" else "hint.standard_template"
        raise SourceProblem(Problem.of(name, say("yaml.empty"), say(template)))
    positions: dict[Path_, tuple[int, int]] = {}
    data = _YamlBuilder(name, positions, kind).build(node, ())
    return data, Located(positions)


_SYNTAX = {
    "mapping values are not allowed here": "yaml.colon_in_value",
    "found character '\\t' that cannot start any token": "yaml.tab",
    "found a tab character": "yaml.tab",
    "could not find expected ':'": "yaml.missing_colon",
    "did not find expected key": "yaml.indentation",
    "expected <block end>": "yaml.indentation",
    "found unexpected end of stream": "yaml.unclosed_quote",
    "found undefined alias": "yaml.alias_undefined",
    "expected ',' or ']'": "yaml.unclosed_list",
    "expected ',' or '}'": "yaml.unclosed_map",
}


def _syntax_message(problem: str) -> Msg:
    """PyYAML's complaint in the catalogue's words (its own text kept in English as detail)."""
    key = next((k for prefix, k in _SYNTAX.items() if problem.startswith(prefix)), "yaml.syntax")
    return say(key, detail=problem)


MAX_MAGNITUDE = 1e15
"""The largest number a standard or plan may hold: any real threshold is far below, and every
number up to it is exact as a float (a score can never become inf or NaN from a typo)."""


def _short(value: str) -> str:
    return value if len(value) <= 24 else value[:16] + "…"


class _YamlBuilder:
    def __init__(self, name: str, positions: dict[Path_, tuple[int, int]], kind: str = "standard") -> None:
        self.name = name
        self.alias = "yaml.alias_plan" if kind == "plan" else "yaml.alias"
        self.positions = positions
        self.seen: set[int] = set()
        self.limits = kind == "standard"

    def fail(self, node: yaml.Node, message: Msg, hint: Msg) -> SourceProblem:
        mark = node.start_mark
        return SourceProblem(Problem.of(self.name, message, hint, line=mark.line + 1, column=mark.column + 1))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, say(self.alias, path=format_path(path)), say("hint.yaml_alias"))
        if len(path) > MAX_DEPTH:
            raise self.fail(node, say("yaml.too_deep"), say("hint.flatten"))
        self.seen.add(id(node))
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, say("yaml.tag", tag=node.tag), say("hint.remove_tag"))
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise self.fail(node, say("yaml.tag", tag=node.tag), say("hint.remove_tag"))
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    raise self.fail(key_node, say("yaml.key_not_text"), say("hint.yaml_key"))
                key = key_node.value
                if key in out:
                    raise self.fail(
                        key_node, say("yaml.duplicate_key", key=repr(key)), say("hint.one_of_two")
                    )
                out[key] = self.build(value_node, (*path, key))
            return out
        raise self.fail(node, say("yaml.unsupported"), say("hint.plain_yaml"))

    def scalar(self, node: yaml.ScalarNode, path: Path_ = ()) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _INT:
            if len(value.lstrip("+-")) > len(str(int(MAX_MAGNITUDE))):
                raise self.fail(
                    node, say("yaml.number_out_of_range", value=_short(value)), say("hint.sane_number")
                )
            return int(value)
        if tag == _FLOAT:
            number = float(value)
            if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
                raise self.fail(
                    node, say("yaml.number_out_of_range", value=_short(value)), say("hint.sane_number")
                )
            return _as_written(number, value, path) if self.limits else number
        raise self.fail(node, say("yaml.tag", tag=tag), say("hint.remove_tag"))


_DECIMALS = re.compile(r"^[+-]?\d+\.(\d*0)$")


def _as_written(number: float, text: str, path: Path_) -> float:
    """A comparison limit written with trailing zeros keeps them in every text that words it.

    ``gte: 0.90`` is the code's 0.90 m: YAML reads 0.9, so the written
    decimals travel with the number (``Decimals``, as a common item's
    parameter does) and reasons, requirement sentences, ``check show`` and the
    docs write 0.90, never 0.9. Only limits: nothing a result or hash writes.
    """
    match = _DECIMALS.match(text) if is_limit(path) else None
    return Decimals(number, len(match.group(1))) if match else number


def top_level_scalar(text: str, key: str) -> str | None:
    """The text of ``key`` in the document's top-level mapping, read from parser events alone.

    Cheap (no document is built, parsing stops at the key) and exact: a
    line ``id: x`` inside a quoted or nested value is not the document's id.
    None when the key is not a plain top-level text value before the text
    ends (a header cut short), breaks or ends; the caller then loads the
    whole file, which reports any error properly.
    """
    loader = _Loader(text)
    depth = 0
    at_key = True
    wanted = False
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 1 and (at_key or wanted):
                    return None
                depth += 1
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                if depth <= 0:
                    return None
                if depth == 1:
                    at_key = True
                continue
            if depth != 1 or not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
                continue
            if wanted:
                plain = isinstance(event, yaml.ScalarEvent) and event.tag is None
                return str(getattr(event, "value", "")) if plain else None
            if at_key:
                if not isinstance(event, yaml.ScalarEvent):
                    return None
                wanted = event.value == key
            at_key = not at_key
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None
