"""A tiny App for focused tests of one screen: opens nothing itself, bridges the service's events and
shows that screen, wired the way ``WorkshopApp`` does (an ``EventBridge`` posting ``DomainEvents``
batches to every screen in the stack). Whole-app behaviour (keys, phases, footer, snapshots) is
tested on the real ``WorkshopApp`` (``tests.helpers.tui.running_app``).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from screens.events import FRAME, DomainEvents, EventBridge
from screens.theme import PROJECTOR, PROJECTOR_NAME
from workshop_tui.service import WorkshopService

#: The theme snapshots are taken in: the projector theme the app uses by default.
SNAPSHOT_THEME = PROJECTOR_NAME


class HarnessApp(App[None]):
    def __init__(
        self,
        service: WorkshopService,
        make_screen: Callable[[], Screen[None]],
        *,
        theme: str = SNAPSHOT_THEME,
        frame: float = FRAME,
    ) -> None:
        super().__init__()
        self.service = service
        self._make_screen = make_screen
        self._theme_name = theme
        self.bridge = EventBridge(frame=frame)
        self.batches = 0

    def on_mount(self) -> None:
        self.register_theme(PROJECTOR)
        self.theme = self._theme_name
        self.bridge.start(self.service.bus.subscribe, self._broadcast)
        self.push_screen(self._make_screen())

    def on_unmount(self) -> None:
        self.bridge.stop()

    def _broadcast(self, message: Message) -> None:
        assert isinstance(message, DomainEvents)
        self.batches += 1
        for screen in self.screen_stack:
            screen.post_message(DomainEvents(message.events))
