"""Open data: the CSV tables with a Frictionless Data Package descriptor (``datapackage.json``), the
form CKAN (ckanext-datapackager, ckanext-validation) and DCAT harvesters take in.

The descriptor follows the Data Package v1 specs (``tabular-data-package``): per table a Tabular Data
Resource with its dialect, a Table Schema (field types, enum constraints, the primary key, foreign
keys between the tables), a title and a description; for the package a name, title, description,
creation time, keywords and a licence.

Open data is published, so the package is always anonymised (docs/export-format.md, "Anonymisation"):
participants appear under pseudonyms, notes have no author, only consenting backlog owners are named.
The licence is CC BY 4.0, what most city portals use; a city with another edits ``licenses``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workshop_tui.anonymize import anonymize
from workshop_tui.export_csv import (
    BACKLOG_COLUMNS,
    IDEA_COLUMNS,
    PARTICIPANT_COLUMNS,
    TEAM_COLUMNS,
    THEME_COLUMNS,
    VOTE_COLUMNS,
    csv_tables,
)
from workshop_tui.export_json import ExportDocument, encode_json
from workshop_tui.models import BacklogStatus, Source

DESCRIPTOR = "datapackage.json"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
_SOURCES = [s.value for s in Source]
_LIST = "several values joined with '; '"


def _f(name: str, type_: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "description": description, **extra}


def _stamp(name: str, what: str) -> dict[str, Any]:
    return _f(name, "datetime", f"{what} (ISO 8601, with its UTC offset)")


def _money(name: str) -> dict[str, Any]:
    return _f(name, "number", f"sum of the budget requests {name}, in the currency column", constraints={"minimum": 0})


def _count(name: str, description: str) -> dict[str, Any]:
    return _f(name, "integer", description, constraints={"minimum": 0})


@dataclass(frozen=True)
class Table:
    title: str
    description: str
    fields: list[dict[str, Any]]
    primary_key: list[str] = field(default_factory=list)
    #: (this table's field, the table it refers to, that table's field)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)


TABLES: dict[str, Table] = {
    "ideas": Table(
        "Ideas",
        "The notes on the wall and those merged into them; notes the facilitator deleted or hid are not published",
        [
            _f("id", "string", "the note's id"),
            _f("text", "string", "the note as written"),
            _f("theme", "string", "the name of its theme"),
            _f("source", "string", "where it came from", constraints={"enum": _SOURCES}),
            _count("dots", "dots on it at the end of the vote"),
            _f("author", "string", "always empty: open data names no author"),
            _f(
                "status",
                "string",
                "on the wall, or merged into another note",
                constraints={"enum": ["visible", "merged"]},
            ),
            _f("merged_into", "string", "the note it was merged into (ideas.id)"),
            _stamp("created_at", "when it was posted"),
            _f("theme_id", "string", "its theme (themes.id)"),
        ],
        ["id"],
        [("theme_id", "themes", "id"), ("merged_into", "ideas", "id")],
    ),
    "themes": Table(
        "Themes",
        "The groups the notes were clustered into",
        [
            _f("id", "string", "the theme's id"),
            _f("name", "string", "its name"),
            _count("notes", "notes on the wall in it"),
            _count("dots", "dots on those notes"),
            _stamp("created_at", "when it was made"),
        ],
        ["id"],
    ),
    "participants": Table(
        "Participants",
        "The people who joined, under pseudonyms",
        [
            _f("id", "string", "the participant's id"),
            _f("name", "string", "a pseudonym (Participant 1, 2, ... in order of joining)"),
            _f("skills", "string", f"the skills they offered, {_LIST}"),
            _count("dots_used", "dots they placed"),
            _f("team_id", "string", "their team (teams.id)"),
            _stamp("joined_at", "when they joined"),
        ],
        ["id"],
        [("team_id", "teams", "id")],
    ),
    "votes": Table(
        "Votes",
        "Dots per participant and note at the end of the vote; paper dots have no participant",
        [
            _f("participant_id", "string", "who placed them (participants.id); empty for paper dots"),
            _f("idea_id", "string", "on which note (ideas.id)"),
            _f("dots", "integer", "how many", constraints={"minimum": 1}),
            _f("source", "string", "how they were placed", constraints={"enum": _SOURCES}),
        ],
        [],
        [("participant_id", "participants", "id"), ("idea_id", "ideas", "id")],
    ),
    "teams": Table(
        "Teams",
        "The teams formed around the chosen ideas",
        [
            _f("id", "string", "the team's id"),
            _f("idea_id", "string", "the idea it works on (ideas.id)"),
            _f("name", "string", "its name"),
            _count("members", "how many people are in it"),
            _f("member_ids", "string", f"its members (participants.id), {_LIST}"),
            _f("champion_id", "string", "the member who carries it forward (participants.id)"),
        ],
        ["id"],
        [("idea_id", "ideas", "id"), ("champion_id", "participants", "id")],
    ),
    "backlog": Table(
        "Prototype backlog",
        "What the city follows up: each prototype's status, owner (named only with consent), budget and asks",
        [
            _f("id", "string", "the item's id"),
            _f("title", "string", "its title"),
            _f("status", "string", "where it stands", constraints={"enum": [s.value for s in BacklogStatus]}),
            _f("owner", "string", "who carries it: a name only with their consent, else a pseudonym"),
            _f("owner_public", "boolean", "the owner consented to be named", trueValues=["yes"], falseValues=["no"]),
            _f("team_id", "string", "the team behind it (teams.id)"),
            _f("idea_ids", "string", f"the notes it grew from (ideas.id), {_LIST}"),
            _count("dots", "dots its idea had"),
            _f("currency", "string", "ISO 4217 code of the amounts"),
            _money("requested"),
            _money("approved"),
            _money("rejected"),
            _money("spent"),
            _count("asks_count", "asks to city departments"),
            _f("asks", "string", f"each ask: kind, department, detail and status, {_LIST}"),
            _f("next_review", "date", "when it is reviewed next"),
            _f("flags", "string", f"follow-up warnings at the time of the export (overdue, stale), {_LIST}"),
            _stamp("created_at", "when it entered the backlog"),
            _stamp("updated_at", "when it last changed"),
            _f(
                "decidim_id",
                "integer",
                "the Decidim accountability result it is published as",
                constraints={"minimum": 1},
            ),
        ],
        ["id"],
        [("team_id", "teams", "id")],
    ),
}
#: Each table's columns, as the CSV writer writes them (a test keeps TABLES equal to these).
COLUMNS = {
    "ideas": IDEA_COLUMNS,
    "themes": THEME_COLUMNS,
    "participants": PARTICIPANT_COLUMNS,
    "votes": VOTE_COLUMNS,
    "teams": TEAM_COLUMNS,
    "backlog": BACKLOG_COLUMNS,
}


def package_name(code: str) -> str:
    """A Data Package ``name``: lower-case letters, digits and ``-._``."""
    return f"workshop-{code.lower()}"


def descriptor(doc: ExportDocument) -> dict[str, Any]:
    w = doc.workshop
    about = (
        f"Ideas, dots, themes, teams and the prototype backlog of the co-design workshop {w.title!r} ({w.code}), "
        "exported by workshop-tui. Participants appear under pseudonyms. A text cell that a spreadsheet would read "
        "as a formula starts with an apostrophe (OWASP), which is not part of the text."
    )
    resources = []
    for name, table in TABLES.items():
        schema: dict[str, Any] = {"fields": table.fields, "missingValues": [""]}
        if table.primary_key:
            schema["primaryKey"] = table.primary_key
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [own], "reference": {"resource": "" if other == name else other, "fields": [theirs]}}
                for own, other, theirs in table.foreign_keys
            ]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True},
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(w.code),
        "title": w.title,
        "description": f"{w.prompt.strip()}\n\n{about}" if w.prompt.strip() else about,
        "created": doc.exported_at.isoformat(),
        "keywords": ["co-design", "civic participation", "workshop", "prototypes", "follow-up"],
        "licenses": [LICENSE],
    }
    if w.follow_url:  # the public follow-up page: a portal's landing page for the dataset
        package["homepage"] = w.follow_url
    return {**package, "resources": resources}


def render_datapackage(doc: ExportDocument) -> dict[str, bytes]:
    """File name -> bytes: the six tables of the (always anonymised) document and the descriptor."""
    public = anonymize(doc)
    files = {name: text.encode() for name, text in csv_tables(public, anonymized=True).items()}
    files[DESCRIPTOR] = encode_json(descriptor(public))
    return files
