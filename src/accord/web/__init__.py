"""The web service: REST API, dashboard, tokens. See :func:`accord.web.app.create_app`."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":  # imported lazily: accord.store.tokens must stay light for the store
        from accord.web.app import create_app

        return create_app
    raise AttributeError(name)
