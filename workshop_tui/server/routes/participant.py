"""The phones' routes under ``/api/v1/w/{code}`` (docs/http.md).

``POST .../votes`` and ``DELETE .../votes/{idea_id}`` are usually answered by the vote fast path
(``server/fastpath.py``) before they reach FastAPI; these routes define and document them, and answer
whatever the fast path hands on (any body that is not a plain vote), so errors look the same.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import StreamingResponse

from workshop_tui.server.deps import Context, CurrentParticipant, Reader, Service, Workshop, Writer
from workshop_tui.server.errors import documented
from workshop_tui.server.http import COOKIE_MAX_AGE, JSON, cookie_name
from workshop_tui.server.join_pass import PASS_COOKIE
from workshop_tui.server.schemas import (
    DoneIn,
    DoneOut,
    IdeaDeletedOut,
    IdeaIn,
    IdeaOut,
    JoinIn,
    JoinOut,
    MeOut,
    PreferencesIn,
    PreferencesOut,
    RemainingOut,
    VoteIn,
    WorkshopOut,
)
from workshop_tui.server.views import WALL, idea_view, me_view, ready_view, wall_tag, wall_view, workshop_view

# FastAPI builds a router's routes (their signatures, validators, response models) on its first request:
# the reads a phone starts with are one router, the writes another, so the first GET (a phone scanning
# the QR code, serve's first answer) builds four routes, not the twelve of the phones' API.
reads = APIRouter(prefix="/api/v1/w/{code}", tags=["participant"])
writes = APIRouter(prefix="/api/v1/w/{code}", tags=["participant"])
ROUTERS = (reads, writes)

#: GET /ideas says how many notes are written in private (off the list until revealed).
PRIVATE_NOTES = "X-Private-Notes"

# Every write may also meet the guard: 413 (body too large), 415 (not JSON), 503 (store failed).
WRITE = (413, 415, 422, 429, 503)


@writes.post("/join", status_code=201, responses=documented(404, 409, *WRITE))
async def join(
    state: Workshop,
    ctx: Context,
    request: Request,
    response: Response,
    body: Annotated[JoinIn | None, Body()] = None,
) -> JoinOut:
    client = request.client
    ctx.joins.check_join(client.host if client else "unknown", request.cookies.get(PASS_COOKIE))
    body = body or JoinIn()
    person, token = await ctx.service.join(state.code, body.name, body.skills)
    response.set_cookie(
        cookie_name(state.code),
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=ctx.secure_cookie,
    )
    return JoinOut(participant_id=person.id, token=token)


@reads.get("", responses=documented(404))
async def workshop(state: Workshop, service: Service) -> WorkshopOut:
    return workshop_view(service, state)


@reads.get(
    "/ideas",
    response_model=list[IdeaOut],
    responses={304: {"description": "not changed since the ETag sent in If-None-Match"}, **documented(404)},
    summary="The notes on the wall (dot totals only once revealed); mine/my_dots with a token",
)
async def ideas(state: Workshop, reader: Reader, request: Request, ctx: Context) -> list[IdeaOut] | Response:
    """Revalidated with an ETag (the store's record number and the reader), so a phone that polls
    costs a 304; the anonymous wall is encoded once per change, however many read it."""
    tag = wall_tag(state, reader)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache", PRIVATE_NOTES: str(state.private_notes)}
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if reader is None:
        return Response(ctx.walls.encoded(state), media_type=JSON, headers=headers)
    return Response(WALL.dump_json(wall_view(state, reader)), media_type=JSON, headers=headers)


@writes.post("/ideas", status_code=201, responses=documented(401, 404, 409, *WRITE))
async def post_idea(state: Workshop, me: Writer, body: IdeaIn, service: Service) -> IdeaOut:
    idea = await service.post_idea(state.code, body.text, author_id=me.id)
    return idea_view(state, idea, me.id)


@writes.patch(
    "/ideas/{idea_id}", responses=documented(401, 404, 409, *WRITE), summary="Edit one of my notes (ideation phase)"
)
async def edit_idea(state: Workshop, idea_id: str, me: Writer, body: IdeaIn, service: Service) -> IdeaOut:
    idea = await service.edit_idea(state.code, idea_id, body.text, by=me.id)
    return idea_view(state, idea, me.id)


@writes.delete(
    "/ideas/{idea_id}",
    responses=documented(401, 404, 409, 415, 429, 503),
    summary="Delete one of my notes (ideation phase)",
)
async def delete_idea(state: Workshop, idea_id: str, me: Writer, service: Service) -> IdeaDeletedOut:
    idea = await service.delete_idea(state.code, idea_id, by=me.id)
    return IdeaDeletedOut(id=idea.id, deleted=idea.deleted)


@writes.post("/votes", status_code=201, responses=documented(401, 404, 409, *WRITE))
async def cast_dot(state: Workshop, me: Writer, body: VoteIn, service: Service) -> RemainingOut:
    return RemainingOut(remaining_dots=await service.cast_dot(state.code, me.id, body.idea_id))


@writes.delete("/votes/{idea_id}", responses=documented(401, 404, 409, 415, 429, 503))
async def withdraw_dot(state: Workshop, idea_id: str, me: Writer, service: Service) -> RemainingOut:
    return RemainingOut(remaining_dots=await service.withdraw_dot(state.code, me.id, idea_id))


@writes.put("/preferences", responses=documented(401, 404, 409, *WRITE))
async def set_preferences(state: Workshop, me: Writer, body: PreferencesIn, service: Service) -> PreferencesOut:
    pref = await service.set_preferences(state.code, me.id, body.idea_ids)
    return PreferencesOut(idea_ids=pref.idea_ids)


@writes.put(
    "/done",
    responses=documented(401, 404, 409, *WRITE),
    summary="Say I am done writing (ideate) or voting (vote), or not done after all; answers the room's counts",
)
async def say_done(state: Workshop, me: Writer, service: Service, body: Annotated[DoneIn, Body()]) -> DoneOut:
    person = await service.say_done(state.code, me.id, body.done)
    return DoneOut(done=state.workshop.phase in person.done_in, ready=ready_view(state))


@reads.get("/me", responses=documented(401, 404))
async def me(state: Workshop, me: CurrentParticipant, service: Service) -> MeOut:
    return me_view(state, me)


@reads.get(
    "/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": "live updates"},
        **documented(404, 429, 503),
    },
    summary="Server-sent events: phase changes, reveals, teams, the timer, and (coalesced) note changes",
)
async def events(state: Workshop, ctx: Context, reader: Reader, request: Request) -> StreamingResponse:
    limits = ctx.limits
    if reader is not None:
        holder = ctx.broker.admit("participant:" + reader, limits.sse_per_participant)
    else:
        address = request.client.host if request.client else "unknown"
        holder = ctx.broker.admit("address:" + address, limits.sse_anonymous_per_address)
    return StreamingResponse(
        ctx.broker.stream(state.code, holder), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
    )
