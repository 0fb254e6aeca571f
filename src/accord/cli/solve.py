"""``accord solve``: exact search over every package of a case.

Usage::

    accord solve [--case C] --goal feasible|conflicts|pareto|nash|ks|maximin|amend
                 [--actors russia,ukraine] [--plan ID] [--k N] [--objective nash|maximin]
                 [--among ukraine,russia] [--limit N] [--without actor:issue ...]
                 [--as-of YYYY-MM-DD] [--json]

Packages print as provision lists (``issue name: option label``, the status quo
marked), then each actor's utility and gain over its batna, then one paragraph
saying what the result means. ``--actors`` chooses who must agree (default: the
case's parties); ``--without russia:territory`` sets a red line aside (what if);
``--as-of DATE`` solves the case as known on that date (positions in effect
then, plans dated by then).

JSON output (``--json``; stable keys) is the result of :mod:`accord.analysis.solve`
in its typed shape (:mod:`accord.analysis.results`), the same the API's
``POST /api/v1/cases/{case}/solve`` job returns:

- every goal: ``goal``, ``status``, ``actors``, ``notes``, ``explain`` (what it means, one paragraph);
- a package (``package``, ``points[]``, ``witness``, ``plan_package``,
  ``fewest.package``, ``best.package``) is ``{"package": {issue: option},
  "utilities": {actor: u}, "gains": {actor: u − batna}}``;
- feasible: ``package`` (null when infeasible);
- conflicts: ``conflicts[]`` of ``{"drop": [{"kind": "red_line"|"batna", "actor",
  "issue", "options", "batna"}], "witness"}``, smallest first; ``complete``;
- pareto: ``among``, ``points[]`` (best for ``among[0]`` first), ``complete``;
- nash | ks | maximin: ``package``, ``value`` (Nash product | smallest KS ratio |
  smallest gain), ``bound``, ``gap``, ``iterations``, ``ideal`` (ks);
- amend: ``plan``, ``objective``, ``k``, ``plan_package``, ``rejecting``,
  ``fewest`` and ``best`` (``{"changes": [{"issue", "before", "after",
  "provisions"}], "package"}``), ``best_value``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    AsOfOpt,
    CaseOpt,
    DemoContext,
    JsonOpt,
    console,
    demo_section,
    emit_json,
    open_case,
    registry,
)
from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.analysis.solve_result import Amended, Conflicts, Frontier, Scored, SolveResult
    from accord.model import Case

GOALS = ("feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend")


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [t.strip() for t in text.split(",") if t.strip()]
    if not ids:
        raise AccordError("expected a comma-separated list of actor ids, e.g. russia,ukraine")
    return ids


@registry.command()
def solve(
    goal: Annotated[str, typer.Option("--goal", "-g", help=f"One of: {', '.join(GOALS)}.")] = "feasible",
    case: CaseOpt = DEFAULT_CASE,
    actors: Annotated[
        str | None, typer.Option("--actors", help="Actors who must agree, comma-separated (default: the parties).")
    ] = None,
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan to amend (goal amend).")] = None,
    k: Annotated[
        int | None, typer.Option("--k", help="Amend: also the best plan within K changes.", min=0)
    ] = None,
    objective: Annotated[
        str, typer.Option("--objective", help="Amend within K: nash (Nash product) or maximin (smallest gain).")
    ] = "nash",
    among: Annotated[
        str | None, typer.Option("--among", help="Pareto: the 1–3 actors to compare (default: all, or the tilt pair).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Most conflict sets (20) or Pareto points (200) to list.", min=1)
    ] = None,
    without: Annotated[
        list[str] | None, typer.Option("--without", help="Set a red line aside: actor:issue (repeatable).")
    ] = None,
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
) -> None:
    """Search every package exactly: feasibility, conflicts, Pareto frontier, Nash/KS/maximin, amendments."""
    from accord.analysis.solve import solve as run
    from accord.cli.progress import progress

    if goal not in GOALS:
        raise AccordError(f"unknown goal '{goal}'; expected one of {', '.join(GOALS)}")
    c = open_case(case, as_of)
    with progress(f"solve: {goal}"):  # one exact search, no count to show: a spinner (seconds on a loaded machine)
        result = run(c, goal, actors=_ids(actors), plan=plan, k=k, among=_ids(among), limit=limit,
                     without=tuple(without or ()), objective=objective)
    if json:
        from accord.analysis.results import solve_result

        emit_json(solve_result(result))
        return
    render(c, result)


# -- rendering ---------------------------------------------------------------------------------


def package_table(case: Case, p: Scored, title: str) -> Table:
    """The package as a provision list: issue name → option label (status quo marked)."""
    sq = case.status_quo()
    t = Table("issue", "option", title=title, title_justify="left")
    for iss in case.issues:
        o = p.package[iss.id]
        label = iss.option(o).label
        t.add_row(iss.name, f"[dim]{label} (status quo)[/]" if o == sq[iss.id] else label)
    return t


def gains_table(p: Scored, title: str = "per actor") -> Table:
    t = Table("actor", "utility", "batna", "gain", title=title, title_justify="left")
    for a, u in p.utilities.items():
        g = p.gains[a]
        style = "green" if g >= -1e-9 else "red"
        t.add_row(a, f"{u:.3f}", f"{u - g:.3f}", f"[{style}]{g:+.3f}[/]")
    return t


def conflict_table(result: Conflicts) -> Table:
    t = Table("#", "no deal unless…", "size", title="Minimal conflicts (smallest first)", title_justify="left")
    for n, c in enumerate(result.conflicts, 1):
        t.add_row(str(n), "\n".join(str(d) for d in c.drop), str(len(c.drop)))
    return t


def frontier_tables(case: Case, result: Frontier, rows: int = 40) -> list[Table]:
    """The frontier's utilities (first ``rows`` points) and where its first 8 packages differ."""
    among = list(result.among)
    points = list(result.points)
    t = Table("#", *among, "issues moved from status quo", title="Pareto frontier", title_justify="left")
    sq = case.status_quo()
    for n, p in enumerate(points[:rows], 1):
        moved = sum(1 for i, o in p.package.items() if o != sq[i])
        t.add_row(str(n), *(f"{p.utilities[a]:.3f}" for a in among), str(moved))
    if len(points) > rows:
        t.caption = f"… and {len(points) - rows} more points (all of them with --json)"
    out = [t]
    shown = points[:8]
    differ = [iss for iss in case.issues if len({p.package[iss.id] for p in shown}) > 1]
    if len(shown) > 1 and differ:
        m = Table("issue", *(f"#{n}" for n in range(1, len(shown) + 1)),
                  title="Where the first points differ (option ids)", title_justify="left")
        for iss in differ:
            m.add_row(iss.name, *(p.package[iss.id] for p in shown))
        out.append(m)
    return out


def amended_table(case: Case, name: str, a: Amended) -> Table:
    t = Table("issue", "plan", "→ amended", "provisions", title=f"{name} amendments", title_justify="left")
    for ch in a.changes:
        iss = case.issue(ch.issue)
        t.add_row(iss.name, iss.option(ch.before).label, iss.option(ch.after).label,
                  ", ".join(ch.provisions) or "new provision")
    return t


def render(case: Case, result: SolveResult) -> None:
    """Print a result as tables and its explanation."""
    from accord.analysis.solve_result import Amendment, Bargain, Conflicts, Feasibility, Frontier

    console.print(f"[bold]solve {result.goal}[/]: {result.status} (actors: {', '.join(result.actors)})")
    if isinstance(result, Feasibility | Bargain) and result.package is not None:
        console.print(package_table(case, result.package, title=f"{result.goal} package"))
        console.print(gains_table(result.package))
    elif isinstance(result, Conflicts) and result.conflicts:
        console.print(conflict_table(result))
    elif isinstance(result, Frontier) and result.points:
        for t in frontier_tables(case, result):
            console.print(t)
    elif isinstance(result, Amendment):
        for name, a in (("fewest", result.fewest), ("best", result.best)):
            same = name == "best" and result.fewest is not None and a is not None and \
                a.package.package == result.fewest.package.package
            if a is not None and not same:
                console.print(amended_table(case, name, a))
                console.print(gains_table(a.package, title=f"{name}: per actor"))
    console.print(result.explain(), soft_wrap=False)


@demo_section(30, "Solve: red-line conflicts and the Nash package")
def _solve_section(ctx: DemoContext) -> None:
    from accord.analysis.solve import conflicts, nash

    conf = conflicts(ctx.case)
    ctx.outputs["solve_conflicts"] = conf
    without: tuple[str, ...] = ()
    if conf.status == "feasible":
        ctx.console.print("Some package is acceptable to every party; no red line has to move.")
    else:
        ctx.console.print(conflict_table(conf))
        first = conf.conflicts[0].drop if conf.conflicts else ()
        if first and all(d.kind == "red_line" for d in first):
            without = tuple(f"{d.actor}:{d.issue}" for d in first)
    result = nash(ctx.case, without=without)
    ctx.outputs["solve_nash"] = result
    if result.package is None:
        ctx.console.print(result.explain())
        return
    sq = ctx.case.status_quo()
    what_if = f" if {' and '.join(w.replace(':', ' drops its red line on ') for w in without)}" if without else ""
    t = Table("issue", "Nash package" + what_if, title="Nash bargaining package (issues off the status quo)",
              title_justify="left")
    for iss in ctx.case.issues:
        o = result.package.package[iss.id]
        if o != sq[iss.id]:
            t.add_row(iss.name, iss.option(o).label)
    t.caption = (f"product of gains {result.value:.4g}, proven optimal (gap {result.gap:.0e}); gains: "
                 f"{result.package.describe_gains()}")
    ctx.console.print(t)
