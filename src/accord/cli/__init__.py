"""The ``accord`` command line.

>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["validate", "ukraine_2025"])
>>> result.exit_code
0
"""

from __future__ import annotations

import sys

from accord.cli import case as _case  # noqa: F401  (registers commands)
from accord.cli import demo as _demo  # noqa: F401
from accord.cli.app import app, err_console
from accord.errors import AccordError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``accord`` console script."""
    try:
        app()
    except AccordError as e:
        for line in e.lines():
            err_console.print(f"error: {line}", markup=False, highlight=False)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
