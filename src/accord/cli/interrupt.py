"""Ctrl-C that is never lost: a press is remembered, and raised again at the next progress report.

Python raises :class:`KeyboardInterrupt` wherever the main thread happens to
be when SIGINT arrives — and if that is a ``__del__`` method run by the
garbage collector (the ``regex`` package, which dateparser uses, has one on
objects ``accord extract`` creates by the thousand), the interpreter prints
"Exception ignored in …" and carries on: the press is gone and the command runs
to the end. :func:`install` (called by the ``accord`` entry point) makes SIGINT
also set a flag, and :func:`check` — which every progress report of
:class:`~accord.cli.progress.Bar` calls — raises the interrupt again while the
flag is set. A command that is interrupted properly never reaches a check
(the first exception ends it); one whose interrupt was swallowed stops at its
next report, without the "Exception ignored" traceback (the unraisable hook
passes over a swallowed interrupt). Where SIGINT is ignored (a background
job), nothing changes.

>>> check()                     # no press: nothing happens
>>> _pressed.append(True)
>>> try:
...     check()
... except KeyboardInterrupt:
...     print("raised again")
raised again
>>> _pressed.clear()
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

__all__ = ["check", "install"]

_pressed: list[bool] = []  # a list, changed in place: a press is seen by every module that imported it


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _pressed.append(True)
    raise KeyboardInterrupt


def install() -> None:
    """Remember Ctrl-C presses, where SIGINT has Python's own handler (not ignored, not someone else's)."""
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    signal.signal(signal.SIGINT, _on_sigint)
    report = sys.unraisablehook  # the hook in place now, whoever set it

    def unraisable(u: sys.UnraisableHookArgs) -> None:
        """Report what Python could not raise, except a Ctrl-C that :func:`check` raises again."""
        if not (_pressed and u.exc_type is not None and issubclass(u.exc_type, KeyboardInterrupt)):
            report(u)

    sys.unraisablehook = unraisable


def check() -> None:
    """Raise :class:`KeyboardInterrupt` if Ctrl-C was pressed (a press whose first raise was swallowed)."""
    if _pressed:
        raise KeyboardInterrupt
