"""The ASGI layer in front of FastAPI: security headers on every response; the JSON-only rule for
write bodies (415) and the body-size limit (413), both checked before anything parses a body; then the
vote fast path or the routes. Every path, the fast one included, passes these checks."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop_tui.server import messages
from workshop_tui.server.fastpath import VoteFastPath, replay
from workshop_tui.server.http import COMMON_HEADERS, DRAIN_LIMIT, NO_STORE, error_body, send_json, unsupported_body


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
                headers = list(message.get("headers", ()))
                # a route that asks to be revalidated (the wall's ETag) keeps its Cache-Control
                own = extra if not any(k == b"cache-control" for k, _ in headers) else COMMON_HEADERS
                message["headers"] = [*headers, *own]
            await send(message)

        refused = unsupported_body(scope["method"], scope["headers"])
        if refused is not None:
            await self._refuse(415, refused, scope, receive, send_with_headers)
            return
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
                await self._refuse(413, self._too_large, scope, receive, send_with_headers)
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
                    await self._refuse(413, self._too_large, scope, receive if more else None, send_with_headers)
                    return
            receive = replay(bytes(body), receive)
        if self.fast is not None and self.fast.matches(scope):
            await self.fast(scope, receive, send_with_headers, self.app)
            return
        await self.app(scope, receive, send_with_headers)

    @property
    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_body} bytes"

    async def _refuse(self, status: int, message: str, scope: Scope, receive: Receive | None, send: Send) -> None:
        """An error before the route. A modest body is read and dropped first: closing on unread bytes
        makes TCP reset the connection, and the client would see a connection error, not this answer."""
        if receive is not None:
            drained = 0
            while drained <= DRAIN_LIMIT:
                chunk = await receive()
                if chunk["type"] != "http.request":
                    return
                drained += len(chunk.get("body", b""))
                if not chunk.get("more_body", False):
                    break
        code = messages.STATUS_CODES.get(status, "error")
        human = messages.human(code, None, messages.language(scope["headers"]))
        await send_json(send, status, error_body(message, code=code, human=human), close=True)
