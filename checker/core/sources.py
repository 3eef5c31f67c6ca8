"""Reading YAML and JSON safely, keeping where every value came from.

Both readers return plain data (dict, list, str, int, float, bool, None) plus a
way to map a JSON path back to ``line:col``, so later validation can point at
the exact place in the file. Traps closed here, measured in
``shared/guides/measurements.md``: YAML aliases (a 478-byte alias bomb loads in
milliseconds and explodes whatever walks it next), duplicate keys (PyYAML and
``json`` silently keep the last), YAML 1.1 coercions (``no`` read as false,
``010`` as 8, ``12:30`` as 750), NaN/Infinity in JSON, and unbounded input.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from checker.core.errors import Problem

__all__ = [
    "MAX_AUDIT_BYTES",
    "MAX_STANDARD_BYTES",
    "JsonDoc",
    "Located",
    "Path_",
    "SourceProblem",
    "format_path",
    "parse_json",
    "parse_yaml",
    "read_bytes",
]

MAX_STANDARD_BYTES = 1 << 20
MAX_AUDIT_BYTES = 2 << 20
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]


class SourceProblem(Exception):
    """A file cannot be read or parsed; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def format_path(path: Path_) -> str:
    """Render a path as JSONPath (``$.sections[0].rules[2].require``)."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def read_bytes(path: Path, name: str, limit: int) -> str:
    """Read a UTF-8 file (a BOM from Windows editors is tolerated) under a size cap."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceProblem(
                Problem(
                    name,
                    f"file is {size:,} bytes, larger than the limit of {limit:,} bytes",
                    hint="check that this is the right file; split it if it is",
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SourceProblem(
            Problem(name, f"cannot read file: {exc.strerror or exc}", hint="check the path")
        ) from None
    return decode(data, name, limit)


def decode(data: bytes, name: str, limit: int) -> str:
    if len(data) > limit:
        raise SourceProblem(
            Problem(
                name,
                f"input is {len(data):,} bytes, larger than the limit of {limit:,} bytes",
                hint="check that this is the right input",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceProblem(
            Problem(
                name,
                f"not valid UTF-8 (byte {exc.start})",
                line=line,
                hint="save the file as UTF-8",
            )
        ) from None


class Located:
    """Maps JSON paths to (line, column), falling back to the nearest ancestor."""

    def __init__(self, positions: dict[Path_, tuple[int, int]]) -> None:
        self._positions = positions

    def find(self, path: Path_) -> tuple[int | None, int | None]:
        for end in range(len(path), -1, -1):
            pos = self._positions.get(path[:end])
            if pos is not None:
                return pos
        return None, None

    def problem(self, file: str, path: Path_, message: str, hint: str = "") -> Problem:
        line, col = self.find(path)
        return Problem(file, message, format_path(path), line, col, hint)


# --- YAML -----------------------------------------------------------------

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


def parse_yaml(text: str, name: str) -> tuple[Any, Located]:
    """Parse one YAML document into plain data, refusing aliases, tags and duplicates."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceProblem(
            Problem(
                name,
                f"YAML syntax error: {exc.problem or exc.context}",
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint="fix the indentation or quoting at this place",
            )
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise SourceProblem(Problem(name, f"YAML cannot be read: {exc}", hint="check the file")) from None
    finally:
        loader.dispose()
    if node is None:
        raise SourceProblem(Problem(name, "the file is empty", hint="start from docs/standard-template.yaml"))
    positions: dict[Path_, tuple[int, int]] = {}
    data = _YamlBuilder(name, positions).build(node, ())
    return data, Located(positions)


class _YamlBuilder:
    def __init__(self, name: str, positions: dict[Path_, tuple[int, int]]) -> None:
        self.name = name
        self.positions = positions
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str, hint: str) -> SourceProblem:
        mark = node.start_mark
        return SourceProblem(Problem(self.name, message, "", mark.line + 1, mark.column + 1, hint))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise self.fail(
                node,
                f"{format_path(path)} repeats this value through a YAML alias (*name); "
                "aliases are not allowed in standards",
                "write the value out in full instead of referring to an anchor",
            )
        if len(path) > MAX_DEPTH:
            raise self.fail(node, "nesting is too deep", "flatten the structure")
        self.seen.add(id(node))
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, f"YAML tag {node.tag} is not allowed", "remove the tag")
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise self.fail(node, f"YAML tag {node.tag} is not allowed", "remove the tag")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    raise self.fail(
                        key_node,
                        "mapping keys must be plain text",
                        "use a name such as `id:`; quote keys that look like numbers",
                    )
                key = key_node.value
                if key in out:
                    raise self.fail(
                        key_node,
                        f"duplicate key {key!r} (the first one would be silently lost)",
                        "remove or rename one of the two",
                    )
                out[key] = self.build(value_node, (*path, key))
            return out
        raise self.fail(node, "unsupported YAML node", "use plain mappings, lists and values")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _INT:
            return int(value)
        if tag == _FLOAT:
            return float(value)
        raise self.fail(
            node,
            f"YAML tag {tag} is not allowed",
            "remove the tag; standards hold plain text, numbers and true/false",
        )


# --- JSON -----------------------------------------------------------------


class _Refused(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {key!r}")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number in JSON")


def _overflows(text: str) -> bool:
    try:
        return float(text) in (float("inf"), float("-inf"))
    except ValueError:
        return False


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"{text} is too large for a number")
    return value


class JsonDoc:
    """Parsed JSON plus the text, to locate JSON paths only when an error needs it."""

    def __init__(self, data: Any, text: str, name: str) -> None:
        self.data = data
        self.text = text
        self.name = name
        self._located: Located | None = None

    @property
    def located(self) -> Located:
        if self._located is None:
            positions: dict[Path_, tuple[int, int]] = {}
            with contextlib.suppress(_Refused, RecursionError, IndexError):
                _JsonScanner(self.text, positions).document()
            self._located = Located(positions)
        return self._located

    def problem(self, path: Path_, message: str, hint: str = "") -> Problem:
        return self.located.problem(self.name, path, message, hint)


def parse_json(text: str, name: str) -> JsonDoc:
    """Parse strict JSON: no duplicate keys, no NaN/Infinity, bounded depth."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise SourceProblem(
            Problem(
                name,
                f"JSON syntax error: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
                hint="fix the JSON at this place (a missing comma or quote is typical)",
            )
        ) from None
    except _Refused as exc:
        raise SourceProblem(_locate_refusal(text, name, str(exc))) from None
    except RecursionError:
        raise SourceProblem(
            Problem(name, "JSON is nested too deeply", hint="an audit is at most a few levels deep")
        ) from None
    except ValueError as exc:  # e.g. integers beyond the 4300-digit limit
        raise SourceProblem(Problem(name, f"JSON value cannot be read: {exc}")) from None
    return JsonDoc(data, text, name)


def _locate_refusal(text: str, name: str, message: str) -> Problem:
    positions: dict[Path_, tuple[int, int]] = {}
    scanner = _JsonScanner(text, positions)
    try:
        scanner.document()
    except _Refused as exc:
        line, col = scanner.line_col(scanner.refused_at)
        hint = (
            "keep only one of the two"
            if "duplicate" in str(exc)
            else "write a number, or null when the value was not observed"
        )
        return Problem(name, str(exc), format_path(scanner.refused_path), line, col, hint)
    except (RecursionError, IndexError):
        pass
    return Problem(name, message)


_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.S)


class _JsonScanner:
    """A slow, position-aware walk over JSON text; used only to explain errors."""

    def __init__(self, text: str, positions: dict[Path_, tuple[int, int]]) -> None:
        self.text = text
        self.pos = 0
        self.positions = positions
        self.refused_at = 0
        self.refused_path: Path_ = ()

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def token(self) -> tuple[str, str, int]:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            raise IndexError("end of input")
        self.pos = match.end()
        kind = "s" if match.group(1) else "p" if match.group(2) else "a"
        return kind, match.group(match.lastindex or 0), match.start(match.lastindex or 0)

    def document(self) -> None:
        self.value(())

    def refuse(self, message: str, offset: int, path: Path_) -> _Refused:
        self.refused_at, self.refused_path = offset, path
        return _Refused(message)

    def value(self, path: Path_, first: tuple[str, str, int] | None = None) -> None:
        kind, text, start = first or self.token()
        self.positions[path] = self.line_col(start)
        if kind == "p" and text == "{":
            seen: set[str] = set()

            def member(tok: tuple[str, str, int]) -> None:
                key = json.loads(tok[1]) if tok[0] == "s" else tok[1]
                if key in seen:
                    raise self.refuse(f"duplicate key {key!r}", tok[2], (*path, key))
                seen.add(key)
                self.token()  # the colon
                self.value((*path, key))

            self.container("}", member)
        elif kind == "p" and text == "[":
            index = [0]

            def element(tok: tuple[str, str, int]) -> None:
                self.value((*path, index[0]), tok)
                index[0] += 1

            self.container("]", element)
        elif kind == "a" and text in ("NaN", "Infinity", "-Infinity"):
            raise self.refuse(f"{text} is not a number in JSON", start, path)
        elif kind == "a" and any(c in text for c in ".eE") and _overflows(text):
            raise self.refuse(f"{text} is too large for a number", start, path)

    def container(self, close: str, item: Callable[[tuple[str, str, int]], None]) -> None:
        tok = self.token()
        if tok[1] == close:
            return
        while True:
            item(tok)
            if self.token()[1] == close:
                return
            tok = self.token()
