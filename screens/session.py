"""The base of every screen about one workshop: the service, the join code, the session bar and its timer."""

from __future__ import annotations

import contextlib

from textual.screen import Screen
from textual.types import NoActiveAppError

from screens.events import DomainEvents
from screens.widgets.session_bar import SessionBar
from screens.widgets.timer import PhaseTimer
from workshop_tui.service import WorkshopService


class SessionScreen(Screen[None]):
    """Built as ``XScreen(service, code)``; subclasses compose a ``SessionBar`` at the top."""

    # Below 120 columns (a projector at 80x24) the screens stack their panels.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (declared by Screen)

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.workshop_id = service.view(code).id
        # The breakpoint's class from the first frame: Textual sets it on the screen's first resize, after
        # a frame laid out (and drawn) without it; set once the children are mounted, it restyles them all.
        with contextlib.suppress(NoActiveAppError):  # built outside a running app: on_mount sets it
            self._fit_breakpoint(self.app.size.width, update=False)

    def on_mount(self) -> None:
        self._fit_breakpoint(self.app.size.width)  # the size may have changed since __init__

    def _fit_breakpoint(self, width: int, *, update: bool = True) -> None:
        names = dict.fromkeys((name for _, name in self.HORIZONTAL_BREAKPOINTS), False)
        names.update(dict.fromkeys(self._get_breakpoint_classes(width, self.HORIZONTAL_BREAKPOINTS), True))
        self.update_classes(names, update=update, animate=False)

    def on_domain_events(self, message: DomainEvents) -> None:
        # Textual calls this as well as a subclass's own handler (handlers run along the MRO).
        if message.for_workshop(self.workshop_id):
            for bar in self.query(SessionBar):
                bar.refresh_counts()
            for timer in self.query(PhaseTimer):
                timer.sync()
