"""The FastAPI application: participant and facilitator routes (design.md section 5).

Every error is JSON ``{"error": message, "detail": ...}``: domain errors by their ``.status``,
request validation as 422, unknown routes 404, wrong methods 405, oversized bodies 413, floods 429
with ``Retry-After``, a failed store 503. ``/openapi.json`` lists every status each route returns.

The phone page (``/j/CODE``, also ``/J/CODE``) is served only for an existing workshop; an unknown
code gets a small static 404 HTML page (people open it in a browser, not a script).
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING, Annotated, Any

import orjson
from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from workshop_tui.errors import RateLimited, Unauthorized, WorkshopError
from workshop_tui.export_json import ExportDocument, build_export
from workshop_tui.models import BacklogItem, Idea, Participant
from workshop_tui.phases import Phase
from workshop_tui.server.ratelimit import RateLimiter
from workshop_tui.server.schemas import (
    BacklogConvertIn,
    HealthOut,
    IdeaDeletedOut,
    IdeaIn,
    IdeaOut,
    JoinIn,
    JoinOut,
    MeOut,
    PhaseIn,
    PhaseOut,
    PreferencesIn,
    PreferencesOut,
    RemainingOut,
    TeamsIn,
    TeamsOut,
    VoteIn,
    VotingIn,
    VotingOut,
    WorkshopCreateIn,
    WorkshopOut,
    WorkshopSummaryOut,
    timer_out,
)
from workshop_tui.server.sse import Broker
from workshop_tui.service import BacklogPatch, WorkshopService
from workshop_tui.state import WorkshopState

if TYPE_CHECKING:
    from workshop_tui.server.runner import ParticipantServer

from workshop_tui.server.guard import Guard, VoteFastPath
from workshop_tui.server.http import (
    COOKIE_MAX_AGE,
    COOKIE_PREFIX,
    CSP,
    JSON,
    NOT_FOUND_PAGE,
    PAGE_HEADERS,
    bearer_token,
    check_encodable,
    documented,
    error_response,
    json_response,
    read_static,
    request_error_message,
)

log = logging.getLogger(__name__)


class Limits(BaseModel):
    """Abuse limits; the defaults are the contract (design.md section 5)."""

    max_body: int = 16 * 1024
    write_burst: float = 20
    write_rate: float = 2.0
    # A whole room can sit behind one address (a hotspot's NAT, a proxy for --public-url):
    # 300 people get in within a minute, a script joining thousands is refused.
    join_burst: float = 100
    join_rate: float = 5.0


# ---------------------------------------------------------------------------------------- app


def create_app(server: ParticipantServer) -> FastAPI:
    service: WorkshopService = server.service
    limits: Limits = getattr(server, "limits", None) or Limits()
    admin_token = server.admin_token.encode("utf-8")
    broker = Broker(service)
    server.on_stop(broker.close)
    writes = RateLimiter(burst=limits.write_burst, rate=limits.write_rate, what="writes from this phone")
    joins = RateLimiter(burst=limits.join_burst, rate=limits.join_rate, what="joins from this address")
    phone_html, phone_css, phone_js = (read_static(n) for n in ("phone.html", "phone.css", "phone.js"))
    secure_cookie = (server.public_url or "").lower().startswith("https://")

    app = FastAPI(
        title="workshop-tui",
        version="1",
        description="Phones join a workshop, post notes, vote with dots and rank ideas; tools drive it as facilitator.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.broker = broker
    app.state.write_limiter = writes
    app.state.join_limiter = joins

    # ------------------------------------------------------------------ errors

    @app.exception_handler(WorkshopError)
    async def on_domain_error(request: Request, exc: WorkshopError) -> Response:
        status = exc.status if 400 <= exc.status < 500 else 503
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return error_response(status, exc.message, exc.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return error_response(422, request_error_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        if status == 400:  # FastAPI could not read the body at all (bytes that are not JSON text)
            return error_response(422, "invalid request: the body is not valid JSON", str(exc.detail))
        message = {404: "not found", 405: "method not allowed"}.get(status, str(exc.detail))
        if status == 404:
            message = f"no such route: {request.method} {request.url.path}"
        return error_response(status, message, None, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug if reached
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error: the facilitator's log has the details")

    fast = VoteFastPath(service, writes)
    app.state.vote_fast_path = fast
    app.add_middleware(Guard, max_body=limits.max_body, fast=fast)

    # ------------------------------------------------------------------ dependencies

    async def participant(code: str, request: Request) -> tuple[WorkshopState, Participant]:
        state = service.state(code)
        token = bearer_token(request)
        if token is None:
            token = request.cookies.get(COOKIE_PREFIX + state.code)
        return state, service.authenticate(state.code, token)

    async def writer(who: tuple[WorkshopState, Participant] = Depends(participant)) -> Participant:
        writes.check(who[1].id)
        return who[1]

    async def admin(request: Request) -> None:
        token = bearer_token(request)
        if not token or not hmac.compare_digest(token.encode("utf-8"), admin_token):
            raise Unauthorized("the facilitator's admin token is required: Authorization: Bearer ADMIN_TOKEN")

    participant_auth: dict[str, Any] = {"security": [{"participantToken": []}, {"participantCookie": []}]}
    admin_auth: dict[str, Any] = {"security": [{"adminToken": []}]}

    # ------------------------------------------------------------------ views

    def idea_view(state: WorkshopState, idea: Idea, pid: str | None) -> dict[str, Any]:
        theme = state.themes.get(idea.theme_id) if idea.theme_id else None
        vote = state.votes.get(f"{pid}:{idea.id}") if pid else None
        out: dict[str, Any] = {
            "id": idea.id,
            "text": idea.text,
            "theme": theme.name if theme else None,
            "theme_id": idea.theme_id if theme else None,
            "mine": pid is not None and idea.author_id == pid,
            "my_dots": vote.dots if vote else 0,
        }
        if state.workshop.results_revealed:
            out["dots"] = state.idea_dots[idea.id]
        return out

    def workshop_view(state: WorkshopState) -> dict[str, Any]:
        w = state.workshop
        s = w.settings
        return {
            "code": w.code,
            "title": w.title,
            "prompt": w.prompt,
            "phase": w.phase.value,
            "dots_per_participant": s.dots_per_participant,
            "max_dots_per_idea": s.max_dots_per_idea,
            "idea_max_length": s.idea_max_length,
            "voting_open": w.voting_open,
            "results_revealed": w.results_revealed,
            "candidate_idea_ids": list(w.team_candidates) if w.phase == Phase.TEAMS else [],
            "timer": timer_out(service.timer(state.code)),
        }

    def summary_view(state: WorkshopState) -> dict[str, Any]:
        w = state.workshop
        return {
            "code": w.code,
            "id": w.id,
            "title": w.title,
            "template": w.template,
            "phase": w.phase.value,
            "participants": len(state.participants),
            "ideas": sum(1 for i in state.ideas.values() if i.visible),
            "dots": state.dots_cast(),
            "join_url": server.join_url(w.code),
        }

    def me_view(state: WorkshopState, p: Participant) -> dict[str, Any]:
        votes = []
        for idea_id in state.ideas:
            vote = state.votes.get(f"{p.id}:{idea_id}")
            if vote is not None:
                votes.append({"idea_id": idea_id, "dots": vote.dots})
        pref = state.preferences.get(p.id)
        team = service.team_of(state, p.id) if state.workshop.teams_public else None
        team_out = None
        if team is not None:
            people = state.participants
            champion = people.get(team.champion_id) if team.champion_id else None
            idea = state.ideas.get(team.idea_id)
            team_out = {
                "id": team.id,
                "idea_id": team.idea_id,
                "idea_text": idea.text if idea else "",
                "member_names": [people[m].name for m in team.member_ids if m in people],
                "champion_name": champion.name if champion else None,
            }
        mine = [i for i in state.ideas.values() if i.author_id == p.id and not i.deleted and not i.merged_into]
        return {
            "participant_id": p.id,
            "name": p.name,
            "ideas": [idea_view(state, i, p.id) for i in sorted(mine, key=lambda i: (i.created_at, i.id))],
            "votes": votes,
            "remaining_dots": service.remaining_dots(state, p.id),
            "preferences": list(pref.idea_ids) if pref else [],
            "team": team_out,
        }

    # ------------------------------------------------------------------ participant routes

    healthz_body = orjson.dumps({"status": "ok"})

    @app.get("/healthz", response_model=HealthOut, tags=["meta"])
    async def healthz() -> Response:
        return Response(healthz_body, media_type=JSON)

    page_responses: dict[int | str, dict[str, Any]] = {
        200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "the phone page"},
        404: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "no such workshop"},
    }

    async def phone_page(code: str) -> Response:
        try:
            service.state(code)
        except WorkshopError:
            return Response(NOT_FOUND_PAGE, 404, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)
        return Response(phone_html, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    for prefix in ("/j", "/J"):
        app.add_api_route(
            prefix + "/{code}",
            phone_page,
            methods=["GET"],
            response_class=Response,
            responses=page_responses,
            tags=["phone page"],
            summary=f"The phone page ({prefix}/CODE)",
        )

    def static_route(path: str, body: bytes, media: str) -> None:
        async def serve_static() -> Response:
            return Response(body, media_type=media, headers={"Cache-Control": "no-cache"})

        app.add_api_route(
            path,
            serve_static,
            methods=["GET"],
            response_class=Response,
            responses={200: {"content": {media.split(";")[0]: {"schema": {"type": "string"}}}, "description": path}},
            tags=["phone page"],
            summary=path,
        )

    @app.get("/favicon.ico", status_code=204, response_class=Response, tags=["phone page"])
    async def favicon() -> Response:
        return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})

    static_route("/static/phone.css", phone_css, "text/css; charset=utf-8")
    static_route("/static/phone.js", phone_js, "text/javascript; charset=utf-8")

    @app.post(
        "/api/v1/w/{code}/join",
        status_code=201,
        response_model=JoinOut,
        responses=documented(404, 409, 413, 422, 429, 503),
        tags=["participant"],
    )
    async def join(code: str, request: Request, body: Annotated[JoinIn | None, Body()] = None) -> Response:
        client = request.client
        joins.check(client.host if client else "unknown")
        body = body or JoinIn()
        check_encodable(body)
        state = service.state(code)
        person, token = await service.join(state.code, body.name, body.skills)
        response = json_response({"participant_id": person.id, "token": token}, 201)
        response.set_cookie(
            COOKIE_PREFIX + state.code,
            token,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="strict",
            secure=secure_cookie,
        )
        return response

    @app.get("/api/v1/w/{code}", response_model=WorkshopOut, responses=documented(404), tags=["participant"])
    async def workshop(code: str) -> Response:
        return json_response(workshop_view(service.state(code)))

    @app.get(
        "/api/v1/w/{code}/ideas",
        response_model=list[IdeaOut],
        responses=documented(404),
        tags=["participant"],
        summary="The notes on the wall (dot totals only once revealed); mine/my_dots with a token",
    )
    async def ideas(code: str, request: Request) -> Response:
        state = service.state(code)
        pid: str | None = None
        token = bearer_token(request)
        if token is None:
            token = request.cookies.get(COOKIE_PREFIX + state.code)
        if token:
            try:
                pid = service.authenticate(state.code, token).id
            except Unauthorized:
                pid = None  # reading the wall needs no token; a stale one just means "not mine"
        visible = sorted((i for i in state.ideas.values() if i.visible), key=lambda i: (i.created_at, i.id))
        return json_response([idea_view(state, i, pid) for i in visible])

    @app.post(
        "/api/v1/w/{code}/ideas",
        status_code=201,
        response_model=IdeaOut,
        responses=documented(401, 404, 409, 413, 422, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
    )
    async def post_idea(code: str, body: IdeaIn, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        check_encodable(body)
        state = service.state(code)
        idea = await service.post_idea(state.code, body.text, author_id=me.id)
        return json_response(idea_view(state, idea, me.id), 201)

    @app.patch(
        "/api/v1/w/{code}/ideas/{idea_id}",
        response_model=IdeaOut,
        responses=documented(401, 404, 409, 413, 422, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
        summary="Edit one of my notes (ideation phase)",
    )
    async def edit_idea(code: str, idea_id: str, body: IdeaIn, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        check_encodable(body)
        state = service.state(code)
        idea = await service.edit_idea(state.code, idea_id, body.text, by=me.id)
        return json_response(idea_view(state, idea, me.id))

    @app.delete(
        "/api/v1/w/{code}/ideas/{idea_id}",
        response_model=IdeaDeletedOut,
        responses=documented(401, 404, 409, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
        summary="Delete one of my notes (ideation phase)",
    )
    async def delete_idea(code: str, idea_id: str, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        idea = await service.delete_idea(code, idea_id, by=me.id)
        return json_response({"id": idea.id, "deleted": idea.deleted})

    @app.post(
        "/api/v1/w/{code}/votes",
        status_code=201,
        response_model=RemainingOut,
        responses=documented(401, 404, 409, 413, 422, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
    )
    async def cast_dot(code: str, body: VoteIn, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        remaining = await service.cast_dot(code, me.id, body.idea_id)
        return json_response({"remaining_dots": remaining}, 201)

    @app.delete(
        "/api/v1/w/{code}/votes/{idea_id}",
        response_model=RemainingOut,
        responses=documented(401, 404, 409, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
    )
    async def withdraw_dot(code: str, idea_id: str, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        remaining = await service.withdraw_dot(code, me.id, idea_id)
        return json_response({"remaining_dots": remaining})

    @app.put(
        "/api/v1/w/{code}/preferences",
        response_model=PreferencesOut,
        responses=documented(401, 404, 409, 413, 422, 429, 503),
        tags=["participant"],
        openapi_extra=participant_auth,
    )
    async def set_preferences(code: str, body: PreferencesIn, me: Participant = Depends(writer)) -> Response:  # noqa: B008
        check_encodable(body)
        pref = await service.set_preferences(code, me.id, body.idea_ids)
        return json_response({"idea_ids": pref.idea_ids})

    @app.get(
        "/api/v1/w/{code}/me",
        response_model=MeOut,
        responses=documented(401, 404),
        tags=["participant"],
        openapi_extra=participant_auth,
    )
    async def me(code: str, who: tuple[WorkshopState, Participant] = Depends(participant)) -> Response:
        return json_response(me_view(*who))

    @app.get(
        "/api/v1/w/{code}/events",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": "live updates"},
            **documented(404),
        },
        tags=["participant"],
        summary="Server-sent events: phase changes, reveals, teams, and (coalesced) note changes",
    )
    async def events(code: str) -> StreamingResponse:
        state = service.state(code)
        return StreamingResponse(
            broker.stream(state.code), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
        )

    # ------------------------------------------------------------------ facilitator routes

    admin_deps = [Depends(admin)]

    @app.get(
        "/api/v1/admin/workshops",
        response_model=list[WorkshopSummaryOut],
        responses=documented(401),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def list_workshops() -> Response:
        return json_response([summary_view(s) for s in service.states()])

    @app.post(
        "/api/v1/admin/workshops",
        status_code=201,
        response_model=WorkshopSummaryOut,
        responses=documented(401, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def create_workshop(body: WorkshopCreateIn) -> Response:
        check_encodable(body)
        settings = body.model_dump(
            include={"dots_per_participant", "max_dots_per_idea", "idea_max_length", "anonymous"}, exclude_none=True
        )
        w = await service.create_workshop(body.title, prompt=body.prompt, template=body.template, settings=settings)
        return json_response(summary_view(service.state(w.code)), 201)

    @app.post(
        "/api/v1/admin/w/{code}/phase",
        response_model=PhaseOut,
        responses=documented(401, 404, 409, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def set_phase(code: str, body: PhaseIn) -> Response:
        w = await service.set_phase(code, body.phase)
        return json_response({"phase": w.phase.value})

    @app.post(
        "/api/v1/admin/w/{code}/voting",
        response_model=VotingOut,
        responses=documented(401, 404, 409, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
        summary="Open or close the ballot; reveal or hide the results",
    )
    async def set_voting(code: str, body: VotingIn) -> Response:
        w = await service.set_voting(code, voting_open=body.voting_open, results_revealed=body.results_revealed)
        return json_response({"voting_open": w.voting_open, "results_revealed": w.results_revealed})

    @app.post(
        "/api/v1/admin/w/{code}/teams",
        response_model=TeamsOut,
        responses=documented(401, 404, 409, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def form_teams(code: str, body: Annotated[TeamsIn | None, Body()] = None) -> Response:
        body = body or TeamsIn()
        teams, plan = await service.form_teams(
            code, team_count=body.team_count, min_size=body.min_size, max_size=body.max_size, idea_ids=body.idea_ids
        )
        return json_response(
            {
                "teams": [
                    {"id": t.id, "idea_id": t.idea_id, "member_ids": t.member_ids, "champion_id": t.champion_id}
                    for t in teams
                ],
                "unassigned": list(plan.unassigned),
                "stats": plan.stats.model_dump(mode="json"),
                "explain": plan.explain(),
            }
        )

    @app.post(
        "/api/v1/admin/w/{code}/backlog",
        status_code=201,
        response_model=list[BacklogItem],
        responses=documented(401, 404, 409, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
        summary="Turn ideas (default: the teams' ideas) into backlog items",
    )
    async def convert_to_backlog(code: str, body: Annotated[BacklogConvertIn | None, Body()] = None) -> Response:
        body = body or BacklogConvertIn()
        items = await service.convert_to_backlog(code, body.idea_ids)
        return json_response([i.model_dump(mode="json", by_alias=True) for i in items], 201)

    @app.get(
        "/api/v1/admin/backlog",
        response_model=list[BacklogItem],
        responses=documented(401, 404, 422),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def list_backlog(
        status: Annotated[str | None, Query(max_length=40)] = None,
        owner: Annotated[str | None, Query(max_length=200)] = None,
        workshop: Annotated[str | None, Query(max_length=64, description="code or id")] = None,
    ) -> Response:
        items = service.backlog_items(status=status, owner=owner, workshop=workshop)
        return json_response([i.model_dump(mode="json", by_alias=True) for i in items])

    @app.patch(
        "/api/v1/admin/backlog/{item_id}",
        response_model=BacklogItem,
        responses=documented(401, 404, 409, 413, 422, 503),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
    )
    async def update_backlog_item(item_id: str, body: BacklogPatch) -> Response:
        check_encodable(body)
        item = await service.update_backlog_item(item_id, body)
        return json_response(item.model_dump(mode="json", by_alias=True))

    @app.get(
        "/api/v1/admin/w/{code}/export",
        response_model=ExportDocument,
        responses=documented(401, 404),
        tags=["facilitator"],
        dependencies=admin_deps,
        openapi_extra=admin_auth,
        summary="The workshop's export document (design.md section 7), as `workshop-tui export`",
    )
    async def export(code: str) -> Response:
        doc = build_export(service.state(code))
        return json_response(doc.model_dump(mode="json", by_alias=True))

    # ------------------------------------------------------------------ OpenAPI

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {
            "participantToken": {"type": "http", "scheme": "bearer", "description": "the token from join"},
            "participantCookie": {"type": "apiKey", "in": "cookie", "name": "wt_CODE"},
            "adminToken": {"type": "http", "scheme": "bearer", "description": "the facilitator's admin token"},
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


__all__ = ["CSP", "Limits", "create_app"]
