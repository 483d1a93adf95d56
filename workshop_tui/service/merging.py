"""Merging duplicate notes, and undoing a merge (the merge records what moved, so unmerge puts it back)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop_tui.actions import Action, require
from workshop_tui.counted import plural
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.models import Idea, Source, Vote
from workshop_tui.service.base import Concern, changed
from workshop_tui.state import Change, vote_id

PAPER = "paper"  # the key of paper dots (no participant) in a MergeRecord


class MergeRecord(BaseModel):
    """What a merge moved, kept in the duplicate's ``merged-into`` history entry (JSON) for unmerge."""

    model_config = ConfigDict(defer_build=True)  # built when first used (models._Strict)

    into: str
    survivor_theme: str | None = None
    #: participant id (or ``paper``) -> (dots they had on the duplicate, dots added to the survivor)
    dots: dict[str, tuple[int, int]] = Field(default_factory=dict)

    @classmethod
    def from_history(cls, idea: Idea) -> MergeRecord | None:
        """The record of ``idea``'s last merge, or None (merged before records were kept)."""
        entry = next((h for h in reversed(idea.history) if h.action == "merged-into"), None)
        if entry is None or not entry.detail.startswith("{"):
            return None
        try:
            return cls.model_validate_json(entry.detail)
        except ValidationError:
            return None


class MergeOps(Concern):
    async def merge_ideas(self, code: str, survivor_id: str, duplicate_id: str) -> Idea:
        """Fold ``duplicate`` into ``survivor``: its dots move over, both keep a trace in their history.

        A person whose dots on the two notes together exceed the per-idea limit gets the excess back
        in their budget, so the limit still holds; the survivor's history says so. The duplicate's
        ``merged-into`` entry records, as JSON, what moved (``MergeRecord``), so ``unmerge_idea`` can
        put it back.
        """
        state = self.state(code)
        require(Action.MERGE_NOTES, state.workshop.phase)
        if survivor_id == duplicate_id:
            raise Invalid("cannot merge a note into itself")
        survivor, duplicate = self._idea(state, survivor_id), self._idea(state, duplicate_id)
        for idea in (survivor, duplicate):
            if idea.deleted or idea.merged_into:
                raise Conflict(f"note {idea.id} was already deleted or merged")
        cap = state.workshop.settings.max_dots_per_idea
        change = Change(state)
        record = MergeRecord(into=survivor.id, survivor_theme=survivor.theme_id)
        moved = refunded = 0
        for vote in [v for v in state.votes.values() if v.idea_id == duplicate.id]:
            change.delete("votes", vote.id)
            existing = state.vote_of(vote.participant_id, survivor.id)
            before = existing.dots if existing else 0
            total = vote.dots + before
            keep = total if vote.participant_id is None else min(total, cap)
            refunded += total - keep
            moved += vote.dots
            record.dots[vote.participant_id or PAPER] = (vote.dots, keep - before)
            change.put(
                "votes",
                Vote(
                    id=vote_id(vote.participant_id, survivor.id),
                    workshop_id=state.id,
                    participant_id=vote.participant_id,
                    idea_id=survivor.id,
                    dots=keep,
                    source=vote.source,
                ),
            )
        note = f"merged {duplicate.id}: {duplicate.text!r}; {moved} dots moved"
        if refunded:
            note += f", {refunded} over the per-idea limit returned to their owners"
        theme = survivor.theme_id or duplicate.theme_id
        [survivor_new] = changed([survivor], "merged-in", detail=note, theme_id=theme)
        [duplicate_new] = changed([duplicate], "merged-into", detail=record.model_dump_json(), merged_into=survivor.id)
        await self._commit_notes(state, change, [(survivor_new, "merged-in"), (duplicate_new, "merged-into")])
        return survivor_new

    async def unmerge_idea(self, code: str, duplicate_id: str) -> Idea:
        """Undo ``merge_ideas``: the duplicate is back on the wall with the dots that moved.

        Dots people withdrew from the survivor since are not taken twice; dots that were returned over
        the per-idea limit come back only as far as their owner's budget still allows. Returns the
        duplicate.
        """
        state = self.state(code)
        require(Action.UNMERGE_NOTE, state.workshop.phase)
        duplicate = self._idea(state, duplicate_id)
        if not duplicate.merged_into:
            raise Conflict(f"note {duplicate_id} is not merged into another note")
        survivor = self._idea(state, duplicate.merged_into)
        record = MergeRecord.from_history(duplicate)
        budget = state.workshop.settings.dots_per_participant
        change = Change(state)
        back = 0
        for who, (had, added) in (record.dots if record else {}).items():
            pid = None if who == PAPER else who
            current = state.vote_of(pid, survivor.id)
            now_on_survivor = current.dots if current else 0
            take = min(added, now_on_survivor)
            spare = budget - state.dots_used[pid] if pid is not None else had
            restored = min(had, take + max(0, min(had - added, spare)))
            back += restored
            source = current.source if current else (Source.PAPER if pid is None else Source.PHONE)
            if current is not None and take:
                left = now_on_survivor - take
                if left:
                    change.put("votes", current.model_copy(update={"dots": left}))
                else:
                    change.delete("votes", current.id)
            if restored:
                change.put(
                    "votes",
                    Vote(
                        id=vote_id(pid, duplicate.id),
                        workshop_id=state.id,
                        participant_id=pid,
                        idea_id=duplicate.id,
                        dots=restored,
                        source=source,
                    ),
                )
        theme = survivor.theme_id
        if record is not None and theme == duplicate.theme_id and record.survivor_theme is None:
            theme = None  # the survivor had taken the duplicate's theme in the merge
        split = f"split out {duplicate.id}; {plural(back, 'dot')} went back"
        [survivor_new] = changed([survivor], "unmerged-out", detail=split, theme_id=theme)
        [duplicate_new] = changed([duplicate], "unmerged", detail=survivor.id, merged_into=None)
        await self._commit_notes(state, change, [(duplicate_new, "unmerged"), (survivor_new, "unmerged-out")])
        return duplicate_new
