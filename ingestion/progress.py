"""A progress bar that leaves the result lines whole.

Two rich Consoles (results on stdout, the bar on stderr) sharing one terminal overwrite each
other: a line printed on stdout lands after the bar's text and the bar's next refresh erases it
(``validate`` showed ``ok  lu``). Here the bar is transient (gone when done) and, while it is
shown, every line goes through the console that draws it, which prints it above the bar. A
result still goes to stdout whenever stdout is not that terminal (piped or redirected).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")


class Lines:
    """Where result and error lines go while a bar may be shown."""

    def __init__(self, out: Console, err: Console, progress: Progress | None = None) -> None:
        self._out, self._err, self._progress = out, err, progress

    def out(self, line: RenderableType) -> None:
        """A result line: stdout, through the bar's console when stdout is a terminal too."""
        if self._progress is not None and self._out.is_terminal:
            self._progress.console.print(line)
        else:
            self._out.print(line)

    def err(self, line: RenderableType) -> None:
        """An error line: stderr (the bar's console when a bar is shown)."""
        (self._progress.console if self._progress is not None else self._err).print(line)


@contextmanager
def progress_lines(items: Sequence[T], description: str, out: Console, err: Console
                   ) -> Iterator[tuple[Iterable[T], Lines]]:
    """``with progress_lines(items, "validating", out, err) as (each, lines): for x in each: lines.out(…)``.
    A bar on ``err`` only when it is a terminal; none for fewer than two items."""
    if not err.is_terminal or len(items) < 2:
        yield items, Lines(out, err)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        yield progress.track(items, description=description), Lines(out, err, progress)
