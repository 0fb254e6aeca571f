"""Who may do what: open reads on localhost, bearer tokens with roles for every write.

- reads: open to clients on the loopback interface by default (``reads="local"``);
  ``reads="open"`` opens them to everyone, ``reads="token"`` asks every reader
  for a token (any role);
- writes: ``Authorization: Bearer acc_…`` with a role allowed to make them —
  401 without a valid token, 403 when its role may not.

>>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("10.0.0.2"), is_loopback(None)
(True, True, False, False)
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from accord.store.tokens import Role, TokenInfo, check_token
from accord.web.errors import ApiError
from accord.web.state import State

bearer = HTTPBearer(auto_error=False, description="A token from `accord token create --role …`")
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def state_of(request: Request) -> State:
    return request.app.state.accord  # type: ignore[no-any-return,unused-ignore]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


async def _token(state: State, creds: HTTPAuthorizationCredentials | None) -> TokenInfo | None:
    """The token's info (401 if unknown): looked up in the thread pool, never on the event loop — the
    database may be busy (writers waiting for its lock hold its connections), and reads answered from memory
    must not wait for it."""
    if creds is None:
        return None
    info = await run_in_threadpool(check_token, state.tokens, creds.credentials)
    if info is None:
        raise ApiError(401, "unknown, revoked or malformed token", field="Authorization", headers=CHALLENGE)
    return info


async def read_allowed(state: State, request: Request, creds: HTTPAuthorizationCredentials | None) -> None:
    """Raise 401 unless this request may read."""
    if state.reads == "open":
        return
    if state.reads == "local" and is_loopback(request.client.host if request.client else None):
        return
    if creds is None:
        raise ApiError(401, "reading needs a token from this address", field="Authorization", headers=CHALLENGE)
    await _token(state, creds)


async def reader(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Dependency of every read endpoint."""
    await read_allowed(state_of(request), request, creds)


def role(*roles: Role) -> Callable[..., Coroutine[Any, Any, TokenInfo]]:
    """Dependency: a valid token whose role is one of ``roles`` (the token's info is returned)."""

    async def need(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> TokenInfo:
        state = state_of(request)
        if creds is None:
            raise ApiError(401, f"this needs a bearer token with role {' or '.join(roles)}",
                           field="Authorization", headers=CHALLENGE)
        info = await _token(state, creds)
        assert info is not None
        if info.role not in roles:
            raise ApiError(403, f"a token with role '{info.role}' may not do this; it needs {' or '.join(roles)}",
                           field="Authorization")
        return info

    return need


CSRF_HEADER = "X-CSRF-Token"


async def starts_work(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Dependency of the POSTs that start work (solve, forecast jobs): a JSON body, and a token or the CSRF token.

    A page on another site can send a body-less or form POST without asking;
    it cannot send ``Content-Type: application/json`` (the browser asks first,
    and this service never says yes) nor read the dashboard's CSRF token.
    """
    state = state_of(request)
    await read_allowed(state, request, creds)
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, "send a JSON body with Content-Type: application/json (e.g. {})", field="body")
    if creds is not None:
        await _token(state, creds)
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent.encode(), state.csrf.encode()):
        raise ApiError(401, f"starting work needs a bearer token (any role) or the dashboard's {CSRF_HEADER}",
                       field="Authorization", headers=CHALLENGE)


editor = role("editor", "admin")
monitor = role("monitor")
admin = role("admin")
