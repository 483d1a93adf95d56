"""run: the TUI with the participant server (``workshop-tui`` alone does the same)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="open the TUI with the participant server (the default command)")
    p.add_argument("code", nargs="?", help="open this workshop at once")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all interfaces)")
    p.add_argument("--port", type=int, default=None, help="port to listen on (default 8765; 0 picks a free one)")
    p.add_argument("--public-url", help="base URL phones use when behind a proxy or tunnel")
    p.set_defaults(handler=cmd_run)


async def cmd_run(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.cli import launch_tui

    return await launch_tui(args, data_dir)
