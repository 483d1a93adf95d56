"""The themes notes are grouped into."""

from __future__ import annotations

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict
from workshop_tui.ids import new_id
from workshop_tui.models import IdeaChange, Theme
from workshop_tui.service.base import Concern, found, validated
from workshop_tui.state import Change


class ThemeOps(Concern):
    async def create_theme(self, code: str, name: str) -> Theme:
        state = self.state(code)
        require(Action.CREATE_THEME, state.workshop.phase)
        if any(t.name.casefold() == name.strip().casefold() for t in state.themes.values()):
            raise Conflict(f"a theme named {name.strip()!r} already exists")
        theme = validated(Theme, {"id": new_id(), "workshop_id": state.id, "name": name})
        await self._commit(state, "themes", [theme], ev.ThemeChanged, "theme", action="created")
        return theme

    async def rename_theme(self, code: str, theme_id: str, name: str) -> Theme:
        state = self.state(code)
        require(Action.RENAME_THEME, state.workshop.phase)
        theme = found(state.themes, theme_id, "theme", state.code)
        renamed = validated(Theme, {**theme.model_dump(), "name": name})
        await self._commit(state, "themes", [renamed], ev.ThemeChanged, "theme", action="renamed")
        return renamed

    async def delete_theme(self, code: str, theme_id: str) -> None:
        """The theme goes; its notes stay, without a theme, each with a history entry."""
        state = self.state(code)
        require(Action.DELETE_THEME, state.workshop.phase)
        theme = found(state.themes, theme_id, "theme", state.code)
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
