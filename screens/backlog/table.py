"""The backlog table: its columns (which fit a width, how each sorts) and each row's cells.

Owner and item text is untrusted: it reaches the table only as ``rich.text.Text``, made terminal-safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.text import Text

from workshop_tui.backlog import MAIN_LINE, ItemFlags, format_money
from workshop_tui.models import BacklogItem, BacklogStatus
from workshop_tui.text_safety import terminal_safe

STATUS_ORDER = {s: n for n, s in enumerate([*MAIN_LINE, BacklogStatus.PARKED, BacklogStatus.DROPPED])}
STATUS_STYLE = {
    BacklogStatus.PROPOSED: "bold",
    BacklogStatus.APPROVED: "bold cyan",
    BacklogStatus.PROTOTYPING: "bold blue",
    BacklogStatus.TESTING: "bold magenta",
    BacklogStatus.ADOPTED: "bold green",
    BacklogStatus.PARKED: "dim",
    BacklogStatus.DROPPED: "dim strike",
}
FAR_FUTURE = dt.date.max


@dataclass(frozen=True)
class Row:
    item: BacklogItem
    code: str
    currency: str
    flags: ItemFlags
    budget: Decimal


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # for the title: the least it gets (it takes what the others leave)
    sort_key: Callable[[Row], Any]
    priority: int  # the narrower the table, the fewer columns: lowest priorities are kept


COLUMNS = [
    Column("id", "ID", 8, lambda r: r.item.id, 7),
    Column("code", "Code", 6, lambda r: r.code, 6),
    Column("title", "Title", 16, lambda r: r.item.title.casefold(), 0),
    Column("owner", "Owner", 12, lambda r: r.item.owner.name.casefold() or "\uffff", 4),
    Column("status", "Status", 11, lambda r: STATUS_ORDER[r.item.status], 1),
    Column("budget", "Budget", 14, lambda r: r.budget, 5),
    Column("review", "Next review", 11, lambda r: r.item.next_review or FAR_FUTURE, 2),
    Column("flags", "Flags", 8, lambda r: (not r.flags.anything_overdue, not r.flags.stale), 3),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
CELL_PADDING = 2  # the DataTable pads each cell by one on either side
NARROW_WIDTH = 120
TITLE_ENOUGH = 80  # cells of a title past which the owner's name gets the room
OWNER_MOST = 32


def fit_columns(width: int, *, with_code: bool = True) -> tuple[list[Column], dict[str, int]]:
    """The columns that fit in ``width`` cells, most important first, in display order, and the width of
    each (the title takes what the others leave, and shares it with the owner's name past
    ``TITLE_ENOUGH``: a wide screen cut names at 12 cells beside a half-empty title column).
    ``with_code``: several workshops are listed."""
    chosen: set[str] = set()
    used = 0
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if column.key == "code" and not with_code:
            continue
        if column.key == "title" or used + column.width + CELL_PADDING <= width:
            chosen.add(column.key)
            used += column.width + CELL_PADDING
    columns = [c for c in COLUMNS if c.key in chosen]
    widths = {c.key: c.width for c in columns}
    widths["title"] += max(0, width - used)
    if "owner" in widths:
        extra = min(OWNER_MOST - widths["owner"], max(0, widths["title"] - TITLE_ENOUGH))
        widths["owner"] += extra
        widths["title"] -= extra
    return columns, widths


def row_cells(row: Row, columns: list[Column]) -> list[Text]:
    item = row.item
    cells = {
        "id": Text(terminal_safe(item.id[:8]), style="dim"),
        "code": Text(row.code, style="bold"),
        "title": Text(terminal_safe(item.title), no_wrap=True, overflow="ellipsis"),
        "owner": Text(terminal_safe(item.owner.name) or "–", no_wrap=True, overflow="ellipsis"),
        "status": Text(item.status.value, style=STATUS_STYLE[item.status]),
        "budget": Text(format_money(row.budget, row.currency) if item.budget_requests else "–", justify="right"),
        "review": Text(item.next_review.isoformat() if item.next_review else "–"),
        "flags": Text(),
    }
    if row.flags.overdue:
        cells["flags"].append("OVERDUE", style="bold reverse red")
    elif row.flags.overdue_asks:
        cells["flags"].append("ASK LATE", style="bold reverse red")
    elif row.flags.stale:
        cells["flags"].append("STALE", style="bold yellow")
    if row.flags.overdue:
        cells["review"].stylize("bold red")
    return [cells[c.key] for c in columns]
