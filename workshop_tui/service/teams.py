"""Team formation: the candidate ideas, the solver run off the event loop, manual moves."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.ids import new_id
from workshop_tui.models import (
    Team,
    Workshop,
    utcnow,
)
from workshop_tui.service import queries
from workshop_tui.service.base import Concern, found, short_text
from workshop_tui.state import Change

if TYPE_CHECKING:
    from workshop_tui.team_plan import TeamPlan


class TeamOps(Concern):
    # ------------------------------------------------------------------ teams

    def candidate_ideas(self, code: str, team_count: int | None = None, idea_ids: list[str] | None = None) -> list[str]:
        """``idea_ids`` when given (checked), else the top ``team_count`` ideas by dots (ties: earliest)."""
        return queries.candidate_ideas(self.state(code), team_count, idea_ids)

    async def set_team_candidates(
        self, code: str, *, idea_ids: list[str] | None = None, team_count: int | None = None
    ) -> Workshop:
        """Choose the ideas people rank and teams form around (default: the top ideas by dots)."""
        state = self.state(code)
        require(Action.CHOOSE_CANDIDATES, state.workshop.phase)
        if team_count is not None and team_count < 1:
            raise Invalid("team_count must be at least 1")
        chosen = queries.candidate_ideas(state, team_count, idea_ids)
        if not chosen:
            raise Invalid("there are no ideas on the wall to form teams around")
        updated = state.workshop.model_copy(update={"team_candidates": chosen, "updated_at": utcnow()})
        await self._commit(state, "workshop", [updated], ev.WorkshopUpdated, "workshop")
        return updated

    def default_team_count(self, code: str) -> int:
        """As many teams as the room fills at a middling size, within what the size bounds allow."""
        return queries.default_team_count(self.state(code))

    async def form_teams(
        self,
        code: str,
        *,
        team_count: int | None = None,
        min_size: int | None = None,
        max_size: int | None = None,
        idea_ids: list[str] | None = None,
    ) -> tuple[list[Team], TeamPlan]:
        """Solve the assignment (off the event loop) and replace the workshop's teams with it."""
        state = self.state(code)
        require(Action.FORM_TEAMS, state.workshop.phase)
        s = state.workshop.settings
        low = s.team_min_size if min_size is None else min_size
        high = s.team_max_size if max_size is None else max_size
        if low < 1 or high < low:
            raise Invalid(f"team sizes must satisfy 1 <= min_size <= max_size (got {low} and {high})")
        if team_count is not None and team_count < 1:
            raise Invalid("team_count must be at least 1")
        if idea_ids is None and team_count is None and queries.candidates_still_valid(state):
            candidates = list(state.workshop.team_candidates)
        else:
            candidates = queries.candidate_ideas(state, team_count, idea_ids)
        if not candidates:
            raise Invalid("there are no ideas on the wall to form teams around")
        from workshop_tui.team_plan import InfeasibleTeams, Person  # its models: only when teams are formed

        people = [
            Person(
                id=p.id,
                ranking=state.preferences[p.id].idea_ids if p.id in state.preferences else [],
                skills=p.skills,
            )
            for p in state.participants.values()
        ]
        from workshop_tui.teaming import form_teams as solve_teams  # numpy and scipy: only now

        try:
            plan = await asyncio.to_thread(solve_teams, people, candidates, low, high)
        except InfeasibleTeams as exc:
            raise Invalid(str(exc)) from None
        require(Action.FORM_TEAMS, state.workshop.phase)  # the phase may have moved meanwhile
        change = Change(state)
        for old in state.teams.values():
            change.delete("teams", old.id)
        teams = [
            Team(
                id=new_id(),
                workshop_id=state.id,
                idea_id=planned.idea_id,
                name=short_text(state.ideas[planned.idea_id].text, 60),
                member_ids=[m for m in planned.member_ids if m in state.participants],
                champion_id=planned.champion_id,
            )
            for planned in plan.teams
        ]
        for team in teams:
            change.put("teams", team)
        redrafted = state.workshop.teams_published
        if redrafted:  # new teams are a draft again: phones keep ranking until they are published
            change.put("workshop", state.workshop.model_copy(update={"teams_published": False}))
        await change.commit()
        if redrafted:
            self._emit(state, ev.WorkshopUpdated, workshop=state.workshop)
        self._emit(state, ev.TeamsChanged, teams=teams)
        return teams, plan

    async def publish_teams(self, code: str, published: bool = True) -> Workshop:
        """Show phones their team; until then the teams are the facilitator's draft and ranking stays open."""
        state = self.state(code)
        require(Action.PUBLISH_TEAMS, state.workshop.phase)
        if published and not state.teams:
            raise Conflict("there are no teams to publish yet: form them first")
        updated = state.workshop.model_copy(update={"teams_published": published, "updated_at": utcnow()})
        await self._commit(state, "workshop", [updated], ev.WorkshopUpdated, "workshop")
        return updated

    async def move_member(self, code: str, participant_id: str, team_id: str) -> list[Team]:
        """Move a person to another team (the facilitator's adjustment); size bounds are advice here."""
        state = self.state(code)
        require(Action.MOVE_MEMBER, state.workshop.phase)
        self._participant(state, participant_id)
        target = found(state.teams, team_id, "team", state.code)
        change = Change(state)
        changed = []
        current = queries.team_of(state, participant_id)
        if current is not None and current.id == team_id:
            return await self._unchanged(state, list(state.teams.values()))
        if current is not None:
            champion = None if current.champion_id == participant_id else current.champion_id
            members = [m for m in current.member_ids if m != participant_id]
            changed.append(current.model_copy(update={"member_ids": members, "champion_id": champion}))
        changed.append(target.model_copy(update={"member_ids": [*target.member_ids, participant_id]}))
        for team in changed:
            change.put("teams", team)
        await change.commit()
        self._emit(state, ev.TeamsChanged, teams=list(state.teams.values()))
        return list(state.teams.values())

    async def set_champion(self, code: str, team_id: str, participant_id: str | None) -> Team:
        state = self.state(code)
        require(Action.SET_CHAMPION, state.workshop.phase)
        team = found(state.teams, team_id, "team", state.code)
        if participant_id is not None and participant_id not in team.member_ids:
            raise Invalid("the champion must be a member of the team")
        updated = team.model_copy(update={"champion_id": participant_id})
        change = Change(state)
        change.put("teams", updated)
        await change.commit()
        self._emit(state, ev.TeamsChanged, teams=list(state.teams.values()))
        return updated
