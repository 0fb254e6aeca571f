"""``accord moves``: who moved between two dates, towards whom, how far, and on what evidence.

JSON output (``--json``): ``{"case", "from", "to", "moves": [Move…], "actors": [{"actor", "moves", "softened",
"hardened", "towards": {actor: axis points}}]}``; a Move is ``{"actor", "issue", "field", "date",
"since_before", "before", "after", "added", "removed", "direction", "size", "unit", "softens", "towards",
"away_from", "inferred", "note", "evidence_before": [Source…], "evidence_after": [Source…]}`` and a Source
``{"id", "url", "date", "undated", "publisher", "title", "quote", "note", "reliability"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import DEFAULT_CASE, CaseOpt, JsonOpt, as_of_date, console, emit_json, open_case, registry

if TYPE_CHECKING:
    from accord.analysis.moves import Move
    from accord.model import Case, Source


@registry.command("moves")
def moves_cmd(
    case: CaseOpt = DEFAULT_CASE,
    start: Annotated[str | None, typer.Option("--from", metavar="DATE", help="Moves after this date "
                                              "(YYYY-MM-DD; default: from the first state).")] = None,
    end: Annotated[str | None, typer.Option("--to", "--as-of", metavar="DATE", help="Moves up to and on this "
                                            "date: the case as known then (default: the latest state).")] = None,
    actor: Annotated[list[str] | None, typer.Option("--actor", "-a", help="Only this actor (repeatable).")] = None,
    issue: Annotated[list[str] | None, typer.Option("--issue", "-i", help="Only this issue (repeatable).")] = None,
    json: JsonOpt = False,
) -> None:
    """Every change of ideal, acceptable set, red line, firmness or salience between two dates.

    Each move says its direction on the issue's axis (towards which other party's ideal, as held
    that day), its size (axis points; probability for firmness; share for salience) and the sources
    of the state before and after, with their dates and reliability.
    """
    day_from, day_to = as_of_date(start, "--from"), as_of_date(end, "--to")
    c = open_case(case)
    from accord.analysis.moves import by_actor, moves

    found = moves(c, start=day_from, end=day_to, actors=actor, issues=issue)
    summary = by_actor(found, c)
    if json:
        emit_json({"case": c.id, "from": day_from, "to": day_to, "moves": found, "actors": summary})
        return
    span = f"{day_from.isoformat() if day_from else 'the first state'} → {day_to.isoformat() if day_to else 'latest'}"
    if not found:
        console.print(f"No position of case '{c.id}' changed ({span}).", markup=False)
        if not c.dates():
            console.print("(every position of this case is an undated snapshot: it has no history)", style="dim")
        return
    console.print(moves_table(found, c, title=f"Moves, {span}"))
    for s in summary:
        lean = ", ".join(f"{a} {pts:g} pts" for a, pts in sorted(s.towards.items(), key=lambda t: -t[1]))
        console.print(f"  {s.actor}: {s.moves} moves ({s.softened} softening, {s.hardened} hardening)"
                      + (f"; towards {lean}" if lean else ""), markup=False)
    console.print("size: axis points (0–100) for ideals, acceptable sets and red lines; probability for "
                  "firmness; share for salience. Evidence: source (date, reliability).", style="dim")


def moves_table(found: list[Move], case: Case, title: str) -> Table:
    """One row per move: date, actor, issue, what changed, direction, size, evidence before → after."""
    from accord.analysis.moves import describe, direction_text

    t = Table("date", "actor", "issue", "change", "direction", "size", "evidence (before → after)", title=title)
    for col in t.columns[3:]:
        col.overflow = "fold"
    for m in found:
        t.add_row(m.date.isoformat(), m.actor, m.issue, describe(m, case) + (" (inferred)" if m.inferred else ""),
                  direction_text(m), _size(m), f"{_cite(m.evidence_before)} → {_cite(m.evidence_after)}")
    return t


def _size(m: Move) -> str:
    if m.unit == "axis":
        return f"{m.size:g}"
    if m.unit:
        return f"{m.size:.2f}"
    return ""


def _cite(sources: tuple[Source, ...]) -> str:
    if not sources:
        return "—"
    return "; ".join(f"{s.id} ({s.date.isoformat() if s.date else 'undated'}, {s.reliability})" for s in sources)
