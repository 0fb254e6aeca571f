"""Case commands: ``validate``, ``assess``, ``plans list`` and ``plans diff``.

JSON output (``--json``):

- ``assess --plan P``: ``{"plan", "as_of", "package": {issue: option}, "tilt": {"pair", "index", "per_issue",
  "weights"}, "actors": {actor: {"utility", "batna", "margin", "accepts", "red_lines": [{"issue", "option",
  "provisions"}], "conditional": [provision ids], "large": [the subset of conditional wanted moved a large way],
  "positions": the number of positions it held in the view judged (0: no verdict)}}, "cells": [{"provision",
  "issue", "option", "actor", "verdict", "degree", "settled_by", "utility", "ideal"}]}``; ``as_of`` is the date of
  the positions the plan was judged against (null: the latest); ``option`` is where the plan lands the issue,
  ``settled_by`` the provision that sets it when the cell's own provision sets no option
- ``assess`` (no ``--plan``): ``{"case", "as_of", "plans": [assessment as above]}``, every plan known by
  ``as_of`` (null: every plan), each judged as of its own date unless ``--as-of`` was given
- ``plans diff``: ``{"a", "b", "provisions": [{"provision", "change", "issue", "before", "after",
  "title_before", "title_after", "fields"}], "issues": [{"issue", "before", "after", "changed"}]}``
- ``validate``: ``{"case", "as_of", "issues", "actors", "positions", "states", "plans", "sources",
  "undated_sources", "scenarios", "outcomes", "record_observations", "warnings"}`` (``positions`` and
  ``plans``: those in effect on ``as_of``; ``record_observations``: the figures of the case's public record,
  ``monitoring/record.yaml``, checked with the case)
- ``plans list``: ``[{"id", "name", "kind", "date", "provisions", "based_on"}]``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    AsOfOpt,
    CaseOpt,
    JsonOpt,
    console,
    emit_json,
    err_console,
    open_case,
    registry,
)
from accord.cli.commands import Group
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.analysis.assess import Assessment
    from accord.model import Case

plans_app = typer.Typer(cls=Group, help="List plans and compare their versions.", no_args_is_help=True)
registry.add_typer(plans_app, name="plans")

VERDICT_MARK = {"accepts": "✓", "conditional": "~", "red_line": "✗", "none": "·"}
VERDICT_STYLE = {"accepts": "green", "conditional": "yellow", "red_line": "bold red", "none": "dim"}


@registry.command()
def validate(
    path: Annotated[str, typer.Argument(help="A case folder or bundled case name.")] = DEFAULT_CASE,
    json: JsonOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """Check a case folder: every file, field and cross-reference. Problems print as file:line: field: message.

    With --as-of, the counts of positions and plans are those in effect on that date.
    """
    from accord.monitor.record import load_record

    case = open_case(path, as_of)
    record = load_record(open_case(path), path)
    summary = {
        "case": case.id,
        "as_of": case.as_of,
        "issues": len(case.issues),
        "actors": len(case.actors),
        "positions": len(case.positions),
        "states": len(case.history),
        "plans": len(case.plans),
        "sources": len(case.sources),
        "undated_sources": sum(1 for s in case.sources if s.date is None),
        "scenarios": len(case.scenarios),
        "outcomes": len(case.outcomes),
        "record_observations": 0 if record is None else len(record.observations),
        "warnings": list(case.warnings),
    }
    if json:
        emit_json(summary)
        return
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.items()
                      if k not in ("case", "as_of", "warnings"))
    when = f" as of {case.as_of.isoformat()}" if case.as_of else ""
    console.print(f"ok: case '{case.id}' is valid ({parts}{when})")
    for w in case.warnings:
        err_console.print(f"note: {w}")


@registry.command()
def assess(
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id (see `accord plans list`; default: "
                                             "every plan known by the date).")] = None,
    case: CaseOpt = DEFAULT_CASE,
    json: JsonOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """Score plans for every actor: verdict per provision, utility, red lines, batna, tilt.

    Each plan is judged against the positions as of its own date (what the parties held
    when it was put on the table); --as-of DATE judges it against those of another date.
    Without --plan, every plan known by then is scored side by side, each saying which
    date it was judged as of.
    """
    opened = open_case(case, as_of)
    if plan is None:
        from accord.analysis.assess import plans_compared

        compared = plans_compared(opened)
        if json:
            emit_json(compared)
            return
        results = compared.plans
        if not results:
            raise AccordError([Problem("", None, "--as-of", f"no plan of case '{opened.id}' is dated by "
                                       f"{opened.as_of}")])
        console.print(actor_table(opened, results, title="Plans per actor"))
        for r in results:
            view = opened.at(r.as_of) if r.as_of is not None else opened
            note = judged_note(view, r.plan or "", explicit=as_of is not None)
            console.print(f"{r.plan}: {note}", style="dim", markup=False)
        return
    from accord.analysis.assess import assess_plan, plan_view

    c = plan_view(known_plan(opened, plan), plan)
    result = assess_plan(c, plan)
    if json:
        emit_json(result)
        return
    console.print(provision_matrix(c, result))
    console.print(actor_table(c, [result], title="Per actor"))
    console.print(red_line_lines(c, result))
    console.print(judged_note(c, plan, explicit=as_of is not None), style="dim")


def known_plan(case: Case, plan_id: str, field: str = "--plan", date_flag: str = "--as-of") -> Case:
    """``case`` when it holds the plan; otherwise a one-line error (naming a plan dated after --as-of).

    >>> import datetime as dt
    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> last = max((p for p in case.plans if p.date), key=lambda p: p.date)
    >>> known_plan(case.at(last.date - dt.timedelta(days=1)), last.id)
    Traceback (most recent call last):
    ...
    accord.errors.AccordError: --plan: '...' is dated ..., after --as-of ...: not known then
    """
    if plan_id in {p.id for p in case.plans}:
        return case
    later = [p for p in case.at(None).plans if p.id == plan_id] if case.as_of is not None else []
    if later and later[0].date is not None and case.as_of is not None:
        raise AccordError([Problem("", None, field, f"'{plan_id}' is dated {later[0].date.isoformat()}, after "
                                   f"{date_flag} {case.as_of.isoformat()}: not known then")])
    known = ", ".join(p.id for p in case.plans)
    raise AccordError([Problem("", None, field, f"no plan '{plan_id}' in case '{case.id}' (known: {known})")])


def judged_note(case: Case, plan_id: str, *, explicit: bool) -> str:
    """Which positions a plan was judged against, in words (what `assess` prints under its tables)."""
    if case.as_of is None:
        return "judged against the latest state of every position (the plan is undated)"
    day = case.as_of.isoformat()
    if explicit:
        return f"judged against the positions as of {day} (--as-of)"
    return f"judged against the positions as of {day}, the plan's date (--as-of DATE to choose another)"


@plans_app.command("list")
def plans_list(case: CaseOpt = DEFAULT_CASE, json: JsonOpt = False, as_of: AsOfOpt = None) -> None:
    """The plans and reference packages of a case (with --as-of, those dated by then)."""
    c = open_case(case, as_of)
    rows = [
        {"id": p.id, "name": p.name, "kind": p.kind, "date": p.date, "provisions": len(p.provisions),
         "based_on": p.based_on}
        for p in c.plans
    ]
    if json:
        emit_json(rows)
        return
    t = Table("id", "kind", "date", "provisions", "based on", "name", title=f"Plans of {c.id}")
    for r in rows:
        t.add_row(str(r["id"]), str(r["kind"]), str(r["date"] or ""), str(r["provisions"]),
                  str(r["based_on"] or ""), str(r["name"]))
    console.print(t)


@plans_app.command("diff")
def plans_diff(
    a: Annotated[str, typer.Argument(help="The earlier plan id.")],
    b: Annotated[str, typer.Argument(help="The later plan id.")],
    case: CaseOpt = DEFAULT_CASE,
    json: JsonOpt = False,
    all_: Annotated[bool, typer.Option("--all", help="Also list unchanged provisions.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """Which provisions changed between two versions of a plan, and where each issue lands.

    With --as-of, both plans must be dated by then (a plan not yet known is an error).
    """
    c = open_case(case, as_of)
    for plan_id, name in ((a, "A"), (b, "B")):
        known_plan(c, plan_id, name)
    from accord.analysis.diff import diff_plans

    d = diff_plans(c, a, b)
    if json:
        emit_json(d)
        return
    t = Table("point", "change", "issue", f"{a}", f"{b}", "fields", title=f"{a} → {b}")
    for p in d.provisions:
        if p.change == "same" and not all_:
            continue
        style = {"added": "green", "removed": "red", "changed": "yellow"}.get(p.change, "dim")
        t.add_row(p.provision, f"[{style}]{p.change}[/]", p.issue or "", p.before or "", p.after or "",
                  ", ".join(p.fields))
    console.print(t)
    moved = [i for i in d.issues if i.changed]
    t2 = Table("issue", a, b, title=f"Issues that land elsewhere ({len(moved)} of {len(d.issues)})")
    for i in moved:
        t2.add_row(c.issue(i.issue).name, _opt(c, i.issue, i.before), _opt(c, i.issue, i.after))
    console.print(t2)


# -- renderers shared by assess and demo --------------------------------------------------------

def _opt(case: Case, issue: str | None, option: str | None) -> str:
    if issue is None or option is None:
        return ""
    return case.issue(issue).option(option).label


def _points(ids: tuple[str, ...] | list[str]) -> str:
    """'point 6' / 'points 5, 10' for numbered clauses; plain ids for a reference package's."""
    if all(i.isdigit() for i in ids):
        return ("point " if len(ids) == 1 else "points ") + ", ".join(ids)
    return ", ".join(ids)


def provision_matrix(case: Case, result: Assessment) -> Table:
    """Provisions × actors, each cell the actor's verdict (with its degree).

    Each row shows the option the provision itself sets; one that sets none says
    which point sets its issue, and its cells judge that option (``→27``).
    """
    actors = [a for a in result.actors if result.actors[a].positions]
    t = Table("point", "issue → option it sets", *actors, title=f"{result.plan}: verdict per provision")
    plan = case.plan(result.plan) if result.plan else None
    rows = ([(p.id, p.issue, p.option) for p in plan.provisions] if plan
            else [(i, i, o) for i, o in result.package.items()])
    for pid, issue, option in rows:
        cells = []
        for a in actors:
            c = result.cell(pid, a)
            mark = "~~" if c.degree == "large" else VERDICT_MARK[c.verdict]
            via = f"[dim]→{c.settled_by}[/]" if c.settled_by else ""
            cells.append(f"[{VERDICT_STYLE[c.verdict]}]{mark}[/]{via}")
        if issue and option:
            label = f"{issue} → {_opt(case, issue, option)}"
        elif issue:
            setter = next((x.settled_by for x in result.cells if x.provision == pid and x.settled_by), None)
            label = (f"{issue}: set by point {setter}" if setter
                     else f"{issue}: no point sets it (status quo)")
        else:
            label = ""
        t.add_row(pid, label, *cells)
    t.caption = ("✓ accepts   ~ wants it changed: small   ~~ large   ✗ crosses a red line   · no position   "
                 "→n judged on the option point n sets")
    return t


def actor_table(case: Case, results: list[Assessment], title: str) -> Table:
    """Plans × parties: utility vs batna, accept/reject, red lines crossed; plus tilt."""
    parties = case.parties
    t = Table("plan", *parties, "tilt", title=title)
    for r in results:
        cells = []
        for a in parties:
            x = r.actors[a]
            if not x.positions:
                cells.append("[dim]no position yet[/]")
                continue
            mark = "[green]accepts[/]" if x.accepts else "[red]rejects[/]"
            red = f" ✗{len(x.red_lines)}" if x.red_lines else ""
            cells.append(f"{x.utility:.2f}/{x.batna:.2f} {mark}{red}")
        lean = r.tilt.favours or "balanced"
        t.add_row(r.plan or "package", *cells, f"{r.tilt.index:+.2f} {lean}")
    t.caption = (
        "cell: utility/batna, accept or reject, ✗n = red lines crossed; "
        f"tilt: −1 = {case.tilt_pair[0]}'s ideals … +1 = {case.tilt_pair[1]}'s"
    )
    return t


def red_line_lines(case: Case, result: Assessment) -> str:
    """One line per actor: red lines crossed (with provisions) and the points it wants changed, by degree."""
    out = []
    for a in case.parties:
        x = result.actors[a]
        if x.red_lines:
            parts = []
            for r in x.red_lines:
                where = _points(r.provisions) if r.provisions else "silent → status quo"
                parts.append(f"{r.issue} ({where})")
            out.append(f"  [red]{a}[/] red lines crossed: " + "; ".join(parts))
        if x.conditional:
            small = [p for p in x.conditional if p not in x.large]
            parts = [f"large: {_points(x.large)}"] if x.large else []
            parts += [f"small: {_points(small)}"] if small else []
            out.append(f"  [yellow]{a}[/] wants it changed — " + "; ".join(parts))
    return "\n".join(out) if out else "  no red lines crossed"

