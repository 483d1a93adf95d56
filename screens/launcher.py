"""The TUI's side of ``workshop-tui run`` and ``workshop-tui present``: the core finds these through the
``workshop_tui.ui`` entry points (``tui``, ``present``).

The core never imports this package (an import-linter contract says so). For ``run`` it opens the
service, builds the participant server and hands both here, so the UI owns only the terminal; for
``present`` it hands over the data directory and the code, and the presenter reads the owner's server.
"""

from __future__ import annotations

from pathlib import Path

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


async def run_presenter(data_dir: Path, code: str) -> int:
    """The audience's screen for ``code`` until it quits; it never opens the store."""
    from screens.presenter import PresenterApp

    app = PresenterApp(data_dir, code)
    await app.run_async()
    return app.return_code or 0
