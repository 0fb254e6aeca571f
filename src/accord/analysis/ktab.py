"""Read KTAB's CSV input format, so that KTAB users can move their data over.

KTAB (the KAPSARC Toolkit for Behavioral Analysis, MIT licence) runs its
Spatial Model of Politics from a CSV file laid out as::

    NAME, DESCRIPTION, N_ACTORS, N_DIMS[, …]
    Actor, Description, Power, Dim1 Position, Dim1 Salience, …, DimN Position, DimN Salience
    A1, some text, 102.5, 75.8, 49.5, …
    …

Positions and saliences are on a 0–100 scale; an actor's saliences sum to at
most 100; power (capability) is ≥ 0. Trailing empty cells are allowed, as in
KTAB's own examples. :func:`parse_ktab_csv` is pure (text in, :class:`KtabInput`
out) and reports bad input as :class:`~accord.errors.AccordError` naming the
file, the line and the field.

>>> text = '''Demo,"three actors",3,1,
... Actor,Description,Power,Pos,Sal,
... A,first,10,20,50,
... B,second,10,60,50,
... C,third,5,90,40,'''
>>> k = parse_ktab_csv(text, "demo.csv")
>>> k.actors, k.dims, k.power.tolist(), k.position[:, 0].tolist()
(('A', 'B', 'C'), ('Pos',), [10.0, 10.0, 5.0], [20.0, 60.0, 90.0])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.errors import AccordError, Problem

MIN_ACTORS = 3  # KTAB's Model::minNumActor
MAX_ACTORS = 250  # KTAB's Model::maxNumActor


@dataclass(frozen=True)
class KtabInput:
    """One KTAB scenario: actors × dimensions, on KTAB's 0–100 scales."""

    name: str
    description: str
    actors: tuple[str, ...]
    descriptions: tuple[str, ...]
    dims: tuple[str, ...]
    power: NDArray[np.float64]  # actors
    position: NDArray[np.float64]  # actors × dims, 0–100
    salience: NDArray[np.float64]  # actors × dims, 0–100


def _num(cell: str, file: str, line: int, field: str) -> float:
    try:
        v = float(cell.strip())
    except ValueError:
        raise AccordError([Problem(file, line, field, f"expected a number, got {cell.strip()!r}")]) from None
    if not np.isfinite(v):
        raise AccordError([Problem(file, line, field, f"expected a finite number, got {cell.strip()!r}")])
    return v


def parse_ktab_csv(text: str, file: str = "<ktab>") -> KtabInput:
    """Parse KTAB CSV text (see the module docstring); ``file`` names it in errors."""

    def fail(line: int | None, field: str, message: str) -> AccordError:
        return AccordError([Problem(file, line, field, message)])

    rows = [
        (n, [c.strip() for c in row])
        for n, row in enumerate(csv.reader(io.StringIO(text), skipinitialspace=True), start=1)
    ]
    rows = [(n, r) for n, r in rows if any(c for c in r)]
    if len(rows) < 2:
        raise fail(None, "", "expected a header line (name, description, actors, dimensions), "
                   "a column line and one line per actor")
    (l0, head), (l1, cols) = rows[0], rows[1]
    if len(head) < 4:
        raise fail(l0, "header", "expected: scenario name, description, number of actors, number of dimensions")
    n_act = _num(head[2], file, l0, "number of actors")
    n_dim = _num(head[3], file, l0, "number of dimensions")
    if n_act != int(n_act) or not MIN_ACTORS <= n_act <= MAX_ACTORS:
        raise fail(l0, "number of actors", f"{head[2]} is not a whole number in [{MIN_ACTORS}, {MAX_ACTORS}]")
    if n_dim != int(n_dim) or n_dim < 1:
        raise fail(l0, "number of dimensions", f"{head[3]} is not a whole number ≥ 1")
    na, nd = int(n_act), int(n_dim)
    if len(cols) < 3 + 2 * nd:
        raise fail(l1, "columns", "expected Actor, Description, Power and a position and a salience "
                   f"column for each of {nd} dimensions")
    dims = tuple(cols[3 + 2 * d] or f"Dim{d}" for d in range(nd))
    body = rows[2:]
    if len(body) != na:
        raise fail(l0, "number of actors", f"header says {na} actors; the file has {len(body)} actor lines")
    names: list[str] = []
    descs: list[str] = []
    power = np.zeros(na)
    pos = np.zeros((na, nd))
    sal = np.zeros((na, nd))
    problems: list[Problem] = []
    for i, (ln, row) in enumerate(body):
        if len(row) < 3 + 2 * nd:
            problems.append(Problem(file, ln, "row", f"expected {3 + 2 * nd} cells, got {len(row)}"))
            continue
        name = row[0]
        if not name:
            problems.append(Problem(file, ln, "Actor", "actor name is empty"))
        if name in names:
            problems.append(Problem(file, ln, "Actor", f"duplicate actor name {name!r}"))
        names.append(name)
        descs.append(row[1])
        try:
            power[i] = _num(row[2], file, ln, f"{name}.Power")
            if power[i] < 0:
                problems.append(Problem(file, ln, f"{name}.Power", f"capability {row[2]} is negative; expected ≥ 0"))
            for d in range(nd):
                p = _num(row[3 + 2 * d], file, ln, f"{name}.{dims[d]}")
                s = _num(row[4 + 2 * d], file, ln, f"{name}.{dims[d]} salience")
                if not 0 <= p <= 100:
                    problems.append(Problem(file, ln, f"{name}.{dims[d]}", f"position {p:g} outside [0, 100]"))
                if not 0 <= s <= 100:
                    problems.append(Problem(file, ln, f"{name}.{dims[d]} salience", f"salience {s:g} outside [0, 100]"))
                pos[i, d], sal[i, d] = p, s
        except AccordError as e:
            problems.extend(e.problems)
            continue
        if sal[i].sum() > 100 + 1e-9:
            total = sal[i].sum()
            problems.append(Problem(file, ln, f"{name}.salience", f"saliences sum to {total:g}; expected at most 100"))
    if problems:
        raise AccordError(problems)
    return KtabInput(
        name=head[0], description=head[1], actors=tuple(names), descriptions=tuple(descs),
        dims=dims, power=power, position=pos, salience=sal,
    )
