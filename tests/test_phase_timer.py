"""The phase timer lives in the workshop (issue 12 item 3): the service keeps it on disk, phones read it from
``GET /api/v1/w/{code}`` and follow it through the ``timer_changed`` event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.api_helpers import client, running
from tests.conftest import workshop_in
from tests.test_sse import Stream
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def test_timer_starts_from_the_phase_timebox_and_survives_a_reopen(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    w = await service.create_workshop("Timed", code="TIME", template="weekend-hackathon")
    await service.set_phase("TIME", Phase.IDEATE)
    ideate = w.settings.timeboxes[Phase.IDEATE] * 60
    clock = service.timer("TIME")
    assert (clock.phase, clock.running, clock.remaining_s, clock.duration_s) == (Phase.IDEATE, False, ideate, ideate)
    started = await service.start_timer("TIME")
    assert started.running and started.ends_at is not None
    assert ideate - 5 < started.left() <= ideate
    more = await service.add_timer_time("TIME", 60)
    assert ideate + 55 < more.left() <= ideate + 60
    paused = await service.pause_timer("TIME")
    assert not paused.running and paused.ends_at is None and paused.remaining_s > ideate + 55
    await service.close()

    reopened = WorkshopService(data_dir).open()
    try:
        assert reopened.timer("TIME") == paused
        # a new phase starts its own timer from its own timebox
        await reopened.set_phase("TIME", Phase.GROUP)
        group = reopened.timer("TIME")
        assert group.phase == Phase.GROUP and group.remaining_s == w.settings.timeboxes[Phase.GROUP] * 60
        assert not group.running
        reset = await reopened.reset_timer("TIME", seconds=30)
        assert reset.remaining_s == 30 and reset.duration_s == 30
        # time off never goes below zero; time added to a finished timer counts from now
        assert (await reopened.add_timer_time("TIME", -600)).remaining_s == 0
        await reopened.start_timer("TIME")  # at zero: starts again from its timebox
        assert reopened.timer("TIME").left() > 25
    finally:
        await reopened.close()


async def test_phones_read_the_timer_and_are_told_when_it_changes(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, client(server) as c:
        r = await c.get(f"/api/v1/w/{code}")
        assert r.json()["timer"] == {
            "phase": "ideate",
            "running": False,
            "remaining_s": 600.0,
            "ends_at": None,
            "duration_s": 600,
        }
        async with c.stream("GET", f"/api/v1/w/{code}/events") as response:
            stream = Stream(response)
            await stream.message()
            await service.start_timer(code)
            event = await stream.data()
            assert event["type"] == "timer_changed" and event["timer"]["running"] is True
            ends = dt.datetime.fromisoformat(event["timer"]["ends_at"])
            assert 590 < (ends - dt.datetime.now(dt.UTC)).total_seconds() <= 600
        timer = (await c.get(f"/api/v1/w/{code}")).json()["timer"]
        assert timer["running"] and 590 < timer["remaining_s"] <= 600
