"""Server-sent events for the phone page: domain events mapped to small, participant-safe messages.

- Each message is encoded once and the same bytes go to every subscriber of the workshop.
- Every subscriber has a bounded queue; one that falls behind (full queue) is dropped: its stream
  ends and the page reconnects and refetches. Memory never grows with a slow phone.
- Votes are not broadcast while the results are hidden (300 phones refetching on every dot would be
  a storm; the voter gets its numbers from its own POST); once revealed, changed totals are sent
  coalesced like note changes, so every phone's results stay true. Note changes are sent only
  while the wall is shown to everyone (group and vote phases), at most about once a second per
  workshop.
- The room's ready counts (``ready_changed``) carry the numbers themselves, so a phone redraws
  without refetching; they are coalesced the same way (in every phase) and sent only when they change.
- Payloads carry a type and public state only (phase, flags), never names, texts or participant ids.
- ``close()`` ends every stream; the server calls it before stopping uvicorn, or shutdown hangs.
- Streams are capped per holder (a participant, or an address for streams without a token) and in
  total (``admit``): a script cannot hold the server's connections open (issue 11 item 13).

Message types: ``phase_changed`` {phase}, ``results_revealed`` / ``voting_changed`` {voting_open,
results_revealed}, ``workshop_updated``, ``timer_changed`` (refetch the workshop for the time left),
``teams_formed``, ``team_changed``, ``idea_posted``, ``idea_updated``, ``idea_removed``, ``results_changed``,
``ready_changed`` {ready, private_notes} (counts only, as in ``GET /api/v1/w/{code}``).
Each is one ``data: {"type": ...}`` line (no ``event:`` field, so the page's ``onmessage`` sees them all).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, Final

import orjson

from workshop_tui import events as ev
from workshop_tui.errors import RateLimited, WorkshopError
from workshop_tui.phases import Phase
from workshop_tui.server.views import ready_view
from workshop_tui.service import WorkshopService

log = logging.getLogger(__name__)

QUEUE_SIZE: Final = 100
KEEPALIVE_SECONDS: Final = 15.0
COALESCE_SECONDS: Final = 1.0
RETRY: Final = b"retry: 3000\n: connected\n\n"
KEEPALIVE: Final = b": keepalive\n\n"
_CLOSE: Final = b""  # sentinel: ends the stream

#: Note changes matter to everyone only while the whole wall is on the phones.
WALL_PHASES: Final = frozenset({Phase.GROUP, Phase.VOTE})
_REMOVED_ACTIONS: Final = frozenset({"deleted", "hidden", "merged-into"})
#: Events that may change who is done, how many people there are, or how many notes are private.
_READY_EVENTS: Final = (
    ev.ReadyChanged,
    ev.ParticipantJoined,
    ev.ParticipantBlocked,
    ev.VoteChanged,
    ev.PreferencesSet,
    ev.IdeaPosted,
    ev.IdeaChanged,
)
READY: Final = "ready_changed"


def encode(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


class ServerFull(WorkshopError):
    """Every live stream the server allows is taken; a phone's page retries by itself."""

    status = 503
    kind = "server_full"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after


class Broker:
    """Fans the service's events out to the SSE streams of each workshop."""

    def __init__(
        self,
        service: WorkshopService,
        *,
        queue_size: int = QUEUE_SIZE,
        keepalive: float = KEEPALIVE_SECONDS,
        coalesce: float = COALESCE_SECONDS,
        max_streams: int = 2_000,
    ) -> None:
        self.service = service
        self.queue_size = queue_size
        self.keepalive = keepalive
        self.coalesce = coalesce
        self.closed = False
        self.dropped = 0
        self.max_streams = max_streams
        self.refused = 0
        self._holders: Counter[str] = Counter()  # the streams each holder has open
        self.admitted = 0  # their total, kept as streams open and end (admit never sums the holders)
        self._subs: dict[str, set[asyncio.Queue[bytes]]] = {}
        self._pending: dict[str, dict[str, None]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._last_flush: dict[str, float] = {}
        self._last_ready: dict[str, bytes] = {}
        self._team_ids: dict[str, frozenset[str]] = {}
        self._keepalive_task: asyncio.Task[None] | None = None
        self._unsubscribe = service.bus.subscribe(self._on_event)

    # ------------------------------------------------------------------ subscribers

    def subscribers(self, code: str | None = None) -> int:
        if code is not None:
            return len(self._subs.get(code, ()))
        return sum(len(s) for s in self._subs.values())

    def admit(self, holder: str, most: int) -> str:
        """Reserve a stream for ``holder`` (at most ``most`` each) or raise 429 / 503 with Retry-After;
        the stream releases it when it ends."""
        if self.admitted >= self.max_streams:
            self.refused += 1
            raise ServerFull("the server is full: live updates will reconnect in a moment", retry_after=10)
        if self._holders[holder] >= most:
            self.refused += 1
            raise RateLimited(f"at most {most} live streams at once from here", retry_after=30)
        self._holders[holder] += 1
        self.admitted += 1
        return holder

    async def stream(self, code: str, holder: str | None = None) -> AsyncGenerator[bytes, None]:
        """The body of one ``text/event-stream`` response; ends on close, drop or disconnect."""
        try:
            async for chunk in self._stream(code):
                yield chunk
        finally:
            if holder is not None:
                self.admitted -= 1
                self._holders[holder] -= 1
                if self._holders[holder] <= 0:
                    del self._holders[holder]

    async def _stream(self, code: str) -> AsyncIterator[bytes]:
        if self.closed:
            return
        queue: asyncio.Queue[bytes] = asyncio.Queue(self.queue_size)
        if code not in self._subs:
            self._phones_fetched(code)
        self._subs.setdefault(code, set()).add(queue)
        self._ensure_keepalive()
        try:
            yield RETRY
            while True:
                item = await queue.get()
                if item is _CLOSE:
                    return
                yield item
        finally:
            subs = self._subs.get(code)
            if subs is not None:
                subs.discard(queue)
                if not subs:
                    del self._subs[code]

    def _drop(self, queue: asyncio.Queue[bytes]) -> None:
        """End one stream now: empty its queue and leave only the sentinel."""
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(_CLOSE)

    def _send(self, code: str, data: bytes) -> None:
        for queue in list(self._subs.get(code, ())):
            try:
                queue.put_nowait(data)
            except asyncio.QueueFull:
                self.dropped += 1
                self._subs[code].discard(queue)
                self._drop(queue)

    def _ensure_keepalive(self) -> None:
        if self._keepalive_task is None or self._keepalive_task.done():
            self._keepalive_task = asyncio.get_running_loop().create_task(self._keepalive_loop(), name="sse-keepalive")

    async def _keepalive_loop(self) -> None:
        while not self.closed:
            await asyncio.sleep(self.keepalive)
            for code in list(self._subs):
                self._send(code, KEEPALIVE)

    async def close(self) -> None:
        """End every stream (before uvicorn stops) and stop listening to the service."""
        if self.closed:
            return
        self.closed = True
        self._unsubscribe()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for subs in self._subs.values():
            for queue in subs:
                self._drop(queue)
        self._subs.clear()
        if self._keepalive_task is not None:
            self._keepalive_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._keepalive_task
            self._keepalive_task = None

    # ------------------------------------------------------------------ events

    def _on_event(self, event: ev.Event) -> None:
        code = event.code
        if isinstance(event, ev.TeamsChanged):
            ids = frozenset(t.id for t in event.teams)
            kind = "team_changed" if self._team_ids.get(code) == ids else "teams_formed"
            self._team_ids[code] = ids
            if code in self._subs:
                self._send(code, encode({"type": kind}))
            return
        if code not in self._subs:
            return  # nobody listens: the voting hot path pays nothing here
        try:
            workshop = self.service.view(code).workshop  # once per event: a vote's is the hot path
        except WorkshopError:
            return  # events follow a write to an open workshop: only one that is gone lands here
        if isinstance(event, _READY_EVENTS):
            self._coalesce(code, READY, workshop.phase)
        if isinstance(event, ev.PhaseChanged):
            self._phones_fetched(code)
            self._send(code, encode({"type": "phase_changed", "phase": event.phase.value}))
        elif isinstance(event, ev.VotingChanged):
            kind = "results_revealed" if event.results_revealed else "voting_changed"
            flags = {"voting_open": event.voting_open, "results_revealed": event.results_revealed}
            self._send(code, encode({"type": kind, **flags}))
        elif isinstance(event, ev.WorkshopUpdated):
            self._send(code, encode({"type": "workshop_updated"}))
        elif isinstance(event, ev.TimerChanged):
            self._send(code, encode({"type": "timer_changed"}))
        elif isinstance(event, ev.IdeaPosted):
            self._coalesce(code, "idea_posted", workshop.phase)
        elif isinstance(event, ev.IdeaChanged):
            kind = "idea_removed" if event.action in _REMOVED_ACTIONS else "idea_updated"
            self._coalesce(code, kind, workshop.phase)
        elif isinstance(event, ev.ThemeChanged):
            self._coalesce(code, "idea_updated", workshop.phase)
        elif isinstance(event, ev.VoteChanged) and workshop.results_revealed:
            self._coalesce(code, "results_changed", workshop.phase)
        # VoteChanged before the reveal, ParticipantJoined/Blocked (the counts above say it), PreferencesSet,
        # BacklogChanged, WorkshopCreated: never sent.

    def _coalesce(self, code: str, kind: str, phase: Phase) -> None:
        if phase not in WALL_PHASES and kind != READY:
            return
        self._pending.setdefault(code, {})[kind] = None
        if code in self._timers:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        delay = max(0.0, self._last_flush.get(code, -1e9) + self.coalesce - time.monotonic())
        self._timers[code] = loop.call_later(delay, self._flush, code)

    def _flush(self, code: str) -> None:
        self._timers.pop(code, None)
        kinds = self._pending.pop(code, {})
        self._last_flush[code] = time.monotonic()
        for kind in kinds:
            data = self._ready_message(code) if kind == READY else encode({"type": kind})
            if data is not None:
                self._send(code, data)

    def _ready_counts(self, code: str) -> bytes | None:
        try:
            view = self.service.view(code)
        except WorkshopError:
            return None
        ready = ready_view(view)
        counts = None if ready is None else ready.model_dump(mode="json")
        return encode({"type": READY, "ready": counts, "private_notes": view.private_notes})

    def _ready_message(self, code: str) -> bytes | None:
        """The room's counts now, or None when the phones already have them (nothing changed)."""
        data = self._ready_counts(code)
        if data is None or self._last_ready.get(code) == data:
            return None
        self._last_ready[code] = data
        return data

    def _phones_fetched(self, code: str) -> None:
        """The phones have just fetched the workshop (a first stream, a new phase): they know the counts."""
        data = self._ready_counts(code)
        if data is not None:
            self._last_ready[code] = data
