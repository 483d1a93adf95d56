"""The ASGI layer in front of FastAPI: the body-size limit, security headers, and the vote fast path.

The fast path answers a plain ``{"idea_id": ...}`` vote without FastAPI's per-request dependency
machinery (which cost about twice the vote itself), with the same checks in the same order; any
other body goes on to the normal route, so error shapes match.
"""

from __future__ import annotations

import re
from typing import Any, Final

import orjson
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop_tui.errors import RateLimited, WorkshopError
from workshop_tui.server.http import (
    COMMON_HEADERS,
    COOKIE_PREFIX,
    DRAIN_LIMIT,
    NO_STORE,
)
from workshop_tui.server.ratelimit import RateLimiter
from workshop_tui.service import WorkshopService


class Guard:
    """Pure ASGI middleware: security headers on every response, and the body size limit (413)
    checked before anything parses the body (Content-Length, or counted for a chunked body)."""

    def __init__(self, app: ASGIApp, max_body: int, fast: VoteFastPath | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.fast = fast

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = [*COMMON_HEADERS, *NO_STORE] if path.startswith("/api/") or path == "/healthz" else COMMON_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        length = None
        chunked = False
        for key, value in scope["headers"]:
            if key == b"content-length":
                length = value
            elif key == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = True
            if too_big:
                await self._too_large(receive, send_with_headers)
                return
        elif chunked:
            body = bytearray()
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.max_body and more:
                    await self._too_large(receive, send_with_headers)
                    return
                if len(body) > self.max_body:
                    await self._too_large(None, send_with_headers)
                    return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": bytes(body), "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
            return
        if self.fast is not None and self.fast.matches(scope):
            await self.fast(scope, receive, send_with_headers, self.app)
            return
        await self.app(scope, receive, send_with_headers)

    async def _too_large(self, receive: Receive | None, send: Send) -> None:
        """413. A modest body is read and dropped first: closing on unread bytes makes TCP reset the
        connection, and the client would see a connection error instead of this answer."""
        if receive is not None:
            drained = 0
            while drained <= DRAIN_LIMIT:
                message = await receive()
                if message["type"] != "http.request":
                    return
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        payload = orjson.dumps({"error": f"the request body is larger than {self.max_body} bytes", "detail": None})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": payload})


class VoteFastPath:
    """The hottest routes, ``POST .../votes`` and ``DELETE .../votes/{idea_id}``, without FastAPI's
    per-request machinery (dependency solving, request objects), which cost about twice the vote itself.

    Same order and answers as the documented FastAPI routes: the workshop (404), the token (401), the
    rate limit (429), then the service's rules. A body that is not exactly ``{"idea_id": "..."}`` is
    handed, untouched, to the FastAPI route, so validation errors look the same everywhere.
    """

    PATH: Final = re.compile(r"^/api/v1/w/([^/]+)/votes(?:/([^/]+))?$")

    def __init__(self, service: WorkshopService, writes: RateLimiter) -> None:
        self.service = service
        self.writes = writes
        self.served = 0

    def matches(self, scope: Scope) -> bool:
        return scope["method"] in ("POST", "DELETE") and self.PATH.match(scope["path"]) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send, app: ASGIApp) -> None:
        match = self.PATH.match(scope["path"])
        assert match is not None
        code, path_idea = match.group(1), match.group(2)
        method = scope["method"]
        if method == "POST" and path_idea is None:
            body = b""
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
            idea_id = _plain_vote(body)
            if idea_id is None:
                await app(scope, _replay(body, receive), send)
                return
        elif method == "DELETE" and path_idea is not None:
            idea_id = path_idea
        else:
            await app(scope, receive, send)
            return
        headers = [(b"content-type", b"application/json")]
        payload: dict[str, Any]
        try:
            state = self.service.state(code)
            token = _scope_token(scope, COOKIE_PREFIX + state.code)
            person = self.service.authenticate(state.code, token)
            self.writes.check(person.id)
            if method == "POST":
                status, payload = 201, {"remaining_dots": await self.service.cast_dot(state.code, person.id, idea_id)}
            else:
                status, payload = (
                    200,
                    {"remaining_dots": await self.service.withdraw_dot(state.code, person.id, idea_id)},
                )
        except WorkshopError as exc:
            status = exc.status if 400 <= exc.status < 500 else 503
            payload = {"error": exc.message, "detail": exc.detail}
            if isinstance(exc, RateLimited):
                headers.append((b"retry-after", str(exc.retry_after).encode()))
        self.served += 1
        data = orjson.dumps(payload)
        headers.append((b"content-length", str(len(data)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": data})


def _plain_vote(body: bytes) -> str | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or len(data) != 1:
        return None
    idea_id = data.get("idea_id")
    return idea_id if isinstance(idea_id, str) and 1 <= len(idea_id) <= 64 else None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _scope_token(scope: Scope, cookie_name: str) -> str | None:
    """As the routes: an Authorization header always wins (malformed: ""), else the workshop's cookie."""
    cookie = None
    for key, value in scope["headers"]:
        if key == b"authorization":
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
        if key == b"cookie":
            cookie = value.decode("latin-1")
    if cookie is None:
        return None
    return cookie_parser(cookie).get(cookie_name)
