"""serve: the participant server without the TUI (headless), until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop_tui.commands import add_server_options, emit_json, plain
from workshop_tui.commands.workshops import report_messages
from workshop_tui.phases import Phase

if TYPE_CHECKING:
    from workshop_tui.service import WorkshopService


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="run the participant server without the TUI",
        description="Serve the phone page and the HTTP API until SIGTERM or Ctrl+C. When ready, prints one "
        'JSON line {"event": "ready", "url": ..., "admin_token": ...}, then the join URL of each open workshop.',
    )
    add_server_options(p)
    p.set_defaults(handler=cmd_serve)


async def cmd_serve(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.server.runner import ParticipantServer
    from workshop_tui.service import WorkshopService

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:  # before the ready line: a signal right after it must stop us cleanly too
        loop.add_signal_handler(sig, stop.set)
    try:
        # Listed from their summaries first (a workshop without a valid one is opened here), so the server
        # listens before the big loads; what phones can reach is opened right after the ready line.
        service = WorkshopService(data_dir).open()
        try:
            report_messages(service)
            server = ParticipantServer(service, host=args.host, port=args.port, public_url=args.public_url)
            await server.start()
            try:
                emit_json({"event": "ready", "url": server.base_url, "admin_token": server.admin_token})
                reported = len(service.messages)
                reachable = [s for s in service.summaries() if s.phase != Phase.CLOSED]
                for summary in reachable:
                    print(f"{summary.code}  {plain(summary.title)}: {server.join_url(summary.code)}", flush=True)
                _open_now(service, [s.code for s in reachable])
                report_messages(service, since=reported)
                print(f"Admin token (Authorization: Bearer ...): {server.admin_token}", flush=True)
                print("Serving; stop with Ctrl+C or SIGTERM.", file=sys.stderr, flush=True)
                await stop.wait()
            finally:
                await server.stop()
        finally:
            await service.close()  # final snapshot; releases the data directory
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
    return 0


def _open_now(service: WorkshopService, codes: list[str]) -> None:
    """Open (recover, load) these workshops now, right after the ready line: a request that comes first
    opens its workshop itself. One that cannot be opened is a message, as at start, and a 503 to phones."""
    from workshop_tui.errors import WorkshopError

    for code in codes:
        try:
            service.view(code)
        except WorkshopError:
            continue
