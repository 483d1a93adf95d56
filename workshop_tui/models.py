"""The domain as pydantic v2 models: what is stored, exported and sent over HTTP.

Money is a Decimal plus an ISO 4217 currency and is serialised as a string; ids are our own
uuids, never TinyDB doc ids.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from workshop_tui.backlog_status import BacklogStatus as BacklogStatus
from workshop_tui.currencies import ISO_4217
from workshop_tui.locales import DEFAULT, SHIPPED
from workshop_tui.phases import Phase


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: Money is below a trillion: enough for any city budget, and no amount such as 1E+20000000 can reach
#: the journal or a report's arithmetic.
MONEY_DIGITS = 12

#: Characters that draw nothing although Unicode calls them letters or symbols (fillers, blank braille).
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
#: Separators, controls, format characters (zero-width, bidi), unassigned, and marks with no base.
_NOTHING_TO_SEE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Mc"})


def is_blank(text: str) -> bool:
    """True when ``text`` would look empty: only spaces, zero-width or other invisible characters.
    A note or a name like that is refused like an empty one (issue 11 item 10)."""
    return all(ch in _BLANK_GLYPHS or unicodedata.category(ch) in _NOTHING_TO_SEE for ch in text)


def _check_places(value: Decimal, what: str = "a sum of money") -> Decimal:
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number")
    if abs(value) >= Decimal(10) ** MONEY_DIGITS:
        raise ValueError(f"{what} must be below 10^{MONEY_DIGITS}")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"{what} has at most 2 decimals")
    return value


def _check_amount(value: Decimal) -> Decimal:
    _check_places(value, "amount")
    if value <= 0:
        raise ValueError("amount must be greater than 0")
    return value


def _check_currency(value: str) -> str:
    if value not in ISO_4217:
        raise ValueError(f"unknown currency {value!r}: use an ISO 4217 code such as EUR")
    return value


#: Money as JSON text: exactly the strings the validators accept (``/openapi.json`` and the export
#: schema publish these patterns; a test checks they agree).
#: Both bound the integer part to MONEY_DIGITS digits (leading zeros aside), as ``_check_places`` does.
AMOUNT_PATTERN = rf"^(0*[1-9][0-9]{{0,{MONEY_DIGITS - 1}}}(\.[0-9]{{0,2}})?|0*\.(0[1-9]|[1-9][0-9]?))$"
MONEY_PATTERN = rf"^(0*[0-9]{{1,{MONEY_DIGITS}}}(\.[0-9]{{0,2}})?|\.[0-9]{{1,2}})$"
#: What may reach Decimal(): plain ASCII digits (the checks after it explain sign and places), or a word
#: (its parse error or "finite" explains it). Exponents, "+", spaces and other scripts' digits may not.
_MONEY_SHAPES = re.compile(r"[0-9]*\.?[0-9]*|[A-Za-z]+")


def _reject_float(value: Any) -> Any:
    # Money never passes through a float: 0.1 + 0.2 would already be wrong.
    if isinstance(value, float):
        raise ValueError('money must be a string such as "120.50", not a float')
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError('money must be a string such as "120.50", not a number')
    if isinstance(value, str) and value.startswith("-"):
        # Also "-0", which equals 0 and would pass ge=0, but the published patterns refuse it.
        raise ValueError(f"money cannot be negative, not {value!r}")
    if isinstance(value, str) and not (value.isascii() and _MONEY_SHAPES.fullmatch(value)):
        raise ValueError(f'money is written with digits and at most one point, such as "120.50", not {value!r}')
    return value


class _Strict(BaseModel):
    # defer_build: each model's validator is built when first used, not at import, so a command pays
    # only for the models it touches (``list`` validates a workshop, not notes, dots or the backlog).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Amount = Annotated[
    Decimal,
    Field(json_schema_extra={"type": "string", "pattern": AMOUNT_PATTERN}),
    BeforeValidator(_reject_float),
    AfterValidator(_check_amount),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="always"),
]
NonNegativeMoney = Annotated[
    Decimal,
    Field(ge=0, json_schema_extra={"type": "string", "pattern": MONEY_PATTERN}),
    BeforeValidator(_reject_float),
    AfterValidator(_check_places),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="always"),
]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_check_currency)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]


class Source(StrEnum):
    PHONE = "phone"
    FACILITATOR = "facilitator"
    PAPER = "paper"


class Settings(_Strict):
    dots_per_participant: int = Field(5, ge=1, le=50)
    max_dots_per_idea: int = Field(3, ge=1, le=50, description="most dots ONE person may put on ONE idea")
    idea_max_length: int = Field(280, ge=20, le=2000)
    anonymous: bool = Field(False, description="hide authors' names on the wall and in exports")
    private_writing: bool = Field(
        False,
        description="notes written in ideate stay off the wall (each phone sees its own) until the facilitator "
        "reveals them all at once",
    )
    show_authors: bool = Field(
        False, description="project authors' names on the wall (off: names stay off the room's screen)"
    )
    team_min_size: int = Field(2, ge=1, le=100)
    team_max_size: int = Field(6, ge=1, le=100)
    budget_cap_per_request: NonNegativeMoney = Decimal("5000")
    budget_pool: NonNegativeMoney = Decimal("20000")
    currency: Currency = "EUR"
    timeboxes: dict[Phase, int] = Field(
        default_factory=dict, description="minutes per phase, for the facilitator's timer"
    )
    # Flood limits, sized for a room of 1,000 (issue 11 item 14): memory and restart time stay bounded.
    max_participants: int = Field(2_000, ge=1, le=100_000, description="people who may join")
    max_ideas_per_participant: int = Field(50, ge=1, le=10_000, description="notes one phone may post")
    max_ideas: int = Field(5_000, ge=1, le=100_000, description="notes in the workshop, from every source")

    @model_validator(mode="after")
    def _bounds(self) -> Settings:
        if self.max_dots_per_idea > self.dots_per_participant:
            raise ValueError("max_dots_per_idea cannot exceed dots_per_participant")
        if self.team_min_size > self.team_max_size:
            raise ValueError("team_min_size cannot exceed team_max_size")
        for minutes in self.timeboxes.values():
            if not 0 < minutes <= 60 * 24 * 120:
                raise ValueError("a timebox is between 1 minute and 120 days")
        return self

    @property
    def names_projected(self) -> bool:
        """Authors' names are on the room's screens: turned on, and never in an anonymous workshop."""
        return self.show_authors and not self.anonymous


JoinCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{3,12}$")]
Language = Annotated[
    str, Field(json_schema_extra={"enum": list(SHIPPED)}, description="BCP 47 code of a shipped language")
]


def _check_language(value: str) -> str:
    if value not in SHIPPED:
        raise ValueError(f"language must be one of {', '.join(SHIPPED)}")
    return value


ShippedLanguage = Annotated[Language, AfterValidator(_check_language)]

#: Printable ASCII without spaces, quotes or angle brackets: a URL that phones, QR codes and pages can carry as is.
_URL_CHARS = re.compile(r"[!#-;=?-~]+")


def _check_follow_url(value: str) -> str:
    from urllib.parse import urlsplit

    if not _URL_CHARS.fullmatch(value):
        raise ValueError("a follow-up URL is plain ASCII without spaces, quotes or angle brackets")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError as exc:
        raise ValueError(f"not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("a follow-up URL starts with http:// or https:// and names a host")
    return value


FollowUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_check_follow_url),
    Field(json_schema_extra={"format": "uri", "pattern": r"^https?://"}),
]


class Workshop(_Strict):
    id: str
    code: JoinCode = Field(description="what people type or scan: upper-case letters and digits")
    title: Title
    prompt: LongText = ""
    template: str | None = None
    language: ShippedLanguage = Field(DEFAULT, description="the room's language: phones, projected text, reports")
    languages: list[ShippedLanguage] = Field(
        default_factory=list,
        max_length=len(SHIPPED),
        description="other languages a phone may switch to (Accept-Language picks among them and language)",
    )
    phase: Phase = Phase.LOBBY
    voting_open: bool = False
    results_revealed: bool = False
    team_candidates: list[str] = Field(
        default_factory=list, description="the ideas teams form around; participants rank these"
    )
    teams_published: bool = Field(
        False, description="phones see their team (until then the teams are a draft and ranking stays open)"
    )
    settings: Settings = Field(default_factory=Settings)
    follow_url: FollowUrl | None = Field(
        None, description="the public follow-up page (http or https): phones and the closing screen show it"
    )
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)

    @property
    def phone_languages(self) -> list[str]:
        """What a phone may show: the room's language first, then the others allowed."""
        return [self.language, *(lang for lang in self.languages if lang != self.language)]

    @property
    def teams_public(self) -> bool:
        """Phones see their team once published, and always after the teams phase."""
        return self.teams_published or self.phase in (Phase.BACKLOG, Phase.CLOSED)


class _HoldsWorkshop(Protocol):
    @property
    def workshop(self) -> Workshop: ...


class OfWorkshop:
    """The keys of whatever holds one ``workshop`` (its state, its read-only view, its summary), in one place."""

    __slots__ = ()

    @property
    def id(self: _HoldsWorkshop) -> str:
        return self.workshop.id

    @property
    def code(self: _HoldsWorkshop) -> str:
        return self.workshop.code

    @property
    def title(self: _HoldsWorkshop) -> str:
        return self.workshop.title

    @property
    def phase(self: _HoldsWorkshop) -> Phase:
        return self.workshop.phase


class PhaseTimer(_Strict):
    """The facilitator's countdown, kept by the server so the TUI, phones and tools show the same time.
    One per workshop (``id`` is the workshop's id); running while ``started_at`` is set."""

    id: str
    phase: Phase
    seconds: int = Field(ge=1, le=24 * 3600, description="the timebox, in seconds")
    elapsed: float = Field(0.0, ge=0, description="seconds counted before started_at")
    started_at: dt.datetime | None = None

    def seconds_left(self, now: dt.datetime) -> float:
        running = (now - self.started_at).total_seconds() if self.started_at else 0.0
        return max(0.0, self.seconds - self.elapsed - running)


class Participant(_Strict):
    id: str
    workshop_id: str
    name: Name = ""
    skills: list[ShortText] = Field(default_factory=list, max_length=10)
    token_hash: str = Field("", description="sha256 of the participant's token; the token is never stored")
    joined_at: dt.datetime = Field(default_factory=utcnow)
    blocked: bool = Field(False, description="the facilitator refuses their further notes")
    done_in: list[Phase] = Field(
        default_factory=list, max_length=len(Phase), description="the phases in which they said they are done"
    )


class IdeaChange(_Strict):
    at: dt.datetime = Field(default_factory=utcnow)
    action: str
    by: str = "facilitator"
    detail: str = ""


class Idea(_Strict):
    id: str
    workshop_id: str
    text: str
    theme_id: str | None = None
    author_id: str | None = None
    source: Source = Source.PHONE
    hidden: bool = False
    deleted: bool = False
    merged_into: str | None = None
    private: bool = Field(
        False, description="written during private writing: off the wall (only its author sees it) until revealed"
    )
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    history: list[IdeaChange] = Field(default_factory=list)

    @property
    def visible(self) -> bool:
        """Shown on the wall and open to votes."""
        return note_visible(self.deleted, self.hidden, self.merged_into, self.private)

    @property
    def awaiting_reveal(self) -> bool:
        """Written in private and not revealed yet (a deleted or merged one stays as it is)."""
        return note_awaiting_reveal(self.deleted, self.merged_into, self.private)


# The two rules of a note's place, on its fields: the state tallies stored notes with them before (or
# without) building their models.
def note_visible(deleted: bool, hidden: bool, merged_into: str | None, private: bool) -> bool:
    return not (deleted or hidden or merged_into or private)


def note_awaiting_reveal(deleted: bool, merged_into: str | None, private: bool) -> bool:
    return private and not (deleted or merged_into)


class Theme(_Strict):
    id: str
    workshop_id: str
    name: Title
    created_at: dt.datetime = Field(default_factory=utcnow)


class Vote(_Strict):
    """One participant's current dots on one idea; paper dots have no participant."""

    id: str
    workshop_id: str
    participant_id: str | None
    idea_id: str
    dots: int = Field(ge=1)
    source: Source = Source.PHONE


class Preference(_Strict):
    id: str
    workshop_id: str
    participant_id: str
    idea_ids: list[str] = Field(max_length=100)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Team(_Strict):
    id: str
    workshop_id: str
    idea_id: str
    name: ShortText = ""
    member_ids: list[str] = Field(default_factory=list)
    champion_id: str | None = None


class BudgetStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPENT = "spent"


class BudgetRequest(_Strict):
    amount: Amount
    currency: Currency = "EUR"
    purpose: ShortText = ""
    status: BudgetStatus = BudgetStatus.REQUESTED


class AskKind(StrEnum):
    OPEN_DATA = "open-data"
    SPACE = "space"
    PROCEDURE = "procedure"
    OTHER = "other"


class AskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    GRANTED = "granted"
    DECLINED = "declined"


class Ask(_Strict):
    """An ask to a city department, followed as a commitment: when it is due and how it was answered."""

    kind: AskKind
    department: ShortText
    detail: LongText = ""
    status: AskStatus = AskStatus.OPEN
    due: dt.date | None = Field(None, description="the day the department is to answer by")
    answer: LongText = Field("", description="what the department answered")
    answered_at: dt.date | None = Field(None, description="the day the department answered (none: not yet)")

    @property
    def answered(self) -> bool:
        """Answered once its answer is dated, or once granted or declined (older data has no date)."""
        return self.answered_at is not None or self.status in (AskStatus.GRANTED, AskStatus.DECLINED)

    def overdue(self, today: dt.date) -> bool:
        return not self.answered and self.due is not None and self.due < today


class Owner(_Strict):
    name: Name = ""
    contact: ShortText = ""
    public: bool = Field(False, description="the owner consented to be named in public reports")


class StatusChange(_Strict):
    at: dt.datetime = Field(default_factory=utcnow)
    from_: BacklogStatus | None = Field(None, alias="from")
    to: BacklogStatus
    note: LongText = ""
    next_review: dt.date | None = Field(
        None, description="the review date in force after this change: the promise made here (promise ledger)"
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


#: Decidim's ids are PostgreSQL bigints.
DECIDIM_ID_MAX = 2**63 - 1


class BacklogItem(_Strict):
    id: str
    workshop: str = Field(description="the workshop's id")
    title: Title
    problem: LongText = ""
    idea_ids: list[str] = Field(default_factory=list)
    team_id: str | None = None
    owner: Owner = Field(default_factory=Owner)
    budget_requests: list[BudgetRequest] = Field(default_factory=list, max_length=50)
    asks: list[Ask] = Field(default_factory=list, max_length=50)
    status: BacklogStatus = BacklogStatus.PROPOSED
    history: list[StatusChange] = Field(default_factory=list)
    next_review: dt.date | None = None
    dots: int = Field(0, ge=0)
    decidim_id: int | None = Field(
        None,
        ge=1,
        le=DECIDIM_ID_MAX,
        description="the Decidim accountability result this item is published as (`decidim link`): Decidim "
        "exports fill its `id`, so a new import updates that result instead of creating another",
    )
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


#: The tables of one workshop's store and the model of each document.
TABLES: dict[str, type[BaseModel]] = {
    "workshop": Workshop,
    "participants": Participant,
    "themes": Theme,
    "ideas": Idea,
    "votes": Vote,
    "preferences": Preference,
    "teams": Team,
    "backlog": BacklogItem,
}

TableName = Literal["workshop", "participants", "themes", "ideas", "votes", "preferences", "teams", "backlog"]
