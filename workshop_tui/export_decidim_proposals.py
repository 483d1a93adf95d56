"""The ideas on the wall as Decidim proposals: the file the proposals component's admin "Import
proposals from a file" takes, so the room's ideas can be published, commented and followed there.

Read from decidim-admin's ``Import::Readers::CSV`` (``CSV.read(file, col_sep:
Decidim.default_csv_col_sep, encoding: "BOM|UTF-8")``), decidim-proposals' ``ProposalsVerifier``
(``required_headers``: ``title/<default_locale>`` and ``body/<default_locale>``) and ``ProposalCreator``
(``locale_hasher``: a ``title/<locale>`` and a ``body/<locale>`` cell per available locale, a nil cell
left out; ``id`` dropped; scope, taxonomies and address optional), with the model's ``validates
:title, :body, presence: true``. An invalid record refuses the whole file.

One row per idea on the wall (not deleted, hidden or merged away), most dots first: the title is the
note's text on one line, cut at a word near 150 characters; the body is the whole note as escaped HTML,
the notes merged into it, its theme and its dots. No author: Decidim makes the organisation the
proposal's author, and the room never agreed to be named there. Locales and the separator as for
results (:mod:`workshop_tui.export_decidim`): the text in the default locale's columns, which must be
the workshop's language; the ``title/pt-BR`` column is what ``locale_hasher`` reads, so a hyphenated
locale needs no other. Cells go through the one CSV writer, :func:`export_csv.to_csv`.
"""

from __future__ import annotations

import html

from workshop_tui.export_csv import Cell, to_csv
from workshop_tui.export_decidim import SEPARATOR, export_locales
from workshop_tui.export_json import ExportDocument, idea_dots
from workshop_tui.models import Idea

TITLE_LENGTH = 150


def proposal_title(text: str) -> str:
    """The note on one line, cut after the last whole word that fits in :data:`TITLE_LENGTH`."""
    line = " ".join(text.split())
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[: TITLE_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[TITLE_LENGTH // 2 :] else cut).rstrip(" ,;:.") + "…"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(' '.join(line.split()))}</p>" for line in text.splitlines() if line.strip())


def proposal_body(idea: Idea, merged: list[Idea], theme: str | None, dots: int) -> str:
    parts = [_paragraphs(idea.text)]
    if merged:
        similar = "".join(f"<li>{html.escape(' '.join(m.text.split()))}</li>" for m in merged)
        parts.append(f"<p>Similar notes, merged into this one:</p><ul>{similar}</ul>")
    facts = [f"Theme: {html.escape(theme)}."] if theme else []
    facts.append(f"Dots in the room: {dots}.")
    parts.append(f"<p>{' '.join(facts)}</p>")
    return "".join(parts)


def render_proposals(doc: ExportDocument, *, locale: str | None = None, separator: str = SEPARATOR) -> str:
    """The proposals file; ``locale`` is ``--locale`` (``"en,fi"``; None: the workshop's language)."""
    locales = export_locales(doc, locale)
    dots = idea_dots(doc)
    themes = {t.id: t.name for t in doc.themes}
    merged: dict[str, list[Idea]] = {}
    for idea in doc.ideas:
        if idea.merged_into:
            merged.setdefault(idea.merged_into, []).append(idea)
    on_wall = sorted((i for i in doc.ideas if i.visible), key=lambda i: (-dots[i.id], i.created_at, i.id))
    header = [f"{field}/{loc}" for field in ("title", "body") for loc in locales]
    rows: list[list[Cell]] = []
    for idea in on_wall:
        body = proposal_body(idea, merged.get(idea.id, []), themes.get(idea.theme_id or ""), dots[idea.id])
        rows.append(
            [value if i == 0 else None for value in (proposal_title(idea.text), body) for i in range(len(locales))]
        )
    return to_csv(header, rows, separator=separator)
