"""What every response tells the browser, and which Host names are served: pure ASGI middleware.

- **Headers on every response**: a strict Content-Security-Policy (scripts
  only from this origin — no inline script, no inline event handler, no
  ``eval``; the HTML report, which must be self-contained, allows exactly its
  two inline scripts by hash), ``X-Content-Type-Options: nosniff``,
  ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (no framing),
  ``Referrer-Policy: no-referrer`` and ``Cross-Origin-Opener-Policy: same-origin``.
  A response that sets its own CSP keeps it.
- **Host allow-list**: a request whose ``Host`` header names a host not on the
  list is refused (400, JSON) before anything else runs, so a page on another
  site that rebinds its DNS name to 127.0.0.1 cannot read the loopback API.
  The default list is the bind address and the loopback names; ``*`` allows
  any host.

>>> host_name("127.0.0.1:8000"), host_name("[::1]:8000"), host_name("Example.org"), host_name("")
('127.0.0.1', '::1', 'example.org', '')
>>> allowed_hosts("0.0.0.0", ["dash.example.org"])
('127.0.0.1', '::1', 'dash.example.org', 'localhost')
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_HOST = "*"
WILDCARD_BINDS = ("0.0.0.0", "::", "")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
"""The dashboard's policy. Styles may be inline (plotly draws with style attributes); scripts may not."""


def csp_with_scripts(hashes: Iterable[str]) -> str:
    """The policy for a page whose only scripts are inline ones with these ``'sha256-…'`` hashes."""
    return CSP.replace("script-src 'self'", "script-src " + " ".join(hashes))


HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def host_name(header: str) -> str:
    """The host of a ``Host`` header, lower-case, without port or IPv6 brackets."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


def allowed_hosts(bind: str | None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The Host names served: the loopback names, the bind address (unless it is a wildcard) and ``extra``."""
    names = set(LOOPBACK_NAMES)
    if bind and bind not in WILDCARD_BINDS:
        names.add(host_name(bind) if not bind.count(":") > 1 else bind.strip("[]").lower())
    for h in extra:
        names.add(ANY_HOST if h.strip() == ANY_HOST else host_name(h))
    return tuple(sorted(names))


class BrowserPolicy:
    """Refuse requests for foreign Host names; add the security headers to every response."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = LOOPBACK_NAMES):
        self.app = app
        self.hosts = frozenset(hosts)
        self.any_host = ANY_HOST in self.hosts

    def _host_ok(self, scope: Scope) -> tuple[bool, str]:
        if self.any_host:
            return True, ""
        for name, value in scope.get("headers", ()):
            if name == b"host":
                host = host_name(value.decode("latin-1"))
                return host in self.hosts, host
        server = scope.get("server")  # HTTP/1.0 without Host: the address the client connected to
        host = str(server[0]).lower() if server else ""
        return host in self.hosts, host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ok, host = self._host_ok(scope)
        if not ok:
            await _refuse_host(send, host, self.hosts)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, with_headers)


async def _refuse_host(send: Send, host: str, hosts: Iterable[str]) -> None:
    message = (f"host '{host}' is not served here (served: {', '.join(sorted(hosts))}); "
               "start the server with --allow-host NAME to serve it")
    body = json.dumps({"error": {"message": message, "field": "Host"}}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                          *HEADERS, (b"content-security-policy", CSP.encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
