"""The event bridge delivers by frames: the first event after a quiet period at once (the loop's next
turn, no fixed wait), later events of a burst merged into one batch at the end of the frame."""

from __future__ import annotations

import asyncio

import pytest

from screens.events import DomainEvents, EventBridge
from workshop_tui.events import Event, EventBus, VoteChanged


def _vote(n: int) -> Event:
    return VoteChanged(workshop_id="w", code="C", participant_id=f"p{n}", idea_id="i", delta=1)


def _bridge(frame: float) -> tuple[EventBus, EventBridge, list[list[Event]]]:
    bus, bridge, batches = EventBus(), EventBridge(frame=frame), []
    bridge.start(bus.subscribe, lambda message: batches.append(message.events))
    return bus, bridge, batches


async def test_the_first_event_after_a_quiet_period_is_delivered_on_the_next_turn() -> None:
    bus, bridge, batches = _bridge(frame=30.0)  # a frame far longer than the test: no timer may fire
    bus.publish(_vote(1))
    bus.publish(_vote(2))  # published in the same turn (one group commit): the same batch
    assert batches == []  # never delivered from inside the publisher's call
    await asyncio.sleep(0)
    assert batches == [[_vote(1), _vote(2)]]
    bridge.stop()


class LoopClock:
    """The running loop's clock, moved by the test: the bridge's frame timer (``call_later``) fires when
    the test says the frame is over, never because the machine was slow."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        loop = asyncio.get_running_loop()
        self.now = loop.time()
        monkeypatch.setattr(loop, "time", lambda: self.now)

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for _ in range(3):  # the loop's next turns run what fell due
            await asyncio.sleep(0)


async def test_a_burst_within_a_frame_is_merged_into_one_batch_at_the_frame_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = LoopClock(monkeypatch)
    bus, bridge, batches = _bridge(frame=0.3)
    bus.publish(_vote(1))
    await asyncio.sleep(0)
    assert batches == [[_vote(1)]]  # the first after a quiet period: at once
    for n in range(2, 12):
        bus.publish(_vote(n))
        await clock.advance(0.02)  # ten events over 0.2 s of the frame
    assert len(batches) == 1  # held: the frame of the first delivery has not ended
    await clock.advance(0.09)
    assert len(batches) == 1  # 0.29 s: still within it
    await clock.advance(0.02)
    assert batches[1:] == [[_vote(n) for n in range(2, 12)]]  # the frame ended: one batch
    await clock.advance(1.0)
    bus.publish(_vote(12))  # quiet for longer than a frame: at once again
    await asyncio.sleep(0)
    assert batches[2:] == [[_vote(12)]]
    bridge.stop()


async def test_stop_drops_what_is_pending_and_delivers_nothing_after() -> None:
    bus, bridge, batches = _bridge(frame=30.0)
    bus.publish(_vote(1))  # its delivery is scheduled for the next turn...
    bridge.stop()  # ...and cancelled
    bus.publish(_vote(2))  # unsubscribed
    for _ in range(3):
        await asyncio.sleep(0)
    assert batches == []


def test_domain_events_filter_by_workshop() -> None:
    other = VoteChanged(workshop_id="x", code="X", participant_id=None, idea_id="i", delta=1)
    assert DomainEvents([_vote(1), other]).for_workshop("x") == [other]
