"""The participant server as the TUI runs it: built by the launcher, started in the app's own loop
(bound before the first frame, served after it).

A busy port opens ``PortBusyScreen`` (the next port, any free port, or no phones), never a crash; once
it listens, the admin token goes to its owner-only file (``screens.admin_token``); each change is
reported through ``on_change`` so the screens showing the URL redraw. ``stop`` is graceful and removes
what ``start`` wrote.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from screens.admin_token import remove_token_file, write_token_file
from screens.port_busy import Choice, PortBusyScreen
from workshop_tui.server.runner import ParticipantServer, PortInUse, ServerError

log = logging.getLogger(__name__)


class PhoneServer:
    def __init__(
        self, server: ParticipantServer | None, data_dir: Path, app: App[Any], on_change: Callable[[], None]
    ) -> None:
        """``server`` None runs without phones."""
        self.server = server
        self.data_dir = data_dir
        self.token_file: Path | None = None
        self._app = app
        self._on_change = on_change

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def join_url(self, code: str) -> str | None:
        """The URL phones open for ``code``, or None while no server is listening."""
        return self.server.join_url(code) if self.server is not None and self.server.listening else None

    def bind(self) -> None:
        """Listen now, serve later (``start``): the join URL is known for a first frame that shows it. A
        busy port is left to ``start``, which asks what to do once that frame is drawn."""
        if self.server is not None:
            with contextlib.suppress(ServerError):
                self.server.bind()

    async def start(self) -> None:
        server = self.server
        if server is None:
            return
        try:
            await server.start()
        except PortInUse as exc:
            log.warning("%s", exc.message)
            self._app.push_screen(PortBusyScreen(server.host, server.port, exc.message), self._port_choice)
            return
        except ServerError as exc:
            log.error("%s", exc.message)
            self._app.notify(exc.message, title="Phones cannot join", severity="error", markup=False, timeout=15)
            return
        try:
            self.token_file = write_token_file(self.data_dir, server.admin_token)
        except OSError as exc:
            log.warning("cannot write the admin token file: %s", exc)
        log.info("participant server at %s (admin token in %s)", server.base_url, self.token_file)
        self._on_change()

    async def _port_choice(self, choice: Choice | None) -> None:
        server = self.server
        if server is None:
            return
        if choice == "next":
            server.port += 1
        elif choice == "free":
            server.port = 0
        else:
            log.warning("continuing without the participant server: phones cannot join")
            self._app.notify("No participant server: phones cannot join.", severity="warning")
            self._on_change()
            return
        await self.start()

    async def stop(self) -> None:
        """Graceful: open requests finish, streams end. Safe to call when it never started."""
        if self.server is not None and self.server.running:
            try:
                await self.server.stop()
            except Exception:
                log.exception("the participant server did not stop cleanly")
        if self.token_file is not None:
            remove_token_file(self.token_file)
            self.token_file = None
