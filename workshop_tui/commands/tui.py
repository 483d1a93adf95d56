"""run: the TUI with the participant server (``workshop-tui`` alone does the same)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workshop_tui.commands import add_server_options


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="open the TUI with the participant server (the default command)")
    p.add_argument("code", nargs="?", help="open this workshop at once")
    add_server_options(p)
    p.set_defaults(handler=cmd_run)


async def cmd_run(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.cli import launch_tui

    return await launch_tui(args, data_dir)
