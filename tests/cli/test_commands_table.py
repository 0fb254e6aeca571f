"""The table of commands behind the lazily built ``accord`` group (accord.cli.commands).

The top-level group lists the commands from one table and builds a command
only when it is run: the table must list exactly the commands the modules
register, each with its own one-line help, and ``--help`` must read exactly as
typer's own (eagerly built) group writes it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from accord.cli import app
from accord.cli.app import registry
from accord.cli.commands import COMMANDS, Group, load_all

runner = CliRunner()


def _name(info: typer.models.CommandInfo) -> str:
    return info.name or typer.main.get_command_name(getattr(info.callback, "__name__", ""))


@pytest.fixture(scope="module")
def registered() -> dict[str, str]:
    """Every command and group the command modules register: name → module (under accord.cli)."""
    load_all()
    out: dict[str, str] = {}
    for c in registry.registered_commands:
        out[_name(c)] = getattr(c.callback, "__module__", "")
    for g in registry.registered_groups:
        assert g.typer_instance is not None and g.name is not None
        first = (g.typer_instance.registered_commands or [None])[0]
        out[g.name] = getattr(getattr(first, "callback", None), "__module__", "")
    return out


def test_the_table_lists_exactly_the_registered_commands(registered: dict[str, str]) -> None:
    assert len(registered) == len(registry.registered_commands) + len(registry.registered_groups)  # no name twice
    assert set(COMMANDS) == set(registered)
    assert {n: f"accord.cli.{e.module}" for n, e in COMMANDS.items()} == registered
    # nothing registers on the top-level app itself (it would bypass the table)
    assert app.registered_commands == [] and app.registered_groups == []


def test_each_one_line_help_is_the_commands_own(registered: dict[str, str]) -> None:
    group = typer.main.get_command(app)
    for name, entry in COMMANDS.items():
        cmd = group.get_command(None, name)  # type: ignore[attr-defined]
        assert cmd is not None and cmd.name == name
        assert cmd.get_short_help_str(10**6) == entry.help, name


def _eager() -> typer.Typer:
    """Typer's own group over the same registrations: every command built up front (the oracle)."""
    eager = typer.Typer(name="accord", help=app.info.help, no_args_is_help=True, add_completion=False,
                        pretty_exceptions_enable=False, rich_markup_mode=None)
    eager.registered_commands = list(registry.registered_commands)
    eager.registered_groups = list(registry.registered_groups)
    return eager


@pytest.mark.parametrize("width", [50, 80, 200])
def test_help_reads_as_typers_own_group_writes_it(registered: dict[str, str], width: int) -> None:
    lazy = runner.invoke(app, ["--help"], terminal_width=width, env={"COLUMNS": str(width)})
    eager = runner.invoke(_eager(), ["--help"], terminal_width=width, env={"COLUMNS": str(width)})
    assert lazy.exit_code == eager.exit_code == 0
    head, _, rows = lazy.output.partition("Commands:")
    eager_head, _, eager_rows = eager.output.partition("Commands:")
    assert head == eager_head
    # the same rows (typer orders them by registration, i.e. import order; the table keeps the listed order)
    assert sorted(rows.splitlines()) == sorted(eager_rows.splitlines())
    assert [r.split()[0] for r in rows.strip().splitlines() if not r.startswith("   ")] == list(COMMANDS)


@pytest.mark.parametrize("args", [["plans", "--help"], ["extract", "eval", "--help"], ["moves", "--help"]])
def test_a_commands_own_help_is_unchanged(registered: dict[str, str], args: list[str]) -> None:
    lazy, eager = runner.invoke(app, args), runner.invoke(_eager(), args)
    assert lazy.exit_code == eager.exit_code == 0 and lazy.output == eager.output


def test_every_group_is_a_group_whose_absent_help_flag_is_false(registered: dict[str, str]) -> None:
    def groups(cmd: object) -> list[object]:
        subs = getattr(cmd, "commands", None)
        return [cmd, *(g for sub in subs.values() for g in groups(sub))] if subs is not None else []

    found = groups(typer.main.get_command(app))
    assert len(found) == 1 + len(registry.registered_groups)
    assert all(isinstance(g, Group) for g in found), [g for g in found if not isinstance(g, Group)]


def test_a_typo_still_gets_a_suggestion() -> None:
    r = runner.invoke(app, ["asess"])
    assert r.exit_code == 2 and "No such command 'asess'. Did you mean 'assess'?" in r.output


PROBE = """
import json, sys
from accord.cli import main
sys.argv = ["accord", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("accord.cli.", "rich", "pydantic", "numpy")))),
      file=sys.stderr)
"""


def _imported(*args: str) -> list[str]:
    """The cli modules, rich, pydantic and numpy modules a real process has imported after ``accord ARGS``."""
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    return list(json.loads(r.stderr.strip().splitlines()[-1]))


def test_top_level_help_imports_no_command_module() -> None:
    # accord.cli.interrupt: the entry point's Ctrl-C handler (the signal module, nothing else)
    assert _imported("--help") == ["accord.cli.app", "accord.cli.commands", "accord.cli.interrupt"]


def test_a_commands_help_imports_its_own_module_only() -> None:
    loaded = _imported("moves", "--help")
    assert [m for m in loaded if m.startswith("accord.cli.")] == ["accord.cli.app", "accord.cli.commands",
                                                                  "accord.cli.interrupt", "accord.cli.moves"]
    assert not [m for m in loaded if m.startswith(("pydantic", "numpy"))]


def test_a_sub_commands_help_needs_no_pydantic() -> None:
    """Typer coerced the groups' absent --help flags through pydantic; the groups now say False (Group)."""
    assert not [m for m in _imported("plans", "list", "--help") if m.startswith(("pydantic", "numpy"))]
