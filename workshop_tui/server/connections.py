"""Connections that hold a file descriptor without making progress are closed (issue 11 item 13).

uvicorn arms its keep-alive timer only after a response, so a client that connects and sends nothing,
or sends its headers a byte at a time (slowloris), or never finishes its body, keeps its socket open
for ever; ~1,000 of them exhaust the common 1,024-descriptor limit and real phones time out. This
protocol gives each stage a deadline, and answers a connection beyond the server's capacity with a
JSON 503 at once, so descriptors stay in reserve for the store and for the phones already in.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import resource
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from workshop_tui.locales import DEFAULT
from workshop_tui.server import messages
from workshop_tui.server.http import error_body
from workshop_tui.server.join_pass import CONNECTION

log = logging.getLogger(__name__)

_CONNECTION_IDS = itertools.count(1)

#: Descriptors kept for the store (journal, snapshots), the listening socket, logs and the TUI.
FD_RESERVE = 128


def raise_fd_limit() -> int:
    """Raise the soft limit on open files to the hard limit; return the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:  # pragma: no cover - a platform that refuses
            log.warning("could not raise the open-file limit from %s: %s", soft, exc)
    return soft


def _full_response() -> bytes:
    # Before any request is read: the envelope in English (no Accept-Language to go by).
    human = messages.human("server_full", None, DEFAULT)
    body = error_body(
        "the server is full: try again in a few seconds", {"retry_after": 5}, code="server_full", human=human
    )
    head = (
        b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    return head + body


FULL: bytes = _full_response()


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines: the first byte after connecting, the headers once a
    request has begun, the body once its headers are in. A response being streamed (SSE) has none.
    The class attributes are set per server by :func:`protocol_for`."""

    first_byte_seconds: ClassVar[float] = 10.0
    header_seconds: ClassVar[float] = 10.0
    body_seconds: ClassVar[float] = 15.0
    max_connections: ClassVar[int] = 1_000_000
    closed_slow: ClassVar[list[int]] = [0]  # shared counter per server (bench and tests read it)
    refused_full: ClassVar[list[int]] = [0]

    _deadline: asyncio.TimerHandle | None = None
    _connection_id = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._connection_id = next(_CONNECTION_IDS)
        if len(self.connections) > self.max_connections:
            self.refused_full[0] += 1
            transport.write(FULL)
            transport.close()
            return
        self._arm(self.first_byte_seconds)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # Which connection, for the limits that count per connection (join_pass): its address and port
        # come round again for another client once it is closed.
        self.scope.setdefault("extensions", {})[CONNECTION] = {"id": self._connection_id}
        self._arm(self.header_seconds)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.body_seconds)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.closed_slow[0] += 1
            self.transport.close()


def protocol_for(*, first_byte: float, headers: float, body: float, max_connections: int) -> type[GuardedHttpTools]:
    """A protocol class with this server's deadlines and capacity (uvicorn instantiates it per connection)."""
    attrs: dict[str, Any] = {
        "first_byte_seconds": first_byte,
        "header_seconds": headers,
        "body_seconds": body,
        "max_connections": max_connections,
        "closed_slow": [0],
        "refused_full": [0],
    }
    return type("ServerHttpTools", (GuardedHttpTools,), attrs)
