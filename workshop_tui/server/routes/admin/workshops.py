"""Workshops: list, create, settings, phase, voting and reveal, the phase timer, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from workshop_tui import models
from workshop_tui.actions import Action
from workshop_tui.errors import Invalid
from workshop_tui.export_json import ExportDocument, dump_json
from workshop_tui.exports import EXPORTERS, ExportOptions, bundle, export_files, exporter, prepare
from workshop_tui.locales import LOCALE_LIST_RE
from workshop_tui.server.deps import Context, Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.routes.admin.actions import performs
from workshop_tui.server.schemas import (
    PhaseIn,
    PhaseOut,
    TimerIn,
    TimerOut,
    VotingIn,
    VotingOut,
    WorkshopCreateIn,
    WorkshopPatchIn,
    WorkshopSummaryOut,
)
from workshop_tui.server.views import summary_view, timer_view
from workshop_tui.store.snapshot_file import gc_paused

router = APIRouter()

WRITE = (401, 413, 415, 422, 503)


@router.get("/workshops", responses=documented(401))
async def list_workshops(ctx: Context) -> list[WorkshopSummaryOut]:
    return [summary_view(s, ctx.join_url(s.code)) for s in ctx.service.summaries()]  # opens none


@router.post("/workshops", status_code=201, responses=documented(*WRITE))
async def create_workshop(body: WorkshopCreateIn, ctx: Context) -> WorkshopSummaryOut:
    settings = body.model_dump(
        include={"dots_per_participant", "max_dots_per_idea", "idea_max_length", "anonymous"}, exclude_none=True
    )
    w = await ctx.service.create_workshop(
        body.title,
        prompt=body.prompt,
        template=body.template,
        settings=settings,
        language=body.language,
        languages=body.languages,
        follow_url=body.follow_url,
    )
    return summary_view(ctx.service.view(w.code).summary(), ctx.join_url(w.code))


@router.patch(
    "/w/{code}",
    responses=documented(404, 409, *WRITE),
    summary="Edit the title, the prompt or any setting",
    **performs(Action.EDIT_SETTINGS),
)
async def edit_settings(state: Workshop, body: WorkshopPatchIn, service: Service) -> models.Workshop:
    # A null follow_url removes it as "" does; left out, it stays.
    follow_url = (body.follow_url or "") if "follow_url" in body.model_fields_set else None
    return await service.update_workshop(
        state.code,
        title=body.title,
        prompt=body.prompt,
        settings=body.settings,
        language=body.language,
        languages=body.languages,
        follow_url=follow_url,
    )


@router.post("/w/{code}/phase", responses=documented(404, 409, *WRITE), **performs(Action.SET_PHASE))
async def set_phase(state: Workshop, body: PhaseIn, service: Service) -> PhaseOut:
    w = await service.set_phase(state.code, body.phase)
    return PhaseOut(phase=w.phase)


@router.post(
    "/w/{code}/voting",
    responses=documented(404, 409, *WRITE),
    summary="Open or close the ballot; reveal or hide the results",
    **performs(Action.TOGGLE_VOTING, Action.REVEAL_RESULTS),
)
async def set_voting(state: Workshop, body: VotingIn, service: Service) -> VotingOut:
    w = await service.set_voting(state.code, voting_open=body.voting_open, results_revealed=body.results_revealed)
    return VotingOut(voting_open=w.voting_open, results_revealed=w.results_revealed)


@router.put(
    "/w/{code}/timer",
    responses=documented(404, 409, *WRITE),
    summary="Start, pause, resume, extend or stop the phase timer (null once stopped)",
    **performs(Action.TIMER),
)
async def timer(state: Workshop, body: TimerIn, service: Service) -> TimerOut | None:
    return timer_view(await service.set_timer(state.code, body.command, body.minutes))


def _export_responses() -> dict[int | str, dict[str, Any]]:
    """200 in every media type of the registry (a multi-file format is a zip of its files)."""
    types = {e.media_type for e in EXPORTERS.values() if not e.multi_file and e.media_type != "application/json"}
    if any(e.multi_file for e in EXPORTERS.values()):
        types.add("application/zip")
    content = {t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(types)}
    return {200: {"description": "the export: the JSON document, or the format's file", "content": content}}


@router.get(
    "/w/{code}/export",
    response_model=ExportDocument,
    responses={**_export_responses(), **documented(401, 404, 422)},
    summary="The workshop's export (docs/export-format.md), as `workshop-tui export`: the JSON document by "
    "default, any format of the exporter registry with `format`",
)
async def export(
    state: Workshop,
    format: Annotated[str, Query(json_schema_extra={"enum": list(EXPORTERS)}, description="default json")] = "json",
    anonymize: bool = False,
    by_department: bool = False,
    locale: Annotated[
        str | None,
        Query(
            pattern=LOCALE_LIST_RE.pattern,
            max_length=200,
            description="the Decidim organisation's locales, its default (the workshop's language) first: en,fi,sv",
        ),
    ] = None,
    separator: Annotated[
        str | None, Query(pattern=r"^[;,|\t]$", description="the column separator of a Decidim file (default ;)")
    ] = None,
) -> Any:
    try:
        chosen = exporter(format)
        options = ExportOptions(anonymize=anonymize, by_department=by_department, locale=locale, separator=separator)
        chosen.check(options, cli=False)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if chosen.name == "json":
        # The document is built and validated by the export itself: serialised here, with the
        # collector paused, rather than validated and serialised again by FastAPI (it made the
        # time grow faster than the workshop).
        with gc_paused():
            doc = prepare(state, anonymized=anonymize)
            data = dump_json(doc, indent=False)
        return Response(data, media_type="application/json")
    data, media_type, name = bundle(export_files(state, chosen.name, options), chosen, state.code, options)
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
