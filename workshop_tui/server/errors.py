"""Every error is JSON ``{"error": message, "detail": ...}`` (docs/http.md): domain errors by
their ``.status``, request validation 422, unknown routes 404, wrong methods 405 (``Allow`` lists every
method of the path), a failed store 503, and never a traceback."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from workshop_tui.errors import WorkshopError
from workshop_tui.locales import DEFAULT
from workshop_tui.server import messages
from workshop_tui.server.http import JSON, error_body
from workshop_tui.server.schemas import ErrorOut

log = logging.getLogger(__name__)

DESCRIBED: dict[int, str] = {
    401: "no valid token",
    404: "no such workshop (or item)",
    409: "not allowed in the workshop's current state",
    413: "request body too large",
    415: "the request body is not application/json",
    422: "invalid request",
    429: "too many requests; see Retry-After",
    503: "the store stopped accepting writes, or the server is full",
}


def error_response(
    request: Request,
    status: int,
    message: str,
    detail: Any = None,
    headers: dict[str, str] | None = None,
    *,
    code: str | None = None,
) -> Response:
    code = code or messages.STATUS_CODES.get(status, "error")
    human = messages.human(code, detail, reader_language(request))
    body = error_body(message, detail, code=code, human=human)
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def reader_language(request: Request) -> str:
    """``Accept-Language``, else the language of the path's workshop, else English."""
    default = DEFAULT
    code = request.path_params.get("code")
    context = getattr(request.app.state, "context", None)
    if isinstance(code, str) and context is not None:
        with contextlib.suppress(WorkshopError):
            default = context.service.view(code).workshop.language
    return messages.language(request.headers.raw, default)


def domain_status(exc: WorkshopError) -> int:
    """A domain error's HTTP status; anything not a client error means the store failed (503)."""
    return exc.status if 400 <= exc.status < 500 else 503


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each error status with the envelope's schema."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorOut, "description": DESCRIBED[status]}
        if status == 429:
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}
        out[status] = entry
    return out


def request_error_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "invalid request: " + "; ".join(parts)


METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def allowed_methods(app: FastAPI, request: Request) -> str:
    """Every method some route offers for this path (Starlette names only the first route's)."""
    offered = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in app.router.routes):
            offered.append(method)
    return ", ".join(offered)


def install(app: FastAPI) -> None:
    @app.exception_handler(WorkshopError)
    async def on_domain_error(request: Request, exc: WorkshopError) -> Response:
        retry_after = getattr(exc, "retry_after", None)  # RateLimited, ServerFull
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return error_response(request, domain_status(exc), exc.message, exc.detail, headers, code=messages.code_of(exc))

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return error_response(request, 422, request_error_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        if status == 400:  # FastAPI could not read the body at all (bytes that are not JSON text)
            return error_response(request, 422, "invalid request: the body is not valid JSON", str(exc.detail))
        if status == 404:
            return error_response(request, 404, f"no such route: {request.method} {request.url.path}")
        if status == 405:
            allow = allowed_methods(app, request)
            return error_response(request, 405, f"method not allowed; this path takes {allow}", None, {"Allow": allow})
        return error_response(request, status, str(exc.detail), None, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug if reached
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error: the facilitator's log has the details")
