"""The phase timer as the room sees it: the workshop's clock (``service.timer``), drawn from its state.

The clock lives in the workshop, so the phones count down the same time: this widget only draws it.
The app's keys (space start/pause, + a minute, ctrl+r reset) call the service; the widget follows
``TimerChanged`` through its screen (``sync``) and repaints at 4 Hz while running. A compact one-line
form sits in the session bar of every session screen; the lobby also shows the big ``Digits`` form.
At zero the timer turns red and flashes a few times: a gentle signal, never a bell.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Digits, Static

from workshop_tui.models import PhaseClock
from workshop_tui.service import WorkshopService

FLASHES = 12  # half-second flashes at zero (6 s), then it stays red


def format_clock(seconds: float) -> str:
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
        self._expired_run: object = None  # the run (its end time) already signalled

    def compose(self) -> ComposeResult:
        if not self.compact:
            yield Digits(format_clock(self.remaining))
        yield Static(self._label(), classes="timer-label", markup=False)

    def on_mount(self) -> None:
        self.sync()

    # ------------------------------------------------------------------ state (the workshop's)

    @property
    def clock(self) -> PhaseClock:
        return self.service.timer(self.code)

    @property
    def running(self) -> bool:
        return self.clock.running

    @property
    def remaining(self) -> float:
        return self.clock.left()

    @property
    def duration(self) -> int:
        return self.clock.duration_s

    @property
    def expired(self) -> bool:
        clock = self.clock
        return clock.duration_s > 0 and clock.left() <= 0

    def sync(self) -> None:
        """The clock may have changed (a key, a phase, another screen or an admin call): follow it."""
        running = self.running and not self.expired
        if running and self._ticker is None:
            self._ticker = self.set_interval(0.25, self._tick)
        elif not running and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if not self.expired:
            self._expired_run = None
            self._stop_flashing()
        self._tick()

    # ------------------------------------------------------------------ drawing

    def _tick(self) -> None:
        clock = self.clock
        if self.expired and self._expired_run != (clock.phase, clock.ends_at, clock.duration_s):
            self._expired_run = (clock.phase, clock.ends_at, clock.duration_s)
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
        clock = self.clock
        if self.compact:
            if self.expired:
                return Text("TIME IS UP")
            return Text(f"{format_clock(clock.left())} {'' if clock.running else 'paused'}".rstrip())
        if self.expired:
            return Text("TIME IS UP  (+ adds a minute)")
        state = "running" if clock.running else "paused"
        return Text(f"{clock.phase.value} timer · {state} (space)")

    def _show(self) -> None:
        if not self.is_mounted:
            return
        self.set_class(self.running and not self.expired, "-running")
        self.set_class(self.expired, "-expired")
        if not self.compact:
            self.query_one(Digits).update(format_clock(self.remaining))
        self.query_one(".timer-label", Static).update(self._label())
