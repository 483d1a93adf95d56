"""The FastAPI application: participant and facilitator routes (design.md section 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI

if TYPE_CHECKING:
    from workshop_tui.server.runner import ParticipantServer


def create_app(server: ParticipantServer) -> FastAPI:
    app = FastAPI(title="workshop-tui", version="1")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
