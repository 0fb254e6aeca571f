"""A response cache in front of the app, for reads that depend only on the loaded cases.

Endpoints whose answer is a pure function of the case data and the URL mark
their response with the internal header ``x-accord-cache``; this ASGI
middleware keeps the bytes of such a 200 response, keyed by path and query,
and serves later GETs of the same URL straight from memory — skipping
routing, dependencies and serialization — while :attr:`State.generation`
(bumped by every edit of a case or its claims) is unchanged. Only readers the
policy lets in without a token are served from it (loopback clients by
default); everyone else takes the normal path and its checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.web.auth import is_loopback
from accord.web.state import State

MARK = b"x-accord-cache"
MAX_ENTRIES = 4096


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        eligible = scope["method"] == "GET" and self.state.caching and self._open_to(scope)
        key = (scope["path"], scope.get("query_string", b""))
        generation = self.state.generation
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
