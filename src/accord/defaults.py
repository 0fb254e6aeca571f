"""Defaults every layer shares, in a module that imports nothing (the CLI reads them before loading anything).

>>> from accord.model import bundled_cases
>>> DEFAULT_CASE in bundled_cases()
True
"""

from __future__ import annotations

DEFAULT_CASE = "ukraine_2025"
"""The bundled case a command reads when none is named (``--case``): the one place src/ names a case."""
DEFAULT_DB = "sqlite:///accord.db"
"""The database every command uses when given no ``--db`` (and ``$ACCORD_DB`` is unset): ``accord.db`` in the
working directory (:func:`accord.store.url.found_url`)."""
