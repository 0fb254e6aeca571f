"""The solve and forecast engines' results as pydantic models: one JSON shape for the CLI and the API.

The engines stay pure and return frozen dataclasses
(:mod:`accord.analysis.solve_result`, :class:`accord.analysis.forecast.Forecast`);
this module is the one place they become the typed shape that ``accord solve --json``,
``accord forecast --json``, ``accord backtest --json``, the jobs behind ``POST /api/v1/cases/{case}/solve`` and
``…/forecast`` and their OpenAPI schema share. Field names are the dataclasses' own;
a solve result adds ``explain``, the engine's own paragraph on what it means.

The parts of a forecast and of a backtest (an issue's forecast, a scenario's, a
score…) are the engine's dataclasses themselves: pydantic validates and
serialises them as they are, with the settings of :mod:`accord.analysis.shape`
(no unknown keys; the string under a field is its description). Only the
top-level results are restated here, for their names and descriptions in the
schema. The solve results are restated whole: one model per goal, told apart by
a ``goal`` literal, with ``explain`` (a method of the engine's result) as a
field, and the report's views extend ``Scored``.

>>> from accord.analysis.solve import feasible
>>> from accord.model import DEFAULT_CASE, load_case
>>> r = solve_result(feasible(load_case(DEFAULT_CASE)))
>>> r.goal, r.status, r.explain.split(":")[0]
('feasible', 'infeasible', 'No package is acceptable to all of russia, ukraine, us and europe')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.analysis.backtest import IssueTarget, Resolution, Score
from accord.analysis.forecast import IssueForecast, OptionShare, Point, PredictorInfo, ScenarioForecast
from accord.analysis.sensitivity import SensitivityRow

if TYPE_CHECKING:
    from accord.analysis.backtest import Backtest
    from accord.analysis.forecast import Forecast
    from accord.analysis.solve_result import SolveResult

__all__ = [
    "AmendResult", "Amended", "AnySolve", "BacktestResult", "BargainResult", "Conflict", "ConflictsResult",
    "Constraint", "FeasibleResult", "ForecastResult", "IssueForecast", "IssueTarget", "OptionShare", "ParetoResult",
    "PlanChange", "Point", "PredictorInfo", "Resolution", "ScenarioForecast", "Score", "Scored", "SensitivityRow",
    "SolveOut", "backtest_result", "forecast_result", "solve_result",
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True, extra="forbid")


# -- solve ----------------------------------------------------------------------------------------

class Scored(_Result):
    """A package (issue → option) with each required actor's utility and gain over its batna."""

    package: dict[str, str]
    utilities: dict[str, float]
    gains: dict[str, float]


class Constraint(_Result):
    """A red line (``actor`` rejects ``options`` of ``issue``) or a batna floor of ``actor``."""

    kind: Literal["red_line", "batna"]
    actor: str
    issue: str | None = None
    options: tuple[str, ...] = ()
    batna: float | None = None


class Conflict(_Result):
    """A minimal set of constraints (``drop``) whose removal lets a package exist, and that package."""

    drop: tuple[Constraint, ...]
    witness: Scored


class PlanChange(_Result):
    """One amendment: ``issue`` moves from option ``before`` to ``after``; the plan's ``provisions`` settling it."""

    issue: str
    before: str
    after: str
    provisions: tuple[str, ...]


class Amended(_Result):
    """A plan after ``changes``: the package and its scores."""

    changes: tuple[PlanChange, ...]
    package: Scored


class _Solved(_Result):
    status: str
    actors: tuple[str, ...] = Field(description="the actors who must agree")
    notes: tuple[str, ...] = Field((), description="diagnostics, e.g. an issue whose every option is on a red line")
    explain: str = Field("", description="what the result means, in one paragraph")


class FeasibleResult(_Solved):
    """``status`` feasible | infeasible; ``package``: the acceptable package nearest the status quo."""

    goal: Literal["feasible"]
    package: Scored | None = None
    moved: tuple[str, ...] = ()


class ConflictsResult(_Solved):
    """``status`` feasible (nothing to drop) | conflicts; the minimal conflicts, smallest first."""

    goal: Literal["conflicts"]
    conflicts: tuple[Conflict, ...] = ()
    complete: bool = True


class ParetoResult(_Solved):
    """The Pareto frontier of ``among``, best for ``among[0]`` first; ``complete``: no point left out by the limit."""

    goal: Literal["pareto"]
    method: str = "merge"
    among: tuple[str, ...] = ()
    points: tuple[Scored, ...] = ()
    complete: bool = True


class BargainResult(_Solved):
    """Nash, Kalai–Smorodinsky or maximin package; ``value`` with its proven ``bound`` and relative ``gap``."""

    goal: Literal["nash", "ks", "maximin"]
    package: Scored | None = None
    value: float | None = None
    bound: float | None = None
    gap: float | None = None
    iterations: int = 0
    ideal: dict[str, float] | None = None


class AmendResult(_Solved):
    """The fewest changes that make ``plan`` acceptable to all (``fewest``) and the best within ``k`` (``best``)."""

    goal: Literal["amend"]
    plan: str
    objective: str = "nash"
    k: int | None = None
    plan_package: Scored | None = None
    rejecting: tuple[str, ...] = ()
    fewest: Amended | None = None
    best: Amended | None = None
    best_value: float | None = None


AnySolve = FeasibleResult | ConflictsResult | ParetoResult | BargainResult | AmendResult
SolveOut = Annotated[AnySolve, Field(discriminator="goal")]
"""Any solve result, told apart by ``goal`` (a response model)."""

_BY_GOAL: dict[str, type[_Solved]] = {
    "feasible": FeasibleResult, "conflicts": ConflictsResult, "pareto": ParetoResult, "nash": BargainResult,
    "ks": BargainResult, "maximin": BargainResult, "amend": AmendResult,
}


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def solve_result(r: SolveResult) -> AnySolve:
    """The typed shape of an engine's solve result, with its explanation."""
    out: AnySolve = _BY_GOAL[r.goal].model_validate({**_fields(r), "explain": r.explain()})  # type: ignore[assignment]
    return out


# -- forecast -------------------------------------------------------------------------------------

class ForecastResult(_Result):
    """A forecast run: per issue the distribution over options, per scenario its probability."""

    case: str
    model: str
    draws: int
    seed: int
    engine: str
    inputs: int = Field(description="uncertain estimates drawn (red lines' events included)")
    issues: tuple[IssueForecast, ...]
    scenarios: tuple[ScenarioForecast, ...]
    predictors: tuple[PredictorInfo, ...] = ()
    as_of: dt.date | None = None
    horizon: dt.date | None = None
    plan: str | None = None
    calibration: str | None = None
    interval: str = ""
    spread: str = ""
    sensitivity: tuple[SensitivityRow, ...] = ()


def forecast_result(f: Forecast) -> ForecastResult:
    """The typed shape of a :class:`~accord.analysis.forecast.Forecast`."""
    return ForecastResult.model_validate(_fields(f))


# -- backtest -------------------------------------------------------------------------------------

class BacktestResult(_Result):
    """A forecast as of a date scored against what came after (``accord backtest --json``)."""

    case: str
    as_of: dt.date
    target: str | None
    target_kind: str | None
    target_date: dt.date | None
    model: str
    draws: int
    seed: int
    horizon: dt.date | None
    plan: str | None
    issues: tuple[IssueTarget, ...]
    scores: tuple[Score, ...]
    best: dict[str, list[str]] = Field(description="axis / ordinal / hits / brier → the predictors that did best")
    resolutions: tuple[Resolution, ...] = ()
    uniform_brier: float | None = None
    uniform_brier_all: float | None = None
    notes: tuple[str, ...] = ()


def backtest_result(b: Backtest) -> BacktestResult:
    """The typed shape of a :class:`~accord.analysis.backtest.Backtest`."""
    return BacktestResult.model_validate(_fields(b))
