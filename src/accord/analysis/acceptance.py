"""When an actor accepts a package: the one rule that assess and solve share.

An actor **accepts** a package when the package crosses none of its red lines
and its utility is at least its batna, within ``TOL = 1e-9``::

    accepts  ⇔  crossed == 0  and  U ≥ batna − TOL

Utilities that differ by less than ``TOL`` count as equal, so an actor whose
utility falls short of its batna by less than that still accepts (the
estimates behind a batna carry two or three digits, not nine).
:func:`accepts` works on numbers and, elementwise, on numpy arrays; the
solver's MILP uses :func:`batna_floor` as the right-hand side of each actor's
floor row, so a package it returns is one :func:`accepts` passes.

>>> accepts(0.3, 0.3000000005)
True
>>> accepts(0.3, 0.302)
False
>>> accepts(0.9, 0.3, crossed=1)
False
>>> import numpy as np
>>> accepts(np.array([0.5, 0.2]), np.array([0.4, 0.4])).tolist()
[True, False]
"""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import NDArray

__all__ = ["TOL", "accepts", "batna_floor"]

TOL = 1e-9
"""Two utilities closer than this are equal; an actor accepts when ``U ≥ batna − TOL``."""


def batna_floor(batna: float) -> float:
    """The least utility an actor accepts (its batna less ``TOL``).

    >>> batna_floor(0.5)
    0.499999999
    """
    return batna - TOL


@overload
def accepts(utility: float, batna: float, crossed: int = 0) -> bool: ...


@overload
def accepts(
    utility: NDArray[np.float64], batna: NDArray[np.float64] | float, crossed: NDArray[np.int64] | int = 0,
) -> NDArray[np.bool_]: ...


def accepts(
    utility: float | NDArray[np.float64], batna: float | NDArray[np.float64],
    crossed: int | NDArray[np.int64] = 0,
) -> bool | NDArray[np.bool_]:
    """Whether an actor accepts: ``crossed`` red lines none, and ``utility ≥ batna − TOL``.

    Numbers give a ``bool``; arrays give an elementwise boolean array.
    """
    ok = np.logical_and(np.asarray(utility) >= np.asarray(batna) - TOL, np.asarray(crossed) == 0)
    return bool(ok) if ok.ndim == 0 else ok
