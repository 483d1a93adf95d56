"""CSV tables of an export: one table per file, RFC 4180 (CRLF line ends).

Tables: ``ideas``, ``themes``, ``participants``, ``votes``, ``teams``, ``backlog``. Money is a decimal
with two decimals; lists inside a cell are joined with ``"; "``. Authors' names appear only when the
workshop is not anonymous and the export is not anonymized; participants' names in an anonymized
export are the pseudonyms.

Every CSV we write (these tables and Decidim's) goes through :func:`to_csv`, which neutralises
formulas as OWASP recommends: text that a spreadsheet would read as a formula gets a leading ``'``,
and every text cell is quoted, so a separator inside a cell cannot start a new (formula) cell when
the file is opened with another separator. Numbers (``int`` and ``Decimal``) are never text here, so
they stay numbers; a participant's ``-5`` is text and is neutralised. Control, escape and bidi
characters in a text cell become the projector's visible placeholders first
(``text_safety.file_safe``, keeping line breaks and emoji), so a file opened in a terminal cannot retitle
it or set its clipboard, and the formula check sees the text as it is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from workshop_tui.backlog import ask_progress, needs_attention
from workshop_tui.export_json import ExportDocument, cents, idea_dots, idea_status, item_budget, theme_tally
from workshop_tui.models import Ask, BudgetStatus
from workshop_tui.text_safety import file_safe

TABLES = ("ideas", "themes", "participants", "votes", "teams", "backlog")

IDEA_COLUMNS = ["id", "text", "theme", "source", "dots", "author", "status", "merged_into", "created_at", "theme_id"]
THEME_COLUMNS = ["id", "name", "notes", "dots", "created_at"]
PARTICIPANT_COLUMNS = ["id", "name", "skills", "dots_used", "team_id", "joined_at"]
VOTE_COLUMNS = ["participant_id", "idea_id", "dots", "source"]
TEAM_COLUMNS = ["id", "idea_id", "name", "members", "member_ids", "champion_id"]
BACKLOG_COLUMNS = [
    "id",
    "title",
    "status",
    "owner",
    "owner_public",
    "team_id",
    "idea_ids",
    "dots",
    "currency",
    "requested",
    "approved",
    "rejected",
    "spent",
    "asks_count",
    "asks",
    "next_review",
    "flags",
    "created_at",
    "updated_at",
    "decidim_id",
]


#: What makes a spreadsheet (Excel, LibreOffice, Google Sheets) evaluate a cell: OWASP's list, plus
#: the full-width forms that some locales' input converts, and ``␍``, which a leading lone CR becomes
#: in a cell (so that a cell OWASP would defuse still is).
FORMULA_START = frozenset("=+-@\t\r\u240d\uff1d\uff0b\uff0d\uff20")

Cell = str | int | Decimal | None


def neutralize(text: str) -> str:
    """Text that a spreadsheet would evaluate, made inert with a leading ``'`` (OWASP)."""
    stripped = text.lstrip(" \u00a0")  # a formula behind leading spaces is still a formula to some
    return f"'{text}" if text[:1] in FORMULA_START or stripped[:1] in FORMULA_START else text


def csv_cell(value: Cell) -> str:
    """One cell: numbers as they are, text neutralised and always quoted, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: never let one through as a number by accident
        raise TypeError("write booleans as text (yes/no)")
    if isinstance(value, int | Decimal):
        return str(value)
    return '"' + neutralize(file_safe(value, multiline=True)).replace('"', '""') + '"'


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, separator: str = ",") -> str:
    """The one CSV writer of every export. The header is ours (plain names), written unquoted."""
    if any(not name.replace("_", "").replace("/", "").replace("-", "").isalnum() for name in header):
        raise ValueError(f"not a plain column name in {header!r}")
    if len(separator) != 1 or separator.isalnum() or separator in "\"' \r\n-_/":
        raise ValueError(f"{separator!r} cannot separate cells")
    lines = [separator.join(header), *(separator.join(csv_cell(v) for v in row) for row in rows)]
    return "".join(line + "\r\n" for line in lines)


def _stamp(value: dt.datetime) -> str:
    return value.isoformat()


def ask_summary(ask: Ask, today: dt.date) -> str:
    detail = f": {ask.detail}" if ask.detail else ""
    return f"{ask.kind.value} from {ask.department}{detail} ({ask_progress(ask, today)})"


def ideas_table(doc: ExportDocument, *, anonymized: bool = False) -> str:
    themes = {t.id: t.name for t in doc.themes}
    names = {p.id: p.name for p in doc.participants}
    dots = idea_dots(doc)
    hide_authors = anonymized or doc.workshop.settings.anonymous
    rows = [
        [
            i.id,
            i.text,
            themes.get(i.theme_id or "", ""),
            i.source.value,
            dots[i.id],
            "" if hide_authors or i.author_id is None else names.get(i.author_id, ""),
            idea_status(i),
            i.merged_into,
            _stamp(i.created_at),
            i.theme_id if i.theme_id in themes else None,
        ]
        for i in doc.ideas
    ]
    return to_csv(IDEA_COLUMNS, rows)


def themes_table(doc: ExportDocument) -> str:
    tally = theme_tally(doc)
    rows: list[list[Cell]] = [
        [t.id, t.name, tally.notes[t.id], tally.dots[t.id], _stamp(t.created_at)] for t in doc.themes
    ]
    return to_csv(THEME_COLUMNS, rows)


def participants_table(doc: ExportDocument) -> str:
    used: Counter[str] = Counter()
    for vote in doc.votes:
        if vote.participant_id:
            used[vote.participant_id] += vote.dots
    team_of = {m: t.id for t in doc.teams for m in t.member_ids}
    rows = [
        [p.id, p.name, "; ".join(p.skills), used[p.id], team_of.get(p.id), _stamp(p.joined_at)]
        for p in doc.participants
    ]
    return to_csv(PARTICIPANT_COLUMNS, rows)


def votes_table(doc: ExportDocument) -> str:
    return to_csv(VOTE_COLUMNS, ([v.participant_id, v.idea_id, v.dots, v.source] for v in doc.votes))


def teams_table(doc: ExportDocument) -> str:
    rows = [[t.id, t.idea_id, t.name, len(t.member_ids), "; ".join(t.member_ids), t.champion_id] for t in doc.teams]
    return to_csv(TEAM_COLUMNS, rows)


def backlog_table(doc: ExportDocument, *, now: dt.datetime | None = None) -> str:
    """Budget totals per item; ``flags`` are the follow-up warnings as of ``now`` (default: the export time)."""
    when = now or doc.exported_at
    rows = []
    for item in doc.backlog:
        budget = item_budget(item)
        rows.append(
            [
                item.id,
                item.title,
                item.status.value,
                item.owner.name,
                "yes" if item.owner.public else "no",
                item.team_id,
                "; ".join(item.idea_ids),
                item.dots,
                doc.workshop.settings.currency,
                cents(budget[BudgetStatus.REQUESTED]),
                cents(budget[BudgetStatus.APPROVED]),
                cents(budget[BudgetStatus.REJECTED]),
                cents(budget[BudgetStatus.SPENT]),
                len(item.asks),
                "; ".join(ask_summary(a, when.date()) for a in item.asks),
                item.next_review.isoformat() if item.next_review else "",
                "; ".join(needs_attention(item, when)),
                _stamp(item.created_at),
                _stamp(item.updated_at),
                item.decidim_id,
            ]
        )
    return to_csv(BACKLOG_COLUMNS, rows)


def csv_tables(doc: ExportDocument, *, anonymized: bool = False, now: dt.datetime | None = None) -> dict[str, str]:
    """File name -> CSV text, one per table."""
    return {
        "ideas.csv": ideas_table(doc, anonymized=anonymized),
        "themes.csv": themes_table(doc),
        "participants.csv": participants_table(doc),
        "votes.csv": votes_table(doc),
        "teams.csv": teams_table(doc),
        "backlog.csv": backlog_table(doc, now=now),
    }
