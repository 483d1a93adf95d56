"""From the service's event bus to Textual messages, coalesced.

The bus calls us synchronously on the event loop for every change; a voting storm can mean
hundreds of events a second. We collect them and post one ``DomainEvents`` message at most every
``interval`` seconds (~10 repaints a second, design.md section 2), so screens update in batches.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.timer import Timer

from workshop_tui.events import Event


class DomainEvents(Message):
    """A batch of domain events, oldest first. Screens read ``events`` and refresh what changed."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events

    def for_workshop(self, workshop_id: str) -> list[Event]:
        return [e for e in self.events if e.workshop_id == workshop_id]


class EventBridge:
    """Subscribe with ``start(bus_subscribe, post)``; ``post`` delivers a message to the app."""

    def __init__(self, set_timer: Callable[[float, Callable[[], None]], Timer], interval: float = 0.1) -> None:
        self._set_timer = set_timer
        self._interval = interval
        self._pending: list[Event] = []
        self._timer: Timer | None = None
        self._post: Callable[[Message], object] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(
        self, subscribe: Callable[[Callable[[Event], None]], Callable[[], None]], post: Callable[[Message], object]
    ) -> None:
        self._post = post
        self._unsubscribe = subscribe(self._on_event)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _on_event(self, event: Event) -> None:
        self._pending.append(event)
        if self._timer is None:
            self._timer = self._set_timer(self._interval, self._flush)

    def _flush(self) -> None:
        self._timer = None
        events, self._pending = self._pending, []
        if events and self._post is not None:
            self._post(DomainEvents(events))
