"""Merging on the wall: fold a duplicate into the highlighted note (``m``), take one back out (``U``), or
go through the likely duplicates (``s``); each step is undoable (``u``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from screens.wall.merge_dialogs import MergeScreen, UnmergeScreen
from screens.wall.suggestions import SuggestionsScreen
from screens.wall.undo import in_turn
from workshop_tui.duplicates import suggest_duplicates
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea

if TYPE_CHECKING:
    from screens.wall.screen import WallScreen

MERGED = "Merged: the duplicate's dots moved to this note. u undoes it"
UNMERGED = "Unmerged: the note is back with its dots"


class Merging:
    """The wall's merge keys, acting for ``screen`` through its service."""

    def __init__(self, screen: WallScreen) -> None:
        self.screen = screen

    def merged_into(self, idea_id: str) -> list[Idea]:
        return [i for i in self.screen.view.ideas.values() if i.merged_into == idea_id and not i.deleted]

    def merge(self) -> None:
        survivor = self.screen.selected()
        if survivor is not None:
            self._pick(MergeScreen, survivor.id, merge=True)

    def unmerge(self) -> None:
        survivor = self.screen.selected()
        if survivor is not None and self.merged_into(survivor.id):
            self._pick(UnmergeScreen, survivor.id, merge=False)

    def _pick(self, dialog: type[MergeScreen | UnmergeScreen], survivor_id: str, *, merge: bool) -> None:
        """Ask ``dialog`` for the duplicate, then merge it into the survivor (or take it out), undoably."""
        screen = self.screen
        service, code = screen.service, screen.code
        fold = partial(service.merge_ideas, code, survivor_id)  # each takes the duplicate's id
        unfold = partial(service.unmerge_idea, code)
        do, undo = (fold, unfold) if merge else (unfold, fold)

        async def chosen(duplicate_id: str | None) -> None:
            if duplicate_id is None:
                return
            try:
                await do(duplicate_id)
            except WorkshopError as exc:
                screen.fail(exc)
                return
            screen.did("merge" if merge else "unmerge", partial(undo, duplicate_id))
            screen.notify(MERGED if merge else UNMERGED, markup=False)

        screen.app.push_screen(dialog(service, code, survivor_id), chosen)

    def suggest(self) -> None:
        screen = self.screen
        service, code = screen.service, screen.code
        pairs = suggest_duplicates({i.id: i.text for i in screen.view.visible_ideas()}, limit=200)
        if not pairs:
            screen.notify("No likely duplicates found", markup=False)
            return

        def done(merged: list[tuple[str, str]] | None) -> None:
            if not merged:
                return
            undo = [partial(service.unmerge_idea, code, duplicate) for _, duplicate in reversed(merged)]
            screen.did("merge", partial(in_turn, *undo), len(merged))
            screen.notify(f"Merged {len(merged)} {'pair' if len(merged) == 1 else 'pairs'}. u undoes", markup=False)

        screen.app.push_screen(SuggestionsScreen(service, code, pairs), done)
