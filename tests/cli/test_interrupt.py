"""Ctrl-C is never lost: a SIGINT swallowed inside a ``__del__`` is raised again at the next progress report."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# a process of its own: it installs the handler the `accord` entry point installs, then gets SIGINT while the
# garbage collector runs a __del__ (as the `regex` package's do during `accord extract`): Python prints
# "Exception ignored in" and goes on; the next progress report must raise the interrupt again
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from accord.cli import interrupt
    from accord.cli.progress import Bar
    if sys.argv[1] == "install":
        interrupt.install()

    class Dies:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs here, inside __del__, and its KeyboardInterrupt is dropped
                pass

    Dies()
    print("after the swallowed interrupt", flush=True)
    try:
        Bar().advance(1)
    except KeyboardInterrupt:
        print("raised again at the report")
        sys.exit(130)
    print("went on")
    """
)


def run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c code args`` with this interpreter and accord importable."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60)


def test_a_swallowed_ctrl_c_stops_the_command_at_its_next_progress_report():
    got = run(SCRIPT, "install")
    assert "after the swallowed interrupt" in got.stdout  # it was swallowed …
    assert "Exception ignored" not in got.stderr, got.stderr  # (without the traceback Python prints for it)
    assert "raised again at the report" in got.stdout and got.returncode == 130  # … and raised again


def test_without_the_handler_the_press_is_lost():
    """The same script with Python's own handler: the interrupt is gone (what the handler is for)."""
    got = run(SCRIPT, "plain")
    assert "Exception ignored in" in got.stderr
    assert "went on" in got.stdout and got.returncode == 0


def test_an_ignored_sigint_stays_ignored():
    """A background job (SIGINT ignored) keeps it ignored: install() replaces only Python's own handler."""
    code = (
        "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); from accord.cli import interrupt; "
        "interrupt.install(); print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
    )
    assert run(code).stdout.strip() == "True"


def test_other_unraisable_errors_still_reach_the_hook_in_place():
    """install() hides only a swallowed Ctrl-C; anything else goes to the hook set before it, whoever set it."""
    code = textwrap.dedent(
        """
        import signal, sys
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from accord.cli import interrupt
        sys.unraisablehook = lambda u: print("reported", u.exc_type.__name__)
        interrupt.install()

        class Dies:
            def __del__(self):
                raise ValueError("in __del__")

        Dies()
        """
    )
    assert run(code).stdout.strip() == "reported ValueError"
