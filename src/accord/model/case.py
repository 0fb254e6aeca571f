"""The case: one negotiation, everything about it in one validated object."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from accord.model.actor import Actor, Position
from accord.model.issue import Issue
from accord.model.plan import Plan
from accord.model.source import Source, Strict

Package = dict[str, str]
"""An assignment of one option id to every issue id."""


class Axis(Strict):
    """Which actor's pole lies at 0 and which at 100 on every issue axis."""

    low: str
    high: str


class Scenario(Strict):
    """A named class of outcome, defined by a rule over a forecast.

    The rule language is documented in :mod:`accord.analysis.scenarios`.
    """

    id: str
    name: str
    description: str = ""
    rule: str
    sources: tuple[str, ...] = ()


class Case(BaseModel):
    """One negotiation: issues, actors, positions, plans, sources, scenarios.

    >>> from accord.model import load_case
    >>> case = load_case("ukraine_2025")
    >>> case.issue("military_limits").status_quo
    'no-cap'
    >>> case.plan("us-28-point").provision("6").option
    '600k'
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
    issues: tuple[Issue, ...]
    actors: tuple[Actor, ...]
    positions: tuple[Position, ...] = ()
    plans: tuple[Plan, ...] = ()
    sources: tuple[Source, ...] = ()
    scenarios: tuple[Scenario, ...] = ()

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
        Issues where the actor holds no position give 1 (it does not care).
        """
        pos = self.position(actor_id, issue_id)
        if pos is None:
            return 1.0
        if pos.utility is not None:
            return pos.utility[option_id]
        issue = self.issue(issue_id)
        return 1.0 - abs(issue.axis(option_id) - issue.axis(pos.ideal)) / 100.0
