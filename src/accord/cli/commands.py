"""The table of ``accord``'s commands, and the group that builds a command only when it is run.

``accord --help`` lists every command from :data:`COMMANDS` — its name, the
module that defines it and its one-line help — without importing any command
module; ``accord NAME …`` (or ``accord NAME --help``) imports that one module
and builds that one command with typer. Each command's own definition (its
options, help, behaviour) stays where it was, on
:data:`registry`; a test checks this table lists exactly the
commands the modules register, each with its own one-line help.

>>> COMMANDS["validate"]
Entry(module='case', help='Check a case folder: every file, field and cross-reference.')
>>> import sys
>>> from typer.main import get_command
>>> from accord.cli import app
>>> group = get_command(app)
>>> group.get_command(None, "moves").name, "accord.cli.moves" in sys.modules
('moves', True)
>>> group.get_command(None, "no-such-command") is None
True
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter


class Entry(NamedTuple):
    """A command in the table: the module under ``accord.cli`` that registers it, and its one-line help."""

    module: str
    help: str


# The order is the order of `accord --help`.
COMMANDS: dict[str, Entry] = {
    "forecast": Entry("forecast", "Forecast the outcome: a model beside every baseline, over Monte Carlo draws; "
                      "scenario probabilities."),
    "backtest": Entry("backtest", "Score every model and baseline, forecasting as of a date, against a later plan "
                      "or recorded outcomes."),
    "calibrate": Entry("calibrate", "Fit each actor's batna and utility curvature to its recorded decisions on "
                       "plans; before and after."),
    "validate": Entry("case", "Check a case folder: every file, field and cross-reference."),
    "assess": Entry("case", "Score plans for every actor: verdict per provision, utility, red lines, batna, tilt."),
    "demo": Entry("demo", "Run the main job on every bundled case: assess every plan, solve, forecast, monitor, "
                  "report."),
    "positions": Entry("extract", "The actor × issue matrix from claims: dominant stance, claims, latest date, "
                       "strongest evidence."),
    "timeline": Entry("extract", "Stance over time per actor and issue; phrases a party keeps repeating; topics it "
                      "stopped raising."),
    "sign": Entry("monitor", "Record a signed plan and derive its obligations (indicator, threshold, deadline, "
                  "obliged, verifier)."),
    "compliance": Entry("monitor", "The compliance board: each obligation's status with its reports and conflicts, "
                        "scorecard, timeline."),
    "export": Entry("monitor", "Back up the ledger as JSON Lines (entries, signed tree heads, log public keys)."),
    "import": Entry("monitor", "Restore a backup into an empty ledger (or one it extends); every hash and signature "
                    "is re-checked."),
    "moves": Entry("moves", "Every change of ideal, acceptable set, red line, firmness or salience between two "
                   "dates."),
    "review": Entry("review", "Compare dated claims with the position in effect on each claim's date; list the "
                    "proposed updates."),
    "report": Entry("show", "Write the report: one self-contained HTML file (opens offline) and its Markdown twin."),
    "serve": Entry("show", "Serve the dashboard at / and the REST API at /api/v1 (OpenAPI at /openapi.json)."),
    "solve": Entry("solve", "Search every package exactly: feasibility, conflicts, Pareto frontier, Nash/KS/maximin, "
                   "amendments."),
    "plans": Entry("case", "List plans and compare their versions."),
    "extract": Entry("extract", "Read articles (.txt .md .html, files or folders) into claims; `extract eval` scores "
                     "them against gold."),
    "keys": Entry("monitor", "Monitors' Ed25519 keys: create, register, list."),
    "reports": Entry("monitor", "Monitoring reports: add, import, sign, list."),
    "ledger": Entry("monitor", "The tamper-evident ledger: verify, tree head, proofs."),
    "record": Entry("record", "A case's public record: figures other bodies published, transcribed."),
    "edits": Entry("review", "The edits kept in the database (positions, plans, review decisions): list, export."),
    "token": Entry("show", "Bearer tokens for the web service's writes."),
}


# where the command modules register their commands (`@registry.command()`, `registry.add_typer(...)`)
registry = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def load_all() -> None:
    """Import every command module (``accord demo`` needs every module's demo section registered)."""
    for module in dict.fromkeys(entry.module for entry in COMMANDS.values()):
        importlib.import_module(f"accord.cli.{module}")


def build(name: str, like: TyperGroup) -> Command:
    """Import the module of command ``name`` and build that command alone, with the settings of group ``like``.

    A name the table lists but its module does not register is a defect of the table (a test checks there is none).
    """
    importlib.import_module(f"accord.cli.{COMMANDS[name].module}")
    one = typer.Typer(rich_markup_mode=like.rich_markup_mode, pretty_exceptions_enable=False,
                      add_completion=False)
    one.registered_commands = [c for c in registry.registered_commands
                               if (c.name or typer.main.get_command_name(getattr(c.callback, "__name__", ""))) == name]
    one.registered_groups = [g for g in registry.registered_groups if g.name == name]
    built = typer.main.get_group(one).commands.get(name)
    if built is None:
        raise LookupError(f"accord.cli.{COMMANDS[name].module} registers no command {name!r}")
    return built


class _Built(MutableMapping[str, "Command"]):
    """The commands of :data:`COMMANDS` by name, each built on first access (what :class:`LazyGroup` reads)."""

    def __init__(self, group: TyperGroup) -> None:
        self._group = group
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build(name, self._group)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._built]))


class Group(TyperGroup):
    """A typer group whose ``--help`` flag, when absent, is simply False.

    Typer leaves an absent flag's value None and coerces None through a pydantic
    TypeAdapter, importing pydantic (a tenth of a second and more) in every
    group a command line passes through, even for ``accord plans list --help``.
    Every group of the CLI uses this class (a test walks them).
    """

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


class LazyGroup(Group):
    """The top-level group: lists :data:`COMMANDS` from the table and builds a command only when it is looked up.

    Typer's own group builds every command's click parameters up front (from the
    type hints of every function, after importing every module); this one does
    that for the one command a run needs. Typo suggestions ("Did you mean …")
    still see every name.
    """

    def __init__(self, **attrs: Any) -> None:
        attrs.pop("commands", None)  # commands are registered on `registry`, not on the top-level app
        super().__init__(**attrs)
        self.commands = _Built(self)

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The commands section of ``--help``, from the table: the same rows typer writes, no module imported."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, TyperCommand(name=name, help=entry.help).get_short_help_str(limit))
                for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
