"""Notes on the wall and the themes they are grouped into; merging duplicates."""

from __future__ import annotations

from typing import Any

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid, NotFound
from workshop_tui.ids import new_id
from workshop_tui.models import (
    Idea,
    IdeaChange,
    Source,
    Theme,
    Vote,
    is_blank,
    utcnow,
)
from workshop_tui.service.base import FACILITATOR, Concern, validated
from workshop_tui.state import Change, WorkshopState, vote_id


class IdeaOps(Concern):
    # ------------------------------------------------------------------ ideas

    def _clean_text(self, state: WorkshopState, text: str) -> str:
        clean = text.strip()
        if is_blank(clean):
            raise Invalid("a note needs some text")
        limit = state.workshop.settings.idea_max_length
        if len(clean) > limit:
            raise Invalid(f"a note is at most {limit} characters (this one has {len(clean)})")
        return clean

    async def post_idea(
        self,
        code: str,
        text: str,
        *,
        author_id: str | None = None,
        source: Source = Source.PHONE,
        theme_id: str | None = None,
    ) -> Idea:
        state = self.state(code)
        require(Action.POST_IDEA if source == Source.PHONE else Action.ADD_NOTE, state.workshop.phase)
        clean = self._clean_text(state, text)
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        by = author_id or source.value
        idea = Idea(
            id=new_id(),
            workshop_id=state.id,
            text=clean,
            author_id=author_id,
            source=source,
            theme_id=theme_id,
            history=[IdeaChange(action="posted", by=by)],
        )
        change = Change(state)
        change.put("ideas", idea)
        await change.commit()
        self._emit(state, ev.IdeaPosted, idea=idea)
        return idea

    def _own_or_facilitator(
        self, state: WorkshopState, idea_id: str, by: str | None, facilitator: Action, author: Action
    ) -> tuple[Idea, str]:
        """The note and who acts on it: ``by`` is a participant id, or None for the facilitator (who may
        act in more phases)."""
        require(facilitator if by is None else author, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if by is None:
            return idea, FACILITATOR
        if idea.author_id != by:
            raise NotFound(f"no note {idea.id!r} of yours")  # never reveal other people's notes exist
        return idea, by

    async def _update_idea(self, state: WorkshopState, idea: Idea, action: str, by: str, **update: Any) -> Idea:
        history = [*idea.history, IdeaChange(action=action, by=by, detail=update.pop("detail", ""))]
        updated = idea.model_copy(update={**update, "history": history, "updated_at": utcnow()})
        change = Change(state)
        change.put("ideas", updated)
        await change.commit()
        self._emit(state, ev.IdeaChanged, idea=updated, action=action)
        return updated

    async def edit_idea(self, code: str, idea_id: str, text: str, *, by: str | None = None) -> Idea:
        state = self.state(code)
        idea, who = self._own_or_facilitator(state, idea_id, by, Action.EDIT_NOTE, Action.EDIT_OWN_IDEA)
        if idea.deleted or idea.merged_into:
            raise Conflict("this note was deleted or merged", {"reason": "note_gone"})
        clean = self._clean_text(state, text)
        return await self._update_idea(state, idea, "edited", who, text=clean, detail=f"was: {idea.text}")

    async def delete_idea(self, code: str, idea_id: str, *, by: str | None = None) -> Idea:
        """Soft delete: the note leaves the wall but stays in the data with its history (undo)."""
        state = self.state(code)
        idea, who = self._own_or_facilitator(state, idea_id, by, Action.DELETE_NOTE, Action.DELETE_OWN_IDEA)
        if idea.deleted:
            return idea
        if state.idea_dots[idea.id]:
            dots = state.idea_dots[idea.id]
            raise Conflict(f"this note has {dots} dots: merge it into another note or hide it instead")
        return await self._update_idea(state, idea, "deleted", who, deleted=True)

    async def restore_idea(self, code: str, idea_id: str) -> Idea:
        state = self.state(code)
        require(Action.RESTORE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if not idea.deleted:
            return idea
        return await self._update_idea(state, idea, "restored", FACILITATOR, deleted=False)

    async def hide_idea(self, code: str, idea_id: str, hidden: bool = True) -> Idea:
        state = self.state(code)
        require(Action.HIDE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if idea.hidden == hidden:
            return idea
        return await self._update_idea(state, idea, "hidden" if hidden else "shown", FACILITATOR, hidden=hidden)

    async def set_idea_theme(self, code: str, idea_id: str, theme_id: str | None) -> Idea:
        state = self.state(code)
        require(Action.MOVE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        if idea.theme_id == theme_id:
            return idea
        name = state.themes[theme_id].name if theme_id else "no theme"
        return await self._update_idea(state, idea, "themed", FACILITATOR, theme_id=theme_id, detail=name)

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
        cap = state.workshop.settings.max_dots_per_idea
        change = Change(state)
        moved = refunded = 0
        for vote in [v for v in state.votes.values() if v.idea_id == duplicate.id]:
            change.delete("votes", vote.id)
            existing = state.vote_of(vote.participant_id, survivor.id)
            total = vote.dots + (existing.dots if existing else 0)
            keep = total if vote.participant_id is None else min(total, cap)
            refunded += total - keep
            moved += vote.dots
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

    # ------------------------------------------------------------------ themes

    async def create_theme(self, code: str, name: str) -> Theme:
        state = self.state(code)
        require(Action.CREATE_THEME, state.workshop.phase)
        if any(t.name.casefold() == name.strip().casefold() for t in state.themes.values()):
            raise Conflict(f"a theme named {name.strip()!r} already exists")
        theme = validated(Theme, {"id": new_id(), "workshop_id": state.id, "name": name})
        change = Change(state)
        change.put("themes", theme)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=theme, action="created")
        return theme

    async def rename_theme(self, code: str, theme_id: str, name: str) -> Theme:
        state = self.state(code)
        require(Action.RENAME_THEME, state.workshop.phase)
        theme = state.themes.get(theme_id)
        if theme is None:
            raise NotFound(f"no theme {theme_id!r}")
        renamed = validated(Theme, {**theme.model_dump(), "name": name})
        change = Change(state)
        change.put("themes", renamed)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=renamed, action="renamed")
        return renamed

    async def delete_theme(self, code: str, theme_id: str) -> None:
        """The theme goes; its notes stay, without a theme, each with a history entry."""
        state = self.state(code)
        require(Action.DELETE_THEME, state.workshop.phase)
        theme = state.themes.get(theme_id)
        if theme is None:
            raise NotFound(f"no theme {theme_id!r}")
        change = Change(state)
        change.delete("themes", theme_id)
        moved = []
        for idea in [i for i in state.ideas.values() if i.theme_id == theme_id]:
            entry = IdeaChange(action="unthemed", detail=f"theme {theme.name!r} deleted")
            updated = idea.model_copy(update={"theme_id": None, "history": [*idea.history, entry]})
            change.put("ideas", updated)
            moved.append(updated)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=theme, action="deleted")
        for idea in moved:
            self._emit(state, ev.IdeaChanged, idea=idea, action="unthemed")
