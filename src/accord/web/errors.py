"""Errors of the web service: JSON ``{"error": {"message": …, "field": …}}`` for API clients, an HTML page
for browsers (a request for a dashboard page whose ``Accept`` names ``text/html``; never under ``/api/``).

Status codes mean what HTTP says: 401 no or bad token (or a report signature
that does not verify), 403 a token whose role may not do this (or a path
outside the workspace), 404 no such case/plan/claim/job, 409 it already
exists or conflicts with what is stored, 413 body too large, 415 a request that
starts work without a JSON body, 422 the input is invalid (``field`` names the
part at fault), 400 a ``Host`` this service does not serve.

>>> e = ApiError(404, "no plan 'x' in case 'toy'", field="plan")
>>> e.body()
{'error': {'message': "no plan 'x' in case 'toy'", 'field': 'plan'}}
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.errors import AccordError


class ErrorDetail(BaseModel):
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ApiError(Exception):
    """An error with its HTTP status, message and the request field at fault."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "field": self.field}}


def error_response(status: int, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "field": field}}, status_code=status, headers=headers)


def wants_html(path: str, accept: str) -> bool:
    """Whether an error answers with a page: a browser asking for a dashboard page, not an API client.

    >>> wants_html("/cases/x", "text/html,application/xhtml+xml,*/*;q=0.8"), wants_html("/cases/x", "*/*")
    (True, False)
    >>> wants_html("/api/v1/cases/x", "text/html"), wants_html("/openapi.json", "text/html")
    (False, False)
    """
    if path.startswith(("/api/", "/openapi.json", "/docs/assets/", "/static/")):
        return False
    return "text/html" in accept


def respond(request: Request, status: int, message: str, field: str | None = None,
            headers: dict[str, str] | None = None) -> Response:
    """The error as JSON, or as an HTML page when a browser asked for a page (:func:`wants_html`)."""
    if not wants_html(request.url.path, request.headers.get("accept", "")):
        return error_response(status, message, field, headers)
    from accord.web.html import error_page

    page = error_page(status, message, field)
    return HTMLResponse(page, status_code=status, headers=headers)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "no token, an unknown token, or a signature that does not verify"),
        (403, "the token's role may not do this, or a path leaves the workspace"),
        (404, "not found"),
        (409, "conflicts with what is stored"),
        (413, "request body too large"),
        (415, "a request that starts work must send a JSON body (Content-Type: application/json)"),
        (422, "invalid input; `field` names the part at fault"),
        (429, "too many jobs queued; retry later"),
        (503, "a write was interrupted (the process appending it stopped); whether it is stored, the ledger says"),
    )
}


def _field(loc: tuple[Any, ...]) -> str | None:
    parts = [str(x) for x in loc if x not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app`` (JSON, or a page for a browser: :func:`respond`)."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errs = exc.errors()
        first = errs[0] if errs else {"loc": (), "msg": "invalid request"}
        msg = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        field = _field(tuple(first.get("loc", ())))
        if first.get("type") == "missing":
            msg = "required field is missing"
        elif first.get("type") == "json_invalid":
            msg = "the body is not valid JSON"
        if len(errs) > 1:
            msg += f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})"
        return respond(request, 422, msg, field)

    @app.exception_handler(AccordError)
    async def _accord(request: Request, exc: AccordError) -> Response:
        p = exc.problems[0] if exc.problems else None
        field = (p.field or None) if p else None
        return respond(request, 422, "; ".join(exc.lines()), field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.url.path}"
        field = "body" if exc.status_code == 413 else None
        return respond(request, exc.status_code, message, field, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover - defensive
        return error_response(500, f"internal error: {type(exc).__name__}")
