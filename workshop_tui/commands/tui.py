"""run: the TUI with the participant server (``workshop-tui`` alone does the same).

The core knows no TUI: the UI package registers ``run_tui`` under the ``workshop_tui.ui`` entry point
(pyproject.toml), and this module looks it up only when the TUI starts.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from workshop_tui.commands import add_server_options
from workshop_tui.errors import StoreFailed, WorkshopError

UI_GROUP = "workshop_tui.ui"


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="open the TUI with the participant server (the default command)")
    p.add_argument("code", nargs="?", help="open this workshop at once")
    add_server_options(p)
    p.set_defaults(handler=launch_tui)


async def launch_tui(args: argparse.Namespace, data_dir: Path) -> int:
    """Open the TUI with the participant server in the same loop (``run [CODE]``, or no command).

    The data directory's writer lock is taken before the terminal is switched, so a busy directory is
    one line on stderr and exit code 1.
    """
    from workshop_tui.server import DEFAULT_PORT
    from workshop_tui.server.runner import ParticipantServer
    from workshop_tui.service import WorkshopService

    service = WorkshopService(data_dir).open()
    code: str | None = getattr(args, "code", None)
    if code is not None:
        try:
            code = service.view(code).code
        except WorkshopError:
            await service.close()
            raise
    try:
        run_tui = ui_entry("tui")
    except WorkshopError:
        await service.close()
        raise
    server = ParticipantServer(  # built here, started by the app in its own loop (a busy port is a dialog)
        service,
        host=getattr(args, "host", None) or "0.0.0.0",
        port=DEFAULT_PORT if getattr(args, "port", None) is None else args.port,
        public_url=getattr(args, "public_url", None),
    )
    code_back = await run_tui(service, server, code)
    failed = [f"{v.code}: {v.save_failure}" for v in service.open_views() if v.save_failure]
    if failed:  # a workshop that stopped being saved must not end in exit code 0
        raise StoreFailed("a workshop stopped being saved while open: " + "; ".join(failed))
    return code_back


def ui_entry(name: str) -> Callable[..., Awaitable[int]]:
    """The installed TUI's entry point ``name``, or a clear error when no TUI is installed."""
    from importlib.metadata import entry_points

    found = entry_points(group=UI_GROUP, name=name)
    if not found:
        raise WorkshopError(f"no TUI is installed (entry point {UI_GROUP}:{name}); reinstall workshop-tui")
    ui: Callable[..., Awaitable[int]] = next(iter(found)).load()
    return ui
