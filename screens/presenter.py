"""The presenter view: the audience's screen in a second terminal, while the facilitator works in the first.

``workshop-tui present CODE`` runs this app. It owns no store and writes nothing: it is a client of the
server of the process that owns the data directory (``workshop_tui.audience``), redrawn from a fresh
snapshot on every event of the public stream and revalidated once a second (an ETag makes that a 304
while nothing changed; the stream does not carry notes in every phase). It shows only what the room
may see: the join QR code, code and URL, the wall (no authors), the timer, the results once revealed,
following the phase. No admin token, no facilitator control is ever drawn. When the owner is not
running it says so and reconnects by itself (the owner may come back on another port).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from screens.theme import PROJECTOR, PROJECTOR_NAME
from screens.widgets.bar_chart import BarChart, ChartRow
from screens.widgets.big_code import BigCode
from screens.widgets.qr_code import QRCode
from screens.widgets.timer import format_clock
from workshop_tui.audience import AudienceClient, AudienceSnapshot, OwnerNotRunning
from workshop_tui.errors import WorkshopError
from workshop_tui.models import utcnow
from workshop_tui.phases import PHASE_SPECS, Phase
from workshop_tui.text_safety import terminal_safe

REFRESH_SECONDS = 1.0  # the wall's revalidation while connected (a 304 when nothing changed)
RETRY_SECONDS = 1.0  # how soon to look for the owner again
WALL_NOTES = 60  # newest notes drawn; the room cannot read more at once
SPACED_FROM_ROWS = 40  # from this height on the wall leaves a blank line between notes

_CSS = """
Screen { layout: vertical; }
#p-bar { height: 1; background: $panel; }
#p-title { width: 1fr; text-style: bold; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
#p-timer { width: auto; padding: 0 1; text-style: bold; }
#p-timer.-running { color: $accent; }
#p-timer.-expired { color: $error; }
#p-phase { width: auto; padding: 0 1; text-style: bold reverse; }
#p-offline { height: auto; margin: 2 4; padding: 1 2; border: heavy $warning; color: $warning; text-style: bold; }
#p-body { height: 1fr; }
#p-join { width: auto; max-width: 50%; height: 1fr; padding: 0 1; align: center top; }
#p-join.-lobby { width: 1fr; max-width: 100%; layout: horizontal; align: center middle; }
#p-qr { width: auto; height: auto; }
#p-join-text { width: auto; height: auto; }
#p-join.-lobby #p-join-text { padding-left: 2; }
#p-url { width: auto; color: $accent; text-style: bold; margin-top: 1; }
#p-code { margin-top: 1; }
#p-people { width: auto; margin-top: 1; text-style: bold; }
#p-main { width: 1fr; height: 1fr; padding: 0 1; }
#p-heading { height: auto; text-style: bold; color: $accent; margin-bottom: 1; }
#p-prompt { height: auto; max-height: 4; margin-bottom: 1; }
#p-wall { height: 1fr; }
#p-results { height: 1fr; }
"""


class PresenterApp(App[None]):
    CSS = _CSS
    TITLE = "workshop-tui presenter"
    ENABLE_COMMAND_PALETTE = False  # nothing to command: this screen only shows
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, data_dir: Path, code: str) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.code = code.upper()
        self.snapshot: AudienceSnapshot | None = None
        self.offline: str | None = None  # why nothing is shown, while the owner is not reachable
        self._received_at = utcnow()
        self._changed = asyncio.Event()
        self.register_theme(PROJECTOR)
        self.theme = PROJECTOR_NAME

    def compose(self) -> ComposeResult:
        with Horizontal(id="p-bar"):
            yield Static("", id="p-title", markup=False)
            yield Static("", id="p-timer", markup=False)
            yield Static("", id="p-phase", markup=False)
        yield Static("", id="p-offline", markup=False)
        with Horizontal(id="p-body"):
            with Vertical(id="p-join"):
                yield QRCode("", id="p-qr")
                with Vertical(id="p-join-text"):
                    yield Static("", id="p-url", markup=False)
                    yield BigCode(self.code, id="p-code")
                    yield Static("", id="p-people", markup=False)
            with Vertical(id="p-main"):
                yield Static("", id="p-heading", markup=False)
                yield Static("", id="p-prompt", markup=False)
                yield Static("", id="p-wall", markup=False)
                yield BarChart(id="p-results")

    def on_mount(self) -> None:
        self.query_one("#p-results", BarChart).can_focus = False  # nothing is chosen here: no cursor, no frame
        self.query_one("#p-title", Static).update(Text(f"Workshop {self.code}"))
        self._show_offline("Connecting to the workshop…")
        self.set_interval(0.25, self._tick)
        self.run_worker(self._follow(), name="follow", exit_on_error=False)

    # ------------------------------------------------------------------ following the owner

    async def _follow(self) -> None:
        async with AudienceClient(self.data_dir, self.code) as client:
            while True:
                try:
                    await self._refresh(client)
                    events = asyncio.create_task(self._read_events(client))
                    try:
                        while not events.done():
                            with contextlib.suppress(TimeoutError):
                                await asyncio.wait_for(self._changed.wait(), REFRESH_SECONDS)
                            self._changed.clear()
                            await self._refresh(client)
                        events.result()  # the stream ended: raises why
                    finally:
                        events.cancel()
                        with contextlib.suppress(BaseException):
                            await events
                except (OwnerNotRunning, WorkshopError) as exc:
                    self._show_offline(exc.message)
                    await asyncio.sleep(RETRY_SECONDS)

    async def _read_events(self, client: AudienceClient) -> None:
        async for _kind in client.events():
            self._changed.set()  # every kind means "something public changed": refetch once

    async def _refresh(self, client: AudienceClient) -> None:
        snapshot = await client.snapshot()
        self._received_at = utcnow()
        if snapshot != self.snapshot or self.offline is not None:
            self.snapshot = snapshot
            self.offline = None
            self._draw(snapshot)

    # ------------------------------------------------------------------ drawing

    def _show_offline(self, why: str) -> None:
        self.offline = why
        note = self.query_one("#p-offline", Static)
        note.display = True
        note.update(
            Text(
                f"{terminal_safe(why)}\n\nThis screen shows workshop {self.code} as the room sees it once the "
                "facilitator's workshop-tui runs with this data directory; it reconnects by itself.",
            )
        )
        self.query_one("#p-body").display = self.snapshot is not None

    def _draw(self, snap: AudienceSnapshot) -> None:
        w = snap.workshop
        self.query_one("#p-offline", Static).display = False
        self.query_one("#p-body").display = True
        self.query_one("#p-title", Static).update(Text(terminal_safe(w.title)))
        self.query_one("#p-phase", Static).update(Text(f" {PHASE_SPECS[w.phase].title} "))
        lobby = w.phase == Phase.LOBBY
        join = self.query_one("#p-join", Vertical)
        join.set_class(lobby, "-lobby")
        join.display = w.phase != Phase.CLOSED
        qr = self.query_one("#p-qr", QRCode)
        qr.data = snap.join_url
        self.query_one("#p-url", Static).update(Text(snap.join_url))
        people = snap.participants
        self.query_one("#p-people", Static).update(Text(f"{people} {'person' if people == 1 else 'people'} joined"))
        self.query_one("#p-code", BigCode).text = w.code
        self._fit_join(lobby)
        main = self.query_one("#p-main", Vertical)
        main.display = not lobby
        heading = self.query_one("#p-heading", Static)
        prompt = self.query_one("#p-prompt", Static)
        wall = self.query_one("#p-wall", Static)
        results = self.query_one("#p-results", BarChart)
        prompt.update(Text(terminal_safe(w.prompt)))
        prompt.display = bool(w.prompt) and w.phase == Phase.IDEATE
        if w.results_revealed:
            heading.update(Text("Results: most dots first"))
            ranked = sorted(snap.notes, key=lambda n: -(n.dots or 0))  # stable: ties keep posting order
            results.show([ChartRow(n.id, n.text, n.dots or 0) for n in ranked], True)
            results.display, wall.display = True, False
        else:
            count = len(snap.notes)
            heading.update(Text(f"The wall · {count} {'note' if count == 1 else 'notes'}"))
            wall.update(_wall_text(snap, spaced=self.size.height >= SPACED_FROM_ROWS))
            results.display, wall.display = False, True
        self._tick()

    def _fit_join(self, lobby: bool) -> None:
        """The lobby gives the QR code the screen; elsewhere it is a corner, dropped when there is no room."""
        qr = self.query_one("#p-qr", QRCode)
        width, height = self.size
        modules = qr.modules
        big = lobby and width >= 2 * modules + 64 and height >= modules + 4
        qr.scale = 2 if big else 1
        qr.display = lobby or (width >= 120 and height >= modules + 10)
        self.query_one("#p-code", BigCode).scale = 2 if lobby and width >= 100 else 1

    def on_resize(self) -> None:
        if self.snapshot is not None and self.offline is None:
            self._draw(self.snapshot)

    def _tick(self) -> None:
        found = self.query("#p-timer").results(Static)
        label = next(found, None)
        if label is None:  # the screen is going away
            return
        snap = self.snapshot
        timer = snap.workshop.timer if snap is not None else None
        if snap is None or timer is None or timer.phase != snap.workshop.phase or self.offline is not None:
            label.display = False
            return
        left = timer.seconds_left
        if timer.running:
            left -= (utcnow() - self._received_at).total_seconds()
        left = max(0.0, left)
        label.display = True
        label.set_class(timer.running and left > 0, "-running")
        label.set_class(left <= 0, "-expired")
        label.update(Text("TIME IS UP" if left <= 0 else f"{format_clock(left)}{'' if timer.running else ' paused'}"))


def _wall_text(snap: AudienceSnapshot, *, spaced: bool) -> Text:
    """Newest first, so a note posted now is seen now; participant text is plain text, never markup."""
    if not snap.notes:
        return Text("No notes yet.", style="italic")
    out = Text()
    for n, note in enumerate(reversed(snap.notes[-WALL_NOTES:])):
        if n:
            out.append("\n\n" if spaced else "\n")  # a big screen: a blank line between notes, read from afar
        out.append("■ ", style="bold")
        if note.theme:
            out.append(f"{terminal_safe(note.theme)}: ", style="italic")
        out.append(" ".join(terminal_safe(note.text).split()))
    return out
