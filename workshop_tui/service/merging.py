"""Merging duplicate notes, and undoing a merge."""

from __future__ import annotations

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.models import Idea, IdeaChange, Vote, utcnow
from workshop_tui.service.base import Concern
from workshop_tui.state import Change, WorkshopState, vote_id


class MergeOps(Concern):
    async def merge_ideas(self, code: str, survivor_id: str, duplicate_id: str) -> Idea:
        """Fold ``duplicate`` into ``survivor``: its dots move over, both keep a trace in their history.

        A person whose dots on the two notes together exceed the per-idea limit gets the excess back
        in their budget, so the limit still holds; the survivor's history says so.
        """
        state = self.state(code)
        require(Action.MERGE_NOTES, state.workshop.phase)
        if survivor_id == duplicate_id:
            raise Invalid("cannot merge a note into itself")
        survivor, duplicate = self._idea(state, survivor_id), self._idea(state, duplicate_id)
        for idea in (survivor, duplicate):
            if idea.deleted or idea.merged_into:
                raise Conflict(f"note {idea.id} was already deleted or merged")
        change = Change(state)
        moved, refunded = _move_votes(state, change, duplicate.id, survivor.id)
        note = f"merged {duplicate.id}: {duplicate.text!r}; {moved} dots moved"
        if refunded:
            note += f", {refunded} over the per-idea limit returned to their owners"
        now = utcnow()
        theme = survivor.theme_id or duplicate.theme_id
        survivor_new = survivor.model_copy(
            update={
                "theme_id": theme,
                "updated_at": now,
                "history": [*survivor.history, IdeaChange(action="merged-in", detail=note)],
            }
        )
        duplicate_new = duplicate.model_copy(
            update={
                "merged_into": survivor.id,
                "updated_at": now,
                "history": [*duplicate.history, IdeaChange(action="merged-into", detail=survivor.id)],
            }
        )
        change.put("ideas", survivor_new)
        change.put("ideas", duplicate_new)
        await change.commit()
        for idea, action in ((survivor_new, "merged-in"), (duplicate_new, "merged-into")):
            self._emit(state, ev.IdeaChanged, idea=idea, action=action)
        return survivor_new

    async def unmerge_idea(self, code: str, idea_id: str) -> Idea:
        """Put a merged note back on the wall. Its dots stay on the note it was merged into: the merge
        added them to each person's dots there, and splitting them back would be a guess."""
        state = self.state(code)
        require(Action.UNMERGE_NOTE, state.workshop.phase)
        duplicate = self._idea(state, idea_id)
        if duplicate.merged_into is None:
            raise Conflict(f"note {idea_id} is not merged into another note")
        survivor = state.ideas.get(duplicate.merged_into)
        now = utcnow()
        duplicate_new = duplicate.model_copy(
            update={
                "merged_into": None,
                "updated_at": now,
                "history": [*duplicate.history, IdeaChange(action="unmerged", detail=duplicate.merged_into)],
            }
        )
        change = Change(state)
        change.put("ideas", duplicate_new)
        changed = [(duplicate_new, "unmerged")]
        if survivor is not None:
            survivor_new = survivor.model_copy(
                update={
                    "updated_at": now,
                    "history": [*survivor.history, IdeaChange(action="unmerged-out", detail=duplicate.id)],
                }
            )
            change.put("ideas", survivor_new)
            changed.append((survivor_new, "unmerged-out"))
        await change.commit()
        for idea, action in changed:
            self._emit(state, ev.IdeaChanged, idea=idea, action=action)
        return duplicate_new


def _move_votes(state: WorkshopState, change: Change, from_id: str, to_id: str) -> tuple[int, int]:
    """Each person's dots on ``from_id`` join theirs on ``to_id``, up to the per-idea limit (paper
    dots have none). Returns (dots moved, dots over the limit given back to their owners' budgets)."""
    cap = state.workshop.settings.max_dots_per_idea
    moved = refunded = 0
    for vote in [v for v in state.votes.values() if v.idea_id == from_id]:
        change.delete("votes", vote.id)
        existing = state.vote_of(vote.participant_id, to_id)
        total = vote.dots + (existing.dots if existing else 0)
        keep = total if vote.participant_id is None else min(total, cap)
        refunded += total - keep
        moved += vote.dots
        change.put(
            "votes",
            Vote(
                id=vote_id(vote.participant_id, to_id),
                workshop_id=state.id,
                participant_id=vote.participant_id,
                idea_id=to_id,
                dots=keep,
                source=vote.source,
            ),
        )
    return moved, refunded
