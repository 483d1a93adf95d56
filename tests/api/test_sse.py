"""Server-sent events: which domain events reach the phones, how they look, and how streams end."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import open_vote, workshop_in
from tests.helpers.api import assert_error, client, join, running
from workshop_tui.errors import RateLimited
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.sse import RETRY, Broker, ServerFull
from workshop_tui.service import WorkshopService


class Stream:
    """Reads one text/event-stream response message by message (blank-line separated)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines: AsyncIterator[str] = response.aiter_lines()
        self.seen: list[str] = []

    async def message(self, wait: float = 10) -> list[str]:
        lines: list[str] = []
        while True:
            line = await asyncio.wait_for(anext(self._lines), wait)
            self.seen.append(line)
            if line == "":
                if lines:
                    return lines
                continue
            lines.append(line)

    async def rest(self) -> list[str]:
        """Everything until the server ends the stream (bounded by the test's timeout)."""
        return [line async for line in self._lines]

    async def data(self, wait: float = 10, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The next ``data:`` message (comments such as keepalives are skipped, and ``skip``'s types)."""
        while True:
            lines = await self.message(wait)
            data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
            if data:
                assert len(data) == 1 and not any(line.startswith("event:") for line in lines)
                parsed: dict[str, Any] = json.loads(data[0])
                if parsed["type"] not in skip:
                    return parsed


async def drain(gen: AsyncIterator[bytes]) -> list[bytes]:
    return [x async for x in gen]


async def test_phase_reveal_teams_and_never_votes(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=1)
    idea = await service.post_idea(code, "<b>Trees</b> by Ann Secret", source=Source.FACILITATOR)
    async with running(service) as server:
        pid, token = await join(server, code, "Ann Secret")
        async with client(server) as c, c.stream("GET", f"/api/v1/w/{code.lower()}/events") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-store"
            stream = Stream(response)
            assert await stream.message() == ["retry: 3000", ": connected"]
            await service.set_phase(code, Phase.GROUP)
            assert await stream.data() == {"type": "phase_changed", "phase": "group"}
            await service.set_phase(code, Phase.VOTE)
            assert await stream.data() == {"type": "phase_changed", "phase": "vote"}
            await service.set_voting(code, voting_open=True)
            assert await stream.data() == {"type": "voting_changed", "voting_open": True, "results_revealed": False}
            for _ in range(3):
                await service.cast_dot(code, pid, idea.id)  # votes never go to everyone
            await service.withdraw_dot(code, pid, idea.id)
            await service.update_workshop(code, title="New title")
            assert await stream.data() == {"type": "workshop_updated"}
            await service.set_voting(code, results_revealed=True)
            assert await stream.data() == {"type": "results_revealed", "voting_open": True, "results_revealed": True}
            await service.set_voting(code, voting_open=False, results_revealed=False)
            assert await stream.data() == {"type": "voting_changed", "voting_open": False, "results_revealed": False}
            await service.set_phase(code, Phase.TEAMS)
            assert await stream.data() == {"type": "phase_changed", "phase": "teams"}
            await service.join(code, "Bob Secret")
            await service.set_preferences(code, pid, [idea.id])
            teams, _ = await service.form_teams(code, min_size=1, max_size=5, idea_ids=[idea.id])
            # Bob joining and Ann's ranking change the ready counts (checked in their own test)
            assert await stream.data(skip=frozenset({"ready_changed"})) == {"type": "teams_formed"}
            await service.set_champion(code, teams[0].id, pid)
            assert await stream.data(skip=frozenset({"ready_changed"})) == {"type": "team_changed"}
            everything = "\n".join(stream.seen)
            assert "Secret" not in everything and "Trees" not in everything
            assert (
                pid not in everything
                and token not in everything
                and "vote_changed" not in everything
                and "dots" not in everything
            )


async def test_note_changes_are_coalesced_and_only_on_the_wall_phases(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    broker = Broker(service)
    try:
        gen = broker.stream(code)
        assert await anext(gen) == RETRY
        for k in range(5):
            await service.post_idea(code, f"ideation note {k}", source=Source.FACILITATOR)  # ideation: private
        await service.set_phase(code, Phase.GROUP)
        assert json.loads((await anext(gen)).removeprefix(b"data: ")) == {"type": "phase_changed", "phase": "group"}
        posted = [await service.post_idea(code, f"group note {k}", source=Source.FACILITATOR) for k in range(20)]
        await service.hide_idea(code, posted[0].id)
        await service.edit_idea(code, posted[1].id, "edited")
        messages: list[str] = []
        while not {"idea_removed", "idea_updated"} <= set(messages) and len(messages) < 30:
            raw = await asyncio.wait_for(anext(gen), 5)
            messages.append(json.loads(raw.removeprefix(b"data: "))["type"])
        assert messages[0] == "idea_posted"
        assert set(messages) == {"idea_posted", "idea_removed", "idea_updated"}
        assert len(messages) < 22  # 22 changes, far fewer messages: at most one flush a second
        assert broker.subscribers(code) == 1
    finally:
        await broker.close()
    assert await asyncio.wait_for(drain(gen), 5) == []  # close() ended the stream
    assert broker.subscribers() == 0


async def test_slow_subscriber_is_dropped_not_buffered(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    broker = Broker(service, queue_size=5)
    try:
        slow = broker.stream(code)
        fast = broker.stream(code)
        assert await anext(slow) == RETRY
        assert await anext(fast) == RETRY
        received = []
        for k in range(8):
            await service.update_workshop(code, title=f"title {k}")
            received.append(await anext(fast))  # this one keeps up
        assert len(received) == 8
        assert broker.dropped == 1 and broker.subscribers(code) == 1
        assert await asyncio.wait_for(drain(slow), 5) == []  # its queue was emptied and its stream ended
    finally:
        await broker.close()


async def test_stop_ends_open_streams(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with (
        running(service) as server,
        client(server) as c,
        c.stream("GET", f"/api/v1/w/{code}/events") as response,
    ):
        stream = Stream(response)
        assert (await stream.message())[0] == "retry: 3000"
        assert server.app.state.broker.subscribers(code) == 1
        await asyncio.wait_for(server.stop(), 10)  # must not hang on the open stream
        rest = await asyncio.wait_for(stream.rest(), 10)
        assert rest == []


async def test_events_unknown_workshop(service: WorkshopService) -> None:
    async with running(service) as server, client(server) as c:
        assert_error(await c.get("/api/v1/w/NOPE9/events"), 404)


async def test_client_disconnect_unsubscribes(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with running(service) as server:
        broker: Broker = server.app.state.broker
        for _ in range(3):
            async with client(server) as c, c.stream("GET", f"/api/v1/w/{code}/events") as response:
                assert (await Stream(response).message())[0] == "retry: 3000"
        for _ in range(200):  # bounded wait for the server to notice the closed connections
            if broker.subscribers(code) == 0:
                break
            await asyncio.sleep(0.02)
        assert broker.subscribers(code) == 0


async def test_once_revealed_changed_totals_reach_the_phones_coalesced(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    idea = await service.post_idea(code, "Trees", source=Source.FACILITATOR)
    await open_vote(service, code)
    pid = (await service.join(code, "Ann"))[0].id
    broker = Broker(service)
    try:
        gen = broker.stream(code)
        assert await anext(gen) == RETRY
        await service.cast_dot(code, pid, idea.id)  # hidden results: nothing to tell anyone
        await service.set_voting(code, results_revealed=True)
        revealed = json.loads((await asyncio.wait_for(anext(gen), 5)).removeprefix(b"data: "))
        assert revealed["type"] == "results_revealed"
        for _ in range(3):
            await service.add_paper_dots(code, idea.id, 1)
        raw = await asyncio.wait_for(anext(gen), 5)
        assert json.loads(raw.removeprefix(b"data: ")) == {"type": "results_changed"}  # no ids, no totals
        await service.set_voting(code, results_revealed=False)
        hidden = json.loads((await asyncio.wait_for(anext(gen), 5)).removeprefix(b"data: "))
        assert hidden["type"] == "voting_changed"  # the three dots were one message, flushed before this
    finally:
        await broker.close()


async def test_ready_counts_reach_the_phones_coalesced_and_only_when_they_change(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, private_writing=True)
    pids = [(await service.join(code, f"Person {k}"))[0].id for k in range(30)]
    broker = Broker(service)
    try:
        gen = broker.stream(code)
        assert await anext(gen) == RETRY

        async def until(done: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
            got: list[dict[str, Any]] = []
            while not got or not done(got[-1]):
                got.append(json.loads((await asyncio.wait_for(anext(gen), 5)).removeprefix(b"data: ")))
            return got

        for pid in pids:  # 30 phones say done at once: a few messages (about one a second), not one each
            await service.say_done(code, pid)
        messages = await until(lambda m: m["ready"]["done"] == 30)
        assert len(messages) <= 5
        assert messages[-1] == {
            "type": "ready_changed",
            "ready": {"task": "writing", "people": 30, "done": 30, "waiting": 0},
            "private_notes": 0,
        }
        await service.say_done(code, pids[0], done=False)
        await service.say_done(code, pids[0], done=True)  # usually one flush, back where it was: not sent
        await service.post_idea(code, "Secret bench", author_id=pids[1])
        later = await until(lambda m: m["private_notes"] == 1)
        assert later[-1] == {**messages[-1], "private_notes": 1}
        sent = [*messages, *later]
        assert all(a != b for a, b in itertools.pairwise(sent))  # never the same counts twice in a row
        assert "Secret" not in str(sent) and pids[1] not in str(sent)  # counts, never names, texts or ids
    finally:
        await broker.close()


async def test_admission_counts_streams_as_they_open_and_end(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    broker = Broker(service, max_streams=3)
    try:
        streams = [broker.stream(code, broker.admit(f"participant:{n}", 2)) for n in range(3)]
        for gen in streams:
            assert await anext(gen) == RETRY
        assert broker.admitted == 3
        with pytest.raises(ServerFull):  # the server's total, whoever asks
            broker.admit("participant:new", 2)
        await streams[0].aclose()  # a phone leaves: its place is free again, and only its place
        assert broker.admitted == 2
        again = broker.stream(code, broker.admit("participant:0", 2))
        assert await anext(again) == RETRY and broker.admitted == 3
        await streams[1].aclose()
        with pytest.raises(RateLimited):  # room in total, but this holder already has its one stream
            broker.admit("participant:0", 1)
        assert broker.admitted == 2 and broker.refused == 2
        streams.append(again)
    finally:
        await broker.close()
    for gen in streams:
        await gen.aclose()
    assert broker.admitted == 0 and broker.subscribers() == 0
