"""The FastAPI application, assembled: the context the routes share, the routers, the error handlers,
the OpenAPI document, and the ASGI guard in front (docs/http.md).

- ``routes/pages.py``: the phone page, its static files, ``/healthz``;
- ``routes/participant.py``: the phones' API; ``fastpath.py`` answers plain votes before FastAPI;
- ``routes/admin/``: the facilitator's API, one module per resource, built on its first request
  (``AdminRoutes``) or for ``/openapi.json``;
- ``deps.py`` (dependencies), ``views.py`` (response models), ``errors.py``, ``openapi.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop_tui.server import errors, openapi
from workshop_tui.server.context import ServerContext
from workshop_tui.server.fastpath import VoteFastPath
from workshop_tui.server.guard import Guard
from workshop_tui.server.http import CSP
from workshop_tui.server.join_pass import JoinPasses
from workshop_tui.server.limits import Limits
from workshop_tui.server.ratelimit import RateLimiter
from workshop_tui.server.routes import pages, participant
from workshop_tui.server.sse import Broker
from workshop_tui.server.views import WallCache

if TYPE_CHECKING:
    from workshop_tui.server.runner import ParticipantServer


def create_app(server: ParticipantServer, *, fast_votes: bool = True) -> FastAPI:
    """``fast_votes=False`` sends votes through FastAPI too (the server bench compares both)."""
    limits = server.limits or Limits()
    # at least half the connections stay for ordinary requests (votes, notes)
    broker = Broker(server.service, max_streams=min(limits.sse_total, max(1, server.max_connections // 2)))
    server.on_stop(broker.close)
    context = ServerContext(
        service=server.service,
        limits=limits,
        writes=RateLimiter(burst=limits.write_burst, rate=limits.write_rate, what="writes from this phone"),
        joins=JoinPasses(limits),
        broker=broker,
        admin_token=server.admin_token.encode("utf-8"),
        secure_cookie=(server.public_url or "").lower().startswith("https://"),
        join_url=server.join_url,
        walls=WallCache(),
    )
    app = FastAPI(
        title="workshop-tui",
        version="1",
        description="Phones join a workshop, post notes, vote with dots and rank ideas; tools drive it as facilitator.",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=openapi.operation_id,
        # No OpenTelemetry: with it on, every request (the vote fast path too) first asks the global
        # providers whether they are configured, which reads os.environ three times.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.context = context
    app.state.broker = broker
    app.include_router(pages.build())
    for router in participant.ROUTERS:
        app.include_router(router)
    admin = AdminRoutes(app)
    errors.install(app)
    openapi.install(app, before=admin.include)
    fast = VoteFastPath(context.service, context.writes) if fast_votes else None
    app.state.vote_fast_path = fast
    app.add_middleware(Guard, max_body=limits.max_body, fast=fast)
    app.add_middleware(AdminOnDemand, admin=admin)
    return app


class AdminRoutes:
    """The facilitator's API (most of the routes, and their models' validators) is built on the first
    request under its prefix or for the OpenAPI document: phones never ask for it, and a launch then
    pays only for the routes it serves."""

    PREFIX = "/api/v1/admin"

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.included = False

    def include(self) -> None:
        if not self.included:
            from workshop_tui.server.routes import admin

            self.included = True
            self.app.include_router(admin.build())


class AdminOnDemand:
    """ASGI: include the facilitator's routes before the first request for one of them is routed."""

    def __init__(self, app: ASGIApp, admin: AdminRoutes) -> None:
        self.app = app
        self.admin = admin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.admin.included and scope["type"] == "http" and scope["path"].startswith(AdminRoutes.PREFIX):
            self.admin.include()
        await self.app(scope, receive, send)


__all__ = ["CSP", "Limits", "create_app"]
