"""What-if: the case with some estimates changed, and what that changes in assess, solve and forecast.

A change is one of:

- ``drop:ACTOR:ISSUE`` — the actor drops its whole red line on the issue;
- ``soften:ACTOR:ISSUE:OPTION`` — one option comes off the actor's red line (it stays unwanted,
  scored by its utility, but no longer vetoed);
- ``salience:ACTOR:ISSUE:VALUE`` — the actor's salience on the issue; its other saliences are
  rescaled so that together they keep their total (saliences are shares);
- ``batna:ACTOR:VALUE`` — the actor's value of no agreement, in [0, 1].

:func:`apply` returns a copy of the case view (the original is never touched),
each changed estimate labelled ``what-if``; every plan is then judged against
that one view, so before and after differ only by the changes. Texts are the
same strings a shareable URL carries (``?change=drop:a:land``).

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> p = next(p for p in case.positions if p.red_line)
>>> c = parse(f"drop:{p.actor}:{p.issue}")
>>> apply(case, [c]).position(p.actor, p.issue).red_line
()
>>> describe(case, c).startswith(case.actor(p.actor).name + " drops its red line on ")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from accord.errors import AccordError, Problem
from accord.model import Case, Estimate, Position

Kind = Literal["drop", "soften", "salience", "batna"]
KINDS: tuple[Kind, ...] = ("drop", "soften", "salience", "batna")
MAX_CHANGES = 20


class Change(BaseModel):
    """One what-if change (see the module docstring)."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    actor: str
    issue: str | None = None
    option: str | None = None
    value: float | None = None

    def text(self) -> str:
        """The change as a URL carries it.

        >>> Change(kind="batna", actor="a", value=0.25).text(), Change(kind="drop", actor="a", issue="x").text()
        ('batna:a:0.25', 'drop:a:x')
        """
        tails: dict[str, list[str | float | None]] = {
            "drop": [self.issue], "soften": [self.issue, self.option], "salience": [self.issue, self.value],
            "batna": [self.value],
        }
        tail = tails[self.kind]
        return ":".join([self.kind, self.actor, *(f"{t:g}" if isinstance(t, float) else str(t) for t in tail)])


def _bad(text: str, why: str) -> AccordError:
    return AccordError([Problem("", None, "change", f"'{text}': {why}")])


def parse(text: str) -> Change:
    """A change from its text (``kind:actor:…``); a clear error naming what is expected.

    >>> parse("soften:a:land:all-b")
    Change(kind='soften', actor='a', issue='land', option='all-b', value=None)
    >>> parse("batna:a:2")
    Traceback (most recent call last):
    ...
    accord.errors.AccordError: change: 'batna:a:2': a batna is a value in [0, 1]
    """
    parts = text.strip().split(":")
    kind, rest = parts[0], parts[1:]
    arity = {"drop": 2, "soften": 3, "salience": 3, "batna": 2}
    if kind not in arity:
        raise _bad(text, f"expected one of {', '.join(f'{k}:…' for k in KINDS)}")
    if len(rest) != arity[kind] or not all(rest):
        shape = {"drop": "drop:ACTOR:ISSUE", "soften": "soften:ACTOR:ISSUE:OPTION",
                 "salience": "salience:ACTOR:ISSUE:VALUE", "batna": "batna:ACTOR:VALUE"}[kind]
        raise _bad(text, f"expected {shape}")
    value: float | None = None
    if kind in ("salience", "batna"):
        try:
            value = float(rest[-1])
        except ValueError:
            raise _bad(text, f"'{rest[-1]}' is not a number") from None
        if not 0.0 <= value <= 1.0:
            raise _bad(text, f"a {kind} is a value in [0, 1]")
    if kind == "drop":
        return Change(kind="drop", actor=rest[0], issue=rest[1])
    if kind == "soften":
        return Change(kind="soften", actor=rest[0], issue=rest[1], option=rest[2])
    if kind == "salience":
        return Change(kind="salience", actor=rest[0], issue=rest[1], value=value)
    return Change(kind="batna", actor=rest[0], value=value)


def _position(case: Case, c: Change) -> Position:
    if c.actor not in case.actor_ids:
        raise _bad(c.text(), f"no actor '{c.actor}'; expected one of {', '.join(case.actor_ids)}")
    pos = case.position(c.actor, c.issue or "")
    if pos is None:
        raise _bad(c.text(), f"{c.actor} holds no position on '{c.issue}'")
    return pos


def apply(case: Case, changes: Sequence[Change]) -> Case:
    """A copy of ``case`` (its current view) with ``changes`` applied, as one undated snapshot."""
    if len(changes) > MAX_CHANGES:
        raise AccordError(f"change: at most {MAX_CHANGES} changes in one what-if")
    positions = {(p.actor, p.issue): p.model_copy(update={"since": None}) for p in case.positions}
    actors = {a.id: a for a in case.actors}
    for c in changes:
        if c.kind == "batna":
            if c.actor not in actors:
                raise _bad(c.text(), f"no actor '{c.actor}'; expected one of {', '.join(case.actor_ids)}")
            actors[c.actor] = actors[c.actor].model_copy(
                update={"batna": Estimate(value=float(c.value or 0.0), estimate="what-if")})
            continue
        pos = positions[(c.actor, c.issue or "")] if (c.actor, c.issue) in positions else _position(case, c)
        if c.kind == "drop":
            if not pos.red_line:
                raise _bad(c.text(), f"{c.actor} has no red line on '{c.issue}'")
            pos = pos.model_copy(update={"red_line": (), "firmness": None})
        elif c.kind == "soften":
            if c.option not in pos.red_line:
                raise _bad(c.text(), f"'{c.option}' is not on {c.actor}'s red line on '{c.issue}'; "
                                     f"expected one of {', '.join(pos.red_line) or '(none)'}")
            kept = tuple(o for o in pos.red_line if o != c.option)
            pos = pos.model_copy(update={"red_line": kept, "firmness": pos.firmness if kept else None})
        else:
            mine = [q for q in positions.values() if q.actor == c.actor]
            total = sum(q.salience.value for q in mine)
            value = float(c.value or 0.0)
            if value > total:
                raise _bad(c.text(), f"{c.actor}'s saliences sum to {total:g}; one of them cannot exceed it")
            rest = total - pos.salience.value
            factor = (total - value) / rest if rest > 0 else 0.0
            for q in mine:
                if q.issue != pos.issue:
                    positions[(q.actor, q.issue)] = q.model_copy(
                        update={"salience": q.salience.scaled(factor, "what-if: rescaled with the change")})
            pos = pos.model_copy(update={"salience": Estimate(value=value, estimate="what-if")})
        positions[(pos.actor, pos.issue)] = pos
    return case.replace(positions=tuple(positions.values()), actors=tuple(actors.values()))


def describe(case: Case, c: Change) -> str:
    """The change in words."""
    who = case.actor(c.actor).name if c.actor in case.actor_ids else c.actor
    issue = case.issue(c.issue).name if c.issue in case.issue_ids else (c.issue or "")
    if c.kind == "drop":
        return f"{who} drops its red line on {issue}"
    if c.kind == "soften":
        label = case.issue(c.issue).option(c.option).label if c.issue in case.issue_ids and c.option else c.option
        return f"{who} no longer vetoes {label} on {issue}"
    if c.kind == "salience":
        return f"{who}'s salience on {issue} set to {c.value:g}"
    return f"{who}'s batna set to {c.value:g}"
