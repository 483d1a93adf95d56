"""Which screen shows which phase, and how domain events reach screens and widgets.

Phase screens: ``PHASE_SCREENS`` maps a phase to a factory ``(service, code) -> Screen``. Factories
are ``LazyScreen``s: the module is imported by name only when a workshop in that phase is opened, so
adding a screen is one line here and importing this module stays cheap. Every phase has its screen
(a test checks it); a screen module that fails to import is a bug and raises.

Domain events: the app receives one coalesced ``DomainEvents`` batch from the ``EventBridge`` and
calls ``forward_events`` for every screen in its stack. Each gets its own message instance (a
message cannot be posted twice), pre-stopped so it does not bubble back up to the app. A screen
defines ``on_domain_events(self, message: DomainEvents)`` and updates its widgets.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from screens.events import DomainEvents
from workshop_tui.events import Event
from workshop_tui.phases import PHASE_SPECS, Phase
from workshop_tui.service import WorkshopService

ScreenFactory = Callable[[WorkshopService, str], Screen[Any]]


class LazyScreen:
    """``module:name`` imported on first use, then called as ``cls(service, code)`` (or ``cls(service)``)."""

    def __init__(self, module: str, name: str, *, takes_code: bool = True) -> None:
        self.module = module
        self.name = name
        self.takes_code = takes_code

    def load(self) -> type[Screen[Any]]:
        module = importlib.import_module(self.module)
        cls: type[Screen[Any]] = getattr(module, self.name)
        return cls

    def __call__(self, service: WorkshopService, code: str) -> Screen[Any]:
        cls = self.load()
        factory: Callable[..., Screen[Any]] = cls
        return factory(service, code) if self.takes_code else factory(service)

    def built(self, screen: Screen[Any]) -> bool:
        """``screen`` is one this factory makes (asked without importing the module)."""
        return type(screen).__module__ == self.module and type(screen).__name__ == self.name

    def __repr__(self) -> str:
        return f"LazyScreen({self.module}:{self.name})"


#: The TUI's screen for each key of the phase table (``PHASE_SPECS[phase].screen``): a new phase is one
#: row there, plus a row here only when it brings a new screen.
SCREENS_BY_KEY: dict[str, ScreenFactory] = {
    "lobby": LazyScreen("screens.lobby", "LobbyScreen"),
    "wall": LazyScreen("screens.wall.screen", "WallScreen"),
    "voting": LazyScreen("screens.voting", "VotingScreen"),
    "teams": LazyScreen("screens.teams", "TeamsScreen"),
    "backlog": LazyScreen("screens.backlog.screen", "BacklogScreen"),
}
PHASE_SCREENS: dict[Phase, ScreenFactory] = {phase: SCREENS_BY_KEY[spec.screen] for phase, spec in PHASE_SPECS.items()}

# Screens that are not tied to a phase, for the help screen's key list (imported lazily, missing ones skipped).
OTHER_SCREENS: list[LazyScreen] = [
    LazyScreen("screens.home", "HomeScreen"),
    LazyScreen("screens.new_workshop", "NewWorkshopScreen"),
    LazyScreen("screens.info", "InfoScreen"),
    LazyScreen("screens.confirm", "ConfirmScreen"),
    LazyScreen("screens.backlog.screen", "BacklogScreen", takes_code=False),
    LazyScreen("screens.backlog.review", "ReviewScreen", takes_code=False),
    LazyScreen("screens.backlog.editor", "BacklogEditor", takes_code=False),
    LazyScreen("screens.follow", "FollowScreen"),
]


def screen_for(phase: Phase, service: WorkshopService, code: str) -> Screen[Any]:
    return PHASE_SCREENS[phase](service, code)


def screen_classes() -> list[type[Screen[Any]]]:
    """Every screen class, for the help screen (phase screens first, no duplicates)."""
    found: list[type[Screen[Any]]] = []
    factories: Iterable[object] = [*PHASE_SCREENS.values(), *OTHER_SCREENS]
    for factory in factories:
        if not isinstance(factory, LazyScreen):
            continue
        cls = factory.load()
        if cls not in found:
            found.append(cls)
    return found


def forward_events(target: MessagePump, events: list[Event]) -> None:
    """Post a fresh, non-bubbling ``DomainEvents`` to ``target``."""
    target.post_message(DomainEvents(events).stop())


class ServerStatus(Message, bubble=False):
    """The participant server started, stopped or moved: screens showing its URL redraw it."""


BACKLOG_SCREEN = LazyScreen("screens.backlog.screen", "BacklogScreen", takes_code=False)
EXPORT_SCREEN = LazyScreen("screens.export_dialog", "ExportDialog")
