"""What can go wrong with the history file, said so that a district officer can act on it.

SQLite reports a read-only file, a damaged page or a missing table in its own
words, at open or in the middle of a write; each becomes one paragraph naming
the database file, what is wrong and the fix (exit 2 in the CLI).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from checker.core.errors import CheckerError, Problem

__all__ = ["HistoryError", "database_error", "history_error"]

_RESTORE = (
    "restore it from a backup, or record into a new file with --db / 请从备份恢复，或用 --db 记录到新文件"
)


class HistoryError(CheckerError):
    """The history database cannot be opened, is not one of ours, or is from a newer version."""

    kind = "history"


def history_error(path: str | Path, message: str, hint: str) -> HistoryError:
    return HistoryError([Problem(str(path), message, hint=hint)])


def database_error(path: str | Path, exc: sqlite3.Error) -> HistoryError:
    """A SQLite error as a paragraph a district officer can act on: the file, what is wrong, the fix."""
    text = str(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low or "permission" in low:
        what = "the history database cannot be written (read-only) / 历史数据库只读，无法写入"
        fix = (
            "make the file and its directory writable, or give another --db "
            "/ 请使文件及其目录可写，或用 --db 指定其他文件"
        )
    elif "malformed" in low or "corrupt" in low:
        what = f"the history database is damaged ({text}) / 历史数据库已损坏"
        fix = _RESTORE
    elif "no such table" in low or "no such column" in low:
        what = (
            f"the history database lacks what its schema version promises ({text}) "
            "/ 历史数据库与其版本号不符（缺少数据表或字段）"
        )
        fix = _RESTORE
    elif "locked" in low or "busy" in low:
        what = "the history database is locked by another program / 历史数据库正被其他程序占用"
        fix = "wait until it has finished, then run the command again / 请待其结束后重试"
    elif "disk" in low or "full" in low:
        what = f"the history database could not be written ({text}) / 历史数据库写入失败"
        fix = "free disk space, or give --db on another disk / 请释放磁盘空间，或用 --db 指定其他磁盘"
    else:
        what = f"not a tongcheck history database ({text}) / 不是 tongcheck 历史数据库"
        fix = "give another --db path / 请指定其他 --db 路径"
    return history_error(path, what, fix)
