"""The web service: REST API, dashboard, tokens. See :func:`accord.web.app.create_app`."""

from accord.web.app import create_app

__all__ = ["create_app"]
