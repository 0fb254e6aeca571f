"""The FastAPI application: ``create_app(db_url=…, case=…)``.

>>> from fastapi.testclient import TestClient
>>> from accord.model import DEFAULT_CASE
>>> app = create_app(case=DEFAULT_CASE)
>>> with TestClient(app, base_url="http://localhost", client=("127.0.0.1", 5000)) as client:
...     client.get("/api/v1/cases").json()[0]["id"] == DEFAULT_CASE
True

- REST API under ``/api/v1`` (:mod:`accord.web.api`, :mod:`accord.web.api_monitor`);
  OpenAPI at ``/openapi.json``, interactive docs at ``/docs``;
- the dashboard at ``/`` (:mod:`accord.web.pages`), static files under ``/static``;
- reads open to loopback clients by default, writes need a bearer token with a
  role (:mod:`accord.web.auth`); tokens live in the database when ``db_url`` is
  given, in memory otherwise;
- plans and positions edited through the API are kept in the database and
  replayed over the case's YAML at start (``GET /api/v1/cases/{id}/edits``);
- a strict CSP and the other browser headers on every response, and only the
  allowed ``Host`` names served (:mod:`accord.web.security`);
- every error is JSON ``{"error": {"message", "field"}}`` (:mod:`accord.web.errors`);
  request bodies are limited to ``max_body`` bytes (:mod:`accord.web.limits`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord.model import Case, Claim, bundled_cases, load_case
from accord.store.tokens import MemoryTokenStore, TokenStore
from accord.web import errors
from accord.web.cache import ResponseCache
from accord.web.limits import BodyLimit
from accord.web.security import BrowserPolicy, allowed_hosts
from accord.web.state import ReadAccess, State

if TYPE_CHECKING:
    from accord.web.store_adapter import ServiceStore

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("accord.web")


def _cases(case: str | Case | Sequence[str | Case] | None) -> list[Case]:
    if case is None:
        case = bundled_cases()
    items = [case] if isinstance(case, str | Case | os.PathLike) else list(case)
    return [c if isinstance(c, Case) else load_case(c) for c in items]


def open_store(db_url: str, log_key: Path | None = None,
               append_process: bool = False) -> tuple[ServiceStore, TokenStore]:
    """The monitoring store and the token table of the database at ``db_url``."""
    from accord.web.store_adapter import open_adapter

    return open_adapter(db_url, log_key, append_process)


async def _watch_ledger(store: ServiceStore) -> None:
    """Bring the compliance boards in memory up to writes made by other processes (:mod:`accord.web.boards`)."""
    from fastapi.concurrency import run_in_threadpool

    from accord.web.boards import POLL_S

    while True:
        await asyncio.sleep(POLL_S)
        try:
            await run_in_threadpool(store.boards.refresh)
        except Exception:  # a database gone away for a moment: say so, keep watching
            log.exception("refreshing the compliance boards failed")


def create_app(
    db_url: str | None = None,
    case: str | Case | Sequence[str | Case] | None = None,
    *,
    workspace: str | os.PathLike[str] | None = None,
    reads: ReadAccess = "local",
    tokens: TokenStore | None = None,
    claims: Mapping[str, Sequence[Claim]] | None = None,
    max_body: int = 1_000_000,
    log_key: str | os.PathLike[str] | None = None,
    caching: bool = True,
    documents: Sequence[str | os.PathLike[str]] = (),
    hosts: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    append_process: bool = False,
) -> FastAPI:
    """The accord web service.

    ``case``: case folders or bundled case names to load (default: every bundled
    case). ``db_url``: the database of agreements, reports, the
    ledger, tokens and claims (none: tokens and claims in memory, monitoring
    unavailable). ``workspace``: the folder API paths must stay inside
    (default: the working directory). ``reads``: ``local`` (open to loopback
    clients), ``open`` or ``token``. ``claims``: claims to preload, per case id.
    ``log_key``: the ledger's signing key file (default: beside a SQLite database).
    ``caching=False`` recomputes every read (the baseline of ``bench/serve.py``).
    ``documents``: articles (files or folders) whose claims are extracted into the first case at start.
    ``hosts``: the ``Host`` names served (default: the loopback names; ``"*"``: any), see
    :mod:`accord.web.security`.
    ``as_of``: the date reads view the cases as of when a request gives no ``?as_of=`` (None: the latest).
    ``append_process``: append monitors' reports in a child process (:mod:`accord.store.appender`), so that
    their CPU does not slow reads (``accord serve`` does).
    """
    store: ServiceStore | None = None
    if db_url is not None:
        store, db_tokens = open_store(db_url, Path(log_key) if log_key else None, append_process)
        tokens = tokens or db_tokens
    state = State(workspace=Path(workspace or os.getcwd()), tokens=tokens or MemoryTokenStore(), reads=reads,
                  store=store, max_body=max_body, caching=caching, as_of=as_of)
    for c in _cases(case):
        preload = list((claims or {}).get(c.id, ()))
        if store is not None:
            preload += list(store.load_claims(c.id))
        state.add_case(c, origin=c.id, claims=preload)
        for skipped in state.replay_edits(c.id):
            log.warning("case %s: edit %d (%s %s) no longer applies: %s", c.id, skipped.seq, skipped.kind,
                        skipped.key, skipped.problem)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poll = asyncio.create_task(_watch_ledger(store)) if store is not None else None
        yield
        if poll is not None:
            poll.cancel()
        state.jobs.shutdown()
        if store is not None:
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="accord",
        version="1",
        summary="Peace negotiations as data: plans, positions, red lines, deals, forecasts, compliance.",
        description=(
            "Reads are open to clients on localhost; every write needs `Authorization: Bearer <token>` "
            "with a role (editor: case data and claims; monitor: reports, signed with its key; admin: tokens). "
            "Errors are JSON `{\"error\": {\"message\", \"field\"}}`."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.accord = state
    errors.install(app)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(ResponseCache, state=state)
    app.add_middleware(BrowserPolicy, hosts=allowed_hosts(None, hosts or ()))

    from accord.web import api, api_documents, api_monitor, api_review, docs, pages

    app.include_router(api.router)
    app.include_router(api_documents.router)
    app.include_router(api_monitor.router)
    app.include_router(api_review.router)
    app.include_router(pages.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if documents and state.cases:
        api_documents.extract_into(state, next(iter(state.cases)), [Path(d) for d in documents])

    return app
