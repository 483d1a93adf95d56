"""The ``workshop-tui`` command line (design.md section 6).

Machine-readable output is one JSON object per line; errors are one line on stderr with exit code
1 (runtime) or 2 (usage), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, NoReturn

import orjson

from workshop_tui import __version__
from workshop_tui.errors import WorkshopError
from workshop_tui.paths import default_data_dir
from workshop_tui.service import WorkshopService

log = logging.getLogger("workshop_tui")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def emit_json(obj: Any) -> None:
    sys.stdout.write(orjson.dumps(obj).decode() + "\n")
    sys.stdout.flush()


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

    p = sub.add_parser("new", help="create a workshop")
    p.add_argument("title")
    p.add_argument("--template", help="template id (see `workshop-tui templates`)")
    p.add_argument("--prompt", help="the challenge prompt (default: the template's)")
    p.add_argument("--json", action="store_true", help="print one JSON line")

    p = sub.add_parser("list", help="list workshops")
    p.add_argument("--json", action="store_true", help="print one JSON line per workshop")

    p = sub.add_parser("templates", help="list workshop templates")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export a workshop")
    p.add_argument("code")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--anonymize", action="store_true", help="replace names with stable pseudonyms")
    p.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")

    p = sub.add_parser("demo", help="add the demo workshop (a full session) to the data directory")
    p.add_argument("--json", action="store_true")

    sub.add_parser("schema", help="print the JSON Schema of the export format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    data_dir: Path = args.data_dir or default_data_dir()
    logging.basicConfig(level=logging.WARNING, format="workshop-tui: %(message)s", stream=sys.stderr)
    command = args.command or "help"
    handler = COMMANDS.get(command)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return asyncio.run(handler(args, data_dir))
    except UsageError as exc:
        print(f"workshop-tui: {exc}", file=sys.stderr)
        return 2
    except WorkshopError as exc:
        print(f"workshop-tui: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"workshop-tui: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


# ---------------------------------------------------------------------------------- commands


async def cmd_new(args: argparse.Namespace, data_dir: Path) -> int:
    async with WorkshopService(data_dir) as service:
        workshop = await service.create_workshop(args.title, template=args.template, prompt=args.prompt)
    if args.json:
        emit_json(
            {
                "code": workshop.code,
                "id": workshop.id,
                "title": workshop.title,
                "template": workshop.template,
                "phase": workshop.phase.value,
            }
        )
    else:
        print(f"Created {workshop.title!r}: join code {workshop.code}")
    return 0


async def cmd_list(args: argparse.Namespace, data_dir: Path) -> int:
    service = WorkshopService(data_dir, read_only=True).open()
    for message in service.messages:
        print(f"workshop-tui: {message}", file=sys.stderr)
    rows = [summary(s) for s in service.states()]
    if args.json:
        for row in rows:
            emit_json(row)
    elif not rows:
        print(f"No workshops yet in {data_dir}. Try `workshop-tui demo` or `workshop-tui new TITLE`.")
    else:
        print(f"{'CODE':6} {'PHASE':8} {'PEOPLE':>6} {'NOTES':>5} {'DOTS':>5}  TITLE")
        for r in rows:
            counts = f"{r['participants']:>6} {r['ideas']:>5} {r['dots']:>5}"
            print(f"{r['code']:6} {r['phase']:8} {counts}  {r['title']}")
    return 0


def summary(state: Any) -> dict[str, Any]:
    w = state.workshop
    return {
        "code": w.code,
        "id": w.id,
        "title": w.title,
        "phase": w.phase.value,
        "participants": len(state.participants),
        "ideas": sum(1 for i in state.ideas.values() if i.visible),
        "dots": state.dots_cast(),
        "last_activity": state.last_activity().isoformat(),
    }


async def cmd_templates(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.templates import templates

    for t in templates().values():
        if args.json:
            emit_json({"id": t.id, "name": t.name, "description": t.description})
        else:
            print(f"{t.id:26} {t.name}: {t.description}")
    return 0


async def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.anonymize import anonymize
    from workshop_tui.export_json import build_export

    service = WorkshopService(data_dir, read_only=True).open()
    doc = build_export(service.state(args.code))
    if args.anonymize:
        doc = anonymize(doc)
    data = orjson.dumps(doc.model_dump(mode="json", by_alias=True), option=orjson.OPT_INDENT_2) + b"\n"
    write_output(data, args.output)
    return 0


def write_output(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from workshop_tui.store.fsync import write_atomic

    write_atomic(output, data)
    print(f"Wrote {output}", file=sys.stderr)


async def cmd_demo(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.demo import DEMO_CODE, build_demo

    async with WorkshopService(data_dir) as service:
        try:
            workshop = service.state(DEMO_CODE).workshop
            created = False
        except WorkshopError:
            workshop = await build_demo(service)
            created = True
    if args.json:
        emit_json({"code": workshop.code, "id": workshop.id, "title": workshop.title, "created": created})
    else:
        verb = "Added" if created else "Already here:"
        print(f"{verb} the demo workshop {workshop.title!r}, code {workshop.code}")
    return 0


async def cmd_schema(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.schema import export_schema

    sys.stdout.write(orjson.dumps(export_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


Command = Callable[[argparse.Namespace, Path], Coroutine[Any, Any, int]]
COMMANDS: dict[str, Command] = {
    "new": cmd_new,
    "list": cmd_list,
    "templates": cmd_templates,
    "export": cmd_export,
    "demo": cmd_demo,
    "schema": cmd_schema,
}
