"""present: the audience's screen in a second terminal (QR code, wall, timer, results), following the
workshop that another process (``workshop-tui`` or ``workshop-tui serve``) runs from this data directory.

It reads that process's server and writes nothing, so it takes no lock on the data directory; it says
so when the owner is not running and reconnects when it comes back.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from workshop_tui.commands import UsageError

CODE = re.compile(r"^[A-Za-z0-9]{3,12}$")  # a join code (models.JoinCode), any case as typed


def register(sub: Any) -> None:
    p = sub.add_parser(
        "present",
        help="show a workshop to the room in a second terminal (read-only)",
        description="Open the audience view of CODE: the join QR code, code and URL, the wall, the timer and "
        "the results once revealed, following the phase. It is a client of the workshop-tui (or serve) that "
        "owns the data directory, found in <data dir>/server.json; it never writes.",
    )
    p.add_argument("code", help="the workshop's join code")
    p.set_defaults(handler=cmd_present)


async def cmd_present(args: argparse.Namespace, data_dir: Path) -> int:
    code: str = args.code
    if not CODE.fullmatch(code):
        raise UsageError(f"present: not a join code: {code!r} (3 to 12 letters or digits)")
    from workshop_tui.commands.tui import ui_entry

    return await ui_entry("present")(data_dir, code.upper())
