"""What :mod:`accord.analysis.solve` returns: plain dataclasses, each with a one-paragraph ``explain()``.

Packages are ``issue → option`` dicts; utilities and gains (utility − batna)
are per actor. Every result carries ``goal``, ``status``, the required
``actors`` and ``notes`` (diagnostics such as an issue whose every option is on
someone's red line). JSON (``accord solve --json``) is these fields as they are.

>>> s = Scored(package={"a": "a0"}, utilities={"north": 0.4}, gains={"north": 0.1})
>>> s.min_gain()
0.1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


def _f(v: float) -> str:
    return f"{v:.3f}"


def _join(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


@dataclass(frozen=True)
class Scored:
    """A package with each required actor's utility and gain over its batna."""

    package: dict[str, str]
    utilities: dict[str, float]
    gains: dict[str, float]

    def min_gain(self) -> float:
        return min(self.gains.values()) if self.gains else 0.0

    def describe_gains(self) -> str:
        return ", ".join(f"{a} {v:+.3f}" for a, v in self.gains.items())


@dataclass(frozen=True)
class Constraint:
    """A red line (``actor`` rejects ``options`` of ``issue``) or a batna floor of ``actor``."""

    kind: Literal["red_line", "batna"]
    actor: str
    issue: str | None = None
    options: tuple[str, ...] = ()
    batna: float | None = None

    def __str__(self) -> str:
        if self.kind == "red_line":
            return f"{self.actor} drops its red line on {self.issue} ({', '.join(self.options)})"
        return f"{self.actor} accepts less than its batna ({_f(self.batna or 0.0)})"


@dataclass(frozen=True)
class Conflict:
    """A minimal set of constraints whose removal lets a package exist, and the package it allows."""

    drop: tuple[Constraint, ...]
    witness: Scored

    def __str__(self) -> str:
        return _join([str(c) for c in self.drop])


@dataclass(frozen=True, kw_only=True)
class SolveResult:
    """Fields every goal's result has."""

    goal: str
    status: str
    actors: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def _who(self) -> str:
        return _join(list(self.actors))

    def _notes(self) -> str:
        return (" " + " ".join(self.notes)) if self.notes else ""

    def explain(self) -> str:  # pragma: no cover - every subclass overrides
        return f"{self.goal}: {self.status}.{self._notes()}"


@dataclass(frozen=True, kw_only=True)
class Feasibility(SolveResult):
    """``status`` feasible | infeasible; ``package``: the acceptable package nearest the status quo.

    Nearest: the fewest issues off the status quo (``moved``, in case order),
    then the first in the tie order.
    """

    package: Scored | None = None
    moved: tuple[str, ...] = ()

    def explain(self) -> str:
        if self.package is None:
            return (
                f"No package is acceptable to all of {self._who()}: every package crosses a red line "
                f"or leaves someone below its batna.{self._notes()} "
                "Run the conflicts goal to see which red lines or batnas would have to move."
            )
        gains = self.package.gains
        low = min(gains, key=lambda a: gains[a]) if gains else ""
        return (
            f"At least one package is acceptable to {self._who()}: it crosses none of their red lines "
            f"and gives each at least its batna (smallest gain: {low}, {gains.get(low, 0):+.3f}). "
            f"The one shown is the nearest to the status quo: it moves {len(self.moved)} "
            f"issue{'' if len(self.moved) == 1 else 's'}{(' (' + ', '.join(self.moved) + ')') if self.moved else ''}, "
            "and no acceptable package moves fewer; among those that move as few, it keeps the status quo "
            "issue by issue in case order. It is not the best for anyone: see nash, ks or maximin."
            f"{self._notes()}"
        )


@dataclass(frozen=True, kw_only=True)
class Conflicts(SolveResult):
    """``status`` feasible (nothing to drop) | conflicts; ``conflicts`` smallest first."""

    conflicts: tuple[Conflict, ...] = ()
    complete: bool = True

    def explain(self) -> str:
        if self.status == "feasible":
            return f"There is no conflict: some package is acceptable to all of {self._who()}.{self._notes()}"
        ways = [f"({n}) {c}" for n, c in enumerate(self.conflicts, 1)]
        size = len(self.conflicts[0].drop) if self.conflicts else 0
        tail = (
            "These are all the minimal ways." if self.complete
            else f"The list stops at {len(self.conflicts)}; more minimal ways exist."
        )
        return (
            f"No package is acceptable to all of {self._who()}. The smallest change needs {size} "
            f"constraint{'s' if size != 1 else ''} to move. No deal unless: {' or '.join(ways)}. "
            f"Each way is minimal (keeping any one of its constraints again leaves no package), "
            f"smallest first. {tail}{self._notes()}"
        )


@dataclass(frozen=True, kw_only=True)
class Frontier(SolveResult):
    """``points``: one package per Pareto-optimal utility vector of ``among``, best for ``among[0]`` first.

    ``status`` optimal | infeasible (no acceptable package); ``complete``: no
    point was left out by the limit; ``method``: merge (issue by issue) or
    milp (point by point).
    """

    method: str = "merge"
    among: tuple[str, ...] = ()
    points: tuple[Scored, ...] = ()
    complete: bool = True

    def explain(self) -> str:
        if not self.points:
            return f"No package is acceptable to all of {self._who()}, so there is no frontier.{self._notes()}"
        first, last = self.points[0], self.points[-1]

        def u(p: Scored) -> str:
            return ", ".join(f"{a} {_f(p.utilities[a])}" for a in self.among)

        tail = "" if self.complete else " The list stops at its limit; more points exist."
        return (
            f"{len(self.points)} package{'s' if len(self.points) != 1 else ''} lie on the Pareto frontier "
            f"of {_join(list(self.among))} among the packages acceptable to {self._who()}, from ({u(first)}) "
            f"to ({u(last)}). Every other acceptable package is worse for one of them without being better "
            "for another (weakly dominated packages are left out); where several packages give the same "
            f"utilities, the first in the tie order (the status quo kept issue by issue in case order) is shown."
            f"{tail}{self._notes()}"
        )


@dataclass(frozen=True, kw_only=True)
class Bargain(SolveResult):
    """A bargaining solution (goal nash | ks | maximin).

    ``status`` optimal | infeasible | degenerate (nash: every acceptable package
    leaves someone at its batna; the maximin package is shown) | gap (nash
    stopped before closing the gap). ``value``: the Nash product, the smallest
    Kalai–Smorodinsky ratio, or the smallest gain; ``bound``: a proven upper
    bound on it; ``gap``: ``(bound − value) / bound``.
    """

    package: Scored | None = None
    value: float | None = None
    bound: float | None = None
    gap: float | None = None
    iterations: int = 0
    ideal: dict[str, float] | None = None

    def explain(self) -> str:
        if self.package is None:
            return (
                f"No package is acceptable to all of {self._who()}, so there is no {self.goal} package."
                f"{self._notes()}"
            )
        g = self.package.describe_gains()
        if self.goal == "nash":
            if self.status == "degenerate":
                return (
                    f"Every acceptable package leaves at least one of {self._who()} exactly at its batna, so "
                    f"every Nash product is 0; the maximin package is shown instead (gains: {g}).{self._notes()}"
                )
            return (
                f"The Nash bargaining package maximises the product of the gains of {self._who()} over "
                f"their batnas: product {self.value:.6g}, proven within a relative gap of {self.gap:.1e} of "
                f"the optimum (upper bound {self.bound:.6g}) after {self.iterations} rounds of tangent cuts "
                f"on the logarithm. Gains: {g}.{self._notes()}"
            )
        if self.goal == "ks":
            ideal = ", ".join(f"{a} {_f(v)}" for a, v in (self.ideal or {}).items())
            return (
                f"The Kalai–Smorodinsky package gives each of {self._who()} the largest common share of the way "
                f"from its batna to its ideal (the best it gets in any acceptable package: {ideal}): every "
                f"actor gets at least {self.value:.3f} of its possible gain; ties go to the larger total "
                f"share. Gains: {g}.{self._notes()}"
            )
        return (
            f"The maximin (egalitarian) package makes the smallest gain over batna among {self._who()} as "
            f"large as it can be: {self.value:+.3f}; ties go to the larger total gain. Gains: {g}.{self._notes()}"
        )


@dataclass(frozen=True)
class Change:
    """One amendment: ``issue`` moves from ``before`` to ``after``; ``provisions`` of the plan that settle it."""

    issue: str
    before: str
    after: str
    provisions: tuple[str, ...]

    def __str__(self) -> str:
        where = f"provision {', '.join(self.provisions)}" if self.provisions else "a new provision"
        return f"{self.issue}: {self.before} → {self.after} ({where})"


@dataclass(frozen=True)
class Amended:
    """A plan after ``changes``: the package and its scores."""

    changes: tuple[Change, ...]
    package: Scored


@dataclass(frozen=True, kw_only=True)
class Amendment(SolveResult):
    """``fewest``: the fewest changes that make ``plan`` acceptable to all; ``best``: the best plan within ``k``.

    ``status`` accepted (the plan already is) | amendable | infeasible (no package
    is acceptable). ``rejecting``: actors who reject the plan as it stands.
    """

    plan: str
    objective: str = "nash"
    k: int | None = None
    plan_package: Scored | None = None
    rejecting: tuple[str, ...] = ()
    fewest: Amended | None = None
    best: Amended | None = None
    best_value: float | None = None

    def explain(self) -> str:
        if self.status == "infeasible":
            return (
                f"No change to plan {self.plan} can work: no package at all is acceptable to {self._who()} "
                f"(run the conflicts goal).{self._notes()}"
            )
        if self.status == "accepted":
            head = f"Plan {self.plan} is already acceptable to {self._who()}; no change is needed."
        else:
            n = len(self.fewest.changes) if self.fewest else 0
            changes = "; ".join(str(c) for c in self.fewest.changes) if self.fewest else ""
            head = (
                f"Plan {self.plan} is rejected by {_join(list(self.rejecting))}. The fewest changes that make it "
                f"acceptable to {self._who()}: {n} ({changes}); among such minimal amendments the one shown "
                "gives the least-satisfied actor the most."
            )
        if self.k is None:
            return head + self._notes()
        what = "Nash product" if self.objective == "nash" else "smallest gain over batna"
        if self.best is None:
            return f"{head} Within {self.k} change(s) no acceptable plan exists.{self._notes()}"
        changes = "; ".join(str(c) for c in self.best.changes) or "none"
        return (
            f"{head} Within {self.k} change(s), the plan that maximises the {what} ({self.best_value:.6g}) "
            f"changes: {changes}.{self._notes()}"
        )
