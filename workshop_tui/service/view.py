"""A read-only look at one workshop: what the screens, the routes and the CLI ask of it.

The view hands out frozen models and read-only mappings over the live workshop, so a reader can
neither change the service's state nor keep a stale copy: read it for one render or one response.
Writing is the service's alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from workshop_tui.models import (
    BacklogItem,
    Idea,
    OfWorkshop,
    Participant,
    Preference,
    Settings,
    Team,
    Theme,
    Vote,
    Workshop,
)
from workshop_tui.service import queries
from workshop_tui.state import DotRow, WorkshopState
from workshop_tui.summaries import WorkshopSummary, summarize


class WorkshopView(OfWorkshop):
    __slots__ = ("_state",)

    def __init__(self, state: WorkshopState) -> None:
        self._state = state

    # ------------------------------------------------------------------ the workshop

    @property
    def workshop(self) -> Workshop:
        return self._state.workshop

    @property
    def settings(self) -> Settings:
        return self._state.workshop.settings

    def last_activity(self) -> dt.datetime:
        return self._state.last_activity()

    @property
    def seq(self) -> int:
        """The number of the workshop's last change (one store record each): a cache key, an ETag."""
        return self._state.store.seq

    def summary(self) -> WorkshopSummary:
        return summarize(self._state)

    @property
    def save_failure(self) -> str | None:
        """Why this workshop's store stopped accepting writes (fail-stop), or None while it saves."""
        return self._state.store.failed

    # ------------------------------------------------------------------ documents, by id

    @property
    def participants(self) -> Mapping[str, Participant]:
        return MappingProxyType(self._state.participants)

    @property
    def themes(self) -> Mapping[str, Theme]:
        return MappingProxyType(self._state.themes)

    @property
    def ideas(self) -> Mapping[str, Idea]:
        """Every note, including deleted, hidden and merged ones (their history stays)."""
        return MappingProxyType(self._state.ideas)

    @property
    def votes(self) -> Mapping[str, Vote]:
        return MappingProxyType(self._state.votes)

    @property
    def preferences(self) -> Mapping[str, Preference]:
        return MappingProxyType(self._state.preferences)

    @property
    def teams(self) -> Mapping[str, Team]:
        return MappingProxyType(self._state.teams)

    @property
    def backlog(self) -> Mapping[str, BacklogItem]:
        return MappingProxyType(self._state.backlog)

    # ------------------------------------------------------------------ the wall

    def visible_ideas(self) -> tuple[Idea, ...]:
        """The notes on the wall (not deleted, hidden or merged), in the order they were posted."""
        return tuple(sorted(queries.visible_ideas(self._state), key=lambda i: (i.created_at, i.id)))

    def theme_notes(self, theme_id: str | None) -> int:
        """Notes on the wall in one theme (None: no theme), the tally the session bar's count sums."""
        return self._state.theme_notes[theme_id]

    def merged_into(self, idea_id: str) -> int:
        """How many notes are merged into this one (the state's tally: no walk over the notes)."""
        return self._state.merged[idea_id]

    @property
    def private_notes(self) -> int:
        """Notes written in private, off the wall until revealed."""
        return self._state.private_notes

    def notes_on_wall(self) -> int:
        return self._state.notes_on_wall()  # a tally: the session bar asks on every event

    def readiness(self) -> queries.Readiness | None:
        """How many are done with the phase's task (counts, never names); None without one.

        Counted once per change to the workshop: every phone's ``GET /api/v1/w/{code}`` asks."""
        state = self._state
        return state.memo("readiness", lambda: queries.readiness(state))

    def is_done(self, participant: Participant) -> bool:
        """Whether the room's ready count has this person done (said so, every dot placed, a ranking saved)."""
        return queries.is_done(self._state, participant)

    def ranking(self) -> tuple[tuple[Idea, int], ...]:
        """Visible ideas by dots, most first; ties go to the earliest posted."""
        return tuple(queries.ranking(self._state))

    def tie_at_cut(self) -> tuple[int, int] | None:
        """(dots, ideas left out) when the team candidates end inside a tie on dots; else None."""
        return queries.tie_at_cut(self._state)

    # ------------------------------------------------------------------ tallies

    def dots_on(self, idea_id: str) -> int:
        return self._state.idea_dots[idea_id]

    def dots_cast(self) -> int:
        """Every dot, phones' and paper's."""
        return self._state.dots_cast()

    def phone_dots(self) -> int:
        return sum(self._state.dots_used.values())

    def dots_used(self, participant_id: str) -> int:
        return self._state.dots_used[participant_id]

    def remaining_dots(self, participant_id: str) -> int:
        return queries.remaining_dots(self._state, participant_id)

    def vote_of(self, participant_id: str | None, idea_id: str) -> Vote | None:
        """One person's vote on one idea (None: the paper dots' vote)."""
        return self._state.vote_of(participant_id, idea_id)

    def dot_rows(self) -> list[DotRow]:
        """Every vote as (participant_id, idea_id, dots, source), without building a model per dot."""
        return self._state.dot_rows()

    def authored_ideas(self, participant_id: str) -> frozenset[str]:
        """The notes this person wrote, deleted and merged ones too (a tally: no walk over the notes)."""
        return frozenset(self._state.authored.get(participant_id, ()))

    def voted_ideas(self, participant_id: str) -> frozenset[str]:
        """The ideas this person has dots on (a tally: no walk over the notes or the votes)."""
        return frozenset(self._state.voted.get(participant_id, ()))

    def dots_of(self, participant_id: str | None, idea_id: str) -> int:
        vote = self._state.vote_of(participant_id, idea_id)
        return vote.dots if vote else 0

    # ------------------------------------------------------------------ teams

    def team_of(self, participant_id: str) -> Team | None:
        return queries.team_of(self._state, participant_id)

    def people_who_ranked(self) -> int:
        return sum(1 for pid in self._state.preferences if pid in self._state.participants)
