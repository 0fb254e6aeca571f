"""The case: one negotiation, everything about it in one validated object."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from accord.model.actor import Actor, Position
from accord.model.issue import Issue
from accord.model.outcome import Outcome
from accord.model.plan import Plan
from accord.model.source import Source, Strict

Package = dict[str, str]
"""An assignment of one option id to every issue id."""


class Axis(Strict):
    """Which actor's pole lies at 0 and which at 100 on every issue axis."""

    low: str
    high: str


class BacktestSpec(Strict):
    """The case's own backtest (``case.yaml: backtest``): forecast as of a date, scored against a later
    plan or recorded outcome and against the scenario outcomes recorded after the date.

    >>> BacktestSpec(as_of="2025-11-21", target="a-later-plan").as_of.isoformat()
    '2025-11-21'
    """

    as_of: dt.date
    target: str | None = None


class Scenario(Strict):
    """A named class of outcome: one of a case's ordered, exclusive and exhaustive scenarios.

    A case's scenarios are read in order and the first whose ``rule`` holds is the
    outcome (first match wins), so they never overlap; the last one is the
    ``remainder``, with no rule: what happens when no rule matches, so together
    they cover everything. ``resolution`` says how to tell from the record,
    by the ``horizon`` date shared by the whole set, whether it happened. The rule
    language is documented in :mod:`accord.model.rules`.

    >>> Scenario(id="other", name="Anything else", remainder=True, resolution="none of the above",
    ...          horizon="2026-01-31").rule
    ''
    """

    id: str
    name: str
    description: str = ""
    rule: str = Field("", description="the condition over a forecast; empty for the remainder")
    remainder: bool = Field(False, description="the last scenario: what happens when no rule matches")
    resolution: str = Field(min_length=1, description="how to tell from the record, by the horizon, whether it "
                                                      "happened")
    horizon: dt.date | None = Field(None, description="the date by which the set resolves (scenarios.yaml: horizon)")
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        if self.remainder and self.rule.strip():
            raise ValueError("the remainder has no rule: it is what happens when no earlier rule matches")
        if not self.remainder and not self.rule.strip():
            raise ValueError("a scenario needs a rule (or remainder: true for the last one)")
        return self


class Case(BaseModel):
    """One negotiation: issues, actors, positions and their history, plans, sources, scenarios, outcomes.

    ``history`` holds every dated state of every position (oldest first per actor
    and issue); ``positions`` is the view of it as of ``as_of`` — the latest state
    of each position whose ``since`` is on or before that date (None: the latest
    state of each). :meth:`at` gives the case as of another date.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> issue = case.issues[0]
    >>> case.issue(issue.id).status_quo in issue.option_ids
    True
    >>> plan = case.plans[0]
    >>> case.plan(plan.id).provision(plan.provisions[0].id) is plan.provisions[0]
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str = ""
    date: dt.date | None = None
    axis: Axis
    tilt: tuple[str, str] | None = Field(
        None, description="the pair of actors the tilt index compares; default: the axis poles"
    )
    backtest: BacktestSpec | None = Field(
        None, description="the case's own backtest: what `accord backtest`, the demo and the report run"
    )
    issues: tuple[Issue, ...]
    actors: tuple[Actor, ...]
    positions: tuple[Position, ...] = Field((), description="the view of the history as of `as_of`")
    history: tuple[Position, ...] = Field((), description="every state of every position, oldest first per pair")
    as_of: dt.date | None = Field(None, description="the date of this view; None: the latest state of each")
    plans: tuple[Plan, ...] = ()
    sources: tuple[Source, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    warnings: tuple[str, ...] = Field((), description="what the loader noticed that is not an error")

    _views: dict[dt.date | None, Case] = PrivateAttr(default_factory=dict)
    _full: Case | None = PrivateAttr(None)
    """The case a view was taken of (None: this is not a view): views of a view are views of it."""

    @model_validator(mode="after")
    def _view(self) -> Case:
        # the history is the record; positions are always its view as of `as_of`
        if not self.history:
            object.__setattr__(self, "history", self.positions)
        object.__setattr__(self, "positions", view_of(self.history, self.as_of))
        return self

    # -- time ------------------------------------------------------------
    def at(self, as_of: dt.date | None) -> Case:
        """The case as known on ``as_of``: positions as of that date, plans and outcomes dated by then.

        Plans and outcomes dated after ``as_of`` are left out (undated plans stay);
        each actor's saliences are rescaled so that they keep the total they have
        in the latest view when it held fewer positions then. Views are cached.

        >>> from accord.model import DEFAULT_CASE, load_case
        >>> case = load_case(DEFAULT_CASE)
        >>> early = case.at(dt.date(2025, 11, 21))
        >>> early.as_of.isoformat(), all(p.since is None or p.since <= early.as_of for p in early.positions)
        ('2025-11-21', True)
        >>> case.at(None) is case.at(None)
        True
        >>> len(early.at(None).plans) == len(case.plans)   # a view of a view is a view of the case
        True
        """
        if self._full is not None:
            return self._full.at(as_of)
        if as_of == self.as_of:
            return self
        if as_of in self._views:
            return self._views[as_of]

        def known(d: dt.date | None) -> bool:
            return as_of is None or d is None or d <= as_of

        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields.update(
            as_of=as_of,
            positions=(),
            plans=tuple(p for p in self.plans if known(p.date)),
            outcomes=tuple(o for o in self.outcomes if known(o.date)),
        )
        view = type(self)(**fields)
        view._full = self
        self._views[as_of] = view
        return view

    def states(self, actor_id: str, issue_id: str) -> list[Position]:
        """Every state of one position, oldest first (empty when the actor never held one)."""
        return list(self._history.get((actor_id, issue_id), ()))

    def dates(self) -> list[dt.date]:
        """The dates on which any position changed, ascending."""
        return sorted({p.since for p in self.history if p.since is not None})

    def replace(self, **changes: Any) -> Case:
        """A new case with ``changes`` (a fresh object: no stale cached look-ups).

        Giving ``positions`` without ``history`` makes them the whole history (a
        snapshot): what an edit or a what-if of the current view needs.

        >>> from accord.model import DEFAULT_CASE, load_case
        >>> case = load_case(DEFAULT_CASE)
        >>> len(case.replace(positions=case.positions[:3]).positions)
        3
        """
        if "positions" in changes and "history" not in changes:
            changes["history"] = changes["positions"]
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields.update(changes)
        return type(self)(**fields)

    # -- lookups ---------------------------------------------------------
    @cached_property
    def _issues(self) -> dict[str, Issue]:
        return {i.id: i for i in self.issues}

    @cached_property
    def _actors(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def _plans(self) -> dict[str, Plan]:
        return {p.id: p for p in self.plans}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def _positions(self) -> dict[tuple[str, str], Position]:
        return {(p.actor, p.issue): p for p in self.positions}

    @cached_property
    def _history(self) -> dict[tuple[str, str], list[Position]]:
        out: dict[tuple[str, str], list[Position]] = defaultdict(list)
        for p in self.history:
            out[(p.actor, p.issue)].append(p)
        return dict(out)

    @cached_property
    def _outcomes(self) -> dict[str, Outcome]:
        return {o.id: o for o in self.outcomes}

    def issue(self, issue_id: str) -> Issue:
        try:
            return self._issues[issue_id]
        except KeyError:
            raise KeyError(f"no issue '{issue_id}' in case '{self.id}'") from None

    def actor(self, actor_id: str) -> Actor:
        try:
            return self._actors[actor_id]
        except KeyError:
            raise KeyError(f"no actor '{actor_id}' in case '{self.id}'") from None

    def plan(self, plan_id: str) -> Plan:
        try:
            return self._plans[plan_id]
        except KeyError:
            known = ", ".join(self._plans)
            raise KeyError(f"no plan '{plan_id}' in case '{self.id}' (known: {known})") from None

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    def outcome(self, outcome_id: str) -> Outcome:
        try:
            return self._outcomes[outcome_id]
        except KeyError:
            raise KeyError(f"no outcome '{outcome_id}' in case '{self.id}'") from None

    def position(self, actor_id: str, issue_id: str) -> Position | None:
        """The actor's position on the issue, or None when it has none (indifferent)."""
        return self._positions.get((actor_id, issue_id))

    @property
    def issue_ids(self) -> list[str]:
        return [i.id for i in self.issues]

    @property
    def actor_ids(self) -> list[str]:
        return [a.id for a in self.actors]

    @property
    def parties(self) -> list[str]:
        """Actors whose agreement a deal needs by default."""
        return [a.id for a in self.actors if a.party]

    @property
    def horizon(self) -> dt.date | None:
        """The date by which the case's scenarios resolve (None when it has none)."""
        return self.scenarios[0].horizon if self.scenarios else None

    @property
    def tilt_pair(self) -> tuple[str, str]:
        return self.tilt or (self.axis.low, self.axis.high)

    # -- packages --------------------------------------------------------
    def status_quo(self) -> Package:
        """The package of no agreement: every issue at its status quo."""
        return {i.id: i.status_quo for i in self.issues}

    def package(self, plan: Plan | str) -> Package:
        """The package a plan induces: its settled options, the status quo where it is silent."""
        if isinstance(plan, str):
            plan = self.plan(plan)
        return {**self.status_quo(), **plan.settled()}

    def salience(self, actor_id: str, issue_id: str) -> float:
        pos = self.position(actor_id, issue_id)
        return pos.salience.value if pos else 0.0

    def utility(self, actor_id: str, issue_id: str, option_id: str) -> float:
        """The actor's utility in [0, 1] for one option of one issue.

        An explicit ``utility`` table wins; otherwise ``1 - |axis - axis(ideal)| / 100``.
        The actor's ``curvature`` r bends either: ``1 - (1 - u)^r`` (r = 1: as it is).
        Issues where the actor holds no position give 1 (it does not care).
        """
        pos = self.position(actor_id, issue_id)
        if pos is None:
            return 1.0
        if pos.utility is not None:
            u = pos.utility[option_id]
        else:
            issue = self.issue(issue_id)
            u = 1.0 - abs(issue.axis(option_id) - issue.axis(pos.ideal)) / 100.0
        r = self.actor(actor_id).curvature.value
        return u if r == 1.0 else 1.0 - (1.0 - u) ** r


def view_of(history: Iterable[Position], as_of: dt.date | None) -> tuple[Position, ...]:
    """The state of each position in effect on ``as_of`` (the latest state when None).

    States are read in order (oldest first per pair); an undated state is in
    effect at every date. Each actor's saliences are rescaled so that they sum
    to what they sum to in the latest view, when the actor held fewer positions
    (or other saliences) then — the engines read saliences as shares.

    >>> from accord.model import Position
    >>> h = [Position(actor="a", issue="x", since="2025-01-01", ideal="p", salience=0.5),
    ...      Position(actor="a", issue="x", since="2025-06-01", ideal="q", salience=0.5),
    ...      Position(actor="a", issue="y", since="2025-06-01", ideal="p", salience=0.5)]
    >>> [(p.issue, p.ideal, p.salience.value) for p in view_of(h, dt.date(2025, 3, 1))]
    [('x', 'p', 1.0)]
    >>> [(p.issue, p.ideal) for p in view_of(h, None)]
    [('x', 'q'), ('y', 'p')]
    """
    history = tuple(history)
    latest: dict[tuple[str, str], Position] = {}
    current: dict[tuple[str, str], Position] = {}
    for p in history:
        key = (p.actor, p.issue)
        latest[key] = p
        if as_of is None or p.since is None or p.since <= as_of:
            current[key] = p
    if as_of is None:
        return tuple(current.values())
    total: dict[str, float] = defaultdict(float)
    now: dict[str, float] = defaultdict(float)
    for p in latest.values():
        total[p.actor] += p.salience.value
    for p in current.values():
        now[p.actor] += p.salience.value
    out = []
    for p in current.values():
        factor = total[p.actor] / now[p.actor] if now[p.actor] > 0 else 1.0
        if abs(factor - 1.0) > 1e-12:
            why = f"rescaled ×{factor:.3g}: the positions held on {as_of.isoformat()}"
            p = p.model_copy(update={"salience": p.salience.scaled(factor, why)})
        out.append(p)
    return tuple(out)
