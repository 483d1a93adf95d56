"""Connections cannot starve the server (issue 11 item 13): the open-file limit, deadlines for sockets
that make no progress, caps on live streams. Real uvicorn on loopback, real sockets."""

from __future__ import annotations

import asyncio
import resource

import httpx

from tests.conftest import workshop_in
from tests.helpers.api import assert_error, client, join, running
from tests.helpers.waiting import wait_until
from workshop_tui.phases import Phase
from workshop_tui.server.limits import Limits
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

QUICK = Limits(first_byte_timeout=0.3, header_timeout=0.3, body_timeout=0.3)


async def closed_by_server(server: ParticipantServer, send: bytes, within: float = 10) -> bytes:
    """Open a raw connection, send ``send``, and return what the server wrote before closing it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        if send:
            writer.write(send)
            await writer.drain()
        return await asyncio.wait_for(reader.read(), within)  # EOF: the server closed it
    finally:
        writer.close()


async def test_the_open_file_limit_is_raised(service: WorkshopService) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
    try:
        async with running(service) as server:
            assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == hard
            assert server.max_connections == hard - 128
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def test_idle_slow_header_and_slow_body_connections_are_closed(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with running(service, limits=QUICK) as server:
        _, token = await join(server, code)
        assert await closed_by_server(server, b"") == b""  # connected, never spoke
        assert await closed_by_server(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ") == b""
        head = (
            f"POST /api/v1/w/{code}/ideas HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": '
        ).encode()
        assert await closed_by_server(server, head) == b""  # the body never finished
        assert server.protocol is not None and server.protocol.closed_slow[0] == 3
        assert service.state(code).ideas == {}
        # a prompt request on a kept-alive connection is still answered
        async with client(server) as c:
            assert (await c.get("/healthz")).status_code == 200


async def _open_stream(c: httpx.AsyncClient, path: str) -> httpx.Response:
    request = c.build_request("GET", path)
    return await c.send(request, stream=True)


async def test_live_streams_are_capped_per_holder_and_in_total(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    limits = Limits(sse_anonymous_per_address=3, sse_per_participant=2, sse_total=7)
    async with running(service, limits=limits) as server:
        _, ann = await join(server, code, "Ann")
        _, bob = await join(server, code, "Bob")
        path = f"/api/v1/w/{code}/events"
        opened: list[httpx.Response] = []
        async with client(server) as anon, client(server, ann) as a, client(server, bob) as b:
            try:
                for _ in range(3):
                    opened.append(await _open_stream(anon, path))
                refused = await _open_stream(anon, path)
                await refused.aread()
                assert_error(refused, 429)
                assert int(refused.headers["retry-after"]) >= 1
                for _ in range(2):
                    opened.append(await _open_stream(a, path))
                over = await _open_stream(a, path)
                await over.aread()
                assert_error(over, 429)  # a participant holds at most 2
                opened.append(await _open_stream(b, path))  # Bob still gets his: caps are per holder
                opened.append(await _open_stream(b, path))
                assert all(r.status_code == 200 for r in opened)
                full = await _open_stream(b, path)
                await full.aread()
                assert_error(full, 503)  # all 7 taken: the server is full, Bob's page retries later
                assert server.app.state.broker.subscribers(code) == 7
            finally:
                for r in opened:
                    await r.aclose()
        broker = server.app.state.broker
        await wait_until(lambda: broker.subscribers(code) == 0, what="the streams to end")
        async with client(server) as anon:  # streams given back: the address may open again
            again = await _open_stream(anon, path)
            assert again.status_code == 200
            await again.aclose()
