"""The v1 export document (docs/export-format.md): one JSON document per workshop.

Participant tokens (and their hashes) and the admin token never appear in it. It carries only what
is on the wall: notes the facilitator deleted or hid (moderation), and notes written in private
and not revealed yet, never leave the store, neither
their text nor their author, nor dots, team candidacies or backlog links to them; a note merged
into one of them goes with it, and a team formed around one is left out. Idea history keeps who
did what and when, but not the text a note had before an edit. In an anonymous workshop notes have
no author in an export (the wall never showed one), and their history says "participant" instead of
a participant's id. The full trail stays in the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from workshop_tui.models import (
    BacklogItem,
    BudgetStatus,
    Idea,
    Name,
    ShortText,
    Team,
    Theme,
    Workshop,
    utcnow,
)
from workshop_tui.text_safety import json_safe

if TYPE_CHECKING:
    from workshop_tui.service.view import WorkshopView

FORMAT: Literal["workshop-tui.export"] = "workshop-tui.export"
VERSION: Literal[1] = 1


class ExportedParticipant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: Name
    skills: list[ShortText] = Field(default_factory=list)
    joined_at: dt.datetime


class ExportedVote(BaseModel):
    """A current allocation; withdrawn dots are not listed. Paper dots have no participant."""

    model_config = ConfigDict(extra="forbid")

    participant_id: str | None
    idea_id: str
    dots: int = Field(ge=1)
    source: Literal["phone", "facilitator", "paper"] = "phone"


class ExportDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", title="workshop-tui export, version 1")

    format: Literal["workshop-tui.export"]
    version: Literal[1]
    exported_at: dt.datetime = Field(default_factory=utcnow)
    workshop: Workshop
    participants: list[ExportedParticipant]
    themes: list[Theme]
    ideas: list[Idea] = Field(
        description="the notes on the wall and those merged into them; deleted and hidden notes (moderation) and "
        "notes written in private that were not revealed yet are never exported, an edit's history entry does "
        "not carry the earlier text, and in an anonymous workshop no note has an author_id"
    )
    votes: list[ExportedVote] = Field(description="current allocations on the exported notes")
    teams: list[Team] = Field(description="teams formed around an exported note")
    backlog: list[BacklogItem]


def withheld_ideas(ideas: Mapping[str, Idea]) -> set[str]:
    """Ids of the notes that are not on the wall: deleted, hidden, private (not revealed yet), or merged
    into such a note."""
    out: set[str] = set()
    for idea in ideas.values():
        seen: set[str] = set()
        current: Idea | None = idea
        while current is not None and current.id not in seen:
            if current.deleted or current.hidden or current.private:
                out.add(idea.id)
                break
            seen.add(current.id)
            current = ideas.get(current.merged_into) if current.merged_into else None
    return out


class _Mentions:
    """Whether a text holds one of ``ids``: through the text's windows of each id length or through the
    ids, whichever are fewer. Each note's history is read once, so an export stays linear as a workshop
    grows, however many notes moderation withheld (looking for every withheld id in every entry was not)."""

    def __init__(self, ids: set[str]) -> None:
        self.ids = ids
        self.lengths = sorted({len(i) for i in ids})

    def __call__(self, text: str) -> bool:
        ids = self.ids
        if len(text) * len(self.lengths) < len(ids):
            return any(text[k : k + n] in ids for n in self.lengths for k in range(len(text) - n + 1))
        return any(i in text for i in ids)


def _public(idea: Idea, withheld: _Mentions, people: set[str], anonymous: bool) -> Idea:
    history = []
    for change in idea.history:
        if change.action == "edited":  # "was: <the old text>": not what the wall shows
            change = change.model_copy(update={"detail": ""})
        elif withheld(change.detail):  # e.g. "merged <id>: '<its text>'"
            change = change.model_copy(update={"detail": "a note that is not on the wall"})
        if anonymous and change.by in people:
            change = change.model_copy(update={"by": "participant"})
        history.append(change)
    if not anonymous and all(new is old for new, old in zip(history, idea.history, strict=True)):
        return idea  # most notes: nothing to take out, and copying each was a third of a big export
    return idea.model_copy(update={"history": history, "author_id": None if anonymous else idea.author_id})


def build_export(view: WorkshopView) -> ExportDocument:
    withheld = withheld_ideas(view.ideas)
    anonymous, people = view.workshop.settings.anonymous, set(view.participants)
    mentions = _Mentions(withheld)
    ideas = [_public(i, mentions, people, anonymous) for i in view.ideas.values() if i.id not in withheld]
    teams = [t for t in view.teams.values() if t.idea_id not in withheld]
    team_ids = {t.id for t in teams}
    backlog = [
        b.model_copy(
            update={
                "idea_ids": [i for i in b.idea_ids if i not in withheld],
                "team_id": b.team_id if b.team_id in team_ids else None,
            }
        )
        for b in view.backlog.values()
    ]
    votes = sorted(
        (v for v in view.dot_rows() if v.idea_id not in withheld),
        key=lambda v: (v.idea_id, v.participant_id or ""),
    )
    candidates = [c for c in view.workshop.team_candidates if c not in withheld]
    return ExportDocument(
        format=FORMAT,
        version=VERSION,
        workshop=view.workshop.model_copy(update={"team_candidates": candidates}),
        # Participants and votes as plain values: the document's one validation call builds them
        # (a model built per vote was a third of a big export's time).
        participants=[
            {"id": p.id, "name": p.name, "skills": p.skills, "joined_at": p.joined_at}
            for p in sorted(view.participants.values(), key=lambda p: (p.joined_at, p.id))
        ],
        themes=sorted(view.themes.values(), key=lambda t: (t.created_at, t.id)),
        ideas=sorted(ideas, key=lambda i: (i.created_at, i.id)),
        votes=[
            {"participant_id": v.participant_id, "idea_id": v.idea_id, "dots": v.dots, "source": v.source}
            for v in votes
        ],
        teams=sorted(teams, key=lambda t: (t.idea_id, t.id)),
        backlog=sorted(backlog, key=lambda b: (b.created_at, b.id)),
    )


# ---------------------------------------------------------------------------------- derived views
# Small read-only helpers shared by the CSV, Markdown and Decidim exports (all work on a document,
# so an anonymized document is exported the same way as a full one).


def dump_json(doc: ExportDocument, *, indent: bool = True) -> bytes:
    """The document as UTF-8 JSON: indented with a final newline (the files), or compact (the API).

    Serialised by pydantic-core straight to bytes: the same bytes as ``encode_json`` of its
    ``model_dump`` (same escapes, number and date spellings, layout), without building the document
    again as Python objects (a third of a big export's writing)."""
    encoded = ExportDocument.__pydantic_serializer__.to_json(doc, indent=2 if indent else None, by_alias=True)
    safe = json_safe_bytes(encoded)
    return safe + b"\n" if indent else safe


#: The UTF-8 bytes of the characters ``text_safety.json_safe`` escapes (orjson never writes a lone
#: surrogate): matched on the encoded bytes, a big export is not decoded, scanned and encoded again
#: (half of that time). ``tests/unit/test_export_json_bytes.py`` checks both over every code point.
_JSON_UNSAFE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xb8[\x8e\x8f]|\xf0\x9f\x8f[\xbb-\xbf]"
)
#: The first byte of every match. None is a UTF-8 continuation byte, so a match starts where one is;
#: most exports hold none or a few, and finding those beats the regex engine's step through every byte.
_UNSAFE_LEADS = b"\x7f\xc2\xd8\xe2\xef\xf0"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _UNSAFE_LEADS)
#: Above one lead byte in this many bytes, one regex pass over everything beats a match at each.
_SPARSE = 128


def _escaped(match: re.Match[bytes]) -> bytes:
    return json_safe(match.group().decode()).encode()


def json_safe_bytes(encoded: bytes) -> bytes:
    """``json_safe`` on UTF-8 JSON, without decoding it."""
    leads = encoded.translate(None, _OTHER_BYTES)  # one pass: the lead bytes alone, in order
    if not leads:
        return encoded
    if len(leads) * _SPARSE > len(encoded):
        return _JSON_UNSAFE_UTF8.sub(_escaped, encoded)
    starts: list[int] = []
    for lead in set(leads):
        at = encoded.find(lead)
        while at >= 0:
            starts.append(at)
            at = encoded.find(lead, at + 1)
    parts: list[bytes] = []
    done = 0
    for at in sorted(starts):
        match = _JSON_UNSAFE_UTF8.match(encoded, at)
        if match is not None:
            parts += [encoded[done:at], _escaped(match)]
            done = match.end()
    if not parts:
        return encoded  # accents, dashes, curly quotes: lead bytes, but not one character to escape
    parts.append(encoded[done:])
    return b"".join(parts)


def encode_json(data: object, *, indent: bool = True) -> bytes:
    """The one JSON writer of every export: DEL, C1 and bidi characters in strings are written as
    ``\\uXXXX`` (``text_safety.json_safe``), the same data for any reader and inert in a terminal."""
    if indent:
        return json_safe_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2)) + b"\n"
    return json_safe_bytes(orjson.dumps(data))


def idea_dots(doc: ExportDocument) -> Counter[str]:
    dots: Counter[str] = Counter()
    for vote in doc.votes:
        dots[vote.idea_id] += vote.dots
    return dots


@dataclass(frozen=True)
class ThemeTally:
    """Each theme's notes on the wall and the dots on them, by theme id."""

    notes: Counter[str]
    dots: Counter[str]


def theme_tally(doc: ExportDocument) -> ThemeTally:
    dots = idea_dots(doc)
    tally = ThemeTally(Counter(), Counter())
    for idea in doc.ideas:
        if idea.theme_id and idea_status(idea) == "visible":
            tally.notes[idea.theme_id] += 1
            tally.dots[idea.theme_id] += dots[idea.id]
    return tally


def idea_status(idea: Idea) -> Literal["visible", "hidden", "deleted", "merged", "private"]:
    if idea.deleted:
        return "deleted"
    if idea.merged_into:
        return "merged"
    if idea.hidden:
        return "hidden"
    if idea.private:  # private writing, not revealed: off the wall, so off the report, the site and the top ideas
        return "private"
    return "visible"


def top_ideas(doc: ExportDocument, limit: int | None = None) -> list[tuple[Idea, int]]:
    """Visible ideas by dots, most first; ties go to the earliest posted (as ``WorkshopService.ranking``)."""
    dots = idea_dots(doc)
    ranked = sorted(
        ((i, dots[i.id]) for i in doc.ideas if idea_status(i) == "visible"),
        key=lambda p: (-p[1], p[0].created_at, p[0].id),
    )
    return ranked if limit is None else ranked[:limit]


def item_budget(item: BacklogItem) -> dict[BudgetStatus, Decimal]:
    sums = {status: Decimal(0) for status in BudgetStatus}
    for req in item.budget_requests:
        sums[req.status] += req.amount
    return sums


def cents(amount: Decimal) -> Decimal:
    """Two decimals, never through a float: ``Decimal("450") -> Decimal("450.00")``."""
    return amount.quantize(Decimal("0.01"))


def money(amount: Decimal) -> str:
    """A decimal string with two decimals: ``Decimal("450") -> "450.00"``."""
    return f"{cents(amount)}"
