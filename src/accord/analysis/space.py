"""The case as arrays: the one numeric view that solve and forecast share.

A :class:`Space` fixes an order of actors and issues and holds, for each
actor *k*, issue *i* and option *j*:

- ``weighted[k][i]`` — a float array over the options of issue *i*:
  ``salience[k, i] * utility_k(option j)``, so that an actor's utility for a
  package is the sum of one entry per issue;
- ``allowed[k][i]`` — a bool array: False where option *j* is on actor *k*'s red line;
- ``axis[i]`` — option positions on the 0–100 axis; ``ideal[k, i]`` the actor's ideal on it;
- ``salience``, ``capability``, ``batna`` — arrays over actors (× issues).

>>> from accord.model import DEFAULT_CASE, load_case
>>> s = space_of(load_case(DEFAULT_CASE))
>>> s.utility(s.actor_index(s.case.axis.low), s.package_index(s.case.status_quo())) <= 1.0
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.model import Case, Package

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Space:
    case: Case
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    axis: tuple[FloatArray, ...]
    weighted: tuple[tuple[FloatArray, ...], ...]
    allowed: tuple[tuple[BoolArray, ...], ...]
    salience: FloatArray  # actors × issues
    ideal: FloatArray  # actors × issues, on the axis (status quo axis where no position)
    capability: FloatArray  # actors
    batna: FloatArray  # actors

    def actor_index(self, actor: str) -> int:
        return self.actors.index(actor)

    def package_index(self, package: Mapping[str, str]) -> tuple[int, ...]:
        """Option indices, in issue order, of a package given as issue → option id."""
        return tuple(self.options[i].index(package[iss]) for i, iss in enumerate(self.issues))

    def package_of(self, index: Sequence[int]) -> Package:
        """The package (issue → option id) of option indices in issue order."""
        return {iss: self.options[i][j] for i, (iss, j) in enumerate(zip(self.issues, index, strict=True))}

    def utility(self, k: int, index: Sequence[int]) -> float:
        """Actor ``k``'s utility for the package with option indices ``index``."""
        return float(sum(self.weighted[k][i][j] for i, j in enumerate(index)))

    def crosses(self, k: int, index: Sequence[int]) -> list[int]:
        """Issues (indices) where the package is on actor ``k``'s red line."""
        return [i for i, j in enumerate(index) if not self.allowed[k][i][j]]


def space_of(case: Case, actors: Sequence[str] | None = None) -> Space:
    """Build the numeric view of ``case`` for ``actors`` (default: every actor)."""
    actor_ids = tuple(actors) if actors is not None else tuple(case.actor_ids)
    issues = case.issues
    options = tuple(tuple(iss.option_ids) for iss in issues)
    axis = tuple(np.array([o.axis for o in iss.options], dtype=float) for iss in issues)
    weighted = []
    allowed = []
    sal = np.zeros((len(actor_ids), len(issues)))
    ideal = np.zeros((len(actor_ids), len(issues)))
    for k, a in enumerate(actor_ids):
        w_row, a_row = [], []
        for i, iss in enumerate(issues):
            pos = case.position(a, iss.id)
            s = pos.salience.value if pos else 0.0
            sal[k, i] = s
            ideal[k, i] = iss.axis(pos.ideal) if pos else iss.axis(iss.status_quo)
            u = np.array([case.utility(a, iss.id, o) for o in options[i]])
            w_row.append(s * u)
            red = set(pos.red_line) if pos else set()
            a_row.append(np.array([o not in red for o in options[i]]))
        weighted.append(tuple(w_row))
        allowed.append(tuple(a_row))
    cap = np.array([case.actor(a).capability.value for a in actor_ids], dtype=float)
    batna = np.array([case.actor(a).batna.value for a in actor_ids], dtype=float)
    return Space(
        case=case,
        actors=actor_ids,
        issues=tuple(case.issue_ids),
        options=options,
        axis=axis,
        weighted=tuple(weighted),
        allowed=tuple(allowed),
        salience=sal,
        ideal=ideal,
        capability=cap,
        batna=batna,
    )
