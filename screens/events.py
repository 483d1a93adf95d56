"""From the service's event bus to Textual messages, coalesced by frames.

The bus calls us synchronously on the event loop for every change; a voting storm can mean
hundreds of events a second. The first event after a quiet frame is posted on the loop's next turn
(with whatever else the same turn published, such as every vote of one group commit), so a note
from a phone is drawn at once; events arriving within ``frame`` seconds of a delivery wait for the
end of that frame and go as one ``DomainEvents`` batch. Screens thus redraw at most once a frame,
and never wait on a fixed delay.

The flush is scheduled with the loop's ``call_soon`` / ``call_later``, not a Textual timer: events
arrive in the context of whoever made the change (an HTTP request task of the participant server),
where Textual's ``active_app`` is not set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message import Message

from workshop_tui.events import Event

#: Seconds between two deliveries during a burst: Textual's own default frame rate (60 per second).
FRAME = 1 / 60


class DomainEvents(Message):
    """A batch of domain events, oldest first. Screens read ``events`` and refresh what changed."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events

    def for_workshop(self, workshop_id: str) -> list[Event]:
        return [e for e in self.events if e.workshop_id == workshop_id]


class EventBridge:
    """``start(subscribe, post)``: ``post`` delivers each coalesced ``DomainEvents`` to the app."""

    def __init__(self, frame: float = FRAME) -> None:
        self._frame = frame
        self._pending: list[Event] = []
        self._handle: asyncio.Handle | None = None
        self._last = float("-inf")  # loop time of the last delivery
        self._post: Callable[[DomainEvents], object] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(
        self,
        subscribe: Callable[[Callable[[Event], None]], Callable[[], None]],
        post: Callable[[DomainEvents], object],
    ) -> None:
        self._post = post
        self._unsubscribe = subscribe(self._on_event)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._pending.clear()

    def _on_event(self, event: Event) -> None:
        self._pending.append(event)
        if self._handle is not None:
            return  # a delivery is already scheduled: this event joins its batch
        loop = asyncio.get_running_loop()
        wait = self._last + self._frame - loop.time()
        if wait <= 0:
            self._handle = loop.call_soon(self._flush)
        else:
            self._handle = loop.call_later(wait, self._flush)

    def _flush(self) -> None:
        self._handle = None
        self._last = asyncio.get_running_loop().time()
        events, self._pending = self._pending, []
        if events and self._post is not None:
            self._post(DomainEvents(events))
