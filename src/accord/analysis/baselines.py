"""Baseline forecasts: the capability × salience weighted mean and weighted median; the plan on the table.

They are what every model forecast should be printed beside: in an
out-of-sample test on EU legislative decisions the plain weighted mean did
better than a Bueno de Mesquita-style solver (Thomson, Stokman, Achen & König
(eds), *The European Union Decides*, Cambridge UP 2006, ch. 8; Bueno de
Mesquita 2011, *Conflict Management and Peace Science* 28(1), table 2).

Both work on arrays with actors on the **last** axis and any batch axes in
front, so a Monte Carlo batch (draws × issues × actors) is one call:

- weighted mean: ``Σ w_i x_i / Σ w_i`` (``nan`` where every weight is 0);
- weighted median: the smallest position at which the cumulative weight,
  positions sorted, reaches half the total — the lower median on an exact tie.
  With linear (distance) losses this position beats every other in pairwise
  weighted votes (Black 1948), which is how the EU model's "median voter" is
  defined.

>>> import numpy as np
>>> x = np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7.0])
>>> w = np.array([.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]) * [80, 40, 20, 80, 60, 60, 90, 10, 100, 70]
>>> round(float(weighted_mean(x, w)), 2), float(weighted_median(x, w))
(7.39, 7.0)

The other two baselines need no arithmetic: the status quo (no agreement) and
the plan on the table (:func:`plan_on_table`), each a package.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.model import Case, Plan

FloatArray = NDArray[np.float64]


def weighted_mean(x: ArrayLike, w: ArrayLike) -> FloatArray:
    """Weighted mean over the last axis (``nan`` where all weights are 0)."""
    xa, wa = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(w, dtype=float))
    tot = wa.sum(axis=-1)
    num = (wa * xa).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, num / np.where(tot > 0, tot, 1.0), np.nan)


def weighted_median(x: ArrayLike, w: ArrayLike) -> FloatArray:
    """Weighted (lower) median over the last axis (``nan`` where all weights are 0)."""
    xa, wa = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(w, dtype=float))
    order = np.argsort(xa, axis=-1, kind="stable")
    xs = np.take_along_axis(xa, order, axis=-1)
    cum = np.cumsum(np.take_along_axis(wa, order, axis=-1), axis=-1)
    tot = cum[..., -1:]
    # the first index whose cumulative weight reaches half (tolerant to rounding)
    k = np.argmax(cum >= tot / 2 - 1e-12 * np.abs(tot), axis=-1)
    med = np.take_along_axis(xs, k[..., None], axis=-1)[..., 0]
    return np.where(tot[..., 0] > 0, med, np.nan)


def plan_on_table(case: Case) -> Plan | None:
    """The plan on the table in this view of the case: the latest ``kind: plan`` dated by then.

    When several share that date, the one that shares an author with the plan on
    the table before it (a revision rather than a counter-proposal), then the first
    by id. When no plan is dated: the first by id that no other plan is based on (the
    latest revision). None without plans.

    >>> import datetime as dt
    >>> from accord.model import DEFAULT_CASE, Plan, load_case
    >>> p = lambda id, day, by: Plan(id=id, name=id, date=dt.date(2025, 11, day), authors=(by,), provisions=())
    >>> case = load_case(DEFAULT_CASE).replace(plans=(p("first", 21, "a"), p("counter", 24, "b"),
    ...                                              p("revision", 24, "a")))
    >>> plan_on_table(case.at(dt.date(2025, 11, 21))).id, plan_on_table(case.at(dt.date(2025, 11, 24))).id
    ('first', 'revision')
    """
    plans = [p for p in case.plans if p.kind == "plan"]
    dated = [(p.date, p) for p in plans if p.date is not None]
    if not dated:  # the latest revision: a plan no other plan is based on
        latest = [p for p in plans if not any(q.based_on == p.id for q in plans)]
        return min(latest, key=lambda p: p.id) if latest else None
    table: Plan | None = None
    for day in sorted({d for d, _ in dated}):
        same = sorted((p for d, p in dated if d == day), key=lambda p: p.id)
        before = set(table.authors) if table is not None else set()
        table = next((p for p in same if before & set(p.authors)), same[0])
    return table
