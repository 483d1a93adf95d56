"""The phase timer as the room sees it: the workshop's clock (``service.timer``), drawn from its state.

The clock lives in the workshop, so the phones count down the same time: this widget only draws it.
The app's keys (``screens.timer_keys``) call the service; the widget follows ``TimerChanged``
through its screen (``sync``) and repaints at 4 Hz while running. With no countdown it shows the
phase's timebox, paused; a phase with no timebox (the backlog, a blank workshop's phases) and the
closed workshop show no timer at all until the facilitator starts one, so the room never reads a
meaningless "05:00 paused". A compact one-line form sits in the session bar of every session screen;
the lobby also shows the big ``Digits`` form. At zero it turns red and flashes a few times: a gentle
signal, never a bell.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Digits, Static

from screens.audience import phase_title, room_texts
from screens.widgets.text_update import update_text
from workshop_tui.models import PhaseTimer as Clock
from workshop_tui.models import utcnow
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.service.timer import DEFAULT_MINUTES

FLASHES = 12  # half-second flashes at zero (6 s), then it stays red
MAX_SECONDS = 24 * 3600  # what the service starts for a weeks-long timebox


def format_clock(seconds: float) -> str:
    """The one clock of the bar, the big ``Digits`` and the presenter: ``00:45``, ``04:59``, ``1:00:00``,
    ``24:00:00`` (the longest timer, a day: 8 cells). Only digits and colons, which ``Digits`` draws;
    whole seconds rounded up, so it reads ``00:00`` only when the time is up."""
    whole = max(0, math.ceil(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


class PhaseTimer(Vertical):
    DEFAULT_CSS = """
    PhaseTimer { height: auto; width: auto; padding: 0 1; }
    PhaseTimer > Digits { width: auto; color: $foreground; text-style: bold; }
    PhaseTimer > .timer-label { width: auto; color: $text-muted; }
    PhaseTimer.-compact { height: 1; padding: 0 1; }
    PhaseTimer.-compact > .timer-label { color: $foreground; text-style: bold; }
    PhaseTimer.-running > Digits, PhaseTimer.-running.-compact > .timer-label { color: $accent; }
    PhaseTimer.-expired > Digits { color: $error; }
    PhaseTimer.-expired > .timer-label { color: $error; text-style: bold; }
    PhaseTimer.-flash { background: $error; }
    PhaseTimer.-flash > Digits, PhaseTimer.-flash > .timer-label { color: $background; }
    """

    class Expired(Message):
        """The countdown reached zero."""

        def __init__(self, timer: PhaseTimer) -> None:
            super().__init__()
            self.timer = timer

        @property
        def control(self) -> PhaseTimer:
            return self.timer

    def __init__(self, service: WorkshopService, code: str, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, classes="-compact" if compact else "")
        self.service = service
        self.code = code
        self.compact = compact
        self._ticker: Timer | None = None
        self._flasher: Timer | None = None
        self._flashes = 0
        self._expired_run: object = None  # the countdown already signalled

    def compose(self) -> ComposeResult:
        if not self.compact:
            yield Digits(format_clock(self.remaining))
        yield Static(self._label(), classes="timer-label", markup=False)

    def on_mount(self) -> None:
        self.sync()

    # ------------------------------------------------------------------ state (the workshop's)

    @property
    def clock(self) -> Clock | None:
        return self.service.timer(self.code)

    @property
    def timebox(self) -> int:
        """What ``space`` starts: the phase's timebox (capped as the service caps it), else the default."""
        view = self.service.view(self.code)
        return min(MAX_SECONDS, 60 * view.settings.timeboxes.get(view.phase, DEFAULT_MINUTES))

    @property
    def shown(self) -> bool:
        """A countdown exists, or the phase has a timebox to start (never after the session)."""
        view = self.service.view(self.code)
        if view.phase == Phase.CLOSED:
            return False
        return self.clock is not None or view.phase in view.settings.timeboxes

    @property
    def duration(self) -> int:
        clock = self.clock
        return clock.seconds if clock is not None else self.timebox

    @property
    def remaining(self) -> float:
        clock = self.clock
        return clock.seconds_left(utcnow()) if clock is not None else float(self.timebox)

    @property
    def running(self) -> bool:
        clock = self.clock
        return clock is not None and clock.started_at is not None and clock.seconds_left(utcnow()) > 0

    @property
    def expired(self) -> bool:
        clock = self.clock
        return clock is not None and clock.seconds_left(utcnow()) <= 0

    def sync(self) -> None:
        """The clock may have changed (a key, a phase, another screen or an admin call): follow it."""
        if self.running and self._ticker is None:
            self._ticker = self.set_interval(0.25, self._tick)
        elif not self.running and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if not self.expired:
            self._expired_run = None
            self._stop_flashing()
        self._tick()

    # ------------------------------------------------------------------ drawing

    def _tick(self) -> None:
        clock = self.clock
        if clock is not None and self.expired:
            run = (clock.phase, clock.started_at, clock.seconds)
            if self._expired_run != run:
                self._expired_run = run
                self._flashes = 0
                self._flasher = self.set_interval(0.5, self._flash)
                if self._ticker is not None:
                    self._ticker.stop()
                    self._ticker = None
                self.post_message(self.Expired(self))
        self._show()

    def _flash(self) -> None:
        self._flashes += 1
        self.toggle_class("-flash")
        if self._flashes >= FLASHES and self._flasher is not None:
            self._flasher.stop()
            self._flasher = None
            self.remove_class("-flash")

    def _stop_flashing(self) -> None:
        if self._flasher is not None:
            self._flasher.stop()
            self._flasher = None
        self.remove_class("-flash")

    def _label(self) -> Text:
        tr = room_texts(self.service, self.code)  # the room reads the clock: its language; keys stay English
        clock = format_clock(self.remaining)
        if self.compact:
            if self.expired:
                return Text(tr.gettext("TIME IS UP"))
            return Text(clock if self.running else tr.gettext("{time} paused").format(time=clock))
        if self.expired:
            return Text(tr.gettext("TIME IS UP") + "  (+ adds a minute)")
        phase = phase_title(self.service, self.code)
        running = tr.gettext("running") if self.running else tr.gettext("paused")
        return Text(f"{phase} · {running} (space)")

    def _show(self) -> None:
        self.display = self.shown
        if not self.is_mounted:
            return
        self.set_class(self.running, "-running")
        self.set_class(self.expired, "-expired")
        if not self.compact:
            self.query_one(Digits).update(format_clock(self.remaining))
        update_text(self.query_one(".timer-label", Static), self._label())
