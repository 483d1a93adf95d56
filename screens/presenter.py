"""The presenter view: the audience's screen in a second terminal, while the facilitator works in the first.

``workshop-tui present CODE`` runs this app. It owns no store and writes nothing: it is a client of the
server of the process that owns the data directory (``workshop_tui.audience``), redrawn from a fresh
snapshot on every event of the public stream and revalidated once a second (an ETag makes that a 304
while nothing changed; the stream does not carry notes in every phase). It shows only what the room
may see: the join QR code, code and URL, the wall (authors' names only while the facilitator projects
them, as on the facilitator's wall), the timer, the results once revealed
(in the vote), the ranking's progress then the published teams (ideas and sizes), and from the backlog on the
follow-up page's QR code (the closing screen's), following the phase. The wall is the facilitator's
sticky-note wall (``NoteWall``: coloured by theme, newest first and marked, grouped by theme in the group
phase), with the room's progress above it: how many are done (counts, never names) and how many notes
are written in private. Its words are the workshop's language, as on the phones. No admin token and no
facilitator control is ever drawn. When the owner is not running it says so and reconnects by
itself (the owner may come back on another port).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from pathlib import Path
from typing import ClassVar

from babel.support import NullTranslations
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widgets import Static

from screens.follow import HEADING as FOLLOW_HEADING
from screens.theme import PROJECTOR, PROJECTOR_NAME
from screens.widgets.bar_chart import BarChart, ChartRow
from screens.widgets.big_code import BigCode
from screens.widgets.note_wall import NoteWall
from screens.widgets.qr_code import QRCode
from screens.widgets.timer import format_clock
from workshop_tui import i18n
from workshop_tui.audience import AudienceClient, AudienceNote, AudienceSnapshot, AudienceWorkshop, OwnerNotRunning
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea, utcnow
from workshop_tui.phases import PHASE_SPECS, Phase
from workshop_tui.phone_catalog import MESSAGES
from workshop_tui.text_safety import terminal_safe

REFRESH_SECONDS = 1.0  # the wall's revalidation while connected (a 304 when nothing changed)
RETRY_SECONDS = 1.0  # how soon to look for the owner again


def _phone_plural(key: str) -> tuple[str, str]:
    """A plural message of the phone's catalog: the room reads the words its phones show."""
    message = MESSAGES[key]
    if not isinstance(message, tuple):
        raise TypeError(f"phone message {key!r} has no plural")
    return message


#: The room's progress in each phase with a task, in the phone's own words.
READY = {
    "writing": _phone_plural("readyWriting"),
    "voting": _phone_plural("readyVoting"),
    "ranking": _phone_plural("readyRanking"),
}
NOTE_COUNT = _phone_plural("noteCount")
PRIVATE_COUNT = _phone_plural("privateCount")
FOLLOW_PHASES = frozenset({Phase.BACKLOG, Phase.CLOSED})  # the follow-up QR code replaces the wall
_POSTED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # the wall orders by posting time: the list's order is it

_CSS = """
Screen { layout: vertical; }
#p-bar { height: 1; background: $panel; }
#p-title { width: 1fr; text-style: bold; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
#p-timer { width: auto; padding: 0 1; text-style: bold; }
#p-timer.-running { color: $accent; }
#p-timer.-expired { color: $error; }
#p-phase { width: auto; padding: 0 1; text-style: bold reverse; }
#p-people-bar { width: auto; padding: 0 1; }
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
#p-join-line { height: 1; color: $accent; text-wrap: nowrap; text-overflow: ellipsis; }
#p-heading { height: auto; text-style: bold; color: $accent; margin-bottom: 1; }
#p-prompt { height: auto; max-height: 4; margin-bottom: 1; }
#p-wall { height: 1fr; scrollbar-size-vertical: 0; }  /* nobody scrolls the room's copy: newest on top */
#p-results { height: 1fr; scrollbar-size-vertical: 0; }  /* the room reads it from the top: no scrollbar */
#p-teams { height: 1fr; }
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
        self._on_wall: tuple[object, ...] = ()  # what the wall was last filled from
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
            yield Static("", id="p-people-bar", markup=False)
        yield Static("", id="p-offline", markup=False)
        with Horizontal(id="p-body"):
            with Vertical(id="p-join"):
                yield QRCode("", id="p-qr")
                with Vertical(id="p-join-text"):
                    yield Static("", id="p-url", markup=False)
                    yield BigCode(self.code, id="p-code")
                    yield Static("", id="p-people", markup=False)
            with Vertical(id="p-main"):
                yield Static("", id="p-join-line", markup=False)
                yield Static("", id="p-heading", markup=False)
                yield Static("", id="p-prompt", markup=False)
                wall = NoteWall(id="p-wall")
                wall.can_focus = False  # the room's copy: nobody steers it, so it has no cursor
                yield wall
                yield BarChart(id="p-results")
                yield Static("", id="p-teams", markup=False)

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
        tr = i18n.translator(w.language)  # the room's words, as on the phones
        self.query_one("#p-offline", Static).display = False
        self.query_one("#p-body").display = True
        self.query_one("#p-title", Static).update(Text(terminal_safe(w.title)))
        self.query_one("#p-phase", Static).update(Text(f" {tr.gettext(PHASE_SPECS[w.phase].audience_title).upper()} "))
        lobby = w.phase == Phase.LOBBY
        # From the backlog on (the ideas become next steps, then the room leaves): the follow-up page's QR
        # code fills the screen as the join code did, where the city publishes what became of each idea.
        follow_url = terminal_safe(w.follow_url or "") if w.phase in FOLLOW_PHASES else ""
        big = lobby or bool(follow_url)
        join = self.query_one("#p-join", Vertical)
        join.set_class(big, "-lobby")
        qr = self.query_one("#p-qr", QRCode)
        qr.data = follow_url or snap.join_url
        self.query_one("#p-url", Static).update(Text(follow_url or snap.join_url))
        people = snap.participants
        joined = f"{people} {tr.ngettext('person joined', 'people joined', people)}"
        under_code = self.query_one("#p-people", Static)
        under_code.update(Text(tr.gettext(FOLLOW_HEADING) if follow_url else joined))
        under_code.display = big  # the lobby says it under the code, the other phases in the top bar
        bar_people = self.query_one("#p-people-bar", Static)
        bar_people.update(Text(joined))
        bar_people.display = not lobby
        code = self.query_one("#p-code", BigCode)
        code.text = w.code
        code.display = not follow_url
        line = Text(snap.join_url, style="bold")
        line.append("   ")
        line.append(f" {w.code} ", style="bold reverse")
        self.query_one("#p-join-line", Static).update(line)
        self._fit_join(big, latecomers=w.phase != Phase.CLOSED)
        main = self.query_one("#p-main", Vertical)
        main.display = not big
        heading = self.query_one("#p-heading", Static)
        prompt = self.query_one("#p-prompt", Static)
        wall = self.query_one("#p-wall", NoteWall)
        results = self.query_one("#p-results", BarChart)
        teams = self.query_one("#p-teams", Static)
        prompt.update(Text(terminal_safe(w.prompt)))
        prompt.display = bool(w.prompt) and w.phase == Phase.IDEATE
        # Past the vote the results make way: the room ranks the candidates, then sees its teams.
        shown = "results" if w.results_revealed and w.phase == Phase.VOTE else "wall"
        if w.phase == Phase.TEAMS and w.teams:
            shown = "teams"
            heading.update(Text(tr.gettext("Teams")))
            teams.update(_teams(tr, w, snap.notes))
        elif shown == "results":
            heading.update(Text(tr.gettext("Results: most dots first")))
            ranked = sorted(snap.notes, key=lambda n: -(n.dots or 0))  # stable: ties keep posting order
            results.show([ChartRow(n.id, n.text, n.dots or 0) for n in ranked], True)
        else:
            ranking = w.phase == Phase.TEAMS and bool(w.candidate_idea_ids)
            notes = tuple(n for n in snap.notes if n.id in w.candidate_idea_ids) if ranking else snap.notes
            heading.update(_progress(tr, w, len(notes)))
            self._fill_wall(w, notes, snap.authors)
        results.display, wall.display, teams.display = (shown == k for k in ("results", "wall", "teams"))
        self._tick()

    def _fill_wall(self, w: AudienceWorkshop, notes: tuple[AudienceNote, ...], authors: dict[str, str] | None) -> None:
        """The notes as cards, refilled only when they, the themes, the grouping or the projected names
        changed (the snapshot also changes with every second of a running timer). The names come by note
        (the presenter knows no participant ids): each note is its own author's key."""
        wall = self.query_one("#p-wall", NoteWall)
        grouped = w.phase == Phase.GROUP
        key = (notes, w.themes, grouped, authors)
        if key == self._on_wall:
            return
        self._on_wall = key
        wall.grouped = grouped
        ideas = [
            Idea.model_construct(
                id=n.id,
                workshop_id=w.code,
                text=n.text,
                theme_id=n.theme_id,
                author_id=n.id if authors and n.id in authors else None,
                created_at=_POSTED + dt.timedelta(seconds=k),
            )
            for k, n in enumerate(notes)  # oldest first, as the server lists them
        ]
        wall.show_notes(ideas, [(t.id, t.name) for t in w.themes], authors=authors)

    def _fit_join(self, big: bool, *, latecomers: bool) -> None:
        """The lobby and the closing screens give the QR code the room, by the lobby's rule
        (``QRCode.fit_beside_text``). Elsewhere, while ``latecomers`` may still join, a corner with the QR
        code where there is room for it beside the wall, else one line above the wall (URL and code)."""
        join = self.query_one("#p-join", Vertical)
        qr = self.query_one("#p-qr", QRCode)
        code = self.query_one("#p-code", BigCode)
        line = self.query_one("#p-join-line", Static)
        width, height = self.size
        if big:
            body = Size(width - 2, height - 1)  # the join box's padding, the top bar
            code.scale = qr.fit_beside_text(body)
            join.display = qr.display = True
            line.display = False
            return
        corner = latecomers and width >= 120 and height >= qr.modules + 10
        qr.scale = code.scale = 1
        join.display = qr.display = corner
        line.display = latecomers and not corner

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
        tr = i18n.translator(snap.workshop.language)
        clock = format_clock(left) if timer.running else tr.gettext("{time} paused").format(time=format_clock(left))
        label.update(Text(tr.gettext("TIME IS UP") if left <= 0 else clock))


def _teams(tr: NullTranslations, w: AudienceWorkshop, notes: tuple[AudienceNote, ...]) -> Text:
    """The published teams: each one's idea and size (counts: the phones name the members, not the room)."""
    ideas = {n.id: n.text for n in notes}
    out = Text()
    for number, team in enumerate(w.teams, 1):
        idea = terminal_safe(ideas.get(team.idea_id, ""))
        out.append(tr.gettext("Team {number}: {idea}").format(number=number, idea=idea), style="bold")
        out.append("  ·  " + tr.ngettext("{count} person", "{count} people", team.members).format(count=team.members))
        out.append("\n\n")
    out.rstrip()
    return out


def _progress(tr: NullTranslations, w: AudienceWorkshop, notes: int) -> Text:
    """The wall's heading: how many notes, how many are done (counts, never names), how many are
    written in private, in the room's language."""
    out = Text(tr.ngettext(*NOTE_COUNT, notes).format(count=notes))
    ready = w.ready
    if ready is not None and ready.people and ready.task in READY:
        one, many = READY[ready.task]
        out.append("  ·  ")
        out.append(tr.ngettext(one, many, ready.done).format(count=ready.done, people=ready.people))
    if w.private_notes:
        out.append("  ·  ")
        out.append(tr.ngettext(*PRIVATE_COUNT, w.private_notes).format(count=w.private_notes))
    return out
