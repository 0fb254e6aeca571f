"""The ``accord`` command line.

Importing it is cheap: the commands are listed from a table and each is
built only when run (:mod:`accord.cli.commands`).

>>> from typer.testing import CliRunner
>>> from accord.model import DEFAULT_CASE
>>> result = CliRunner().invoke(app, ["validate", DEFAULT_CASE])
>>> result.exit_code
0
"""

from __future__ import annotations

import sys

from accord.cli import interrupt
from accord.cli.app import app
from accord.errors import AccordError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``accord`` console script."""
    interrupt.install()
    try:
        app()
    except AccordError as e:
        # plain writes: one problem per line, never wrapped (scripts grep these)
        sys.stderr.write("".join(f"error: {line}\n" for line in e.lines()))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
