"""The progress bar of a batch, on standard error, only where it helps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.core.text import Lang

__all__ = ["Progress", "progress_bar"]


class Progress:
    """The ``on_progress`` callback of a batch, drawing a bar on standard error when there is one.

    Call it with the number of files done; call ``clear()`` before writing
    anything else to standard error (an error message), so the message does
    not land in the middle of the bar; the bar redraws on the next update.
    """

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    @property
    def active(self) -> bool:
        return self._bar is not None

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def clear(self) -> None:
        if self._bar is not None:
            import sys

            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


@contextmanager
def progress_bar(total: int, lang: Lang, *, enabled: bool | None = None) -> Iterator[Progress]:
    """A progress bar on standard error, by default only when it is a terminal.

    Results (text, JSON Lines) stay on standard output untouched, so a pipe
    gets exactly what it would get without the bar. A caller that prints
    each result to the same terminal passes ``enabled=False``: the results
    scrolling by are the progress, and a bar would tear them.
    """
    import os
    import sys

    import click

    show = sys.stderr.isatty() if enabled is None else enabled
    if os.environ.get("TERM") == "dumb":  # a bar redraws with \r and ESC [K, which such a terminal lacks
        show = False
    if not show or total < 2:
        yield Progress()
        return
    label = "检查评估" if lang == "zh" else "Checking audits"
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
        yield Progress(bar)
