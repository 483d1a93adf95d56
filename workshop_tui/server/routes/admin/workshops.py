"""Workshops: list, create, phase, voting and reveal, export."""

from __future__ import annotations

from fastapi import APIRouter

from workshop_tui.export_json import ExportDocument, build_export
from workshop_tui.server.deps import Context, Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.schemas import PhaseIn, PhaseOut, VotingIn, VotingOut, WorkshopCreateIn, WorkshopSummaryOut
from workshop_tui.server.views import summary_view

router = APIRouter()

WRITE = (401, 413, 415, 422, 503)


@router.get("/workshops", responses=documented(401))
async def list_workshops(ctx: Context) -> list[WorkshopSummaryOut]:
    return [summary_view(s, ctx.join_url(s.code)) for s in ctx.service.states()]


@router.post("/workshops", status_code=201, responses=documented(*WRITE))
async def create_workshop(body: WorkshopCreateIn, ctx: Context) -> WorkshopSummaryOut:
    settings = body.model_dump(
        include={"dots_per_participant", "max_dots_per_idea", "idea_max_length", "anonymous"}, exclude_none=True
    )
    w = await ctx.service.create_workshop(body.title, prompt=body.prompt, template=body.template, settings=settings)
    return summary_view(ctx.service.state(w.code), ctx.join_url(w.code))


@router.post("/w/{code}/phase", responses=documented(404, 409, *WRITE))
async def set_phase(state: Workshop, body: PhaseIn, service: Service) -> PhaseOut:
    w = await service.set_phase(state.code, body.phase)
    return PhaseOut(phase=w.phase)


@router.post(
    "/w/{code}/voting",
    responses=documented(404, 409, *WRITE),
    summary="Open or close the ballot; reveal or hide the results",
)
async def set_voting(state: Workshop, body: VotingIn, service: Service) -> VotingOut:
    w = await service.set_voting(state.code, voting_open=body.voting_open, results_revealed=body.results_revealed)
    return VotingOut(voting_open=w.voting_open, results_revealed=w.results_revealed)


@router.get(
    "/w/{code}/export",
    responses=documented(401, 404),
    summary="The workshop's export document (design.md section 7), as `workshop-tui export`",
)
async def export(state: Workshop) -> ExportDocument:
    return build_export(state)
