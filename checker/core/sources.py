"""Reading files safely, and locating problems in what was read.

Both readers return plain data (dict, list, str, int, float, bool, None) plus a
way to map a JSON path back to ``line:col``, so later validation can point at
the exact place in the file. Traps closed here, measured in
``shared/guides/measurements.md``: YAML aliases (a 478-byte alias bomb loads in
milliseconds and explodes whatever walks it next), duplicate keys (PyYAML and
``json`` silently keep the last), YAML 1.1 coercions (``no`` read as false,
``010`` as 8, ``12:30`` as 750), NaN/Infinity in JSON, and unbounded input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from checker.core.errors import Problem

__all__ = [
    "MAX_AUDIT_BYTES",
    "MAX_STANDARD_BYTES",
    "Located",
    "Path_",
    "SourceProblem",
    "format_path",
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
