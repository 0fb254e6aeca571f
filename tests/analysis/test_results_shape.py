"""The forecast's and the backtest's parts are the JSON shape as they are: every one carries JSON_SHAPE."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from pydantic import ValidationError

from accord.analysis.backtest import Backtest
from accord.analysis.forecast import Forecast
from accord.analysis.results import ForecastResult
from accord.analysis.shape import JSON_SHAPE


def parts(cls: type, seen: set[type] | None = None) -> set[type]:
    """Every dataclass reachable from ``cls``'s fields (through tuples, dicts and optionals)."""
    seen = set() if seen is None else seen
    for hint in typing.get_type_hints(cls).values():
        stack = [hint]
        while stack:
            t = stack.pop()
            stack.extend(typing.get_args(t))
            if dataclasses.is_dataclass(t) and isinstance(t, type) and t not in seen:
                seen.add(t)
                parts(t, seen)
    return seen


@pytest.mark.parametrize("top", [Forecast, Backtest])
def test_every_part_refuses_unknown_keys_and_describes_its_fields(top: type) -> None:
    found = parts(top)
    assert len(found) >= 3
    for cls in found:
        assert cls.__dict__.get("__pydantic_config__") is JSON_SHAPE, cls.__name__


def test_a_part_with_an_unknown_key_is_refused() -> None:
    point = {"axis": 50.0, "option": "a"}
    issue = {"issue": "i", "name": "I", "point": 50.0, "point_option": "a", "points": {"eu": point}, "mean": 50.0,
             "quantiles": {"q50": 50.0}, "options": [], "top_option": "a"}
    body = {"case": "c", "model": "eu", "draws": 1, "seed": 0, "engine": "local", "inputs": 0, "issues": [issue],
            "scenarios": []}
    assert ForecastResult.model_validate(body).issues[0].points["eu"].axis == 50.0
    with pytest.raises(ValidationError, match="points.eu.label"):
        ForecastResult.model_validate({**body, "issues": [{**issue, "points": {"eu": {**point, "label": "A"}}}]})
