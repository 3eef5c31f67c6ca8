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
from checker.core.messages import Msg, say

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
    """A file cannot be read or parsed; carries the located problems (at least one)."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)

    @property
    def problem(self) -> Problem:
        return self.problems[0]


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
    (stat.S_ISDIR, "word.directory"),
    (stat.S_ISFIFO, "word.fifo"),
    (stat.S_ISSOCK, "word.socket"),
    (stat.S_ISCHR, "word.device"),
    (stat.S_ISBLK, "word.device"),
)


# without O_NONBLOCK, opening a named pipe waits for a writer: a hang before any check could run
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_BINARY"))


def _not_regular(name: str, mode: int) -> SourceProblem:
    kind = next((key for test, key in _KINDS if test(mode)), "word.special_file")
    return SourceProblem(Problem.of(name, say("source.not_regular", kind=say(kind)), say("hint.file_itself")))


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
            if got == info.st_size > 0 and len(chunks) == 1:
                break  # the whole file as fstat saw it, in one read: no second read only to meet its end
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
    import errno

    key = {
        errno.ENOENT: "source.not_found",
        errno.EACCES: "source.no_permission",
        errno.EPERM: "source.no_permission",
        errno.EISDIR: "source.is_directory",
    }.get(exc.errno or 0, "source.unreadable_dir" if directory else "source.unreadable")
    return SourceProblem(Problem.of(name, say(key, detail=exc.strerror or exc), say("hint.check_path")))


def _too_large(name: str, limit: int, size: int | None = None) -> SourceProblem:
    message = (
        say("source.stream_too_large", limit=f"{limit:,}")  # a stream read only to the limit: size unknown
        if size is None
        else say("source.too_large", size=f"{size:,}", limit=f"{limit:,}")
    )
    return SourceProblem(Problem.of(name, message, say("hint.too_large")))


def decode(data: bytes, name: str, limit: int) -> str:
    if len(data) > limit:
        raise _too_large(name, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        kind = _binary_kind(data)
        if kind is not None:
            raise SourceProblem(Problem.of(name, say(f"source.{kind}"), say(f"hint.{kind}"))) from None
        line = data[: exc.start].count(b"\n") + 1
        raise SourceProblem(
            Problem.of(name, say("source.not_utf8", byte=exc.start), say(_encoding_hint(data)), line=line)
        ) from None


def _binary_kind(data: bytes) -> str | None:
    """What a non-text file most likely is, so the message can name it."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG")):
        return "image"
    return None


def _encoding_hint(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "hint.utf16"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return "hint.save_utf8"
    return "hint.gbk"


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

    def problem(self, file: str, path: Path_, message: Msg | str, hint: Msg | str = "") -> Problem:
        line, col = self.find(path)
        return Problem.of(file, message, hint, path=format_path(path), line=line, column=col)
