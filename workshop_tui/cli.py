"""The ``workshop-tui`` command line (docs/architecture.md, "The command line").

Each command lives in a module of ``workshop_tui.commands`` that adds its sub-parser in
``register``. Machine-readable output is one JSON object per line; errors are one line on stderr
with exit code 1 (runtime) or 2 (usage), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from workshop_tui import __version__
from workshop_tui.commands import COMMAND_MODULES, COMMANDS, Handler, UsageError, plain
from workshop_tui.commands.tui import launch_tui
from workshop_tui.errors import WorkshopError
from workshop_tui.text_safety import TerminalSafeFormatter

__all__ = ["build_parser", "launch_tui", "main", "modules_for"]


class _Parser(argparse.ArgumentParser):
    default_handler: Handler | None = None  # run when no command is given

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules ``argv`` needs: its command's, all of them for help or an unknown command
    (so the error lists the commands), none for ``--version`` or the TUI by default."""
    if argv is None:
        return COMMAND_MODULES
    words = list(argv)
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-h", "--help", "--"):
            return COMMAND_MODULES
        if word.startswith("-"):
            i += 2 if word == "--data-dir" else 1  # the only global option with a separate value
            continue
        return [COMMANDS[word]] if word in COMMANDS else COMMAND_MODULES
    return []


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with the sub-commands ``argv`` can reach (None: every sub-command)."""
    parser = _Parser(
        prog="workshop-tui",
        description="Run civic co-design workshops from a projected terminal. Without a command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"workshop-tui {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where workshops are stored (env WORKSHOP_TUI_HOME; default: the user data directory)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules_for(argv):
        importlib.import_module(f"workshop_tui.commands.{name}").register(sub)
    parser.default_handler = launch_tui  # `workshop-tui` alone opens the TUI, as `workshop-tui run`
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words)
    try:
        args = parser.parse_args(words)
    except UsageError as exc:
        print(plain(str(exc)), file=sys.stderr)
        return 2
    import asyncio  # not before: --version and --help need no event loop
    import logging

    from workshop_tui.paths import default_data_dir

    data_dir: Path = args.data_dir or default_data_dir()
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(TerminalSafeFormatter("workshop-tui: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[stderr])
    handler = getattr(args, "handler", None)
    if handler is None:
        default = getattr(parser, "default_handler", None)
        if default is None:
            parser.print_help()
            return 0
        handler = default
    try:
        result: int = asyncio.run(handler(args, data_dir))
        return result
    except UsageError as exc:
        print(f"workshop-tui: {plain(str(exc))}", file=sys.stderr)
        return 2
    except WorkshopError as exc:
        print(f"workshop-tui: {plain(exc.message)}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(plain(f"workshop-tui: {exc.strerror or exc}{where}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
