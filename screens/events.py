"""From the service's event bus to Textual messages, coalesced.

The bus calls us synchronously on the event loop for every change; a voting storm can mean
hundreds of events a second. We collect them and post one ``DomainEvents`` message at most every
``interval`` seconds (~10 repaints a second, docs/architecture.md), so screens update in batches.

The flush is scheduled with the loop's ``call_later``, not a Textual timer: events arrive in the
context of whoever made the change (an HTTP request task of the participant server), where
Textual's ``active_app`` is not set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message import Message

from workshop_tui.events import Event


class DomainEvents(Message):
    """A batch of domain events, oldest first. Screens read ``events`` and refresh what changed."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events

    def for_workshop(self, workshop_id: str) -> list[Event]:
        return [e for e in self.events if e.workshop_id == workshop_id]


class EventBridge:
    """``start(subscribe, post)``: ``post`` delivers each coalesced ``DomainEvents`` to the app."""

    def __init__(self, interval: float = 0.1) -> None:
        self._interval = interval
        self._pending: list[Event] = []
        self._handle: asyncio.TimerHandle | None = None
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
        if self._handle is None:
            self._handle = asyncio.get_running_loop().call_later(self._interval, self._flush)

    def _flush(self) -> None:
        self._handle = None
        events, self._pending = self._pending, []
        if events and self._post is not None:
            self._post(DomainEvents(events))
