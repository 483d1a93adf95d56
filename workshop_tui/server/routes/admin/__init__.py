"""The facilitator's API under ``/api/v1/admin`` (``Authorization: Bearer ADMIN_TOKEN``), for scripts,
other tools and a co-facilitator; the TUI calls the service directly. One module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from workshop_tui.server.deps import Admin
from workshop_tui.server.routes.admin import backlog, notes, teams, themes, workshops


def build() -> APIRouter:
    router = APIRouter(prefix="/api/v1/admin", tags=["facilitator"], dependencies=[Admin])
    for module in (workshops, notes, themes, teams, backlog):
        router.include_router(module.router)
    return router
