"""Notes on the wall, as the facilitator handles them: add, edit, hide, delete, restore, move to a
theme, merge and unmerge, paper dots. Answers are the stored notes (authors and history included)."""

from __future__ import annotations

from fastapi import APIRouter

from workshop_tui.actions import Action
from workshop_tui.models import Idea, Source
from workshop_tui.server.deps import Service, Workshop
from workshop_tui.server.errors import documented
from workshop_tui.server.routes.admin.actions import performs
from workshop_tui.server.schemas import (
    AuthorsOut,
    HiddenIn,
    IdeaIn,
    MergeIn,
    NoteIn,
    PaperDotsIn,
    PaperDotsOut,
    RevealNotesOut,
    ThemeRefIn,
)

router = APIRouter(prefix="/w/{code}/ideas")

WRITE = (401, 404, 409, 413, 415, 422, 503)


@router.get(
    "/authors",
    responses=documented(401, 404),
    summary="The authors' names of the notes on the wall (by note id), for the projector when names are shown",
)
async def authors(state: Workshop) -> AuthorsOut:
    people = state.participants
    return AuthorsOut(
        authors={i.id: people[i.author_id].name for i in state.visible_ideas() if i.author_id and i.author_id in people}
    )


@router.post("", status_code=201, responses=documented(*WRITE), **performs(Action.ADD_NOTE))
async def add_note(state: Workshop, body: NoteIn, service: Service) -> Idea:
    return await service.post_idea(state.code, body.text, source=Source.FACILITATOR, theme_id=body.theme_id)


@router.post(
    "/reveal",
    responses=documented(*WRITE),
    summary="Put every note written in private on the wall at once",
    **performs(Action.REVEAL_NOTES),
)
async def reveal_notes(state: Workshop, service: Service) -> RevealNotesOut:
    return RevealNotesOut(revealed=len(await service.reveal_notes(state.code)))


@router.patch("/{idea_id}", responses=documented(*WRITE), **performs(Action.EDIT_NOTE))
async def edit_note(state: Workshop, idea_id: str, body: IdeaIn, service: Service) -> Idea:
    return await service.edit_idea(state.code, idea_id, body.text)


@router.put("/{idea_id}/hidden", responses=documented(*WRITE), **performs(Action.HIDE_NOTE))
async def hide_note(state: Workshop, idea_id: str, body: HiddenIn, service: Service) -> Idea:
    return await service.hide_idea(state.code, idea_id, body.hidden)


@router.delete("/{idea_id}", responses=documented(*WRITE), **performs(Action.DELETE_NOTE))
async def delete_note(state: Workshop, idea_id: str, service: Service) -> Idea:
    return await service.delete_idea(state.code, idea_id)


@router.post("/{idea_id}/restore", responses=documented(*WRITE), **performs(Action.RESTORE_NOTE))
async def restore_note(state: Workshop, idea_id: str, service: Service) -> Idea:
    return await service.restore_idea(state.code, idea_id)


@router.put("/{idea_id}/theme", responses=documented(*WRITE), **performs(Action.MOVE_NOTE))
async def move_note(state: Workshop, idea_id: str, body: ThemeRefIn, service: Service) -> Idea:
    return await service.set_idea_theme(state.code, idea_id, body.theme_id)


@router.post(
    "/{idea_id}/merge",
    responses=documented(*WRITE),
    summary="Merge a duplicate into this note (its dots and history come along)",
    **performs(Action.MERGE_NOTES),
)
async def merge_notes(state: Workshop, idea_id: str, body: MergeIn, service: Service) -> Idea:
    return await service.merge_ideas(state.code, idea_id, body.duplicate_id)


@router.post(
    "/{idea_id}/unmerge",
    responses=documented(*WRITE),
    summary="Put a merged note back on the wall (its dots go back)",
    **performs(Action.UNMERGE_NOTE),
)
async def unmerge_note(state: Workshop, idea_id: str, service: Service) -> Idea:
    return await service.unmerge_idea(state.code, idea_id)


@router.post("/{idea_id}/paper-dots", responses=documented(*WRITE), **performs(Action.PAPER_DOTS))
async def paper_dots(state: Workshop, idea_id: str, body: PaperDotsIn, service: Service) -> PaperDotsOut:
    total = await service.add_paper_dots(state.code, idea_id, body.dots)
    return PaperDotsOut(idea_id=idea_id, paper_dots=total)
