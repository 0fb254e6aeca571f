"""Calibrate the utilities to the decisions the parties actually made.

The record (``outcomes.yaml``) holds decisions: an actor accepted a plan, took it
as a basis for talks, or rejected it, on a date. A utility that says an actor
values a plan above its batna when it rejected it is not calibrated to anything.
:func:`calibrate` fits, per actor, the two free parameters of its utility:

- ``batna`` — the value of no agreement (0–1);
- ``curvature`` — ``r`` in ``u = 1 − d^r`` for an option at distance ``d`` (0–1) from the
  actor's ideal (``1 − (1 − u)^r`` for an explicit utility table): 1 is linear; above 1
  small concessions cost little and large ones a lot; below 1 even small ones hurt.

A plan decision is *reproduced* when the actor's utility of the plan's package — with
the positions it held on the day of the decision (``case.at(date)``) — is at least its
batna exactly when it accepted or took the plan as a basis. The fit is a grid search
(``r`` from ¼ to 4 on a log scale, batna in steps of 0.005) for the most decisions
reproduced; among equally good fits, the one closest to the prior estimates. Each
actor is fitted on its own decisions only. With few decisions the fit is easy, so the
leave-one-out count (each decision predicted by a fit to the actor's others) is
reported beside it. Decisions that are conditional, or on one issue rather than a
plan, are listed as not scored, with why.

Red lines are not part of this fit (they are vetoes with their own firmness), but each
scored decision says which of the actor's red lines the plan crossed on that day.

>>> from accord.model import DEFAULT_CASE, load_case
>>> c = calibrate(load_case(DEFAULT_CASE))
>>> c.reproduced_before <= c.total and c.reproduced_after >= c.reproduced_before
True
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from accord.model import Actor, Case, Estimate
from accord.model.outcome import Outcome

CURVATURES = np.exp(np.linspace(math.log(0.25), math.log(4.0), 33))
BATNAS = np.round(np.linspace(0.0, 1.0, 201), 3)
ACCEPTING = ("accept", "basis")


@dataclass(frozen=True)
class Decision:
    """One recorded decision on a plan, and whether the utilities reproduce it before and after the fit."""

    outcome: str
    date: dt.date
    actor: str
    plan: str
    decision: str  # accept | basis | reject
    accepted: bool
    utility_before: float
    batna_before: float
    reproduced_before: bool
    utility_after: float
    batna_after: float
    reproduced_after: bool
    red_lines: tuple[str, ...]  # issues where the plan crossed the actor's red line on that day


@dataclass(frozen=True)
class ActorFit:
    actor: str
    decisions: int
    curvature_before: float
    curvature: float
    batna_before: float
    batna: float
    reproduced_before: int
    reproduced: int
    leave_one_out: int  # decisions reproduced by a fit to the actor's other decisions


@dataclass(frozen=True)
class Calibration:
    case: str
    decisions: tuple[Decision, ...]
    actors: tuple[ActorFit, ...]
    skipped: tuple[tuple[str, str], ...]  # (outcome id, why it is not scored)
    total: int
    reproduced_before: int
    reproduced_after: int
    leave_one_out: int

    def actor(self, actor_id: str) -> ActorFit:
        for a in self.actors:
            if a.actor == actor_id:
                return a
        raise KeyError(actor_id)


def _linear_utilities(case: Case, actor: str, package: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Saliences and curvature-free utilities (1 − distance, or the explicit table) of a package, per issue."""
    sal, util = [], []
    for iss in case.issues:
        pos = case.position(actor, iss.id)
        if pos is None:
            continue
        option = package[iss.id]
        u = pos.utility[option] if pos.utility is not None else 1.0 - abs(iss.axis(option) - iss.axis(pos.ideal)) / 100
        sal.append(pos.salience.value)
        util.append(u)
    return np.array(sal), np.array(util)


def package_utility(salience: np.ndarray, linear: np.ndarray, curvature: np.ndarray | float) -> np.ndarray:
    """``Σ s_i (1 − (1 − u_i)^r)`` for one or more curvatures ``r`` (an array gives one value per ``r``)."""
    r = np.atleast_1d(np.asarray(curvature, dtype=float))
    out = (salience[None, :] * (1.0 - (1.0 - linear[None, :]) ** r[:, None])).sum(axis=1)
    return out if np.ndim(curvature) else out[:1]


def _fit(grid: np.ndarray, accepted: np.ndarray, keep: np.ndarray, r0: float, b0: float, spread: float
         ) -> tuple[float, float]:
    """The (curvature, batna) of the grid reproducing most of the kept decisions, nearest the prior on a tie.

    ``grid[d, k]``: decision d's utility at curvature ``CURVATURES[k]``.
    """
    if not keep.any():
        return r0, b0
    ok = (grid[keep][:, :, None] >= BATNAS[None, None, :]) == accepted[keep][:, None, None]
    hits = ok.sum(axis=0)  # r × b
    penalty = np.abs(np.log(CURVATURES / r0))[:, None] / math.log(4) + np.abs(BATNAS - b0)[None, :] / spread
    best = np.flatnonzero((hits == hits.max()).ravel())
    k = best[np.argmin(penalty.ravel()[best])]
    i, j = np.unravel_index(k, hits.shape)
    return float(CURVATURES[i]), float(BATNAS[j])


@dataclass(frozen=True)
class _Scored:
    outcome: Outcome
    plan: str
    decision: str
    salience: np.ndarray
    linear: np.ndarray
    crossed: tuple[str, ...]


def calibrate(case: Case, as_of: dt.date | None = None) -> Calibration:
    """Fit each actor's batna and utility curvature to its recorded decisions on plans (see the module docstring).

    ``case`` is the full case as loaded: each decision is scored on the view of its own date.
    ``as_of``: only the decisions recorded by that date (a calibration for a view of
    that date must not learn from what came after it).
    """
    full = case.at(None)
    plans = {p.id: p for p in full.plans}
    scored: dict[str, list[_Scored]] = {}
    skipped: list[tuple[str, str]] = []
    for o in full.outcomes:
        if o.kind != "decision" or o.actor is None or (as_of is not None and o.date > as_of):
            continue
        if o.plan is None:
            skipped.append((o.id, "a decision on one issue, not a plan: the utilities of whole packages are fitted "
                                  "to decisions on plans"))
            continue
        if o.decision not in (*ACCEPTING, "reject"):
            skipped.append((o.id, f"'{o.decision}' is neither an acceptance nor a rejection"))
            continue
        if o.plan not in plans:
            skipped.append((o.id, f"plan '{o.plan}' is not in the case"))
            continue
        view = full.at(o.date)
        package = {**view.status_quo(), **plans[o.plan].settled()}
        sal, lin = _linear_utilities(view, o.actor, package)
        if not len(sal):
            skipped.append((o.id, f"{o.actor} held no position on {o.date}"))
            continue
        crossed = tuple(i for i, opt in package.items()
                        if (p := view.position(o.actor, i)) is not None and opt in p.red_line)
        scored.setdefault(o.actor, []).append(_Scored(o, o.plan, o.decision, sal, lin, crossed))
    decisions: list[Decision] = []
    fits: list[ActorFit] = []
    for aid, rows in scored.items():
        actor = full.actor(aid)
        r0, b0 = actor.curvature.value, actor.batna.value
        spread = max(actor.batna.spread, 0.1)
        accepted = np.array([x.decision in ACCEPTING for x in rows])
        grid = np.stack([package_utility(x.salience, x.linear, CURVATURES) for x in rows])  # decisions × r
        r1, b1 = _fit(grid, accepted, np.ones(len(rows), dtype=bool), r0, b0, spread)
        loo = 0
        for d, x in enumerate(rows):
            keep = np.arange(len(rows)) != d
            rl, bl = _fit(grid, accepted, keep, r0, b0, spread)
            loo += bool((package_utility(x.salience, x.linear, rl)[0] >= bl) == accepted[d])
        before = after = 0
        for x, acc in zip(rows, accepted, strict=True):
            u0 = float(package_utility(x.salience, x.linear, r0)[0])
            u1 = float(package_utility(x.salience, x.linear, r1)[0])
            ok0, ok1 = (u0 >= b0) == acc, (u1 >= b1) == acc
            before += ok0
            after += ok1
            decisions.append(Decision(
                outcome=x.outcome.id, date=x.outcome.date, actor=aid, plan=x.plan, decision=x.decision,
                accepted=bool(acc), utility_before=u0, batna_before=b0, reproduced_before=bool(ok0),
                utility_after=u1, batna_after=b1, reproduced_after=bool(ok1), red_lines=x.crossed,
            ))
        fits.append(ActorFit(aid, len(rows), r0, r1, b0, b1, before, after, loo))
    decisions.sort(key=lambda d: (d.date, d.outcome))
    return Calibration(
        case=full.id, decisions=tuple(decisions), actors=tuple(fits), skipped=tuple(skipped),
        total=len(decisions), reproduced_before=sum(d.reproduced_before for d in decisions),
        reproduced_after=sum(d.reproduced_after for d in decisions), leave_one_out=sum(f.leave_one_out for f in fits),
    )


def calibrated_case(case: Case, cal: Calibration) -> Case:
    """``case`` with each fitted actor's batna and curvature replaced by the calibrated values, labelled as such.

    The batna keeps the width of its range, moved to the new value (clipped to [0, 1]).
    """
    fits = {f.actor: f for f in cal.actors}
    actors: list[Actor] = []
    for a in case.actors:
        f = fits.get(a.id)
        if f is None:
            actors.append(a)
            continue
        why = (f"calibrated to {f.decisions} recorded decision(s) of {a.id} on plans: {f.reproduced} reproduced "
               f"(before: {f.reproduced_before}; leave-one-out: {f.leave_one_out})")
        half = (a.batna.spread or 0.0) / 2
        lo, hi = (max(0.0, f.batna - half), min(1.0, f.batna + half)) if half else (None, None)
        batna = Estimate(value=f.batna, low=lo, high=hi, dist=a.batna.dist,
                         estimate=f"{why}; was {f.batna_before:g}: {a.batna.estimate}".rstrip(": "))
        curvature = Estimate(value=f.curvature, estimate=f"{why}; was {f.curvature_before:g}")
        actors.append(a.model_copy(update={"batna": batna, "curvature": curvature}))
    return case.replace(actors=tuple(actors))
