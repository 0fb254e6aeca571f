"""How the engines' result dataclasses read as JSON: pydantic's settings for them, as a plain dict.

:mod:`accord.analysis.results` validates and serialises the forecast's and the
backtest's dataclasses as they are (pydantic reads standard-library dataclasses).
Each carries ``__pydantic_config__ = JSON_SHAPE``: a key it does not have is
refused, and the string under a field is that field's description in the OpenAPI
schema. The engines themselves import no pydantic.

>>> from accord.analysis.forecast import Point
>>> Point.__pydantic_config__ is JSON_SHAPE, JSON_SHAPE["extra"]
(True, 'forbid')
"""

from __future__ import annotations

JSON_SHAPE: dict[str, object] = {"extra": "forbid", "use_attribute_docstrings": True}
