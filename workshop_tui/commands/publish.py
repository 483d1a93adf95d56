"""publish: the public follow-up site (workshop_tui/publish)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from workshop_tui.commands import UsageError, emit_json, plain
from workshop_tui.commands.workshops import report_messages


def base_url(text: str) -> str:
    """An http(s) URL naming a host; a final "/" is added so paths join under it."""
    from pydantic import TypeAdapter, ValidationError

    from workshop_tui.models import FollowUrl

    try:
        url: str = TypeAdapter(FollowUrl).validate_python(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    if "?" in url or "#" in url:
        raise argparse.ArgumentTypeError("a base URL has no query (?) or fragment (#)")
    return url if url.endswith("/") else url + "/"


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date such as 2026-12-01: {text!r}") from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "publish",
        help="write the public follow-up site (HTML, Atom feeds, iCalendar) into a folder",
        description="A static site for any web server: no script, no external request. Participants are not "
        "named; owners only with their consent. The same data gives the same bytes.",
    )
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument(
        "--base-url",
        type=base_url,
        metavar="URL",
        help="where DIR will be served (https://city.example/follow/): feeds and calendars get absolute links",
    )
    p.add_argument(
        "--workshop",
        action="append",
        metavar="CODE",
        default=None,
        help="publish only this workshop (repeat for several; default: all)",
    )
    p.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        default=None,
        help="the day overdue reviews and stalled prototypes are counted for (default: today, UTC)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON line")
    p.set_defaults(handler=cmd_publish)


async def cmd_publish(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.publish import SiteOptions, build_site, write_site
    from workshop_tui.service.reading import ReadOnlyViews

    if args.directory.exists() and not args.directory.is_dir():
        raise UsageError(f"publish: {args.directory} is a file; give a directory")
    service = ReadOnlyViews(data_dir)
    report_messages(service)
    codes = list(dict.fromkeys(c.upper() for c in args.workshop or []))
    views = [service.view(code) for code in codes] if codes else service.views()
    options = SiteOptions(as_of=args.as_of or dt.datetime.now(dt.UTC).date(), base_url=args.base_url)
    files = build_site(views, options)
    removed = write_site(files, args.directory)
    if args.json:
        emit_json(
            {
                "directory": str(args.directory),
                "workshops": sorted(v.code for v in views),
                "files": len(files),
                "removed": removed,
            }
        )
    else:
        gone = f", removed {len(removed)} left from the last publish" if removed else ""
        print(plain(f"Published {len(views)} workshop(s), {len(files)} files in {args.directory}{gone}"))
    print(plain(f"Open {args.directory / 'index.html'}"), file=sys.stderr)
    return 0
