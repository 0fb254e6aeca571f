"""The ``accord`` command line.

>>> from typer.testing import CliRunner
>>> from accord.model import DEFAULT_CASE
>>> result = CliRunner().invoke(app, ["validate", DEFAULT_CASE])
>>> result.exit_code
0
"""

from __future__ import annotations

import sys

from accord.cli import backtest as _backtest  # noqa: F401  (registers commands)
from accord.cli import calibrate as _calibrate  # noqa: F401
from accord.cli import case as _case  # noqa: F401
from accord.cli import demo as _demo  # noqa: F401
from accord.cli import extract as _extract  # noqa: F401
from accord.cli import forecast as _forecast  # noqa: F401
from accord.cli import monitor as _monitor  # noqa: F401
from accord.cli import moves as _moves  # noqa: F401
from accord.cli import record as _record  # noqa: F401
from accord.cli import review as _review  # noqa: F401
from accord.cli import show as _show  # noqa: F401
from accord.cli import solve as _solve  # noqa: F401
from accord.cli.app import app
from accord.errors import AccordError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``accord`` console script."""
    try:
        app()
    except AccordError as e:
        # plain writes: one problem per line, never wrapped (scripts grep these)
        sys.stderr.write("".join(f"error: {line}\n" for line in e.lines()))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
