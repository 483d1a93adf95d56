"""Teams: the candidate ideas, forming teams from the rankings, moving people, champions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from workshop_tui.actions import Action
from workshop_tui.models import Team
from workshop_tui.server.deps import Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.routes.admin.actions import performs
from workshop_tui.server.schemas import (
    CandidatesIn,
    CandidatesOut,
    ChampionIn,
    MemberTeamIn,
    PublishedOut,
    TeamOut,
    TeamsIn,
    TeamsOut,
)
from workshop_tui.server.views import teams_view

router = APIRouter(prefix="/w/{code}")

WRITE = (401, 404, 409, 413, 415, 422, 503)


@router.put(
    "/candidates",
    responses=documented(*WRITE),
    summary="Choose the ideas that teams form around (participants rank these)",
    **performs(Action.CHOOSE_CANDIDATES),
)
async def choose_candidates(state: Workshop, body: CandidatesIn, service: Service) -> CandidatesOut:
    w = await service.set_team_candidates(state.code, idea_ids=body.idea_ids, team_count=body.team_count)
    return CandidatesOut(candidate_idea_ids=list(w.team_candidates))


@router.post("/teams", responses=documented(*WRITE), **performs(Action.FORM_TEAMS))
async def form_teams(state: Workshop, service: Service, body: Annotated[TeamsIn | None, Body()] = None) -> TeamsOut:
    body = body or TeamsIn()
    teams, plan = await service.form_teams(
        state.code, team_count=body.team_count, min_size=body.min_size, max_size=body.max_size, idea_ids=body.idea_ids
    )
    return TeamsOut(teams=teams_view(teams), unassigned=list(plan.unassigned), stats=plan.stats, explain=plan.explain())


@router.post(
    "/teams/publish",
    responses=documented(*WRITE),
    summary="Publish the formed teams: phones show everyone their team (until then ranking stays open)",
    **performs(Action.PUBLISH_TEAMS),
)
async def publish_teams(state: Workshop, service: Service) -> PublishedOut:
    w = await service.publish_teams(state.code)
    return PublishedOut(teams_published=w.teams_published)


@router.put(
    "/participants/{participant_id}/team",
    responses=documented(*WRITE),
    summary="Move a person to another team; answers every team",
    **performs(Action.MOVE_MEMBER),
)
async def move_member(state: Workshop, participant_id: str, body: MemberTeamIn, service: Service) -> list[TeamOut]:
    return teams_view(await service.move_member(state.code, participant_id, body.team_id))


@router.put("/teams/{team_id}/champion", responses=documented(*WRITE), **performs(Action.SET_CHAMPION))
async def set_champion(state: Workshop, team_id: str, body: ChampionIn, service: Service) -> TeamOut:
    team: Team = await service.set_champion(state.code, team_id, body.participant_id)
    return teams_view([team])[0]
