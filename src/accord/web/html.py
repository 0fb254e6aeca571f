"""The dashboard's templates: one Jinja environment for its pages and its error pages.

The pages (:mod:`accord.web.pages`) and the error handlers (:mod:`accord.web.errors`)
both render from here, so neither imports the other.

>>> "404" in error_page(404, "no case 'x'", "case")
True
"""

from __future__ import annotations

from functools import cache
from http import HTTPStatus

from jinja2 import Environment, PackageLoader

from accord.report.render import environment


@cache
def env() -> Environment:
    """The environment of ``accord/web/templates`` (the report's filters and section macros included)."""
    return environment(PackageLoader("accord.web", "templates"))


def error_page(status: int, message: str, field: str | None = None) -> str:
    """The HTML page a browser gets for an error: the status, its reason, what was wrong and which field."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    return env().get_template("error.html").render(status=status, reason=reason, message=message, field=field,
                                                   page="error", query={}, cases=[], key_dates=[], csrf="",
                                                   case=None, case_id=None, as_of=None, qs="")
