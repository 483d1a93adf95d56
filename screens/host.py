"""What the info and lobby screens need from the app that hosts them, as an interface.

Screens depend on this protocol, not on ``screens.app`` (which imports every screen): no import
cycle, and a test app can host them too. ``host_of`` checks the running app provides it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from textual.app import App

from screens.app_logging import LogPanelHandler
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService


@runtime_checkable
class SessionHost(Protocol):
    service: WorkshopService
    code: str | None  # the open workshop

    @property
    def server(self) -> ParticipantServer | None: ...

    @property
    def token_file(self) -> Path | None: ...

    @property
    def log_panel(self) -> LogPanelHandler | None: ...

    @property
    def log_file(self) -> Path | None: ...

    def join_url(self, code: str) -> str | None: ...


def host_of(app: App[object]) -> SessionHost:
    if not isinstance(app, SessionHost):
        raise TypeError(f"{type(app).__name__} does not host session screens (see screens.host.SessionHost)")
    return app
