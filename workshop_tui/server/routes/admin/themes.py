"""Themes the notes are grouped into: create, rename, delete (their notes keep no theme)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from workshop_tui.actions import Action
from workshop_tui.models import Theme
from workshop_tui.server.deps import Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.routes.admin.actions import performs
from workshop_tui.server.schemas import ThemeIn

router = APIRouter(prefix="/w/{code}/themes")

WRITE = (401, 404, 409, 413, 415, 422, 503)


@router.post("", status_code=201, responses=documented(*WRITE), **performs(Action.CREATE_THEME))
async def create_theme(state: Workshop, body: ThemeIn, service: Service) -> Theme:
    return await service.create_theme(state.code, body.name)


@router.patch("/{theme_id}", responses=documented(*WRITE), **performs(Action.RENAME_THEME))
async def rename_theme(state: Workshop, theme_id: str, body: ThemeIn, service: Service) -> Theme:
    return await service.rename_theme(state.code, theme_id, body.name)


@router.delete(
    "/{theme_id}",
    status_code=204,
    response_class=Response,
    responses=documented(*WRITE),
    **performs(Action.DELETE_THEME),
)
async def delete_theme(state: Workshop, theme_id: str, service: Service) -> Response:
    await service.delete_theme(state.code, theme_id)
    return Response(status_code=204)
