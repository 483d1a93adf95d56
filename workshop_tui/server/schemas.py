"""Request and response models of the HTTP API (design.md section 5).

They document ``/openapi.json`` and validate request bodies. Responses on hot paths are built as
plain dicts and encoded once with orjson; these models still describe them exactly.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from workshop_tui.models import BacklogItem, PhaseClock, Workshop
from workshop_tui.phases import Phase
from workshop_tui.teaming import PlanStats

IdText = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------- errors


class ErrorOut(_Out):
    """Every error: a readable message and optional structured detail."""

    error: str
    detail: Any = None


# ---------------------------------------------------------------------------------------- participant


class JoinIn(_In):
    name: Annotated[str, StringConstraints(max_length=60)] | None = None
    skills: list[Annotated[str, StringConstraints(max_length=200)]] | None = Field(None, max_length=10)


class JoinOut(_Out):
    participant_id: str
    token: str = Field(description="the participant's secret; also set as an HttpOnly cookie")


class TimerOut(_Out):
    """The phase timer: phones count down ``remaining_s`` from when the response or event arrived."""

    phase: Phase
    running: bool
    remaining_s: float = Field(description="seconds left when the server answered")
    ends_at: str | None = Field(description="while running: when it reaches zero (UTC, ISO 8601)")
    duration_s: int = Field(description="the timebox it was set from")


def timer_out(clock: PhaseClock) -> dict[str, Any]:
    return {
        "phase": clock.phase.value,
        "running": clock.running,
        "remaining_s": round(clock.left(), 1),
        "ends_at": clock.ends_at.isoformat() if clock.running and clock.ends_at else None,
        "duration_s": clock.duration_s,
    }


class WorkshopOut(_Out):
    code: str
    title: str
    prompt: str
    phase: Phase
    dots_per_participant: int
    max_dots_per_idea: int
    idea_max_length: int
    voting_open: bool
    results_revealed: bool
    candidate_idea_ids: list[str] = Field(description="the ideas to rank in the teams phase, else empty")
    timer: TimerOut


class IdeaIn(_In):
    text: Annotated[str, StringConstraints(max_length=2000)] = Field(
        description="at most the workshop's idea_max_length characters after trimming"
    )


class IdeaOut(_Out):
    id: str
    text: str
    theme: str | None = Field(description="the theme's name")
    theme_id: str | None
    mine: bool = Field(description="posted by the participant whose token came with the request")
    my_dots: int = Field(description="the requester's dots on this idea")
    dots: int | None = Field(None, description="all dots on the idea; present only once results are revealed")


class IdeaDeletedOut(_Out):
    id: str
    deleted: bool


class VoteIn(_In):
    idea_id: IdText


class RemainingOut(_Out):
    remaining_dots: int


class PreferencesIn(_In):
    idea_ids: list[IdText] = Field(max_length=100, description="best first")


class PreferencesOut(_Out):
    idea_ids: list[str]


class MyVoteOut(_Out):
    idea_id: str
    dots: int


class MyTeamOut(_Out):
    id: str
    idea_id: str
    idea_text: str
    member_names: list[str]
    champion_name: str | None


class MeOut(_Out):
    participant_id: str
    name: str
    ideas: list[IdeaOut]
    votes: list[MyVoteOut]
    remaining_dots: int
    preferences: list[str]
    team: MyTeamOut | None


class HealthOut(_Out):
    status: str


# ---------------------------------------------------------------------------------------- facilitator


class WorkshopCreateIn(_In):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    prompt: Annotated[str, StringConstraints(max_length=5000)] | None = None
    template: Annotated[str, StringConstraints(max_length=100)] | None = None
    dots_per_participant: int | None = Field(None, ge=1, le=50)
    max_dots_per_idea: int | None = Field(None, ge=1, le=50)
    idea_max_length: int | None = Field(None, ge=20, le=2000)
    anonymous: bool | None = None


class WorkshopSummaryOut(_Out):
    code: str
    id: str
    title: str
    template: str | None
    phase: Phase
    participants: int
    ideas: int
    dots: int
    join_url: str


class PhaseIn(_In):
    phase: Phase


class PhaseOut(_Out):
    phase: Phase


class VotingIn(_In):
    voting_open: bool | None = None
    results_revealed: bool | None = None


class VotingOut(_Out):
    voting_open: bool
    results_revealed: bool


class TeamsIn(_In):
    team_count: int | None = Field(None, ge=1, le=1000)
    min_size: int | None = Field(None, ge=1, le=100)
    max_size: int | None = Field(None, ge=1, le=100)
    idea_ids: list[IdText] | None = Field(None, max_length=1000)


class TeamOut(_Out):
    id: str
    idea_id: str
    member_ids: list[str]
    champion_id: str | None


class TeamsOut(_Out):
    teams: list[TeamOut]
    unassigned: list[str]
    stats: PlanStats
    explain: list[str]


class BacklogConvertIn(_In):
    idea_ids: list[IdText] | None = Field(None, max_length=1000)


__all__ = [
    "BacklogConvertIn",
    "BacklogItem",
    "ErrorOut",
    "HealthOut",
    "IdeaDeletedOut",
    "IdeaIn",
    "IdeaOut",
    "JoinIn",
    "JoinOut",
    "MeOut",
    "MyTeamOut",
    "MyVoteOut",
    "PhaseIn",
    "PhaseOut",
    "PreferencesIn",
    "PreferencesOut",
    "RemainingOut",
    "TeamOut",
    "TeamsIn",
    "TeamsOut",
    "TimerOut",
    "VotingIn",
    "VotingOut",
    "Workshop",
    "WorkshopCreateIn",
    "WorkshopOut",
    "WorkshopSummaryOut",
]
