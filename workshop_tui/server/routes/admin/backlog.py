"""The prototype backlog: convert ideas, list across workshops, edit one item."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from workshop_tui.actions import Action
from workshop_tui.models import BacklogItem, BacklogStatus
from workshop_tui.server.deps import Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.routes.admin.actions import performs
from workshop_tui.server.schemas import BacklogConvertIn, check_storable
from workshop_tui.service import BacklogPatch

router = APIRouter()

WRITE = (401, 409, 413, 415, 422, 503)


@router.post(
    "/w/{code}/backlog",
    status_code=201,
    responses=documented(404, *WRITE),
    summary="Turn ideas (default: the teams' ideas) into backlog items",
    **performs(Action.CONVERT_TO_BACKLOG),
)
async def convert_to_backlog(
    state: Workshop, service: Service, body: Annotated[BacklogConvertIn | None, Body()] = None
) -> list[BacklogItem]:
    body = body or BacklogConvertIn()
    return await service.convert_to_backlog(state.code, body.idea_ids)


@router.get("/backlog", responses=documented(401, 404, 422))
async def list_backlog(
    service: Service,
    status: BacklogStatus | None = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    workshop: Annotated[str | None, Query(max_length=64, description="code or id")] = None,
) -> list[BacklogItem]:
    return service.backlog_items(status=status, owner=owner, workshop=workshop)


@router.patch("/backlog/{item_id}", responses=documented(404, *WRITE), **performs(Action.EDIT_BACKLOG))
async def update_backlog_item(item_id: str, body: BacklogPatch, service: Service) -> BacklogItem:
    check_storable(body)
    return await service.update_backlog_item(item_id, body)
