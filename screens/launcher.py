"""The TUI's side of ``workshop-tui run``: the core finds it through the ``workshop_tui.ui`` entry point.

The core never imports this package (an import-linter contract says so); it opens the service, builds
the participant server and hands both here, so the UI owns only the terminal.
"""

from __future__ import annotations

from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService


async def run_tui(service: WorkshopService, server: ParticipantServer, code: str | None) -> int:
    """Run the app until it quits; returns its exit code. The session is shut down either way."""
    from screens.app import WorkshopApp

    app = WorkshopApp(service, server, code=code)
    try:
        await app.run_async()
    finally:
        await app.shutdown_session()
    return app.return_code or 0
