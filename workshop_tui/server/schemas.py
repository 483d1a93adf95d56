"""Request and response models of the HTTP API (docs/http.md).

They document ``/openapi.json``, validate request bodies, and are what the routes return (FastAPI
validates each answer against its model and encodes it with pydantic's JSON encoder).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, model_validator

from workshop_tui.actions import Action
from workshop_tui.errors import Invalid
from workshop_tui.models import BacklogStatus
from workshop_tui.models import ShippedLanguage as Language
from workshop_tui.phases import Phase
from workshop_tui.service.timer import TimerCommand
from workshop_tui.team_plan import PlanStats
from workshop_tui.templates import templates

IdText = Annotated[str, StringConstraints(min_length=1, max_length=64)]
#: Checked by the Workshop model (http or https, a host): a bad one is a 422 naming the rule.
FollowUrlIn = Annotated[str, StringConstraints(max_length=500)]


UNSTORABLE = "the text contains characters that are not valid Unicode"


def storable(model: BaseModel) -> bool:
    """Whether the store can write the model's text (JSON escapes such as "\\ud800" make lone surrogates)."""
    try:
        orjson.dumps(model.model_dump(mode="json"))
    except (TypeError, orjson.JSONEncodeError):
        return False
    return True


def check_storable(model: BaseModel) -> None:
    """422 for a model that is not one of ours (the service's ``BacklogPatch``)."""
    if not storable(model):
        raise Invalid(UNSTORABLE)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _storable(self) -> Self:
        if not storable(self):
            raise ValueError(UNSTORABLE)
        return self


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------- errors


class ErrorOut(_Out):
    """Every error: the developer's description, a stable code, a sentence for a person, structured detail."""

    error: str = Field(description="what went wrong, in English, for developers and logs")
    code: str = Field(description="stable and machine-readable (wrong_phase, not_found, invalid, ...): branch on this")
    message: str = Field(description="a plain sentence for a person, in the Accept-Language (else the workshop's)")
    detail: Any = None


# ---------------------------------------------------------------------------------------- participant


class JoinIn(_In):
    name: Annotated[str, StringConstraints(max_length=60)] | None = None
    skills: list[Annotated[str, StringConstraints(max_length=200)]] | None = Field(None, max_length=10)


class JoinOut(_Out):
    participant_id: str
    token: str = Field(description="the participant's secret; also set as an HttpOnly cookie")


class TimerOut(_Out):
    phase: Phase
    seconds: int = Field(description="the timebox")
    seconds_left: float
    running: bool
    ends_at: dt.datetime | None = Field(description="when it reaches zero if it keeps running")


class ReadyOut(_Out):
    """How many are done with the phase's task (counts, never names)."""

    task: str = Field(description='what those not done are doing: "writing", "voting" or "ranking"')
    people: int = Field(description="participants (blocked ones aside)")
    done: int = Field(
        description="said they are done (ideate); said so or placed every dot (vote); saved a ranking (teams)"
    )
    waiting: int = Field(description="people - done: still writing, voting or ranking")


class DoneIn(_In):
    done: StrictBool = True


class DoneOut(_Out):
    done: bool = Field(description="the participant is done in the current phase")
    ready: ReadyOut | None


class ThemeRefOut(_Out):
    id: str
    name: str


class PublishedTeamOut(_Out):
    idea_id: str = Field(description="the note the team forms around")
    members: int = Field(description="how many people are in it (counts, never names)")


class WorkshopOut(_Out):
    code: str
    title: str
    prompt: str
    language: str = Field(description="the room's language (BCP 47): the phone page's default")
    languages: list[str] = Field(description="what a phone may show: the room's language first, then others allowed")
    phase: Phase
    dots_per_participant: int
    max_dots_per_idea: int
    idea_max_length: int
    voting_open: bool
    results_revealed: bool
    candidate_idea_ids: list[str] = Field(description="the ideas to rank in the teams phase, else empty")
    allowed_actions: list[Action] = Field(description="what a participant may do now (the phase and the ballot)")
    timer: TimerOut | None = Field(description="the phase timer, if the facilitator runs one")
    prototypes: int = Field(description="ideas that go on as prototypes: the backlog items, else the teams formed")
    follow_url: str | None = Field(description="the public follow-up page, if the organisers set one")
    author_names: Literal["projected", "records", "hidden"] = Field(
        description="where a participant's name goes: projected beside their notes on the room's screen; only in "
        "the organisers' records and exports; or nowhere (an anonymous workshop)",
    )
    private_writing: bool = Field(False, description="notes written now stay off the wall until revealed")
    private_notes: int = Field(0, description="notes written in private, hidden until the facilitator reveals them")
    ready: ReadyOut | None = Field(
        None, description="how many are done with the phase's task (ideate, vote, teams), else null"
    )
    themes: list[ThemeRefOut] = Field(
        default_factory=list,
        description="the workshop's themes by name, the wall's order (a theme's place gives its colour)",
    )
    teams: list[PublishedTeamOut] = Field(
        default_factory=list, description="the teams once published (the room's screen shows them), else empty"
    )


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
    dots: int | None = Field(
        None, exclude_if=lambda v: v is None, description="all dots on the idea; present only once results are revealed"
    )
    private: bool = Field(
        False,
        exclude_if=lambda v: not v,
        description="written in private: only its author sees it until revealed; present only when true",
    )


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


class FollowedOut(_Out):
    """A prototype a participant has a stake in, and when it is next reviewed."""

    id: str
    title: str
    status: BacklogStatus
    next_review: dt.date | None


class MeOut(_Out):
    participant_id: str
    name: str
    ideas: list[IdeaOut]
    votes: list[MyVoteOut]
    remaining_dots: int
    preferences: list[str]
    team: MyTeamOut | None
    follow: list[FollowedOut] = Field(
        description="in the backlog and closed phases: the prototypes this person voted for, wrote or joined"
    )
    done: bool = Field(False, description="said they are done in the current phase (ideate, vote)")
    counted_done: bool = Field(
        False,
        description="the room's ready count has me as done: said so, placed every dot (vote), saved a ranking (teams)",
    )


class HealthOut(_Out):
    status: str


# ---------------------------------------------------------------------------------------- facilitator


class WorkshopCreateIn(_In):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    prompt: Annotated[str, StringConstraints(max_length=5000)] | None = None
    template: Annotated[str, Field(json_schema_extra=lambda s: s.update(enum=sorted(templates())))] | None = None
    dots_per_participant: int | None = Field(None, ge=1, le=50)
    max_dots_per_idea: int | None = Field(None, ge=1, le=50)
    idea_max_length: int | None = Field(None, ge=20, le=2000)
    anonymous: bool | None = None
    follow_url: FollowUrlIn | None = None
    language: Language | None = Field(None, description="the room's language (default: the facilitator's locale)")
    languages: list[Language] | None = Field(None, max_length=8, description="other languages phones may pick")


class WorkshopSummaryOut(_Out):
    code: str
    id: str
    title: str
    template: str | None
    language: str
    phase: Phase
    participants: int
    ideas: int
    dots: int
    join_url: str
    show_authors: bool = Field(
        description="authors' names are projected on the wall: the facilitator turned them on and the workshop "
        "is not anonymous (the presenter view reads them from .../ideas/authors)"
    )


class AuthorsOut(_Out):
    authors: dict[str, str] = Field(description="the author's name of each note on the wall, by note id")


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


class NoteIn(_In):
    text: Annotated[str, StringConstraints(max_length=2000)]
    theme_id: IdText | None = None


class HiddenIn(_In):
    hidden: bool = Field(description="true takes the note off the wall (and the projector); false shows it again")


class ThemeRefIn(_In):
    theme_id: IdText | None = Field(description="null: no theme")


class MergeIn(_In):
    duplicate_id: IdText = Field(description="the note merged into the one in the path (its dots move over)")


class PaperDotsIn(_In):
    dots: int = Field(ge=-1000, le=1000, description="dots counted on a paper wall; negative corrects a miscount")


class PaperDotsOut(_Out):
    idea_id: str
    paper_dots: int


class RevealNotesOut(_Out):
    revealed: int = Field(description="notes written in private that are now on the wall")


class ThemeIn(_In):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CandidatesIn(_In):
    idea_ids: list[IdText] | None = Field(None, max_length=1000, description="default: the top team_count by dots")
    team_count: int | None = Field(None, ge=1, le=1000)


class CandidatesOut(_Out):
    candidate_idea_ids: list[str]


class MemberTeamIn(_In):
    team_id: IdText


class PublishedOut(_Out):
    teams_published: bool


class ChampionIn(_In):
    participant_id: IdText | None = Field(description="null: no champion")


class WorkshopPatchIn(_In):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    prompt: Annotated[str, StringConstraints(max_length=5000)] | None = None
    settings: dict[str, Any] | None = Field(
        None, description="any of the workshop's settings (see Settings); each is validated as on creation"
    )
    follow_url: FollowUrlIn | None = Field(None, description='the public follow-up page (http/https); "" removes it')
    language: Language | None = None
    languages: list[Language] | None = Field(None, max_length=8)


class TimerIn(_In):
    command: TimerCommand
    minutes: int | None = Field(None, ge=1, le=1440, description="start: the timebox (default the phase's); add: extra")


class BacklogConvertIn(_In):
    idea_ids: list[IdText] | None = Field(None, max_length=1000)
