"""A small mixed-integer model handed to HiGHS, rebuilt for every solve.

:class:`Milp` collects columns (bounds, integrality) and sparse rows, and
:meth:`Milp.solve` passes them to HiGHS (through ``highspy``) with tight
tolerances — relative MIP gap 0, absolute gap 1e-10, feasibility 1e-10 — so
that optima are exact up to those tolerances. HiGHS prints a banner on the
first solver object of a process; :func:`_highs` creates that one with stdout
pointed at ``/dev/null`` so that ``--json`` output stays clean.

Reference: Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised
simplex method", Math. Prog. Comp. 10 (2018); HiGHS MIP solver, https://highs.dev.

>>> m = Milp()
>>> x = m.add_cols(3, integer=True)
>>> m.add_row(x, [1.0, 1.0, 1.0], hi=2.0)
>>> sol = m.solve({int(x[0]): 1.0, int(x[1]): 2.0, int(x[2]): 3.0}, maximize=True)
>>> sol.status, sol.value, [round(v) for v in sol.x]
('optimal', 5.0, [0, 1, 1])
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

INF = float("inf")
_lock = threading.Lock()
_banner_done = False


def _highs() -> Any:
    """A silent ``highspy.Highs`` (the first one of a process is made with stdout muted)."""
    global _banner_done
    import highspy

    if not _banner_done:
        with _lock:
            if not _banner_done:
                sys.stdout.flush()
                saved = os.dup(1)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                try:
                    h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
                    os.close(null)
                _banner_done = True
                return h
    return highspy.Highs()


@dataclass
class MilpSolution:
    """What one solve returned: ``status`` is optimal, infeasible or limit."""

    status: str
    x: NDArray[np.float64]
    value: float
    bound: float


@dataclass
class Milp:
    """Columns and rows of a MILP; cheap to copy, rebuilt for HiGHS on each :meth:`solve`."""

    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[NDArray[np.int64], NDArray[np.float64], float, float]] = field(default_factory=list)
    time_limit: float | None = None

    @property
    def ncols(self) -> int:
        return len(self.lo)

    def add_cols(self, n: int, lo: float = 0.0, hi: float = 1.0, integer: bool = False) -> NDArray[np.int64]:
        start = len(self.lo)
        self.lo.extend([lo] * n)
        self.hi.extend([hi] * n)
        self.integer.extend([integer] * n)
        return np.arange(start, start + n, dtype=np.int64)

    def add_row(
        self, idx: Sequence[int] | NDArray[np.int64], val: Sequence[float] | NDArray[np.float64],
        lo: float = -INF, hi: float = INF,
    ) -> None:
        i = np.asarray(idx, dtype=np.int64)
        v = np.asarray(val, dtype=np.float64)
        keep = v != 0.0
        self.rows.append((i[keep], v[keep], float(lo), float(hi)))

    def _run(self, lp: Any, start: NDArray[np.float64] | None, presolve: bool, rel_gap: float = 0.0) -> Any:
        import highspy

        h = _highs()
        for name, v in (
            ("output_flag", False), ("mip_rel_gap", rel_gap), ("mip_abs_gap", 1e-10),
            ("mip_feasibility_tolerance", 1e-9), ("primal_feasibility_tolerance", 1e-9),
            ("random_seed", 0), ("small_matrix_value", 1e-12), ("presolve", "on" if presolve else "off"),
        ):
            h.setOptionValue(name, v)
        if self.time_limit is not None:
            h.setOptionValue("time_limit", float(self.time_limit))
        h.passModel(lp)
        if start is not None and len(start) == lp.num_col_:
            sol = highspy.HighsSolution()
            sol.col_value = list(map(float, start))
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        return h

    def copy(self) -> Milp:
        return Milp(list(self.lo), list(self.hi), list(self.integer), list(self.rows), self.time_limit)

    def solve(
        self, objective: Mapping[int, float] | NDArray[np.float64], maximize: bool = False,
        start: NDArray[np.float64] | None = None, confirm: bool = True, rel_gap: float = 0.0,
    ) -> MilpSolution:
        """Optimise ``objective`` (column → coefficient, or a dense array).

        ``start``: a full column vector HiGHS may use as its first incumbent.
        ``confirm``: re-solve without presolve before answering "infeasible".
        ``rel_gap``: stop at this relative MIP gap (0: prove optimality).
        """
        import highspy

        n = self.ncols
        cost = np.zeros(n)
        if isinstance(objective, Mapping):
            for c, v in objective.items():
                cost[c] += v
        else:
            cost[: len(objective)] = objective
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = -cost if maximize else cost
        lp.col_lower_ = np.array(self.lo, dtype=float)
        lp.col_upper_ = np.array(self.hi, dtype=float)
        lens = [len(r[0]) for r in self.rows]
        starts = np.zeros(len(self.rows) + 1, dtype=np.int32)
        if self.rows:
            starts[1:] = np.cumsum(lens)
            index = np.concatenate([r[0] for r in self.rows]).astype(np.int32)
            value = np.concatenate([r[1] for r in self.rows])
        else:
            index = np.zeros(0, dtype=np.int32)
            value = np.zeros(0)
        lp.row_lower_ = np.array([r[2] for r in self.rows], dtype=float)
        lp.row_upper_ = np.array([r[3] for r in self.rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(self.rows)
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[b] for b in self.integer]
        h = self._run(lp, start, presolve=True, rel_gap=rel_gap)
        status = h.modelStatusToString(h.getModelStatus())
        infeasible = status in ("Infeasible", "Primal infeasible or unbounded")
        if (confirm and infeasible) or (status != "Optimal" and not infeasible and self.time_limit is None):
            # HiGHS' presolve has been seen to declare feasible models infeasible under tight
            # tolerances, and to end in "Solve error" when postsolve broke a constraint: such
            # verdicts are checked by solving again without presolve.
            h = self._run(lp, None, presolve=False, rel_gap=rel_gap)
            status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        if status == "Optimal":
            x = np.array(h.getSolution().col_value, dtype=float)
            sign = -1.0 if maximize else 1.0
            bound = sign * info.mip_dual_bound if any(self.integer) else sign * info.objective_function_value
            return MilpSolution("optimal", x, float(cost @ x), float(bound))
        if status in ("Infeasible", "Primal infeasible or unbounded"):
            return MilpSolution("infeasible", np.zeros(n), float("nan"), float("nan"))
        x = np.array(h.getSolution().col_value, dtype=float) if info.primal_solution_status == 2 else np.zeros(n)
        return MilpSolution("limit", x, float(cost @ x), float("nan"))
