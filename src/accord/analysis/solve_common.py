"""What the solve goals share: the required actors' view, scoring, diagnostics, common stages.

>>> from accord.analysis.solve_toy import toy_case
>>> required_space(toy_case()).actors
('north', 'south')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from accord.analysis.acceptance import accepts
from accord.analysis.solve_core import Check, Index, Instance, Stage, instance, lexmin, solve_checked
from accord.analysis.solve_highs import Milp
from accord.analysis.solve_result import Scored
from accord.analysis.space import Space, space_of
from accord.errors import AccordError
from accord.model import Case

CaseLike = Case | Space


def required_space(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Space:
    """The numeric view for the actors that must agree (default: the case's parties).

    ``without`` sets red lines aside, each as ``"actor:issue"`` (a what-if:
    "if russia dropped its red line on territory"). Raises :class:`AccordError`
    for unknown or missing actors and issues.
    """
    if isinstance(case, Space):
        if (actors is None or tuple(actors) == case.actors) and not without:
            return case
        actors = case.actors if actors is None else actors
        case = case.case
    known = case.actor_ids
    chosen = list(dict.fromkeys(actors)) if actors is not None else (case.parties or known)
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise AccordError(f"unknown actor{'s' if len(unknown) > 1 else ''} {', '.join(repr(a) for a in unknown)}; "
                          f"expected some of {known}")
    if not chosen:
        raise AccordError("no actors to solve for; name at least one (e.g. --actors russia,ukraine)")
    space = space_of(case, chosen)
    if not without:
        return space
    allowed = [list(row) for row in space.allowed]
    for item in without:
        actor, _, issue = item.partition(":")
        if actor not in space.actors:
            raise AccordError(f"--without {item}: '{actor}' is not one of the actors {list(space.actors)}")
        if issue not in space.issues:
            raise AccordError(f"--without {item}: unknown issue '{issue}'; expected actor:issue with one of "
                              f"{list(space.issues)}")
        k, i = space.actors.index(actor), space.issues.index(issue)
        allowed[k][i] = np.ones(len(space.options[i]), dtype=bool)
    return replace(space, allowed=tuple(tuple(row) for row in allowed))


def scored(inst: Instance, idx: Index) -> Scored:
    sp = inst.space
    u = inst.utilities(idx)
    return Scored(
        package=sp.package_of(idx),
        utilities={a: float(u[k]) for k, a in enumerate(sp.actors)},
        gains={a: float(u[k] - inst.batna[k]) for k, a in enumerate(sp.actors)},
    )


SINGLE_ACTOR = {
    "feasible": "Only one actor ({a}) must agree: the package shown is the acceptable one nearest the status quo, "
                "not necessarily {a}'s best (the nash or maximin goal gives that).",
    "conflicts": "Only one actor ({a}) must agree: a conflict is between its own red lines and its batna.",
    "pareto": "Only one actor ({a}) must agree: the frontier is one point, {a}'s best acceptable utility.",
    "nash": "Only one actor ({a}) must agree, so the Nash package is its best acceptable package.",
    "ks": "Only one actor ({a}) must agree, so the Kalai–Smorodinsky package is its best acceptable package "
          "(ratio 1).",
    "maximin": "Only one actor ({a}) must agree, so the maximin package is its best acceptable package.",
    "amend": "Only one actor ({a}) must agree: the fewest changes are those it needs, and among them its best.",
}
"""What a single required actor means for each goal (a note on the result)."""


def diagnose(space: Space, goal: str | None = None) -> list[str]:
    """Plain-language reasons a deal may be hard: empty issues, batnas out of reach, idle issues.

    With ``goal``, a single required actor gets that goal's sentence from :data:`SINGLE_ACTOR`.

    >>> from accord.analysis.solve_toy import toy_case
    >>> diagnose(required_space(toy_case(), ["north"]), "feasible")[0][:33]
    'Only one actor (north) must agree'
    """
    notes: list[str] = []
    K, actors, issues = len(space.actors), space.actors, space.issues
    if K == 1 and goal in SINGLE_ACTOR:
        notes.append(SINGLE_ACTOR[goal].format(a=actors[0]))
    for k in range(K):
        for i in range(len(issues)):
            if not space.allowed[k][i].any():
                notes.append(f"{actors[k]} has no acceptable option on {issues[i]}: every option is on its red line.")
    for i in range(len(issues)):
        if K and not np.logical_and.reduce([space.allowed[k][i] for k in range(K)]).any():
            if any(not space.allowed[k][i].any() for k in range(K)):
                continue
            who = "; ".join(
                f"{actors[k]} rejects {', '.join(rejected(space, k, i))}"
                for k in range(K) if not space.allowed[k][i].all()
            )
            notes.append(f"On {issues[i]} every option is on someone's red line ({who}).")
    own = np.array([
        sum(float(space.weighted[k][i][space.allowed[k][i]].max()) if space.allowed[k][i].any() else -math.inf
            for i in range(len(issues)))
        for k in range(K)
    ])
    above = [k for k in range(K) if not accepts(float(own[k]), float(space.batna[k]))]
    if above and len(above) == K and K > 1:
        notes.append("All batnas are above reach: no package gives any of "
                     f"{', '.join(actors)} its batna even ignoring the others.")
    for k in above:
        best = "no package" if not math.isfinite(own[k]) else f"at most {own[k]:.3f}"
        notes.append(f"{actors[k]}'s batna ({space.batna[k]:.3f}) is above reach: "
                     f"packages within its own red lines give it {best}.")
    idle = [issues[i] for i in instance(space).idle] if K else []
    if idle:
        notes.append(f"{len(idle)} issue{'s' if len(idle) > 1 else ''} matter to none of these actors "
                     f"({', '.join(idle)}); {'they stay' if len(idle) > 1 else 'it stays'} at the status quo.")
    return notes


def notes_of(space: Space, without: Sequence[str], goal: str | None = None) -> list[str]:
    when = space.case.as_of
    dated = [f"The case as known on {when.isoformat()}: positions in effect then, plans dated by then."] if when else []
    what_if = [f"What if: {w.partition(':')[0]}'s red line on {w.partition(':')[2]} is set aside." for w in without]
    return dated + what_if + diagnose(space, goal)


def rejected(space: Space, k: int, i: int) -> list[str]:
    return [o for o, ok in zip(space.options[i], space.allowed[k][i], strict=True) if not ok]


def maximin_stages(inst: Instance, m: Milp, scale: np.ndarray | None = None) -> list[Stage]:
    """Stages: maximise min_k gain_k·scale_k (aux column z), then Σ_k U_k·scale_k."""
    K, x = inst.n_actors, np.arange(inst.ncols)
    s = np.ones(K) if scale is None else scale
    z = int(m.add_cols(1, lo=-1e6, hi=1e6)[0])
    for k in range(K):
        if s[k] > 0:  # z ≤ s_k (W_k x − d_k)
            m.add_row(np.concatenate([[z], x]), np.concatenate([[1.0], -s[k] * inst.W[k]]), hi=-s[k] * inst.batna[k])
    live = [k for k in range(K) if s[k] > 0]

    def least(idx: Index) -> float:
        g = inst.gains(idx)
        return min((float(g[k] * s[k]) for k in live), default=1e6)

    total = (s[:, None] * inst.W).sum(axis=0)

    def summed(idx: Index) -> float:
        u = inst.utilities(idx)
        return float(sum(u[k] * s[k] for k in range(K)))

    return [
        Stage({z: 1.0}, least, probe=True),
        Stage({int(c): float(total[c]) for c in range(inst.ncols)}, summed),
    ]


def strict(
    case: CaseLike, actors: Sequence[str] | None, without: Sequence[str], goal: str,
) -> tuple[Instance, list[str]]:
    space = required_space(case, actors, without)
    return instance(space), notes_of(space, without, goal)


# -- goals -------------------------------------------------------------------------------------


def canonical(inst: Instance, m: Milp, checks: list[Check]) -> Index | None:
    """The first package of ``m``/``checks`` in the tie order, or None when there is none."""
    got = solve_checked(inst, m, {}, False, checks)
    return None if got is None else lexmin(inst, m, checks, got[0])


def util_stage(inst: Instance, k: int, probe: bool = False) -> Stage:
    return Stage({c: float(inst.W[k, c]) for c in range(inst.ncols)}, lambda p: float(inst.utilities(p)[k]),
                 probe=probe)


def at_least(inst: Instance, k: int, v: float) -> Check:
    return lambda _m, p: float(inst.utilities(p)[k]) >= v
