"""The ASGI layer in front of FastAPI: security headers on every response, the body-size limit (413)
checked before anything parses a body, then the vote fast path or the routes."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop_tui.server.fastpath import VoteFastPath, replay
from workshop_tui.server.http import COMMON_HEADERS, DRAIN_LIMIT, NO_STORE, error_body, send_json


class Guard:
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
                if len(body) > self.max_body:
                    await self._too_large(receive if more else None, send_with_headers)
                    return
            receive = replay(bytes(body), receive)
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
        body = error_body(f"the request body is larger than {self.max_body} bytes")
        await send_json(send, 413, body, close=True)
