"""The vote fast path: ``POST .../votes`` and ``DELETE .../votes/{idea_id}``, the hottest routes,
answered without FastAPI's per-request machinery (dependency solving, request objects), which costs
more than the durable vote itself (``bench/bench_server.py`` measures both ways).

Same order and answers as the documented routes in ``routes/participant.py``: the workshop (404), the
token (401), the rate limit (429), then the service's rules, with the token, content-type and error
envelope functions the routes use (``server/http.py``). A body that is not exactly
``{"idea_id": "..."}`` is handed, untouched, to the FastAPI route, so validation errors look the same.
"""

from __future__ import annotations

import re
from typing import Final

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop_tui.errors import RateLimited, WorkshopError
from workshop_tui.locales import DEFAULT
from workshop_tui.server import messages
from workshop_tui.server.errors import domain_status
from workshop_tui.server.http import error_body, request_token, send_json
from workshop_tui.server.ratelimit import RateLimiter
from workshop_tui.service import WorkshopService


class VoteFastPath:
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
            body = await read_body(receive)
            if body is None:
                return  # the client went away
            idea_id = _plain_vote(body)
            if idea_id is None:
                await app(scope, replay(body, receive), send)
                return
        elif method == "DELETE" and path_idea is not None:
            idea_id = path_idea
        else:
            await app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = []
        view = None
        try:
            view = self.service.view(code)
            person = self.service.authenticate(view.code, request_token(scope["headers"], view.code))
            self.writes.check(person.id)
            if method == "POST":
                status, data = 201, await self.service.cast_dot(view.code, person.id, idea_id)
            else:
                status, data = 200, await self.service.withdraw_dot(view.code, person.id, idea_id)
            payload = orjson.dumps({"remaining_dots": data})
        except WorkshopError as exc:
            lang = messages.language(scope["headers"], view.workshop.language if view else DEFAULT)
            code = messages.code_of(exc)
            human = messages.human(code, exc.detail, lang)
            status, payload = domain_status(exc), error_body(exc.message, exc.detail, code=code, human=human)
            if isinstance(exc, RateLimited):
                headers.append((b"retry-after", str(exc.retry_after).encode()))
        self.served += 1
        await send_json(send, status, payload, headers)


async def read_body(receive: Receive) -> bytes | None:
    body = b""
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that yields ``body`` (already read) once, then the real channel."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _plain_vote(body: bytes) -> str | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or len(data) != 1:
        return None
    idea_id = data.get("idea_id")
    return idea_id if isinstance(idea_id, str) and 1 <= len(idea_id) <= 64 else None
