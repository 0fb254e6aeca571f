"""A response cache in front of the app, for reads that depend only on the loaded cases.

Endpoints whose answer is a pure function of the case data and the URL mark
their response with the internal header ``x-accord-cache``; this ASGI
middleware keeps the bytes of such a 200 response, keyed by path and query,
and serves later GETs of the same URL straight from memory — skipping
routing, dependencies and serialization — while :attr:`State.generation`
(bumped by every edit of a case or its claims) is unchanged. Only readers the
policy lets in without a token are served from it (loopback clients by
default); everyone else takes the normal path and its checks.

The compliance board (``GET /api/v1/compliance``) is answered here too, for the
same readers, from the bytes :mod:`accord.web.boards` holds — current with every
write — when the query is plain (``case``, ``agreement``, ``as_of`` as
``YYYY-MM-DD``, each at most once) and the board is held; anything else takes
the route, which answers the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.web.auth import is_loopback
from accord.web.boards import board_key
from accord.web.state import State

MARK = b"x-accord-cache"
MAX_ENTRIES = 4096
BOARD_PATH = "/api/v1/compliance"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Entry:
    generation: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    def __init__(self, app: ASGIApp, state: State):
        self.app = app
        self.state = state
        self.entries: dict[tuple[str, bytes], Entry] = {}

    def _open_to(self, scope: Scope) -> bool:
        reads = self.state.reads
        if reads == "open":
            return True
        client = scope.get("client")
        return reads == "local" and is_loopback(client[0] if client else None)

    def _board(self, query: bytes) -> bytes | None:
        """The bytes of the board a plain query asks for, if held; else None (the route answers)."""
        store = self.state.store
        if store is None:
            return None
        try:
            pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, strict_parsing=bool(query))
        except ValueError:
            return None
        args = dict(pairs)
        if len(args) != len(pairs) or not set(args) <= {"case", "agreement", "as_of"}:
            return None
        when = args.get("as_of")
        if when is not None and not _DAY.fullmatch(when):
            return None
        try:
            day = dt.date.fromisoformat(when) if when is not None else None
        except ValueError:
            return None
        snap = store.boards.get(board_key(args.get("case"), args.get("agreement"), day))
        return snap.body if snap is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        eligible = scope["method"] == "GET" and self.state.caching and self._open_to(scope)
        key = (scope["path"], scope.get("query_string", b""))
        generation = self.state.generation
        if eligible and key[0] == BOARD_PATH:
            body = self._board(key[1])
            if body is not None:
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
                return
        if eligible:
            hit = self.entries.get(key)
            if hit is not None and hit.generation == generation:
                await send({"type": "http.response.start", "status": 200, "headers": hit.headers})
                await send({"type": "http.response.body", "body": hit.body})
                return
        keep: list[list[tuple[bytes, bytes]]] = []
        chunks: list[bytes] = []

        async def capture(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                if any(k == MARK for k, _ in headers):
                    headers = [(k, v) for k, v in headers if k != MARK]
                    msg = {**msg, "headers": headers}
                    if eligible and msg.get("status") == 200:
                        keep.append(headers)
            elif msg["type"] == "http.response.body" and keep:
                chunks.append(msg.get("body", b""))
                if not msg.get("more_body", False):
                    if len(self.entries) >= MAX_ENTRIES:
                        self.entries.clear()
                    self.entries[key] = Entry(generation, keep[0], b"".join(chunks))
            await send(msg)

        await self.app(scope, receive, capture)
