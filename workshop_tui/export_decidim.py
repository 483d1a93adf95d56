"""Decidim accountability results: a CSV that the admin's "Import results" accepts as it is.

Decidim's ``ResultsCsvImporter`` reads a CSV with headers separated by ``;``; an invalid row rolls
back the whole import, so every row written here is valid: a non-empty title, ISO dates (or an
empty end date), a numeric progress between 0 and 100. One row per backlog item:

==================  =======================================================================
column              value
==================  =======================================================================
id                  empty: a new result (an id would update an existing result)
title/<locale>      the item's title
description/<l.>    the problem statement, the asks and the budget, as escaped HTML
start_date          the day the item was created (ISO date)
end_date            the next review date, or empty (also empty if it lies before the start)
status/id           empty: status ids are each Decidim instance's own
progress            from our status, see :data:`PROGRESS`; parked/dropped keep the progress of
                    the last main-line status they came from (0 if none)
parent/id           empty
category/id         empty
proposal_urls       empty
external_id         our backlog item id
weight              1
==================  =======================================================================

Text cells are quoted and formulas neutralised by the one CSV writer, :func:`export_csv.to_csv`.
"""

from __future__ import annotations

import html

from workshop_tui.export_csv import Cell, to_csv
from workshop_tui.export_json import ExportDocument, item_budget, money
from workshop_tui.export_markdown import backlog_in_order
from workshop_tui.locales import LOCALE_RE
from workshop_tui.models import BacklogItem, BacklogStatus, BudgetStatus

S = BacklogStatus
PROGRESS: dict[BacklogStatus, int] = {S.PROPOSED: 0, S.APPROVED: 20, S.PROTOTYPING: 50, S.TESTING: 75, S.ADOPTED: 100}
SEPARATOR = ";"


def columns(locale: str) -> list[str]:
    return [
        "id",
        f"title/{locale}",
        f"description/{locale}",
        "start_date",
        "end_date",
        "status/id",
        "progress",
        "parent/id",
        "category/id",
        "proposal_urls",
        "external_id",
        "weight",
    ]


def progress(item: BacklogItem) -> int:
    """0-100 from the status; a parked or dropped item keeps the progress it had reached."""
    if item.status in PROGRESS:
        return PROGRESS[item.status]
    for change in reversed(item.history):
        if change.to in PROGRESS:
            return PROGRESS[change.to]
        if change.from_ in PROGRESS:
            return PROGRESS[change.from_]
    return 0


def description(item: BacklogItem, currency: str) -> str:
    parts = [f"<p>{html.escape(' '.join(line.split()))}</p>" for line in item.problem.splitlines() if line.strip()]
    if item.asks:
        asks = "".join(
            f"<li>{html.escape(a.kind.value)} from {html.escape(a.department)}"
            + (f": {html.escape(a.detail)}" if a.detail else "")
            + f" ({html.escape(a.status.value)})</li>"
            for a in item.asks
        )
        parts.append(f"<p>Asks to the city:</p><ul>{asks}</ul>")
    budget = item_budget(item)
    if item.budget_requests:
        parts.append(
            f"<p>Budget ({html.escape(currency)}): {money(budget[BudgetStatus.REQUESTED])} requested, "
            f"{money(budget[BudgetStatus.APPROVED])} approved, {money(budget[BudgetStatus.SPENT])} spent.</p>"
        )
    parts.append(f"<p>Status: {html.escape(item.status.value)}.</p>")
    return "".join(parts)


def render_decidim(doc: ExportDocument, *, locale: str = "en") -> str:
    if not LOCALE_RE.match(locale):
        raise ValueError(f"not a locale: {locale!r} (use a code such as en, ca or pt-BR)")
    currency = doc.workshop.settings.currency
    rows: list[list[Cell]] = []
    for item in backlog_in_order(doc):
        start = item.created_at.date()
        end = item.next_review if item.next_review and item.next_review >= start else None
        title = " ".join(item.title.split())
        rows.append(
            [
                None,
                title,
                description(item, currency),
                start.isoformat(),
                end.isoformat() if end else None,
                None,
                progress(item),
                None,
                None,
                None,
                item.id,
                1,
            ]
        )
    return to_csv(columns(locale), rows, separator=SEPARATOR)
