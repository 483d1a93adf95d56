"""The ``workshop-tui`` command line (design.md section 6).

Each command lives in a module of ``workshop_tui.commands`` that adds its sub-parser in
``register``. Machine-readable output is one JSON object per line; errors are one line on stderr
with exit code 1 (runtime) or 2 (usage), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from workshop_tui import __version__
from workshop_tui.commands import COMMAND_MODULES, Handler, UsageError, plain
from workshop_tui.errors import WorkshopError
from workshop_tui.paths import default_data_dir
from workshop_tui.text_safety import TerminalSafeFormatter


class _Parser(argparse.ArgumentParser):
    default_handler: Handler | None = None  # run when no command is given

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMAND_MODULES:
        importlib.import_module(f"workshop_tui.commands.{name}").register(sub)
    parser.default_handler = launch_tui  # `workshop-tui` alone opens the TUI, as `workshop-tui run`
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(plain(str(exc)), file=sys.stderr)
        return 2
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


async def launch_tui(args: argparse.Namespace, data_dir: Path) -> int:
    """Open the TUI with the participant server in the same loop (``run [CODE]``, or no command).

    The only place in the core that imports the TUI, lazily. The data directory's writer lock is taken
    before the terminal is switched, so a busy directory is one line on stderr and exit code 1.
    """
    from workshop_tui.server.runner import DEFAULT_PORT
    from workshop_tui.service import WorkshopService

    service = WorkshopService(data_dir).open()
    code: str | None = getattr(args, "code", None)
    if code is not None:
        try:
            code = service.state(code).code
        except WorkshopError:
            await service.close()
            raise
    from screens.app import WorkshopApp

    app = WorkshopApp(
        service,
        host=getattr(args, "host", None) or "0.0.0.0",
        port=DEFAULT_PORT if getattr(args, "port", None) is None else args.port,
        public_url=getattr(args, "public_url", None),
        code=code,
    )
    try:
        await app.run_async()
    finally:
        await app.shutdown_session()
    return app.return_code or 0
