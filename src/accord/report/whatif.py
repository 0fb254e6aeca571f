"""The what-if view: assess (every plan, every party), solve (feasibility and the smallest conflicts) and
forecast (scenario probabilities) on the case and on its copy with the changes of :mod:`accord.analysis.whatif`.

Both sides are judged against the same view (the case as of its date, or the latest), so before and after
differ only by the changes; the forecast uses the same draws and seed on both sides.

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.analysis.whatif import parse
>>> case = load_case(DEFAULT_CASE)
>>> p = next(p for p in case.positions if p.red_line and p.actor in case.parties)
>>> v = whatif_section(case, [parse(f"drop:{p.actor}:{p.issue}")], draws=0)
>>> v.changes == (f"drop:{p.actor}:{p.issue}",) and len(v.rows) == len(case.plans) * len(case.parties)
True
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.analysis.assess import assess_plan
from accord.analysis.whatif import Change, apply, describe
from accord.model import Case
from accord.report.data import WhatIfRow, WhatIfScenario, WhatIfView


def _conflicts(case: Case) -> tuple[bool | None, tuple[str, ...]]:
    from accord.analysis.solve import solve

    if len(case.parties) < 2:
        return None, ()
    r = solve(case, "conflicts")
    return r.status == "feasible", tuple(str(c) for c in getattr(r, "conflicts", ())[:3])


def whatif_section(case: Case, changes: Sequence[Change], *, draws: int = 300, seed: int = 0) -> WhatIfView:
    """Before and after ``changes`` (``draws`` 0: no forecast)."""
    before, after = apply(case, []), apply(case, changes)
    rows = []
    for plan in case.plans:
        a0, a1 = assess_plan(before, plan.id), assess_plan(after, plan.id)
        for actor in case.parties:
            x0, x1 = a0.actors[actor], a1.actors[actor]
            rows.append(WhatIfRow(plan=plan.id, actor=actor, name=case.actor(actor).name, before=x0.stance,
                                  after=x1.stance, utility_before=x0.utility, utility_after=x1.utility,
                                  red_lines_before=len(x0.red_lines), red_lines_after=len(x1.red_lines)))
    f0, c0 = _conflicts(before)
    f1, c1 = _conflicts(after)
    scenarios: list[WhatIfScenario] = []
    if draws and case.scenarios:
        from accord.analysis.forecast import forecast

        s0 = forecast(before, draws=draws, seed=seed).scenarios
        s1 = {s.id: s for s in forecast(after, draws=draws, seed=seed).scenarios}
        scenarios = [WhatIfScenario(scenario=s.id, name=s.name, before=s.probability, after=s1[s.id].probability)
                     for s in s0 if s.id in s1]
    return WhatIfView(case=case.id, as_of=case.as_of, changes=tuple(c.text() for c in changes),
                      described=tuple(describe(case, c) for c in changes), rows=tuple(rows),
                      feasible_before=f0, feasible_after=f1, conflicts_before=c0, conflicts_after=c1,
                      scenarios=tuple(scenarios), draws=draws if scenarios else 0)
