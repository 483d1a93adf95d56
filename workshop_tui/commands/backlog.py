"""backlog: the prototype backlog across workshops, read-only (the data directory may be in use)."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop_tui.backlog_status import BacklogStatus
from workshop_tui.commands import emit_json, plain
from workshop_tui.commands.workshops import report_messages

if TYPE_CHECKING:
    from workshop_tui.models import BacklogItem


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backlog",
        help="list the prototype backlog across workshops, with follow-up flags",
        description="List backlog items across workshops. Flags: OVERDUE (the review date has passed), "
        "ASK-LATE (an ask to a department is past its due date, unanswered), STALE (no update for 30 days). "
        "Read-only: safe while the TUI runs.",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line (each item with its flags)")
    p.add_argument("--status", choices=[s.value for s in BacklogStatus], help="only items with this status")
    p.add_argument(
        "--overdue", action="store_true", help="only items whose review date has passed or with an overdue ask"
    )
    p.add_argument(
        "--due",
        action="store_true",
        help="only what a review meeting goes through today, in its order (overdue first, then by review date)",
    )
    p.add_argument("--owner", help="only items whose owner's name contains this text")
    p.add_argument("--workshop", metavar="CODE", help="only this workshop")
    p.add_argument("--ledger", action="store_true", help="print the promise ledger of each workshop instead")
    p.set_defaults(handler=cmd_backlog)


def columns() -> list[tuple[str, int]]:
    """Column widths; the title takes what the terminal has left (at least 24 characters)."""
    title = max(24, min(60, shutil.get_terminal_size((120, 24)).columns - 90))
    return [("ID", 8), ("CODE", 6), ("TITLE", title), ("OWNER", 14), ("STATUS", 11), ("BUDGET", 14), ("REVIEW", 10)]


def table_row(cells: list[str], cols: list[tuple[str, int]]) -> str:
    parts = [cell.ljust(width) for cell, (_, width) in zip(cells, cols, strict=False)]
    return "  ".join([*parts, *cells[len(cols) :]]).rstrip()


async def cmd_backlog(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.backlog import format_money, item_budget, item_flags
    from workshop_tui.backlog_meetings import due_for_review
    from workshop_tui.models import utcnow
    from workshop_tui.service import WorkshopService

    service = WorkshopService(data_dir, read_only=True).open()
    report_messages(service)
    now = utcnow()
    if args.ledger:
        codes = [args.workshop] if args.workshop else [v.code for v in service.views()]
        for code in codes:
            ledger = service.backlog_ledger(code, now=now)
            if args.json:
                emit_json(ledger.model_dump(mode="json"))
            else:
                print(ledger_text(ledger.model_dump(mode="json")))
        return 0
    items = service.backlog_items(status=args.status, owner=args.owner, workshop=args.workshop)
    if args.due:
        items = due_for_review(items, now.date())
    rows: list[tuple[BacklogItem, str, Any]] = []
    for item in items:
        flags = item_flags(item, now)
        if args.overdue and not flags.anything_overdue:
            continue
        rows.append((item, service.view(item.workshop).code, flags))
    if args.json:
        for item, code, flags in rows:
            emit_json(
                {
                    **item.model_dump(mode="json", by_alias=True),
                    "workshop_code": code,
                    "budget_total": str(item_budget(item)),
                    "flags": flags.model_dump(mode="json"),
                }
            )
        return 0
    if not rows:
        print("No backlog items match.", file=sys.stderr)
        return 0
    cols = columns()
    print(table_row([name for name, _ in cols] + ["FLAGS"], cols))
    for item, code, flags in rows:
        currency = service.view(item.workshop).settings.currency
        marks = [
            m for m, on in (("OVERDUE", flags.overdue), ("ASK-LATE", flags.overdue_asks), ("STALE", flags.stale)) if on
        ]
        print(
            table_row(
                [
                    plain(item.id, 8),
                    code,
                    plain(item.title, cols[2][1]),
                    plain(item.owner.name, 14) or "-",
                    item.status.value,
                    format_money(item_budget(item), currency) if item.budget_requests else "-",
                    item.next_review.isoformat() if item.next_review else "-",
                    " ".join(marks),
                ],
                cols,
            )
        )
    return 0


def ledger_text(ledger: dict[str, Any]) -> str:
    b = ledger["budget"]
    cur = b["currency"]
    lines = [
        f"{ledger['code']}  {plain(ledger['title'])}  (as of {dt.datetime.fromisoformat(ledger['as_of']).date()})",
        f"  items {ledger['items']}: adopted {ledger['adopted']}, parked {ledger['parked']}, "
        f"dropped {ledger['dropped']}",
        f"  reviews on time {ledger['reviews_on_time']}, late {ledger['reviews_late']}; "
        f"overdue now {ledger['overdue']} (asks {ledger['asks_overdue']}); stale {ledger['stale']}",
        f"  moved forward {ledger['moved_forward']}, stalled {ledger['stalled']} (last {ledger['stale_days']} days)",
        "  budget: "
        + ", ".join(
            f"{k} {format_money_str(b[k], cur)}" for k in ("pool", "requested", "approved", "spent", "remaining")
        ),
    ]
    for dept in ledger["asks_by_department"]:
        counts = ", ".join(f"{k.replace('_', '-')} {dept[k]}" for k in ("open", "in_progress", "granted", "declined"))
        median = dept["median_days_to_answer"]
        lines.append(
            f"  asks to {plain(dept['department'])}: asked {dept['asked']}, answered {dept['answered']}, "
            f"overdue {dept['overdue']}, median days to answer {'-' if median is None else f'{median:g}'}; {counts}"
        )
    return "\n".join(lines)


def format_money_str(amount: str, currency: str) -> str:
    from workshop_tui.backlog import format_money

    return format_money(Decimal(amount), currency)
