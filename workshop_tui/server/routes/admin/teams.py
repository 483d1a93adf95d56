"""Teams: form them from the rankings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from workshop_tui.server.deps import Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.schemas import TeamsIn, TeamsOut
from workshop_tui.server.views import teams_view

router = APIRouter(prefix="/w/{code}")

WRITE = (401, 404, 409, 413, 415, 422, 503)


@router.post("/teams", responses=documented(*WRITE))
async def form_teams(state: Workshop, service: Service, body: Annotated[TeamsIn | None, Body()] = None) -> TeamsOut:
    body = body or TeamsIn()
    teams, plan = await service.form_teams(
        state.code, team_count=body.team_count, min_size=body.min_size, max_size=body.max_size, idea_ids=body.idea_ids
    )
    return TeamsOut(teams=teams_view(teams), unassigned=list(plan.unassigned), stats=plan.stats, explain=plan.explain())
