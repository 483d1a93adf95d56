"""Sub-commands of ``workshop-tui``: one module each, with ``register(subparsers)``.

A handler is ``async def handler(args, data_dir) -> int`` set with ``parser.set_defaults(handler=...)``.
The CLI imports only the module of the command being run (``COMMANDS``), so a command pays at start
for what it uses and ``--version`` for nothing: a new command is its ``add_parser`` plus one entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from workshop_tui.text_safety import json_safe, terminal_safe

#: Each command and the module (in this package) that registers it.
COMMANDS: dict[str, str] = {
    "new": "workshops",
    "list": "workshops",
    "templates": "workshops",
    "demo": "workshops",
    "follow-url": "workshops",
    "publish": "publish",
    "export": "export",
    "import": "export",
    "schema": "export",
    "backlog": "backlog",
    "decidim": "decidim",
    "serve": "serve",
    "run": "tui",
    "present": "present",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))  # in the order `--help` lists them

Handler = Callable[[Any, Path], Coroutine[Any, Any, int]]


class UsageError(Exception):
    """Bad command-line input found after parsing: exit code 2."""


def json_line(obj: Any) -> str:
    """``obj`` as one line of JSON that is inert on a terminal (C0, C1 and bidi as ``\\uXXXX``)."""
    import orjson  # here, not at the top: parsing the command line needs none of it

    try:
        encoded = orjson.dumps(obj).decode()
    except TypeError:  # a lone surrogate, which orjson refuses: the stdlib escapes it
        encoded = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return json_safe(encoded)


def emit_json(obj: Any) -> None:
    """One machine-readable line on stdout."""
    sys.stdout.write(json_line(obj) + "\n")
    sys.stdout.flush()


def write_output(data: bytes, output: Path | None) -> None:
    """To stdout, or atomically to a file with a note on stderr naming it.

    A file or a pipe gets the export's bytes, emoji as typed; a terminal gets them ``terminal_safe``
    (the emoji modifiers terminals disagree on dropped), so an export printed to it cannot shift its
    columns. Every exporter already writes its format without controls or bidi characters."""
    if output is None:
        if sys.stdout.isatty():
            data = terminal_safe(data.decode("utf-8", "replace"), multiline=True).encode()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from workshop_tui.store.fsync import write_atomic

    write_atomic(output, data)
    print(f"Wrote {output}", file=sys.stderr)


def plain(text: str, width: int | None = None) -> str:
    """One line of untrusted text safe for a terminal (``terminal_safe``), at most ``width`` cells wide."""
    line = " ".join(terminal_safe(text).split())
    if width is not None:
        from rich.cells import cell_len, set_cell_size

        if cell_len(line) > width:
            line = set_cell_size(line, width - 1).rstrip() + "…"
    return line


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535 (got {port})")
    return port


def add_server_options(p: argparse.ArgumentParser) -> None:
    """--host/--port/--public-url, shared by `serve` and `run`."""
    from workshop_tui.server import DEFAULT_PORT  # not .runner: the parser imports no server

    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all interfaces)")
    p.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    p.add_argument(
        "--public-url",
        default=None,
        help="the URL phones use (what the QR code encodes), e.g. behind a hotspot or proxy",
    )
