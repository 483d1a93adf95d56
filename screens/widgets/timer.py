"""The phase timer: big ``Digits`` mm:ss, start/pause, +1 minute, reset; a flash and a bell at zero.

The default duration is the workshop's timebox for its current phase (``settings.timeboxes``, minutes),
else ``DEFAULT_MINUTES``. Time is kept against ``time.monotonic()`` (a busy loop cannot make it drift);
a 4 Hz interval only repaints. The app's timer actions (space, +, ctrl+r) drive the timer of the
current screen; a screen that wants one simply yields ``PhaseTimer(service, code)``.
"""

from __future__ import annotations

import math
import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Digits, Static

from workshop_tui.service import WorkshopService

DEFAULT_MINUTES = 10
FLASHES = 12  # half-second flashes at zero (6 s), then it stays highlighted


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
    PhaseTimer.-running > Digits { color: $accent; }
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

    def __init__(self, service: WorkshopService, code: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service
        self.code = code
        settings = service.state(code).workshop.settings
        self.phase = service.state(code).workshop.phase
        minutes = settings.timeboxes.get(self.phase, DEFAULT_MINUTES)
        self.duration: float = float(minutes * 60)
        self._remaining: float = self.duration  # while paused
        self._deadline: float | None = None  # while running
        self.expired = False
        self._ticker: Timer | None = None
        self._flasher: Timer | None = None
        self._flashes = 0

    def compose(self) -> ComposeResult:
        yield Digits(format_clock(self.duration))
        yield Static(self._label(), classes="timer-label", markup=False)

    # ------------------------------------------------------------------ state

    @property
    def running(self) -> bool:
        return self._deadline is not None

    @property
    def remaining(self) -> float:
        if self._deadline is None:
            return self._remaining
        return max(0.0, self._deadline - time.monotonic())

    def start(self) -> None:
        if self.running:
            return
        if self.remaining <= 0:
            self.reset()
        self._stop_flashing()
        self.expired = False
        self._deadline = time.monotonic() + self._remaining
        self._ticker = self.set_interval(0.25, self._tick)
        self._show()

    def pause(self) -> None:
        if not self.running:
            return
        self._remaining = self.remaining
        self._deadline = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._show()

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def add_minute(self) -> None:
        if self._deadline is not None:
            self._deadline += 60
        else:
            self._remaining += 60
        if self.expired:
            self.expired = False
            self._stop_flashing()
        self._show()

    def reset(self, seconds: float | None = None) -> None:
        """Back to the phase's timebox (or ``seconds``), paused."""
        self.pause()
        if seconds is not None:
            self.duration = seconds
        self._remaining = self.duration
        self.expired = False
        self._stop_flashing()
        self._show()

    # ------------------------------------------------------------------ drawing

    def _tick(self) -> None:
        if self.running and self.remaining <= 0:
            self._expire()
        self._show()

    def _expire(self) -> None:
        self.pause()
        self._remaining = 0.0
        self.expired = True
        self._flashes = 0
        self._flasher = self.set_interval(0.5, self._flash)
        self.app.bell()
        self.post_message(self.Expired(self))

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
        if self.expired:
            return Text("TIME IS UP  (+ adds a minute)")
        state = "running" if self.running else "paused"
        return Text(f"{self.phase.value} timer · {state} (space)")

    def _show(self) -> None:
        if not self.is_mounted:
            return
        self.set_class(self.running, "-running")
        self.set_class(self.expired, "-expired")
        self.query_one(Digits).update(format_clock(self.remaining))
        self.query_one(".timer-label", Static).update(self._label())
