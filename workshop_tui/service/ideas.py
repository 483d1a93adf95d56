"""Notes on the wall: posting, editing, hiding, deleting and restoring them, moving them to a theme."""

from __future__ import annotations

from typing import Any

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.counted import plural
from workshop_tui.errors import Blocked, Conflict, Invalid, NotFound
from workshop_tui.ids import new_id
from workshop_tui.models import (
    Idea,
    IdeaChange,
    Participant,
    Source,
    is_blank,
)
from workshop_tui.phases import Phase
from workshop_tui.service import queries
from workshop_tui.service.base import FACILITATOR, Concern, changed
from workshop_tui.state import WorkshopState


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

    @staticmethod
    def _check_room(state: WorkshopState, author_id: str | None) -> None:
        """The workshop's flood limits; deleted notes count too (they stay in memory and in the store)."""
        settings = state.workshop.settings
        if len(state.ideas) >= settings.max_ideas:
            raise Conflict(f"this workshop holds at most {settings.max_ideas} notes")
        if author_id is not None and state.notes_by[author_id] >= settings.max_ideas_per_participant:
            raise Conflict(f"one person may post at most {settings.max_ideas_per_participant} notes here")

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
        self._refuse_blocked(state, author_id)
        clean = self._clean_text(state, text)
        self._check_room(state, author_id)
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        by = author_id or source.value
        private = state.workshop.settings.private_writing and state.workshop.phase == Phase.IDEATE
        idea = Idea(
            id=new_id(),
            workshop_id=state.id,
            text=clean,
            author_id=author_id,
            source=source,
            theme_id=theme_id,
            private=private,
            history=[IdeaChange(action="posted", by=by, detail="in private" if private else "")],
        )
        await self._commit(state, "ideas", [idea], ev.IdeaPosted, "idea")
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
        return (await self._update_ideas(state, [idea], action, by, **update))[0]

    async def edit_idea(self, code: str, idea_id: str, text: str, *, by: str | None = None) -> Idea:
        state = self.state(code)
        idea, who = self._own_or_facilitator(state, idea_id, by, Action.EDIT_NOTE, Action.EDIT_OWN_IDEA)
        self._refuse_blocked(state, by)
        if idea.deleted or idea.merged_into:
            raise Conflict("this note was deleted or merged", {"reason": "note_gone"})
        clean = self._clean_text(state, text)
        return await self._update_idea(state, idea, "edited", who, text=clean, detail=f"was: {idea.text}")

    async def delete_idea(self, code: str, idea_id: str, *, by: str | None = None) -> Idea:
        """Soft delete: the note leaves the wall but stays in the data with its history (undo)."""
        state = self.state(code)
        idea, who = self._own_or_facilitator(state, idea_id, by, Action.DELETE_NOTE, Action.DELETE_OWN_IDEA)
        if idea.deleted:
            return await self._unchanged(state, idea)
        if state.idea_dots[idea.id]:
            dots = state.idea_dots[idea.id]
            raise Conflict(f"this note has {plural(dots, 'dot')}: merge it into another note or hide it instead")
        return await self._update_idea(state, idea, "deleted", who, deleted=True)

    async def restore_idea(self, code: str, idea_id: str) -> Idea:
        state = self.state(code)
        require(Action.RESTORE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if not idea.deleted:
            return await self._unchanged(state, idea)
        return await self._update_idea(state, idea, "restored", FACILITATOR, deleted=False)

    async def hide_idea(self, code: str, idea_id: str, hidden: bool = True) -> Idea:
        state = self.state(code)
        require(Action.HIDE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if idea.hidden == hidden:
            return await self._unchanged(state, idea)
        return await self._update_idea(state, idea, "hidden" if hidden else "shown", FACILITATOR, hidden=hidden)

    async def set_idea_theme(self, code: str, idea_id: str, theme_id: str | None) -> Idea:
        state = self.state(code)
        require(Action.MOVE_NOTE, state.workshop.phase)
        idea = self._idea(state, idea_id)
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        if idea.theme_id == theme_id:
            return await self._unchanged(state, idea)
        name = state.themes[theme_id].name if theme_id else "no theme"
        return await self._update_idea(state, idea, "themed", FACILITATOR, theme_id=theme_id, detail=name)

    async def reveal_notes(self, code: str) -> list[Idea]:
        """Put every note written in private on the wall at once (one durable change); returns them."""
        state = self.state(code)
        require(Action.REVEAL_NOTES, state.workshop.phase)
        return await self._update_ideas(state, queries.private_notes(state), "revealed", private=False)

    # ------------------------------------------------------------------ moderation in bulk

    @staticmethod
    def _refuse_blocked(state: WorkshopState, participant_id: str | None) -> None:
        person = state.participants.get(participant_id) if participant_id else None
        if person is not None and person.blocked:
            raise Blocked("the facilitator has stopped taking notes from you in this workshop")

    async def _update_ideas(
        self, state: WorkshopState, ideas: list[Idea], action: str, by: str = FACILITATOR, **update: Any
    ) -> list[Idea]:
        """Several notes in one durable change (one journal record), one event each."""
        updated = changed(ideas, action, by, **update)
        if not updated:
            return await self._unchanged(state, [])
        await self._commit(state, "ideas", updated, ev.IdeaChanged, "idea", action=action)
        return updated

    async def hide_ideas(self, code: str, idea_ids: list[str], hidden: bool = True) -> list[Idea]:
        """Hide (or show) several notes at once; returns those that changed (what an undo reverts)."""
        state = self.state(code)
        require(Action.HIDE_NOTE, state.workshop.phase)
        ideas = [self._idea(state, i) for i in dict.fromkeys(idea_ids)]
        todo = [i for i in ideas if i.hidden != hidden]
        return await self._update_ideas(state, todo, "hidden" if hidden else "shown", hidden=hidden)

    async def delete_ideas(self, code: str, idea_ids: list[str]) -> tuple[list[Idea], list[Idea]]:
        """Soft-delete several notes at once. Notes with dots are kept (merge or hide them instead).

        Returns (deleted, kept with dots)."""
        state = self.state(code)
        require(Action.DELETE_NOTE, state.workshop.phase)
        ideas = [self._idea(state, i) for i in dict.fromkeys(idea_ids)]
        todo = [i for i in ideas if not i.deleted]
        kept = [i for i in todo if state.idea_dots[i.id]]
        deleted = await self._update_ideas(
            state, [i for i in todo if not state.idea_dots[i.id]], "deleted", deleted=True
        )
        return deleted, kept

    async def restore_ideas(self, code: str, idea_ids: list[str]) -> list[Idea]:
        state = self.state(code)
        require(Action.RESTORE_NOTE, state.workshop.phase)
        todo = [i for i in (self._idea(state, x) for x in dict.fromkeys(idea_ids)) if i.deleted]
        return await self._update_ideas(state, todo, "restored", deleted=False)

    async def block_participant(self, code: str, participant_id: str, blocked: bool = True) -> Participant:
        """Refuse (or accept again) a participant's further notes; what they posted stays as it is."""
        state = self.state(code)
        require(Action.HIDE_NOTE, state.workshop.phase)  # moderation, in the phases where hiding is
        person = self._participant(state, participant_id)
        if person.blocked == blocked:
            return await self._unchanged(state, person)
        updated = person.model_copy(update={"blocked": blocked})
        # the ready counts change with it
        await self._commit(state, "participants", [updated], ev.ParticipantBlocked, "participant")
        return updated
