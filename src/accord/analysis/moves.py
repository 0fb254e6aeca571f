"""Who moved: every change of a position between two dates, its direction on the issue's axis and its size.

A position is a history of dated states (:mod:`accord.model.actor`); a *move*
is the step from one state to the next, dated by the later state's ``since``.
:func:`moves` lists the steps taken in ``(start, end]``, one per field that
changed:

- ``position`` — the actor takes a position on an issue it held none on;
- ``ideal`` — the option it wants most changes. ``size``: the axis points the
  ideal moved; ``towards`` / ``away_from``: the other actors whose ideal (as
  held on the day of the move) it came closer to / went further from;
- ``acceptable`` and ``red_line`` — options join or leave the set. Each side of
  the ideal is read apart. On a side, the *reach* of a set is how far along the
  axis the actor goes: for ``acceptable``, its farthest acceptable option (or
  its ideal); for ``red_line``, its farthest option short of the nearest red
  line. ``size`` is how far the reach moved; a move ``softens`` when the reach
  grows (the actor can live with more), and then it goes ``towards`` the other
  actors whose ideal lies on that side; when it hardens it goes ``away_from``
  them;
- ``firmness`` — the estimated probability that an unchanged red line holds
  (``size`` in probability; lower softens, towards the actors on the red line's
  side);
- ``salience`` — the weight the actor gives the issue (``size`` in shares; no
  direction).

Each move carries the evidence for both ends: the sources of the state before
and of the state after (with their dates and reliability), and the later
state's note (``inferred`` when the move is accord's reading of the record).
:func:`step` shows one move worked by hand; ``accord moves`` prints them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from accord.errors import AccordError
from accord.model import Case, Issue, Position, Source

MoveField = Literal["position", "ideal", "acceptable", "red_line", "firmness", "salience"]
FIELDS: tuple[MoveField, ...] = ("position", "ideal", "acceptable", "red_line", "firmness", "salience")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Move(_Out):
    """One change of one field of one actor's position on one issue."""

    actor: str
    issue: str
    field: MoveField
    date: dt.date
    """The day the new state took effect."""
    since_before: dt.date | None = None
    """The day the state before took effect (None: an undated state, or no position before)."""
    before: str | tuple[str, ...] | float | None
    after: str | tuple[str, ...] | float | None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    direction: int = 0
    """−1 towards the axis's low pole, +1 towards its high pole, 0 none (salience, a new position)."""
    size: float = 0.0
    unit: Literal["axis", "probability", "share", ""] = ""
    softens: bool | None = None
    """True: the actor can now live with more; False: it hardens; None: neither applies."""
    towards: tuple[str, ...] = ()
    """Other actors whose ideal the move goes towards, nearest first."""
    away_from: tuple[str, ...] = ()
    inferred: bool = False
    note: str = ""
    evidence_before: tuple[Source, ...] = ()
    evidence_after: tuple[Source, ...] = ()


class ActorMoves(_Out):
    """What one actor did in the period: its moves, and the axis points it moved towards each other actor."""

    actor: str
    moves: int
    softened: int
    hardened: int
    towards: dict[str, float]
    """Other actor → axis points moved towards its ideal: per new state, its largest ideal, acceptable or
    red-line move towards that actor, summed over the period."""


def moves(
    case: Case,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
) -> list[Move]:
    """Every move taken after ``start`` and on or before ``end`` (None: no bound), oldest first.

    ``actors`` / ``issues`` limit the listing (unknown ids are an :class:`AccordError`).
    """
    if start is not None and end is not None and start > end:
        raise AccordError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    for a in actors or ():
        if a not in case.actor_ids:
            raise AccordError(f"--actor: unknown actor '{a}'; expected one of {case.actor_ids}")
    for i in issues or ():
        if i not in case.issue_ids:
            raise AccordError(f"--issue: unknown issue '{i}'; expected one of {case.issue_ids}")
    full = case.at(None)
    sources = {s.id: s for s in full.sources}
    out: list[Move] = []
    order = {a: k for k, a in enumerate(full.actor_ids)}
    iorder = {i: k for k, i in enumerate(full.issue_ids)}
    keys = sorted({(p.actor, p.issue) for p in full.history}, key=lambda k: (order[k[0]], iorder[k[1]]))
    for actor, issue_id in keys:
        if (actors and actor not in actors) or (issues and issue_id not in issues):
            continue
        issue = full.issue(issue_id)
        before: Position | None = None
        for state in full.states(actor, issue_id):
            day = state.since
            if day is not None and (start is None or day > start) and (end is None or day <= end):
                others = _ideals(full.at(day), issue_id, actor)
                out.extend(step(issue, before, state, others, sources))
            before = state
    return sorted(out, key=lambda m: (m.date, order[m.actor], iorder[m.issue], FIELDS.index(m.field)))


def step(issue: Issue, before: Position | None, after: Position, others: dict[str, float],
         sources: dict[str, Source]) -> list[Move]:
    """The moves from one state of a position to the next (``before`` None: the position is new).

    ``others``: the axis of each other actor's ideal on the issue on the day of the move.

    >>> from accord.model import Issue, Position
    >>> land = Issue(id="land", name="Land", status_quo="split", options=[
    ...     {"id": "all-a", "label": "A", "axis": 0}, {"id": "split", "label": "Split", "axis": 50},
    ...     {"id": "all-b", "label": "B", "axis": 100}])
    >>> old = Position(actor="a", issue="land", since="2025-11-21", ideal="all-a", salience=0.75,
    ...                red_line=["split", "all-b"])
    >>> new = old.model_copy(update={"since": dt.date(2025, 12, 11), "red_line": ("all-b",)})
    >>> [(m.field, m.removed, m.size, m.softens, m.towards) for m in step(land, old, new, {"b": 100.0}, {})]
    [('red_line', ('split',), 50.0, True, ('b',))]
    """
    assert after.since is not None
    base = {
        "actor": after.actor, "issue": after.issue, "date": after.since,
        "since_before": before.since if before is not None else None,
        "inferred": after.inferred, "note": after.note,
        "evidence_before": _evidence(before.sources if before is not None else (), sources),
        "evidence_after": _evidence(after.sources, sources),
    }
    if before is None:
        return [Move(field="position", before=None, after=after.ideal, **base)]
    out: list[Move] = []
    if after.ideal != before.ideal:
        x0, x1 = issue.axis(before.ideal), issue.axis(after.ideal)
        closer = sorted((a for a, x in others.items() if abs(x1 - x) < abs(x0 - x)), key=lambda a: abs(x1 - others[a]))
        further = sorted((a for a, x in others.items() if abs(x1 - x) > abs(x0 - x)), key=lambda a: abs(x1 - others[a]))
        out.append(Move(field="ideal", before=before.ideal, after=after.ideal, direction=_sign(x1 - x0),
                        size=abs(x1 - x0), unit="axis", towards=tuple(closer), away_from=tuple(further),
                        **base))
    for name in ("acceptable", "red_line"):
        old, new = set(getattr(before, name)), set(getattr(after, name))
        if old == new:
            continue
        changed = old ^ new
        for side in (-1, 1):
            on_side = {o for o in changed if _side(issue, o, after.ideal, before.ideal) == side}
            if not on_side:
                continue
            r0 = _reach(issue, before, name, side)
            r1 = _reach(issue, after, name, side)
            softens = side * (r1 - r0) > 0 if r1 != r0 else (name == "acceptable") == bool(on_side & new)
            mover = issue.axis(after.ideal)
            there = sorted((a for a, x in others.items() if _sign(x - mover) == side),
                           key=lambda a: abs(others[a] - mover))
            out.append(Move(
                field=name, before=_in_order(issue, old), after=_in_order(issue, new),
                added=_in_order(issue, on_side & new), removed=_in_order(issue, on_side & old),
                direction=side if softens else -side, size=abs(r1 - r0), unit="axis", softens=softens,
                towards=tuple(there) if softens else (), away_from=() if softens else tuple(there), **base,
            ))
    if set(before.red_line) == set(after.red_line) and after.red_line and before.holds != after.holds:
        mover = issue.axis(after.ideal)
        sides = {_sign(issue.axis(o) - mover) for o in after.red_line} - {0}
        side = sides.pop() if len(sides) == 1 else 0
        softens = after.holds < before.holds
        there = sorted((a for a, x in others.items() if side and _sign(x - mover) == side),
                       key=lambda a: abs(others[a] - mover))
        out.append(Move(field="firmness", before=before.holds, after=after.holds,
                        direction=(side if softens else -side), size=abs(after.holds - before.holds),
                        unit="probability", softens=softens, towards=tuple(there) if softens else (),
                        away_from=() if softens else tuple(there), **base))
    if before.salience.value != after.salience.value:
        out.append(Move(field="salience", before=before.salience.value, after=after.salience.value,
                        size=abs(after.salience.value - before.salience.value), unit="share",
                        **base))
    return out


def by_actor(found: Iterable[Move], case: Case) -> list[ActorMoves]:
    """Per actor (case order, only those that moved): moves, how many softened or hardened, and the axis
    points moved towards each other actor's ideal.
    """
    found = list(found)
    out = []
    for actor in case.actor_ids:
        mine = [m for m in found if m.actor == actor]
        if not mine:
            continue
        # one step (a new state) may move several fields the same way: count its largest move once
        steps: dict[tuple[str, dt.date], dict[str, float]] = {}
        for m in mine:
            if m.unit == "axis":
                step_max = steps.setdefault((m.issue, m.date), {})
                for other in m.towards:
                    step_max[other] = max(step_max.get(other, 0.0), m.size)
        towards: dict[str, float] = {}
        for step_max in steps.values():
            for other, size in step_max.items():
                towards[other] = towards.get(other, 0.0) + size
        out.append(ActorMoves(actor=actor, moves=len(mine), softened=sum(1 for m in mine if m.softens is True),
                              hardened=sum(1 for m in mine if m.softens is False), towards=towards))
    return out


def describe(move: Move, case: Case) -> str:
    """The move in words, with option labels.

    >>> import datetime as dt
    >>> m = Move(actor="a", issue="territory", field="red_line", date=dt.date(2025, 12, 11), before=("x",),
    ...          after=(), removed=("x",))
    >>> describe(m, None)
    'red line − x'
    """
    def label(o: str) -> str:
        try:
            return case.issue(move.issue).option(o).label
        except (AttributeError, KeyError):
            return o

    if move.field == "position":
        return f"takes a position: ideal {label(str(move.after))}"
    if move.field == "ideal":
        return f"ideal {label(str(move.before))} → {label(str(move.after))}"
    if move.field in ("acceptable", "red_line"):
        name = "red line" if move.field == "red_line" else "acceptable"
        parts = [f"+ {label(o)}" for o in move.added] + [f"− {label(o)}" for o in move.removed]
        return f"{name} " + ", ".join(parts)
    assert isinstance(move.before, float) and isinstance(move.after, float)
    return f"{move.field.replace('_', ' ')} {move.before:.2f} → {move.after:.2f}"


def direction_text(move: Move) -> str:
    """The move's direction in words: 'towards russia, us', 'away from ukraine', 'hardens' or ''.

    >>> import datetime as dt
    >>> direction_text(Move(actor="a", issue="x", field="ideal", date=dt.date(2025, 1, 2), before="p", after="q",
    ...                     towards=("b", "c")))
    'towards b, c'
    """
    if move.towards:
        return "towards " + ", ".join(move.towards)
    if move.away_from:
        return "away from " + ", ".join(move.away_from)
    if move.softens is False:
        return "hardens"
    return ""


# -- helpers ----------------------------------------------------------------------------------------

def _sign(x: float) -> int:
    return (x > 1e-9) - (x < -1e-9)


def _side(issue: Issue, option: str, ideal: str, old_ideal: str) -> int:
    """The side of ``ideal`` an option lies on (of the old ideal, for the option that became the ideal)."""
    return _sign(issue.axis(option) - issue.axis(ideal)) or _sign(issue.axis(option) - issue.axis(old_ideal))


def _ideals(view: Case, issue: str, actor: str) -> dict[str, float]:
    """The axis of every other actor's ideal on ``issue`` in ``view``."""
    iss = view.issue(issue)
    return {p.actor: iss.axis(p.ideal) for p in view.positions if p.issue == issue and p.actor != actor}


def _reach(issue: Issue, pos: Position, name: str, side: int) -> float:
    """How far along the axis, on one side of its ideal, the actor goes (see the module docstring)."""
    ideal = issue.axis(pos.ideal)
    options = sorted((o for o in issue.options if _sign(o.axis - ideal) == side), key=lambda o: abs(o.axis - ideal))
    reach = ideal
    for o in options:
        if name == "acceptable":
            if o.id in pos.acceptable:
                reach = o.axis
        elif o.id in pos.red_line:
            break
        else:
            reach = o.axis
    return reach


def _in_order(issue: Issue, options: Iterable[str]) -> tuple[str, ...]:
    wanted = set(options)
    return tuple(o for o in issue.option_ids if o in wanted)


def _evidence(ids: Iterable[str], sources: dict[str, Source]) -> tuple[Source, ...]:
    return tuple(sources[i] for i in ids if i in sources)
