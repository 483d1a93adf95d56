"""export, schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from workshop_tui.commands import write_output
from workshop_tui.commands.workshops import report_messages
from workshop_tui.service import WorkshopService


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="export a workshop")
    p.add_argument("code")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--anonymize", action="store_true", help="replace names with stable pseudonyms")
    p.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the export format")
    p.set_defaults(handler=cmd_schema)


async def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.anonymize import anonymize
    from workshop_tui.export_json import build_export

    service = WorkshopService(data_dir, read_only=True).open()
    report_messages(service)
    doc = build_export(service.state(args.code))
    if args.anonymize:
        doc = anonymize(doc)
    data = orjson.dumps(doc.model_dump(mode="json", by_alias=True), option=orjson.OPT_INDENT_2) + b"\n"
    write_output(data, args.output)
    return 0


async def cmd_schema(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.schema import export_schema

    sys.stdout.write(orjson.dumps(export_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0
