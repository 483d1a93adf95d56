"""export, import, schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from workshop_tui.commands import UsageError, emit_json, plain, write_output
from workshop_tui.commands.workshops import report_messages


def register(sub: Any) -> None:
    from workshop_tui.exports import EXPORTERS

    def takers(option: str) -> str:
        return "/".join(e.name for e in EXPORTERS.values() if option in e.options)

    formats = "; ".join(f"{e.name}: {e.help}" for e in EXPORTERS.values())
    p = sub.add_parser(
        "export", help="export a workshop (JSON, CSV tables, Markdown report, Decidim results and proposals, open data)"
    )
    p.add_argument("code")
    p.add_argument("--format", choices=list(EXPORTERS), default="json", help=f"(default json) {formats}")
    p.add_argument(
        "--anonymize", action="store_true", help=f"{takers('anonymize')}: replace names with stable pseudonyms"
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write to FILE instead of stdout (a multi-file format such as csv: a directory, one file per table)",
    )
    p.add_argument(
        "--by-department",
        action="store_true",
        help=f"{takers('by_department')}: what each city department is asked for",
    )
    p.add_argument(
        "--locale",
        metavar="L[,L...]",
        help=f"{takers('locale')}: the Decidim organisation's locales, its default first, which must be the "
        "workshop's language (e.g. en,fi,sv; default: the workshop's language); the text goes in the default's "
        "columns, Decidim fills the others from it",
    )
    p.add_argument(
        "--separator",
        type=separator,
        help=f"{takers('separator')}: the column separator, as the instance's DECIDIM_DEFAULT_CSV_COL_SEP "
        "(; , | or tab; default ;)",
    )
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="restore a workshop from a JSON export (never overwrites one)")
    p.add_argument("file", type=Path)
    p.add_argument("--as-new-code", action="store_true", help="import under a fresh join code (a copy if needed)")
    p.add_argument("--json", action="store_true", help="print one JSON line")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("schema", help="print the JSON Schema of the export format")
    p.set_defaults(handler=cmd_schema)


def separator(text: str) -> str:
    """``--separator``: one character, or ``tab``."""
    from workshop_tui.exports import SEPARATORS

    value = "\t" if text.casefold() in ("tab", "\\t") else text
    if value not in SEPARATORS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a separator: use ; , | or tab")
    return value


async def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.errors import Invalid
    from workshop_tui.exports import ExportOptions, export_files, exporter, write_files
    from workshop_tui.service.reading import ReadOnlyViews

    chosen = exporter(args.format)
    try:
        options = ExportOptions(
            anonymize=args.anonymize, by_department=args.by_department, locale=args.locale, separator=args.separator
        )
    except ValueError as exc:
        raise UsageError(f"--locale {exc}") from None
    try:
        chosen.check(options)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    workshops = ReadOnlyViews(data_dir)
    report_messages(workshops)
    try:
        files = export_files(workshops.view(args.code), chosen.name, options)
    except Invalid as exc:  # an option that does not fit this workshop (a locale list without its language)
        flag = "--locale " if chosen.options & {"locale"} else ""
        raise UsageError(f"{flag}{exc.message}") from None
    if args.output is None:
        name = chosen.main_file or next(iter(files))
        write_output(files[name], None)  # inert on a terminal: every exporter writes its format safe
    elif chosen.multi_file:
        if args.output.exists() and not args.output.is_dir():
            raise UsageError(f"-o {args.output}: {chosen.name} needs a directory (one file per table), this is a file")
        written = write_files(files, chosen, args.output)
        print(f"Wrote {', '.join(sorted(files))} in {written}", file=sys.stderr)
    else:
        write_output(next(iter(files.values())), args.output)
    return 0


async def cmd_import(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.importer import check_backlog_ids, read_export, refuse_backlog_clashes, with_fresh_ids
    from workshop_tui.service import WorkshopService

    doc = read_export(args.file)  # every check on the file happens before the data dir is touched
    async with WorkshopService(data_dir) as service:
        report_messages(service)
        if args.as_new_code and check_backlog_ids(doc, service.views()):
            doc = with_fresh_ids(doc)  # a copy: backlog item ids are global
        refuse_backlog_clashes(doc, service.views())
        workshop = await service.import_export(doc, as_new_code=args.as_new_code)
    if args.json:
        emit_json({"code": workshop.code, "id": workshop.id, "title": workshop.title, "phase": workshop.phase.value})
    else:
        print(
            f"Imported {plain(workshop.title)!r}: code {workshop.code} (participants must join again to post or vote)"
        )
    return 0


async def cmd_schema(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.schema import export_schema

    sys.stdout.write(orjson.dumps(export_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0
