"""The progress display every long command shows on stderr: one look, fed by the engines' callbacks.

:func:`progress` is a context manager giving a :class:`Bar`. While stderr is a
terminal it draws a transient Rich display there (it vanishes when the work is
done); otherwise — a pipe, a file, CI — it draws nothing and imports nothing.
Stdout is left alone (``--json`` stays pure JSON) unless it is the terminal too:
then the display is drawn through stdout's console, so what the command prints
there appears above it rather than under it. Each *step* is one line: a total
where the work has one (draws, plans, documents, reports, entries), else a
spinner beside the current phase. Engines know nothing of it: they take a
``progress`` callback, and :meth:`Bar.count` and :meth:`Bar.fraction` are such
callbacks.

>>> with progress() as bar:                    # stderr is not a terminal here: nothing drawn
...     bar.step("solve", total=3)
...     for done in range(1, 4):
...         bar.count(done, 3)
...     bar.step("write")
...     bar.fraction(1.0, "written")
>>> bar.shown
False
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from accord.cli.interrupt import check

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class Bar:
    """Steps of a long command on stderr; draws nothing when nothing is shown, but every report raises a
    Ctrl-C whose first raise was swallowed (:func:`accord.cli.interrupt.check`)."""

    def __init__(self, display: Progress | None = None) -> None:
        self._display = display
        self._task: TaskID | None = None
        self._text = ""

    @property
    def shown(self) -> bool:
        """Whether a display is drawn (stderr is a terminal)."""
        return self._display is not None

    def step(self, label: str, total: float | None = None) -> None:
        """Start the next step: ``total`` units of work, or a spinner when it has no total; the previous one ends."""
        check()
        if self._display is None:
            return
        if self._task is not None:
            total_before = self._display.tasks[-1].total or 1
            self._display.update(self._task, total=total_before, completed=total_before)
        self._text = ""
        self._task = self._display.add_task(label, total=total, count="")

    def count(self, done: int, total: int) -> None:
        """``done`` of ``total`` units of the current step (a ``(done, total)`` progress callback)."""
        self._show(completed=done, total=total)

    def advance(self, n: int = 1) -> None:
        """``n`` more units of the current step done."""
        if self._display is None or self._task is None:
            check()  # (drawn or not, every report checks; _show does it where one is drawn)
            return
        self._show(completed=self._display.tasks[-1].completed + n)

    def fraction(self, done: float, text: str = "") -> None:
        """A fraction in [0, 1] of the current step, with what is being done (a ``(fraction, text)`` callback)."""
        self._text = text
        self._show(completed=max(0.0, min(1.0, done)), total=1.0)

    def phase(self, text: str) -> None:
        """Say what the current step is doing now (beside its spinner or bar)."""
        self._text = text
        self._show()

    def _show(self, completed: float | None = None, total: float | None = None) -> None:
        check()  # every report: a Ctrl-C whose first raise was swallowed stops the command here
        if self._display is None or self._task is None:
            return
        self._display.update(self._task, completed=completed, total=total)
        task = self._display.tasks[-1]
        counts = f"{task.completed:.0f}/{task.total:.0f}" if task.total not in (None, 1.0) else ""
        self._display.update(self._task, count="  ".join(t for t in (counts, self._text) if t))


@contextmanager
def progress(label: str = "", total: float | None = None) -> Iterator[Bar]:
    """A :class:`Bar` on stderr while the block runs (transient; nothing unless stderr is a terminal).

    ``label`` (optional) starts the first step, with ``total`` units of work or a spinner.
    """
    from accord.cli.app import console, err_console

    if not err_console.is_terminal:
        yield Bar()
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    display = Progress(
        SpinnerColumn(), TextColumn("{task.description:<12}"), BarColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
        # stdout on the same terminal: draw through the stdout console, so what the command prints there
        # (demo's sections) goes above the display instead of being overwritten by it; else stderr's own
        console=console if console.is_terminal else err_console,
        transient=True, redirect_stderr=False, redirect_stdout=console.is_terminal,
    )
    bar = Bar(display)
    with display:
        if label:
            bar.step(label, total)
        yield bar
