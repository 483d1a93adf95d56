"""Decidim accountability results: a CSV that the admin's "Import results" accepts as it is.

Read from decidim-accountability's ``ResultsCsvImporter`` (``import!``): ``CSV.new(file, headers: true,
col_sep: Decidim.default_csv_col_sep)`` (``;`` unless the instance sets DECIDIM_DEFAULT_CSV_COL_SEP, hence
``--separator``), one ``ResultForm`` per row, ``raise ActiveRecord::Rollback if errors.any?``: one invalid
row loses the whole import, so every row written here is valid (a title in the default locale, dates
that ``Date.parse`` reads, a progress between 0 and 100). One row per backlog item:

=====================  ====================================================================
column                 value
=====================  ====================================================================
id                     the linked Decidim result (``decidim link``), else empty: the importer
                       updates ``Result.find_by(id: row["id"], component:)`` when there is one
title/<locale>         the item's title, in the default locale's column (see below)
description/<locale>   the problem statement, the asks and the budget, as escaped HTML
start_date             the day the item was created (ISO date)
end_date               the next review date, or empty (also empty if it lies before the start)
status/id              empty: status ids are each Decidim instance's own
progress               from our status, see :data:`PROGRESS`; parked/dropped keep the progress of
                       the last main-line status they came from (0 if none)
parent/id              empty
category/id            empty
proposal_urls          empty: ``get_proposal_ids`` keeps ``url.scan(/\\d$/).first.to_i`` of each
                       URL, the last *digit*, so ``.../proposals/123`` would link proposal 3
external_id            our backlog item id (what ``decidim link`` matches first)
weight                 1
=====================  ====================================================================

Locales. ``--locale en,fi,sv`` lists the organisation's locales, its default first. Our items have
one language, the workshop's: it must be the default, because the importer fills every locale left
empty from ``title/<default_locale>`` (``get_locale_attributes``) and the form refuses a row without
a title in the default locale (``translatable_presence``). So the text goes in the default's columns
and the others stay empty, for Decidim to fill from it: nothing here pretends to be a translation.

A locale with a hyphen: the importer reads the column ``title/pt-BR`` (the organisation's locale as it
is, which is also how Decidim's own export names it) but hands the form the key ``title_pt-BR``, while
the form's attribute is ``title_pt__BR`` (``translatable_attribute`` writes ``"-"`` as ``"__"``) and the
form keeps only keys that are attributes. The form does also see every column of the row
(``params["result"] = row.to_hash``), so a hyphenated locale gets both columns: ``title/pt-BR`` for the
importer's fallback, ``title_pt__BR`` for the form.

Text cells are quoted and formulas neutralised by the one CSV writer, :func:`export_csv.to_csv`.
"""

from __future__ import annotations

import html

from workshop_tui.errors import Invalid
from workshop_tui.export_csv import Cell, to_csv
from workshop_tui.export_json import ExportDocument, item_budget, money
from workshop_tui.export_markdown import backlog_in_order
from workshop_tui.locales import parse_locales, same_language
from workshop_tui.models import Ask, BacklogItem, BacklogStatus, BudgetStatus, Workshop

S = BacklogStatus
PROGRESS: dict[BacklogStatus, int] = {S.PROPOSED: 0, S.APPROVED: 20, S.PROTOTYPING: 50, S.TESTING: 75, S.ADOPTED: 100}
#: Decidim.default_csv_col_sep (DECIDIM_DEFAULT_CSV_COL_SEP) unless the instance changed it.
SEPARATOR = ";"


def workshop_language(workshop: Workshop) -> str:
    """The language the workshop's text is in: the default locale of a Decidim export."""
    return workshop.language


def export_locales(doc: ExportDocument, locale: str | None) -> tuple[str, ...]:
    """The locales of a Decidim file, default first: ``locale`` (``"en,fi"``) or the workshop's language.
    Raises ``Invalid`` when the list does not start with the workshop's language (see the module doc)."""
    language = workshop_language(doc.workshop)
    if locale is None:
        return (language,)
    try:
        locales = parse_locales(locale)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if not same_language(locales[0], language):
        raise Invalid(
            f"{locale!r} must start with the workshop's language, {language}: the first locale is the Decidim "
            f"organisation's default, where the text goes (Decidim refuses a row without a title in it)"
        )
    return locales


def form_key(field: str, locale: str) -> str | None:
    """The form attribute a hyphenated locale needs its own column for (``title_pt__BR``), else None."""
    return f"{field}_{locale.replace('-', '__')}" if "-" in locale else None


def localized_columns(fields: tuple[str, ...], locales: tuple[str, ...]) -> list[str]:
    """``title/en, title/fi, description/en, ...`` as Decidim's export orders them, then the form keys."""
    names = [f"{field}/{locale}" for field in fields for locale in locales]
    return names + [key for field in fields for locale in locales if (key := form_key(field, locale))]


def localized_cells(values: tuple[str, ...], locales: tuple[str, ...]) -> list[Cell]:
    """One cell per column of :func:`localized_columns`: each field's text in the default locale only."""
    cells: list[Cell] = [value if i == 0 else None for value in values for i in range(len(locales))]
    return cells + [value if i == 0 else None for value in values for i, loc in enumerate(locales) if "-" in loc]


def columns(locales: tuple[str, ...] = ("en",)) -> list[str]:
    return [
        "id",
        *localized_columns(("title", "description"), locales),
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
            + f" ({_ask_state(a)})"
            + (f"<br>Answer: {html.escape(' '.join(a.answer.split()))}" if a.answer.strip() else "")
            + "</li>"
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


def _ask_state(ask: Ask) -> str:
    """``open; due 2026-03-01`` or ``granted; answered 2026-03-02``: the promise, not whether it is late
    (an imported result keeps this text long after the export)."""
    if ask.answered_at is not None:
        return f"{ask.status.value}; answered {ask.answered_at.isoformat()}"
    if ask.due is not None:
        return f"{ask.status.value}; due {ask.due.isoformat()}"
    return ask.status.value


def render_decidim(doc: ExportDocument, *, locale: str | None = None, separator: str = SEPARATOR) -> str:
    """The results file; ``locale`` is ``--locale`` (``"en,fi"``; None: the workshop's language)."""
    locales = export_locales(doc, locale)
    currency = doc.workshop.settings.currency
    rows: list[list[Cell]] = []
    for item in backlog_in_order(doc):
        start = item.created_at.date()
        end = item.next_review if item.next_review and item.next_review >= start else None
        title = " ".join(item.title.split())
        rows.append(
            [
                item.decidim_id,
                *localized_cells((title, description(item, currency)), locales),
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
    return to_csv(columns(locales), rows, separator=separator)
