"""The routes' dependencies, as ``Annotated`` types: the server's context, the workshop of the path, the
participant behind the request, the facilitator's token.

The token checks are FastAPI security schemes, so ``/openapi.json`` documents exactly what is enforced.
Every dependency is ``async def``: FastAPI runs a plain ``def`` in its thread pool, a thread hop per
dependency per request (the vote bench showed it: several times slower under load).
A participant's token comes from ``Authorization: Bearer`` (which always wins, even malformed) or else
the workshop's HttpOnly cookie (the phone page); the vote fast path reads it with the same function.
"""

from __future__ import annotations

import hmac
from typing import Annotated, cast

from fastapi import Depends, Request, Security
from fastapi.openapi.models import APIKey, APIKeyIn, HTTPBearer
from fastapi.security.base import SecurityBase

from workshop_tui.errors import Unauthorized
from workshop_tui.models import Participant
from workshop_tui.server.context import ServerContext
from workshop_tui.server.http import COOKIE_PREFIX, header_token, request_token
from workshop_tui.service import WorkshopService
from workshop_tui.service.view import WorkshopView


async def get_context(request: Request) -> ServerContext:
    return cast(ServerContext, request.app.state.context)


Context = Annotated[ServerContext, Depends(get_context)]


async def get_service(ctx: Context) -> WorkshopService:
    return ctx.service


Service = Annotated[WorkshopService, Depends(get_service)]


async def get_workshop(code: str, ctx: Context) -> WorkshopView:
    """The workshop named by the path's ``{code}`` (any case), or 404: read-only (writes go through the service)."""
    return ctx.service.view(code)


Workshop = Annotated[WorkshopView, Depends(get_workshop)]


class ParticipantToken(SecurityBase):
    """``Authorization: Bearer TOKEN`` or the ``wt_CODE`` cookie: the token as sent, None if absent."""

    def __init__(self) -> None:
        self.model = HTTPBearer(description="the token from join (the header wins over the cookie)")
        self.scheme_name = "participantToken"

    async def __call__(self, request: Request, state: Workshop) -> str | None:
        return request_token(request.scope["headers"], state.code)


class ParticipantCookie(SecurityBase):
    """Documents the phone page's cookie; the token itself is read once, by :class:`ParticipantToken`."""

    def __init__(self) -> None:
        self.model = APIKey(**{"in": APIKeyIn.cookie}, name=COOKIE_PREFIX + "CODE", description="set by join")
        self.scheme_name = "participantCookie"

    async def __call__(self) -> None:
        return None


participant_token = ParticipantToken()
participant_cookie = ParticipantCookie()


async def get_participant(
    state: Workshop,
    ctx: Context,
    token: Annotated[str | None, Security(participant_token)],
    _cookie: Annotated[None, Security(participant_cookie)],
) -> Participant:
    return ctx.service.authenticate(state.code, token)


CurrentParticipant = Annotated[Participant, Depends(get_participant)]


async def get_writer(me: CurrentParticipant, ctx: Context) -> Participant:
    """The participant, once the per-phone write limit let this write through (else 429)."""
    ctx.writes.check(me.id)
    return me


Writer = Annotated[Participant, Depends(get_writer)]


async def get_reader(state: Workshop, ctx: Context, request: Request) -> str | None:
    """The participant id behind a read that needs no token (the wall): a stale token just means
    "not mine"."""
    token = request_token(request.scope["headers"], state.code)
    if not token:
        return None
    try:
        return ctx.service.authenticate(state.code, token).id
    except Unauthorized:
        return None


Reader = Annotated[str | None, Depends(get_reader)]


class AdminToken(SecurityBase):
    """``Authorization: Bearer ADMIN_TOKEN``, compared in constant time; 401 otherwise."""

    def __init__(self) -> None:
        self.model = HTTPBearer(description="the facilitator's admin token (printed by serve)")
        self.scheme_name = "adminToken"

    async def __call__(self, request: Request, ctx: Context) -> None:
        token = header_token(request.scope["headers"])
        if not token or not hmac.compare_digest(token.encode("utf-8"), ctx.admin_token):
            raise Unauthorized("the facilitator's admin token is required: Authorization: Bearer ADMIN_TOKEN")


require_admin = AdminToken()
Admin = Security(require_admin)
