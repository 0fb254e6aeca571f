"""The Typer application and what every command shares: the case option, JSON output, demo sections.

Command modules register themselves on :data:`registry`; the top-level
:data:`app` lists them from the table in :mod:`accord.cli.commands` and builds
only the one a run asks for (start-up stays fast). :func:`accord.cli.main`
runs it and turns any :class:`~accord.errors.AccordError` into one line per
problem on stderr and exit code 2 — never a traceback for bad input.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.commands import LazyGroup
from accord.cli.commands import registry as registry
from accord.defaults import DEFAULT_CASE as DEFAULT_CASE
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Case

app = typer.Typer(
    name="accord",
    help="Analyse and monitor peace negotiations: claims, positions, red lines, deals, forecasts, compliance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LazyGroup,
)


@app.callback()
def _group() -> None:  # no options of its own: it makes `app` a group (of the commands in the table)
    pass


console: Console  # stdout and stderr, made on first use (rich costs start-up time `accord --help` does not need)
err_console: Console


def __getattr__(name: str) -> Console:
    """``console`` and ``err_console``, made when a command first imports them."""
    if name not in ("console", "err_console"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    globals()[name] = (Console(highlight=False, soft_wrap=False) if name == "console"
                       else Console(stderr=True, highlight=False))
    return globals()[name]


CaseOpt = Annotated[
    str,
    typer.Option("--case", "-c", help="A case folder, or the name of a bundled case.", show_default=True),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON (stable; see docs/json.md).")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE",
                 help="View the case as known on DATE (YYYY-MM-DD): positions in effect then, plans and outcomes "
                      "dated by then. Default: the latest state."),
]


def as_of_date(text: str | dt.date | None, field: str = "--as-of") -> dt.date | None:
    """A date given on the command line (YYYY-MM-DD), or None.

    >>> as_of_date("2025-11-21")
    datetime.date(2025, 11, 21)
    >>> as_of_date("21/11/2025")
    Traceback (most recent call last):
    ...
    accord.errors.AccordError: --as-of: '21/11/2025' is not a date; expected YYYY-MM-DD
    """
    if text is None or isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AccordError([Problem("", None, field, f"'{text}' is not a date; expected YYYY-MM-DD")]) from None


def open_case(case: str, as_of: str | dt.date | None = None) -> Case:
    """Load a case for a command, as of a date when given (errors become the CLI's one-line problems)."""
    from accord.model import load_case

    return load_case(case).at(as_of_date(as_of))


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types from models, dataclasses, dates, tuples and numpy scalars."""
    if callable(getattr(obj, "model_dump", None)):  # a pydantic model
        return to_jsonable(obj.model_dump(mode="json", exclude_none=False))
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(obj, k)) for k in obj.__dataclass_fields__}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in obj]
        return sorted(items, key=str) if isinstance(obj, set | frozenset) else items
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        return obj.item()
    return obj


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented, key-sorted JSON on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, sort_keys=True, ensure_ascii=False) + "\n")


@dataclass
class DemoContext:
    """What a demo section gets: the case (and its folder), the console, and a folder for files it writes."""

    case: Case
    console: Console
    workdir: Path
    outputs: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None  # the case folder, for its documents (sample articles)


DemoSection = Callable[[DemoContext], None]
DEMO_SECTIONS: list[tuple[int, str, DemoSection]] = []


def demo_section(order: int, title: str) -> Callable[[DemoSection], DemoSection]:
    """Register a section of ``accord demo`` (lower ``order`` runs first)."""

    def register(fn: DemoSection) -> DemoSection:
        DEMO_SECTIONS.append((order, title, fn))
        DEMO_SECTIONS.sort(key=lambda t: t[0])
        return fn

    return register
