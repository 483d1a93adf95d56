"""Moderation on the wall: marks (space), hiding and deleting the marked notes or the highlighted one, and
hiding or blocking a person's notes, each step undoable (``u``) through the wall's ``UndoHistory``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from screens.confirm import ConfirmScreen
from screens.wall.undo import in_turn
from screens.widgets.note_wall import NoteWall
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea
from workshop_tui.text_safety import terminal_safe

if TYPE_CHECKING:
    from screens.wall.screen import WallScreen

T = TypeVar("T")


class Moderation:
    """The wall's moderation keys, acting for ``screen`` through its service."""

    def __init__(self, screen: WallScreen) -> None:
        self.screen = screen
        self.marked: dict[str, None] = {}  # notes marked with space, in marking order

    def author(self, idea: Idea | None) -> str | None:
        """The participant who posted ``idea`` (paper and facilitator notes have none)."""
        if idea is None or idea.author_id is None:
            return None
        return idea.author_id if idea.author_id in self.screen.view.participants else None

    def blocked(self, participant_id: str) -> bool:
        person = self.screen.view.participants.get(participant_id)
        return person is not None and person.blocked

    def targets(self) -> list[Idea]:
        """The marked notes still on the wall, else the highlighted one."""
        ideas = self.screen.view.ideas
        marked = [ideas[i] for i in self.marked if i in ideas and not ideas[i].deleted and not ideas[i].merged_into]
        if marked:
            return marked
        selected = self.screen.selected()
        return [selected] if selected is not None else []

    async def toggle_hidden(self) -> None:
        targets, screen = self.targets(), self.screen
        hidden = not all(i.hidden for i in targets)  # marked notes: hide them all (unless all are hidden)
        changed = await self._on_targets(targets, partial(screen.service.hide_ideas, screen.code, hidden=hidden))
        if changed:
            done = [i.id for i in changed]
            undo = partial(screen.service.hide_ideas, screen.code, done, not hidden)
            screen.did("hide" if hidden else "show", undo, len(done))
            screen.undo.tell("Hid" if hidden else "Showed", len(done))

    async def delete(self) -> None:
        screen = self.screen
        outcome = await self._on_targets(self.targets(), partial(screen.service.delete_ideas, screen.code))
        if outcome is None:
            return
        deleted, kept = outcome
        if deleted:
            done = [i.id for i in deleted]
            screen.did("delete", partial(screen.service.restore_ideas, screen.code, done), len(done))
            screen.undo.tell("Deleted", len(done))
        if kept:
            screen.notify(
                f"{len(kept)} with dots kept on the wall: merge or hide {'it' if len(kept) == 1 else 'them'} instead",
                title="Not deleted",
                severity="warning",
                markup=False,
            )

    async def _on_targets(self, targets: list[Idea], act: Callable[[list[str]], Awaitable[T]]) -> T | None:
        """``act`` on the targets' ids, the toast's clock stopped meanwhile; their marks go. None: nothing
        was done (no targets, or the service refused, which the screen says)."""
        if not targets:
            return None
        ids = [i.id for i in targets]
        with self.screen.undo.waiting_for_disk():
            try:
                result = await act(ids)
            except WorkshopError as exc:
                self.screen.fail(exc)
                return None
        self.clear_marks_of(ids)
        return result

    def mark(self) -> None:
        idea = self.screen.selected()
        if idea is None:
            return
        if idea.id in self.marked:
            del self.marked[idea.id]
        else:
            self.marked[idea.id] = None
        self._show_marks()
        wall = self.screen.query_one(NoteWall)
        wall.move_cursor(wall.cursor + 1)  # space, space, space marks a run of notes

    def clear_marks_of(self, ids: list[str]) -> None:
        for idea_id in ids:
            self.marked.pop(idea_id, None)
        self._show_marks()

    def _show_marks(self) -> None:
        wall = self.screen.query_one(NoteWall)
        wall.marked = set(self.marked)
        wall.refresh()
        self.screen.refresh_bindings()

    def _notes_of(self, participant_id: str) -> list[Idea]:
        return [i for i in self.screen.view.ideas.values() if i.author_id == participant_id and i.visible]

    def _person(self, participant_id: str) -> str:
        """Their name only where names are projected: the question is on the room's screen."""
        if not self.screen.view.settings.names_projected:
            return "this person"
        return terminal_safe(self.screen.view.participants[participant_id].name) or "this person"

    def hide_author(self) -> None:
        author = self.author(self.screen.selected())
        if author is None:
            return
        count = len(self._notes_of(author))
        question = f"Hide {'the one note' if count == 1 else f'all {count} notes'} from {self._person(author)}?"
        detail = "They leave the projected wall (H shows them to you). u undoes it."
        self.screen.app.push_screen(ConfirmScreen(question, detail), partial(self._moderate_author, author, False))

    def block_author(self) -> None:
        author = self.author(self.screen.selected())
        if author is None or self.blocked(author):
            return
        question = f"Block {self._person(author)}?"
        detail = (
            f"Their notes ({len(self._notes_of(author))}) leave the projected wall, and their phone is told that new "
            "notes are no longer taken. u undoes it."
        )
        self.screen.app.push_screen(ConfirmScreen(question, detail), partial(self._moderate_author, author, True))

    async def _moderate_author(self, author: str, block: bool, confirmed: bool | None) -> None:
        if not confirmed:
            return
        screen = self.screen
        service, code, ids = screen.service, screen.code, [i.id for i in self._notes_of(author)]
        try:
            if block:
                await service.block_participant(code, author)
            changed = [i.id for i in await service.hide_ideas(code, ids)]
        except WorkshopError as exc:
            screen.fail(exc)
            return
        unhide = partial(service.hide_ideas, code, changed, False)
        if block:
            unblock = partial(service.block_participant, code, author, False)
            screen.did("block", partial(in_turn, unblock, unhide))
            screen.undo.tell("Blocked their author and hid", len(changed))
        else:
            screen.did("hide", unhide, len(changed))
            screen.undo.tell("Hid", len(changed))
