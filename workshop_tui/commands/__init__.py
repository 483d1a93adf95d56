"""Sub-commands of ``workshop-tui``: one module each, with ``register(subparsers)``.

A handler is ``async def handler(args, data_dir) -> int`` set with ``parser.set_defaults(handler=...)``.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import orjson

COMMAND_MODULES = ["workshops", "export", "backlog", "serve", "tui"]

Handler = Callable[[Any, Path], Coroutine[Any, Any, int]]


class UsageError(Exception):
    """Bad command-line input found after parsing: exit code 2."""


def emit_json(obj: Any) -> None:
    """One machine-readable line on stdout."""
    sys.stdout.write(orjson.dumps(obj).decode() + "\n")
    sys.stdout.flush()


def write_output(data: bytes, output: Path | None) -> None:
    """To stdout, or atomically to a file with a note on stderr naming it."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from workshop_tui.store.fsync import write_atomic

    write_atomic(output, data)
    print(f"Wrote {output}", file=sys.stderr)


def plain(text: str, width: int | None = None) -> str:
    """One line of untrusted text safe for a terminal: control characters (escape sequences) replaced."""
    cleaned = "".join(
        " " if ch in "\t\n\r" else ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch) for ch in text
    )
    line = " ".join(cleaned.split())
    if width is not None and len(line) > width:
        line = line[: width - 1] + "…"
    return line
