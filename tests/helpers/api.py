"""Shared helpers for the HTTP tests: the server's ASGI app in-process, or a real uvicorn on 127.0.0.1.

``in_process`` builds the app a started ``ParticipantServer`` would serve (guard, vote fast path,
routes) and ``client`` sends requests to it through httpx's ``ASGITransport``, from 127.0.0.1 (the
rate limits key on the address): no socket, no event-loop hops through uvicorn. ``running`` starts
the real uvicorn inside the test's event loop, for what needs one: SSE streaming (the transport
buffers whole responses), a browser, shutdown, many phones on real connections, HTTP framing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from workshop_tui.server import DEFAULT_PORT
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

CLIENT_ADDRESS = ("127.0.0.1", 50000)


@asynccontextmanager
async def running(service: WorkshopService, **kwargs: Any) -> AsyncIterator[ParticipantServer]:
    server = ParticipantServer(service, host="127.0.0.1", port=0, **kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def in_process(service: WorkshopService, **kwargs: Any) -> AsyncIterator[ParticipantServer]:
    """A ``ParticipantServer`` with its app built but not listening (its URLs name the default port)."""
    from workshop_tui.server.app import create_app

    server = ParticipantServer(service, host="127.0.0.1", port=DEFAULT_PORT, **kwargs)
    server.app = create_app(server)
    try:
        yield server
    finally:
        await server.app.state.broker.close()


def url(server: ParticipantServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def client(server: ParticipantServer, token: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
    """A client of ``server``: over its socket when it is running, else straight into its app."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if not server.running:
        kwargs.setdefault("transport", httpx.ASGITransport(app=server.app, client=CLIENT_ADDRESS))
    return httpx.AsyncClient(base_url=url(server), headers=headers, timeout=30, **kwargs)


def admin(server: ParticipantServer) -> httpx.AsyncClient:
    return client(server, server.admin_token)


async def join(server: ParticipantServer, code: str, name: str = "Ann") -> tuple[str, str]:
    """(participant_id, token) through the real join route."""
    async with client(server) as c:
        r = await c.post(f"/api/v1/w/{code}/join", json={"name": name})
        assert r.status_code == 201, r.text
        body = r.json()
        return body["participant_id"], body["token"]


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "code", "message", "detail"}, body
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["code"], str) and body["code"].isidentifier(), body  # stable, for tools
    assert isinstance(body["message"], str) and body["message"], body  # for a person, translated
    return body
