"""Shared helpers for the HTTP tests: a real uvicorn on 127.0.0.1 inside the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService


@asynccontextmanager
async def running(service: WorkshopService, **kwargs: Any) -> AsyncIterator[ParticipantServer]:
    server = ParticipantServer(service, host="127.0.0.1", port=0, **kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def url(server: ParticipantServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def client(server: ParticipantServer, token: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
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
    assert set(body) == {"error", "detail"}, body
    assert isinstance(body["error"], str) and body["error"]
    return body
