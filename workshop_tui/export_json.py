"""The v1 export document (design.md section 7): one JSON document per workshop.

Participant tokens (and their hashes) and the admin token never appear in it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Literal

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
    Vote,
    Workshop,
    utcnow,
)
from workshop_tui.state import WorkshopState

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

    format: Literal["workshop-tui.export"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: dt.datetime = Field(default_factory=utcnow)
    workshop: Workshop
    participants: list[ExportedParticipant]
    themes: list[Theme]
    ideas: list[Idea]
    votes: list[ExportedVote]
    teams: list[Team]
    backlog: list[BacklogItem]


def _vote(v: Vote) -> ExportedVote:
    return ExportedVote(participant_id=v.participant_id, idea_id=v.idea_id, dots=v.dots, source=v.source.value)


def build_export(state: WorkshopState) -> ExportDocument:
    votes = sorted(state.votes.values(), key=lambda v: (v.idea_id, v.participant_id or ""))
    return ExportDocument(
        workshop=state.workshop,
        participants=[
            ExportedParticipant(id=p.id, name=p.name, skills=p.skills, joined_at=p.joined_at)
            for p in sorted(state.participants.values(), key=lambda p: (p.joined_at, p.id))
        ],
        themes=sorted(state.themes.values(), key=lambda t: (t.created_at, t.id)),
        ideas=sorted(state.ideas.values(), key=lambda i: (i.created_at, i.id)),
        votes=[_vote(v) for v in votes],
        teams=sorted(state.teams.values(), key=lambda t: (t.idea_id, t.id)),
        backlog=sorted(state.backlog.values(), key=lambda b: (b.created_at, b.id)),
    )


# ---------------------------------------------------------------------------------- derived views
# Small read-only helpers shared by the CSV, Markdown and Decidim exports (all work on a document,
# so an anonymized document is exported the same way as a full one).


def dump_json(doc: ExportDocument) -> bytes:
    """The document as indented UTF-8 JSON with a final newline (the CLI's and the TUI's output)."""
    return orjson.dumps(doc.model_dump(mode="json", by_alias=True), option=orjson.OPT_INDENT_2) + b"\n"


def idea_dots(doc: ExportDocument) -> Counter[str]:
    dots: Counter[str] = Counter()
    for vote in doc.votes:
        dots[vote.idea_id] += vote.dots
    return dots


def idea_status(idea: Idea) -> Literal["visible", "hidden", "deleted", "merged"]:
    if idea.deleted:
        return "deleted"
    if idea.merged_into:
        return "merged"
    if idea.hidden:
        return "hidden"
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
