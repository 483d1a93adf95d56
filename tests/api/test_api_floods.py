"""Floods (issue 11 item 14): per-workshop caps in the settings, and a wall that revalidates (ETag/304)."""

from __future__ import annotations

import asyncio
import socket
import struct
import time

import httpx
import pytest

from tests.conftest import workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join, running
from workshop_tui.models import Settings, Source
from workshop_tui.phases import Phase
from workshop_tui.server.join_pass import PASS_COOKIE
from workshop_tui.server.limits import Limits
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService


def test_defaults_fit_a_room_of_a_thousand() -> None:
    s = Settings()
    assert s.max_participants >= 1_000 and s.max_ideas >= 1_000 * 3 and s.max_ideas_per_participant >= 20


async def test_participant_and_note_caps(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, max_participants=3, max_ideas_per_participant=2, max_ideas=5)
    async with in_process(service) as server:
        _, ann = await join(server, code, "Ann")
        _, bob = await join(server, code, "Bob")
        await join(server, code, "Cy")
        async with client(server) as c:
            full = assert_error(await c.post(f"/api/v1/w/{code}/join", json={}), 409)
            assert "at most 3" in full["error"]
        async with client(server, ann) as a, client(server, bob) as b:
            for k in range(2):
                assert (await a.post(f"/api/v1/w/{code}/ideas", json={"text": f"a{k}"})).status_code == 201
            mine = assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "a2"}), 409)
            assert "at most 2" in mine["error"]
            deleted = (await a.get(f"/api/v1/w/{code}/me")).json()["ideas"][0]["id"]
            await a.delete(f"/api/v1/w/{code}/ideas/{deleted}")  # deleting frees no room: it is still stored
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "a3"}), 409)
            for k in range(2):
                assert (await b.post(f"/api/v1/w/{code}/ideas", json={"text": f"b{k}"})).status_code == 201
            await service.post_idea(code, "paper", source=Source.FACILITATOR)
            total = assert_error(await b.post(f"/api/v1/w/{code}/ideas", json={"text": "b2"}), 409)
            assert "at most 5" in total["error"]
        async with admin(server) as facilitator:  # the facilitator may raise the caps
            r = await facilitator.patch(f"/api/v1/admin/w/{code}", json={"settings": {"max_participants": 10}})
            assert r.status_code == 200
        assert (await join(server, code, "Dee"))[0]
    assert len(service.state(code).ideas) == 5


async def test_the_wall_revalidates_with_an_etag(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    await service.post_idea(code, "Shade", source=Source.FACILITATOR)
    async with in_process(service) as server:
        _, ann = await join(server, code)
        async with client(server) as anon, client(server, ann) as a:
            first = await anon.get(f"/api/v1/w/{code}/ideas")
            tag = first.headers["etag"]
            assert first.status_code == 200 and tag.startswith('W/"')
            assert first.headers["cache-control"] == "private, no-cache"  # stored, but asked again each time
            again = await anon.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
            mine = await a.get(f"/api/v1/w/{code}/ideas")
            assert mine.headers["etag"] != tag  # mine/my_dots differ per reader
            assert (await a.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})).status_code == 200
            await a.post(f"/api/v1/w/{code}/ideas", json={"text": "Benches"})
            changed = await anon.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})
            assert changed.status_code == 200 and [i["text"] for i in changed.json()] == ["Shade", "Benches"]
            assert changed.headers["etag"] != tag
            same = await anon.get(f"/api/v1/w/{code}/ideas")
            assert same.content == changed.content  # the anonymous wall is encoded once per change
            assert server.app.state.context.walls.encoded(service.view(code)) is not None


# Joins behind one address (item 14): a pass from the phone page gives each phone its own bucket.

ROOM = "203.0.113.7"  # a hotspot's NAT: every phone and the script come from here


def _phone(server: ParticipantServer, port: int) -> httpx.AsyncClient:
    """A browser on its own connection (NAT keeps one source port per connection), keeping cookies."""
    transport = httpx.ASGITransport(app=server.app, client=(ROOM, port))
    return httpx.AsyncClient(base_url="http://127.0.0.1:8765", transport=transport, timeout=30)


@pytest.mark.slow
async def test_a_room_behind_one_address_joins_while_a_script_there_floods(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    phones_in = cookieless = session = 0
    started = time.monotonic()
    # The script keeps cookies on one keep-alive connection, and also posts without any.
    async with in_process(service) as server, _phone(server, 1) as script, _phone(server, 2) as bare:
        for k in range(300):
            async with _phone(server, 10_000 + k) as phone:
                assert (await phone.get(f"/j/{code}")).status_code == 200
                for _ in range(3):  # the script keeps flooding between the phones
                    await script.get(f"/j/{code}")
                    session += (await script.post(f"/api/v1/w/{code}/join", json={})).status_code == 201
                    bare.cookies.clear()
                    cookieless += (await bare.post(f"/api/v1/w/{code}/join", json={})).status_code == 201
                r = await phone.post(f"/api/v1/w/{code}/join", json={"name": f"Phone {k}"})
                phones_in += r.status_code == 201
    elapsed = time.monotonic() - started
    assert phones_in == 300
    limits = Limits()
    trickle = elapsed * limits.pass_join_rate
    assert session <= limits.pass_join_burst + trickle + 1  # one pass for its connection
    assert cookieless <= limits.join_burst + elapsed * limits.join_rate + 1  # the address's bucket, as before


async def test_a_pass_is_signed_expires_and_comes_once_per_connection(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server:
        async with _phone(server, 1) as phone:
            first = await phone.get(f"/j/{code}")
            issued = first.cookies[PASS_COOKIE]
            assert "httponly" in first.headers["set-cookie"].lower()
            assert "samesite=strict" in first.headers["set-cookie"].lower()
            assert PASS_COOKIE not in (await phone.get(f"/j/{code}")).cookies  # it has one: no second
            phone.cookies.clear()
            assert PASS_COOKIE not in (await phone.get(f"/j/{code}")).cookies  # same connection: no new one
        passes = server.app.state.context.joins
        assert passes.valid(issued) is not None
        body, _, mac = issued.rpartition(".")
        assert passes.valid(f"{body}.{'0' * len(mac)}") is None  # forged
        issued_at, _, rest = body.partition(".")
        assert passes.valid(f"{int(issued_at) - Limits().pass_max_age - 1}.{rest}.{mac}") is None
        async with _phone(server, 2) as other:
            other.cookies.set(PASS_COOKIE, f"{body}.{'0' * len(mac)}")
            joined, started = 0, time.monotonic()
            while (r := await other.post(f"/api/v1/w/{code}/join", json={})).status_code == 201:
                joined += 1
            assert_error(r, 429)
            # a forged pass counts as none: the address's bucket (a pass's own would stop at 3)
            limits = Limits()
            assert limits.join_burst <= joined <= limits.join_burst + (time.monotonic() - started) * limits.join_rate


class _Connection:
    """A real TCP connection from a chosen source port, as a NAT hands a port to one phone and, once that
    phone's connection is gone, to another."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, server: ParticipantServer, source_port: int) -> _Connection:
        local = ("127.0.0.1", source_port)
        return cls(*await asyncio.open_connection("127.0.0.1", server.port, local_addr=local))

    async def page_pass(self, code: str) -> str | None:
        """Load the phone page (no cookies); the pass it hands out, if any."""
        self.writer.write(f"GET /j/{code} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        assert head[0].split()[1] == "200"
        fields = [line.partition(":") for line in head[1:] if line]
        length = next(int(value) for name, _, value in fields if name.lower() == "content-length")
        await self.reader.readexactly(length)
        cookies = [value.strip() for name, _, value in fields if name.lower() == "set-cookie"]
        return next((c.split(";")[0].partition("=")[2] for c in cookies if c.startswith(f"{PASS_COOKIE}=")), None)

    async def reset(self) -> None:
        """Close with a reset: no TIME_WAIT, so the port is free for the next connection at once."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.close()
        await self.writer.wait_closed()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_phone_on_a_source_port_an_earlier_phone_used_gets_its_own_pass(service: WorkshopService) -> None:
    # Behind a NAT (and on loopback under a flood of connections) source ports come round again within the
    # minute of the per-connection limit: a pass is once per connection, not once per address and port.
    code = await workshop_in(service, Phase.LOBBY)
    drained = Limits(join_burst=1, join_rate=0.001)  # a script took the joins without a pass
    async with running(service, limits=drained) as server:
        async with client(server) as script:
            assert (await script.post(f"/api/v1/w/{code}/join", json={})).status_code == 201
            assert_error(await script.post(f"/api/v1/w/{code}/join", json={}), 429)
        port = _free_port()
        first = await _Connection.open(server, port)
        assert await first.page_pass(code) is not None
        assert await first.page_pass(code) is None  # the same connection: one pass a minute
        await first.reset()
        second = await _Connection.open(server, port)  # another phone, the same address and port
        try:
            issued = await second.page_pass(code)
            assert issued is not None
        finally:
            await second.reset()
        async with client(server, cookies={PASS_COOKIE: issued}) as phone:
            assert (await phone.post(f"/api/v1/w/{code}/join", json={"name": "Second"})).status_code == 201
