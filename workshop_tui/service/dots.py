"""Dot voting (phones and paper) and the rankings people give for team formation."""

from __future__ import annotations

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid, NotFound, PhaseError
from workshop_tui.models import (
    Idea,
    Preference,
    Source,
    Vote,
)
from workshop_tui.service import queries
from workshop_tui.service.base import Concern, validated
from workshop_tui.state import Change, WorkshopState, vote_id


class DotOps(Concern):
    # ------------------------------------------------------------------ dots

    async def cast_dot(self, code: str, participant_id: str, idea_id: str) -> int:
        """Adds one dot; returns the participant's remaining dots."""
        state = self.state(code)
        require(Action.CAST_DOT, state.workshop.phase)
        if not state.workshop.voting_open:
            raise PhaseError("voting is closed", {"reason": "voting_closed"})
        idea = self._idea(state, idea_id)
        if not idea.visible:
            raise NotFound(f"no idea {idea_id!r} on the wall")
        settings = state.workshop.settings
        if queries.remaining_dots(state, participant_id) <= 0:
            raise Conflict(
                f"no dots left: you have placed all {settings.dots_per_participant}",
                {"reason": "no_dots_left", "dots_per_participant": settings.dots_per_participant},
            )
        existing = state.vote_of(participant_id, idea_id)
        mine = existing.dots if existing else 0
        if mine >= settings.max_dots_per_idea:
            raise Conflict(
                f"at most {settings.max_dots_per_idea} of your dots can go on one idea",
                {"reason": "idea_cap", "max_dots_per_idea": settings.max_dots_per_idea},
            )
        vote = Vote(
            id=vote_id(participant_id, idea_id),
            workshop_id=state.id,
            participant_id=participant_id,
            idea_id=idea_id,
            dots=mine + 1,
        )
        return await self._write_vote(state, vote, participant_id, idea_id, +1)

    async def withdraw_dot(self, code: str, participant_id: str, idea_id: str) -> int:
        state = self.state(code)
        require(Action.WITHDRAW_DOT, state.workshop.phase)
        if not state.workshop.voting_open:
            raise PhaseError("voting is closed", {"reason": "voting_closed"})
        self._idea(state, idea_id)
        existing = state.vote_of(participant_id, idea_id)
        if existing is None:
            raise Conflict("you have no dot on this idea", {"reason": "no_dot_here"})
        vote = existing.model_copy(update={"dots": existing.dots - 1}) if existing.dots > 1 else None
        return await self._write_vote(state, vote, participant_id, idea_id, -1)

    async def add_paper_dots(self, code: str, idea_id: str, dots: int) -> int:
        """Dots counted from a paper wall (no participant); negative numbers correct a miscount."""
        state = self.state(code)
        require(Action.PAPER_DOTS, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if not idea.visible:
            raise NotFound(f"no idea {idea_id!r} on the wall")
        existing = state.vote_of(None, idea_id)
        total = (existing.dots if existing else 0) + dots
        if total < 0:
            raise Conflict("cannot remove more paper dots than were added")
        vote = (
            Vote(
                id=vote_id(None, idea_id),
                workshop_id=state.id,
                participant_id=None,
                idea_id=idea_id,
                dots=total,
                source=Source.PAPER,
            )
            if total
            else None
        )
        return await self._write_vote(state, vote, None, idea_id, dots)

    async def _write_vote(
        self, state: WorkshopState, vote: Vote | None, participant_id: str | None, idea_id: str, delta: int
    ) -> int:
        change = Change(state)
        if vote is None:
            change.delete("votes", vote_id(participant_id, idea_id))
        else:
            change.put("votes", vote)
        durable = change.apply()
        # The answer as this call left the tallies, before other requests run during the sync.
        answer = queries.remaining_dots(state, participant_id) if participant_id else state.idea_dots[idea_id]
        await durable
        self._emit(state, ev.VoteChanged, participant_id=participant_id, idea_id=idea_id, delta=delta)
        return answer

    def ranking(self, code: str) -> list[tuple[Idea, int]]:
        """Visible ideas by dots, most first; ties go to the earliest posted."""
        return queries.ranking(self.state(code))

    # ------------------------------------------------------------------ preferences

    async def set_preferences(self, code: str, participant_id: str, idea_ids: list[str]) -> Preference:
        state = self.state(code)
        require(Action.RANK_IDEAS, state.workshop.phase)
        if len(set(idea_ids)) != len(idea_ids):
            raise Invalid("each idea can appear only once in a ranking")
        allowed = set(state.workshop.team_candidates) or {i.id for i in queries.visible_ideas(state)}
        for idea_id in idea_ids:
            if idea_id not in allowed:
                raise Invalid(f"idea {idea_id!r} is not one of the ideas teams form around")
        pref = validated(
            Preference,
            {"id": participant_id, "workshop_id": state.id, "participant_id": participant_id, "idea_ids": idea_ids},
        )
        await self._commit(
            state, "preferences", [pref], ev.PreferencesSet, None, participant_id=participant_id, idea_ids=idea_ids
        )
        return pref
