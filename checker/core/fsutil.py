"""Writing files so that a crash never leaves half of one.

The data goes to a temporary file in the target's own directory (so the
final rename stays on one filesystem), is flushed and fsync'ed, and then
``os.replace`` puts it in place in one step; the directory is fsync'ed too,
so the rename itself survives a power cut. On any error the temporary file is
removed and the previous file, if there was one, is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["AtomicFile", "atomic_output", "atomic_write"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """A temporary file next to ``target`` that replaces it on ``commit()`` (fsync'ed), or vanishes."""

    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        self.directory = self.target.parent if str(self.target.parent) else Path(".")
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name[:40]}.", suffix=".tmp", dir=self.directory)
        except OSError as exc:  # name what the user asked for, never our temporary file
            raise _about(exc, self.target) from None
        os.close(fd)
        self.path = Path(tmp)

    def commit(self, mode: int | None = None) -> None:
        """Put the file in place with ``mode`` (default: what ``open()`` gives under the umask)."""
        try:
            with open(self.path, "rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(self.path, mode if mode is not None else 0o666 & ~_umask())
            os.replace(self.path, self.target)
        except OSError as exc:
            self.discard()
            raise _about(exc, self.target) from None
        except BaseException:
            self.discard()
            raise
        _fsync_dir(self.directory)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)


@contextlib.contextmanager
def atomic_output(path: str | Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path next to ``path``; it replaces ``path`` only if the block succeeds."""
    atomic = AtomicFile(path)
    try:
        yield atomic.path
    except BaseException:
        atomic.discard()
        raise
    atomic.commit(mode)


def atomic_write(path: str | Path, data: bytes | str, *, mode: int | None = None) -> Path:
    """Replace ``path`` with ``data`` atomically; returns the path written (``str`` as UTF-8)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_output(path, mode=mode) as tmp:
        tmp.write_bytes(payload)
    return Path(path)


def _about(exc: OSError, target: Path) -> OSError:
    """The same error, about ``target`` (a missing directory, a file where a directory should be)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(target))  # the subclass follows errno


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)
