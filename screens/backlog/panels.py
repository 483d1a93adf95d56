"""The backlog's panels beside the table: the selected item's history as a timeline, the promise ledger
of its workshop, and each workshop's budget pool as a bar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.widget import Widget

from screens.backlog.table import STATUS_STYLE
from workshop_tui.backlog import BudgetTotals, format_money, item_flags
from workshop_tui.backlog_ledger import PromiseLedger, reviews
from workshop_tui.counted import plural
from workshop_tui.models import BacklogItem
from workshop_tui.text_safety import terminal_safe


class PoolBars(Widget):
    """Each workshop's budget pool as one bar: spent, approved, requested, what remains."""

    DEFAULT_CSS = "PoolBars { height: auto; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pools: list[tuple[str, str, BudgetTotals]] = []

    def set_pools(self, pools: list[tuple[str, str, BudgetTotals]]) -> None:
        self.pools = pools
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(10, (self.content_size.width or 40) - 1)
        out = Text()
        if not self.pools:
            out.append("No budget pools yet.", style="dim")
        for n, (code, title, t) in enumerate(self.pools):
            if n:
                out.append("\n\n")
            out.append(f"{code} ", style="bold reverse")
            out.append(" ")
            out.append(terminal_safe(title), style="bold")
            out.append("\n")
            out.append_text(self.bar(t, width))
            out.append("\n")
            legend = [
                ("█", "spent", t.spent, "magenta"),
                ("█", "approved", t.approved, "green"),
                ("▒", "requested", t.requested, "yellow"),
                ("░", "remaining", t.remaining, "bold red" if t.remaining < 0 else "bold"),
            ]
            for mark, label, amount, style in legend:
                out.append(f"{mark} ", style=style)
                out.append(f"{label:<10}")
                out.append(f"{format_money(amount, t.currency):>16}\n", style="bold" if label == "remaining" else "")
            out.append(f"  {'pool':<10}{format_money(t.pool, t.currency):>16}", style="bold")
        return out

    @staticmethod
    def bar(t: BudgetTotals, width: int) -> Text:
        def cells(amount: Decimal) -> int:
            if t.pool <= 0:
                return width if amount > 0 else 0
            return min(width, int(amount * width / t.pool))

        bar = Text()
        if t.committed > t.pool:
            return bar.append("█" * width, style="bold red")
        spent = cells(t.spent)
        approved = min(width - spent, cells(t.committed) - spent)
        requested = min(width - spent - approved, cells(t.requested))
        bar.append("█" * spent, style="magenta")
        bar.append("█" * approved, style="green")
        bar.append("▒" * requested, style="yellow")
        bar.append("░" * (width - spent - approved - requested), style="bold")
        return bar


def timeline_text(item: BacklogItem | None, now: dt.datetime) -> Text:
    if item is None:
        return Text("Select an item to see its history.", style="dim")
    out = Text()
    out.append(terminal_safe(item.title), style="bold")
    out.append("\n")
    by_day = {r.day: r for r in reviews(item)}
    shown: set[dt.date] = set()
    for entry in item.history:
        day = entry.at.date()
        out.append("\n● ", style="bold")
        out.append(day.isoformat(), style="bold")
        out.append("  ")
        if entry.from_ is None:
            out.append("created → ")
            out.append(entry.to.value, style=STATUS_STYLE[entry.to])
        elif entry.from_ != entry.to:
            out.append(entry.from_.value, style=STATUS_STYLE[entry.from_])
            out.append(" → ")
            out.append(entry.to.value, style=STATUS_STYLE[entry.to])
        else:
            out.append("update", style="italic")
        review = by_day.get(day)
        if review is not None and day not in shown:
            shown.add(day)
            if review.on_time:
                out.append("  review on time", style="green")
            else:
                out.append(f"  review {review.days_late} d late", style="bold red")
        if entry.note:
            out.append("\n│   ")
            out.append(terminal_safe(entry.note))
    flags = item_flags(item, now)
    out.append("\n\n")
    if item.next_review:
        out.append("Next review ", style="bold")
        out.append(item.next_review.isoformat(), style="bold red" if flags.overdue else "bold")
    for reason in flags.reasons:  # an ask's reason names its department: typed text
        out.append(f"\n⚑ {terminal_safe(reason)}", style="bold red")
    return out


def ledger_text(ledger: PromiseLedger | None) -> Text:
    if ledger is None:
        return Text("No workshop selected.", style="dim")
    out = Text()
    out.append(f"{ledger.code} ", style="bold reverse")
    out.append(f" {plural(ledger.items, 'item')}\n\n")

    def line(label: str, value: int, bad: bool = False, *, one: str | None = None) -> None:
        out.append(f"{value:>4} ", style="bold red" if bad and value else "bold")
        out.append(f"{one if value == 1 and one else label}\n")

    line("reviews on time", ledger.reviews_on_time, one="review on time")
    line("reviews late", ledger.reviews_late, bad=True, one="review late")
    line("overdue now", ledger.overdue, bad=True)
    line("asks overdue", ledger.asks_overdue, bad=True, one="ask overdue")
    line(f"moved forward ({ledger.stale_days} d)", ledger.moved_forward)
    line("stalled", ledger.stalled, bad=True)
    line("adopted", ledger.adopted)
    line("parked", ledger.parked)
    line("dropped", ledger.dropped)
    if ledger.asks_by_department:
        out.append("\nAsks to the city\n", style="bold underline")
    for dept in ledger.asks_by_department:
        out.append(terminal_safe(dept.department), style="bold")
        out.append("\n ")
        out.append(f" asked {dept.asked} · answered {dept.answered}")
        if dept.median_days_to_answer is not None:
            out.append(f" · median {dept.median_days_to_answer:g} d to answer")
        if dept.overdue:
            out.append(f" · {dept.overdue} overdue", style="bold red")
        out.append("\n ")
        counts = [
            (dept.open, "open", "yellow"),
            (dept.in_progress, "in progress", "cyan"),
            (dept.granted, "granted", "green"),
            (dept.declined, "declined", "red"),
        ]
        for n, label, style in counts:
            if n:
                out.append(f" {n} {label}", style=style)
        out.append("\n")
    return out
