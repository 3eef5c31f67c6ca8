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

import contextlib
import json
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from checker.core.errors import Problem

__all__ = [
    "MAX_AUDIT_BYTES",
    "MAX_STANDARD_BYTES",
    "Located",
    "Path_",
    "SourceProblem",
    "decode",
    "format_path",
    "read_bytes",
    "read_head",
    "read_limited",
    "read_stream",
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
    return decode(read_limited(path, name, limit), name, limit)


_KINDS = (
    (stat.S_ISDIR, "a directory", "一个文件夹"),
    (stat.S_ISFIFO, "a named pipe (FIFO)", "一个命名管道（FIFO）"),
    (stat.S_ISSOCK, "a socket", "一个套接字"),
    (stat.S_ISCHR, "a device", "一个设备"),
    (stat.S_ISBLK, "a device", "一个设备"),
)


# without O_NONBLOCK, opening a named pipe waits for a writer: a hang before any check could run
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_BINARY"))


def _not_regular(name: str, mode: int) -> SourceProblem:
    en, zh = next(((en, zh) for test, en, zh in _KINDS if test(mode)), ("not a file", "不是普通文件"))
    return SourceProblem(
        Problem(
            name,
            f"cannot read: this is {en}, not a regular file / 无法读取：这是{zh}，不是普通文件",
            hint="give the path of the file itself / 请给出文件本身的路径",
        )
    )


def read_limited(path: Path | str, name: str, limit: int) -> bytes:
    """The bytes of a regular file, refused past ``limit`` bytes without reading them all.

    Only a regular file is read: a named pipe, a device (``/dev/zero``), a
    socket or a directory is refused at once. The file is opened without
    blocking (a pipe nobody writes to would otherwise hang the whole batch)
    and checked on the open descriptor, then read in bounded steps, so a
    file that lies about its size (``/proc``) or grows while read still
    costs at most ``limit + 1`` bytes.
    """
    return _read_regular(path, name, limit, whole=True)


def read_head(path: Path | str, name: str, size: int) -> bytes:
    """At most the first ``size`` bytes of a regular file, however large it is (refusals as above)."""
    return _read_regular(path, name, size - 1, whole=False)


def _read_regular(path: Path | str, name: str, limit: int, *, whole: bool) -> bytes:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise _not_regular(name, mode) from None
        raise _unreadable(name, exc, os.path.isdir(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(name, info.st_mode)
        if whole and info.st_size > limit:
            raise _too_large(name, limit, info.st_size)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise _unreadable(name, exc, False) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_stream(stream: BinaryIO | None, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``stream`` (standard input): an endless stream costs that much, no more.

    ``decode`` then refuses anything past ``limit``. A closed or missing
    standard input reads as empty (the JSON error says so).
    """
    if stream is None:
        return b""
    try:
        return stream.read(limit + 1) or b""
    except (OSError, ValueError):
        return b""


def _unreadable(name: str, exc: OSError, directory: bool) -> SourceProblem:
    what = "directory" if directory else "file"
    return SourceProblem(Problem(name, f"cannot read {what}: {exc.strerror or exc}", hint="check the path"))


def _too_large(name: str, limit: int, size: int | None = None) -> SourceProblem:
    if size is None:  # a stream, read only up to the limit: its size is unknown
        message = f"input is larger than the limit of {limit:,} bytes / 输入超过 {limit:,} 字节的上限"
    else:
        message = (
            f"file is {size:,} bytes, larger than the limit of {limit:,} bytes "
            f"/ 文件大小 {size:,} 字节，超过 {limit:,} 字节的上限"
        )
    return SourceProblem(
        Problem(
            name,
            message,
            hint="check that this is the right file; split it if it is / 请确认文件是否选对；如无误请拆分",
        )
    )


def decode(data: bytes, name: str, limit: int) -> str:
    if len(data) > limit:
        raise _too_large(name, limit)
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
