"""new, list, templates, demo, follow-url."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop_tui.commands import UsageError, emit_json, plain
from workshop_tui.errors import WorkshopError
from workshop_tui.locales import SHIPPED

if TYPE_CHECKING:  # the parser is built without the service: each handler imports it
    from workshop_tui.service import WorkshopService
    from workshop_tui.service.reading import ReadOnlyViews
    from workshop_tui.summaries import WorkshopSummary


def register(sub: Any) -> None:
    p = sub.add_parser("new", help="create a workshop")
    p.add_argument("title")
    p.add_argument("--template", help="template id (see `workshop-tui templates`)")
    p.add_argument("--prompt", help="the challenge prompt (default: the template's)")
    p.add_argument("--follow-url", metavar="URL", help="the public follow-up page (http/https) phones link to")
    p.add_argument(
        "--language",
        choices=SHIPPED,
        help="the room's language for phones, the projected screens and reports (default: from LANG, else en)",
    )
    p.add_argument(
        "--languages",
        type=language_list,
        default=None,
        metavar="LANG,..",
        help="other languages a phone may switch to (its browser's language picks among them)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON line")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("follow-url", help="show, set or remove a workshop's public follow-up URL")
    p.add_argument("code")
    p.add_argument("url", nargs="?", help="the new URL (http/https); without it, print the current one")
    p.add_argument("--clear", action="store_true", help="remove the follow-up URL")
    p.add_argument("--json", action="store_true", help="print one JSON line")
    p.set_defaults(handler=cmd_follow_url)

    p = sub.add_parser("list", help="list workshops")
    p.add_argument("--json", action="store_true", help="print one JSON line per workshop")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("templates", help="list workshop templates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_templates)

    p = sub.add_parser("demo", help="add the demo workshop (a full session) to the data directory")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_demo)


async def cmd_new(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.service import WorkshopService

    async with WorkshopService(data_dir) as service:
        report_messages(service)
        workshop = await service.create_workshop(
            args.title,
            template=args.template,
            prompt=args.prompt,
            language=args.language,
            languages=args.languages,
            follow_url=args.follow_url,
        )
    if args.json:
        emit_json(
            {
                "code": workshop.code,
                "id": workshop.id,
                "title": workshop.title,
                "template": workshop.template,
                "language": workshop.language,
                "phase": workshop.phase.value,
                "follow_url": workshop.follow_url,
            }
        )
    else:
        print(f"Created {plain(workshop.title)!r}: join code {workshop.code}")
    return 0


def language_list(value: str) -> list[str]:
    langs = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [lang for lang in langs if lang not in SHIPPED]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown language {unknown[0]!r}; shipped: {', '.join(SHIPPED)}")
    return langs


def report_messages(service: WorkshopService | ReadOnlyViews, *, since: int = 0) -> None:
    """Recovery notes (files set aside, ...) go to stderr, one line each (from number ``since`` on)."""
    for message in service.messages[since:]:
        print(f"workshop-tui: {plain(message)}", file=sys.stderr)


def summary_row(summary: WorkshopSummary) -> dict[str, Any]:
    w = summary.workshop
    return {
        "code": w.code,
        "id": w.id,
        "title": w.title,
        "phase": w.phase.value,
        "participants": summary.participants,
        "ideas": summary.ideas,
        "dots": summary.dots,
        "last_activity": summary.last_activity.isoformat(),
    }


async def cmd_follow_url(args: argparse.Namespace, data_dir: Path) -> int:
    if args.clear and args.url:
        raise UsageError("follow-url: give a URL or --clear, not both")
    from workshop_tui.service import WorkshopService

    if args.url is None and not args.clear:
        service = WorkshopService(data_dir, read_only=True).open()
        report_messages(service)
        workshop = service.view(args.code).workshop
    else:
        async with WorkshopService(data_dir) as writer:
            report_messages(writer)
            workshop = await writer.update_workshop(args.code, follow_url="" if args.clear else args.url)
    if args.json:
        emit_json({"code": workshop.code, "follow_url": workshop.follow_url})
    elif workshop.follow_url:
        print(workshop.follow_url)
    else:
        print(f"{workshop.code} has no follow-up URL (set one with `workshop-tui follow-url {workshop.code} URL`)")
    return 0


async def cmd_list(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.summaries import listed

    summaries = listed(data_dir)  # no workshop opened, nor the service imported
    if summaries is None:  # some workshop has no valid summary: the service opens it (read-only)
        from workshop_tui.service import WorkshopService

        service = WorkshopService(data_dir, read_only=True).open()
        report_messages(service)
        summaries = service.summaries()
    rows = [summary_row(s) for s in summaries]
    if args.json:
        for row in rows:
            emit_json(row)
    elif not rows:
        print(f"No workshops yet in {data_dir}. Try `workshop-tui demo` or `workshop-tui new TITLE`.")
    else:
        print(f"{'CODE':6} {'PHASE':8} {'PEOPLE':>6} {'NOTES':>5} {'DOTS':>5}  TITLE")
        for r in rows:
            counts = f"{r['participants']:>6} {r['ideas']:>5} {r['dots']:>5}"
            print(f"{r['code']:6} {r['phase']:8} {counts}  {plain(r['title'])}")
    return 0


async def cmd_templates(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.templates import templates

    for t in templates().values():
        if args.json:
            emit_json({"id": t.id, "name": t.name, "description": t.description})
        else:
            print(f"{t.id:26} {t.name}: {t.description}")
    return 0


async def cmd_demo(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.demo import DEMO_CODE, build_demo
    from workshop_tui.service import WorkshopService

    async with WorkshopService(data_dir) as service:
        report_messages(service)
        try:
            workshop = service.view(DEMO_CODE).workshop
            created = False
        except WorkshopError:
            workshop = await build_demo(service)
            created = True
    if args.json:
        emit_json({"code": workshop.code, "id": workshop.id, "title": workshop.title, "created": created})
    else:
        verb = "Added" if created else "Already here:"
        print(f"{verb} the demo workshop {plain(workshop.title)!r}, code {workshop.code}")
    return 0
