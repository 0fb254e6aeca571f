"""The progress display of long commands (accord.cli.progress): on a terminal's stderr only, stdout left pure.

The commands run as processes with stderr on a pseudo-terminal (what a user at a
terminal sees) and stdout on a pipe (what `accord … --json | jq` reads).
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import threading

import pytest
from rich.console import Console
from rich.progress import Progress, TextColumn

from accord.cli.progress import Bar

ACCORD = [sys.executable, "-c", "from accord.cli import main; main()"]


def _run(args: list[str], *, tty_stderr: bool) -> tuple[str, str]:
    """Run ``accord ARGS``: stdout on a pipe; stderr on a pseudo-terminal (or a pipe). Returns (stdout, stderr)."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    for var in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CI"):
        env.pop(var, None)
    if not tty_stderr:
        done = subprocess.run([*ACCORD, *args], capture_output=True, text=True, env=env, timeout=300, check=True)
        return done.stdout, done.stderr
    main_fd, term_fd = pty.openpty()
    proc = subprocess.Popen([*ACCORD, *args], stdout=subprocess.PIPE, stderr=term_fd, env=env)
    os.close(term_fd)
    err = bytearray()

    def read_terminal() -> None:  # while the command runs (a terminal's buffer is small)
        try:
            while chunk := os.read(main_fd, 65536):
                err.extend(chunk)
        except OSError:  # EIO: the command closed the terminal
            pass

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(main_fd)
    assert proc.returncode == 0, err.decode(errors="replace")
    return out.decode(), err.decode(errors="replace")


@pytest.fixture(scope="module")
def on_terminal() -> tuple[str, str]:
    return _run(["forecast", "--draws", "1200", "--json"], tty_stderr=True)


def test_a_long_command_shows_its_bar_on_a_terminals_stderr(on_terminal: tuple[str, str]) -> None:
    _, err = on_terminal
    assert "eu × 1200 draws" in err  # the bar's label, with the total of draws
    assert "1200/1200" in err  # the last frame before the bar is erased
    assert "\x1b[2K" in err  # transient: the bar's line is erased when the work is done


def test_json_stays_pure_json_with_the_bar_shown(on_terminal: tuple[str, str]) -> None:
    out, _ = on_terminal
    data = json.loads(out)
    assert data["draws"] == 1200 and data["issues"]


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    out, err = _run(["forecast", "--draws", "1", "--json"], tty_stderr=False)
    assert json.loads(out)["draws"] == 1
    assert err == ""


def test_bar_steps_counts_fractions_and_phases() -> None:
    display = Progress(TextColumn("{task.description} {task.fields[count]}"),
                       console=Console(file=io.StringIO(), force_terminal=True))
    bar = Bar(display)
    bar.count(1, 2)  # no step yet: nothing to update
    assert display.tasks == []
    bar.step("solve")
    bar.phase("pareto")
    assert (display.tasks[0].total, display.tasks[0].fields["count"]) == (None, "pareto")
    bar.step("draws", total=4)
    assert display.tasks[0].finished  # starting a step ends the one before
    bar.count(1, 4)
    bar.advance(2)
    bar.phase("eu")
    assert (display.tasks[1].completed, display.tasks[1].fields["count"]) == (3, "3/4  eu")
    bar.step("forecast", total=1.0)
    bar.fraction(1.5, "all chunks")
    assert (display.tasks[2].completed, display.tasks[2].fields["count"]) == (1.0, "all chunks")
    assert Bar().shown is False and bar.shown is True


def test_on_one_terminal_the_display_is_drawn_with_what_stdout_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli.progress import progress

    cli_app = sys.modules["accord.cli.app"]  # the module (accord.cli.app is also the name of the Typer app)

    out, err = io.StringIO(), io.StringIO()
    def terminal(file: io.StringIO) -> Console:
        return Console(file=file, force_terminal=True, force_interactive=True, width=100)

    monkeypatch.setattr(cli_app, "console", terminal(out), raising=False)
    monkeypatch.setattr(cli_app, "err_console", terminal(err), raising=False)
    with progress("sections", total=2) as bar:
        cli_app.console.print("section one")
        bar.advance()
    text = out.getvalue()
    assert "section one" in text and "sections" in text and "1/2" in text
    assert err.getvalue() == ""  # both on one screen: drawn through stdout's console, not beside it on stderr
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli_app, "console", Console(file=out, force_terminal=False), raising=False)
    monkeypatch.setattr(cli_app, "err_console", terminal(err), raising=False)
    with progress("sections", total=2) as bar:  # stdout piped: the display on stderr, stdout untouched
        cli_app.console.print("section one")
        bar.advance()
    assert out.getvalue() == "section one\n" and "sections" in err.getvalue() and "1/2" in err.getvalue()
