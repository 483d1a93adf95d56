"""The wall (ideate and group phases): notes arrive live; the facilitator edits, hides, deletes,
themes and merges them. Themes with live counts on the left, the notes of the chosen theme on the
right in a virtualised table (design.md section 8: 2,000 notes stay responsive).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens.events import DomainEvents
from screens.merge import MergeScreen
from screens.session import SessionScreen
from screens.suggestions import SuggestionsScreen
from screens.text_prompt import TextPromptScreen
from screens.theme_picker import ThemeChoice, ThemePickerScreen
from screens.widgets.note_table import Layout, NoteTable
from screens.widgets.session_bar import SessionBar
from workshop_tui import events as ev
from workshop_tui.actions import ACTIONS, Action
from workshop_tui.duplicates import suggest_duplicates
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea, Source
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

ALL = "__all__"
NO_THEME = "__none__"

#: The phases in which each action is offered: the service's own table (workshop_tui.actions).
ACTION_PHASES = {
    name: ACTIONS[action].phases
    for name, action in {
        "add_note": Action.ADD_NOTE,
        "edit_note": Action.EDIT_NOTE,
        "toggle_hidden": Action.HIDE_NOTE,
        "delete_note": Action.DELETE_NOTE,
        "undo_delete": Action.RESTORE_NOTE,
        "move_to_theme": Action.MOVE_NOTE,
        "new_theme": Action.CREATE_THEME,
        "merge": Action.MERGE_NOTES,
        "suggest": Action.MERGE_NOTES,
    }.items()
}
NEEDS_NOTE = frozenset({"edit_note", "toggle_hidden", "delete_note", "move_to_theme", "merge"})


class WallScreen(SessionScreen):
    CSS_PATH = "wall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_note", "Add paper note"),
        Binding("e", "edit_note", "Edit"),
        Binding("h", "toggle_hidden", "Hide/show"),
        Binding("x,delete", "delete_note", "Delete"),
        Binding("u", "undo_delete", "Undo"),
        Binding("t", "move_to_theme", "To theme"),
        Binding("n", "new_theme", "New theme"),
        Binding("m", "merge", "Merge"),
        Binding("s", "suggest", "Duplicates?"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)
        self.filter = ALL
        self.deleted: list[str] = []  # undo stack of soft-deleted note ids

    def compose(self) -> ComposeResult:
        yield SessionBar(self.service, self.code)
        with Horizontal(id="wall-body"):
            themes = OptionList(id="themes")
            themes.border_title = "Themes"
            yield themes
            with Vertical(id="notes-pane"):
                yield Static("", id="notes-header", markup=False)
                yield NoteTable(id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_themes()
        self.query_one(NoteTable).focus()

    def on_note_table_width_changed(self, event: NoteTable.WidthChanged) -> None:
        self._refresh_notes(force_layout=True)

    # ------------------------------------------------------------------ data

    def _visible_notes(self) -> list[Idea]:
        """Notes the facilitator sees for the current filter (hidden ones included, marked), oldest first."""
        state = self.service.state(self.code)
        notes = [i for i in state.ideas.values() if not i.deleted and not i.merged_into]
        if self.filter == NO_THEME:
            notes = [i for i in notes if i.theme_id is None]
        elif self.filter != ALL:
            notes = [i for i in notes if i.theme_id == self.filter]
        notes.sort(key=lambda i: (i.created_at, i.id))
        return notes

    def _refresh_themes(self) -> None:
        state = self.service.state(self.code)
        counts: dict[str | None, int] = {}
        total = 0
        for idea in state.ideas.values():
            if not idea.deleted and not idea.merged_into:
                counts[idea.theme_id] = counts.get(idea.theme_id, 0) + 1
                total += 1
        options = [
            Option(_count_line("All notes", total, "bold"), id=ALL),
            Option(_count_line("No theme", counts.get(None, 0), "italic"), id=NO_THEME),
        ]
        for theme in sorted(state.themes.values(), key=lambda t: t.name.casefold()):
            options.append(Option(_count_line(theme.name, counts.get(theme.id, 0)), id=theme.id))
        ids = [o.id for o in options]
        if self.filter not in ids:
            self.filter = ALL
        themes = self.query_one("#themes", OptionList)
        with self.prevent(OptionList.OptionHighlighted):
            themes.set_options(options)
            themes.highlighted = ids.index(self.filter)

    def _refresh_notes(self, changed: set[str] | None = None, *, force_layout: bool = False) -> None:
        table = self.query_one(NoteTable)
        state = self.service.state(self.code)
        width = table.size.width or max(20, self.size.width - 26)
        layout = Layout.for_width(width, dots=state.workshop.results_revealed)
        layout = replace(layout, author=layout.author and state.workshop.settings.show_authors)  # off the projector
        if table.set_layout(layout):
            changed = None
        elif force_layout:
            return
        notes = self._visible_notes()
        table.show(state, notes, changed)
        self._refresh_header(len(notes))

    def _refresh_header(self, count: int) -> None:
        state = self.service.state(self.code)
        if self.filter == ALL:
            title = Text("All notes", style="bold")
        elif self.filter == NO_THEME:
            title = Text("No theme", style="bold italic")
        else:
            theme = state.themes.get(self.filter)
            title = Text(terminal_safe(theme.name) if theme else "?", style="bold")
        title.append(f"  ·  {count} {'note' if count == 1 else 'notes'}")
        if self.deleted:
            title.append("  ·  u undoes the last delete", style="italic")
        self.query_one("#notes-header", Static).update(title)

    def on_domain_events(self, message: DomainEvents) -> None:
        mine = message.for_workshop(self.workshop_id)
        if not mine:
            return
        changed: set[str] = set()
        full = themes = False
        for event in mine:
            if isinstance(event, ev.IdeaPosted | ev.IdeaChanged):
                changed.add(event.idea.id)
                themes = True
            elif isinstance(event, ev.VoteChanged):
                changed.add(event.idea_id)
            elif isinstance(event, ev.ThemeChanged | ev.WorkshopUpdated | ev.VotingChanged | ev.ParticipantJoined):
                full = themes = True
            elif isinstance(event, ev.PhaseChanged):
                full = themes = True
                self.refresh_bindings()
        if themes:
            self._refresh_themes()
        self._refresh_notes(None if full else changed)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "themes" or event.option.id is None:
            return
        if event.option.id != self.filter:
            self.filter = event.option.id
            self._refresh_notes()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "themes":
            self.query_one(NoteTable).focus()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = ACTION_PHASES.get(action)
        if allowed is None:
            return True
        if self.service.state(self.code).workshop.phase not in allowed:
            return False
        if action == "undo_delete" and not self.deleted:
            return None
        if action in NEEDS_NOTE and self._selected() is None:
            return None
        return True

    def _selected(self) -> Idea | None:
        idea_id = self.query_one(NoteTable).selected_id()
        return self.service.state(self.code).ideas.get(idea_id) if idea_id else None

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def _fail(self, exc: WorkshopError) -> None:
        self.notify(terminal_safe(str(exc)), title="Not done", severity="error", markup=False)

    def _theme_for_new_note(self) -> str | None:
        return None if self.filter in (ALL, NO_THEME) else self.filter

    def action_add_note(self) -> None:
        theme = self._theme_for_new_note()

        async def submit(text: str) -> None:
            await self.service.post_idea(self.code, text, source=Source.PAPER, theme_id=theme)

        limit = self.service.state(self.code).workshop.settings.idea_max_length
        self.app.push_screen(
            TextPromptScreen("Add a note from paper", placeholder="what the note says", submit=submit, max_length=limit)
        )

    def action_edit_note(self) -> None:
        idea = self._selected()
        if idea is None:
            return
        idea_id = idea.id

        async def submit(text: str) -> None:
            await self.service.edit_idea(self.code, idea_id, text)

        limit = self.service.state(self.code).workshop.settings.idea_max_length
        self.app.push_screen(
            TextPromptScreen("Edit the note", value=terminal_safe(idea.text), submit=submit, max_length=limit)
        )

    async def action_toggle_hidden(self) -> None:
        idea = self._selected()
        if idea is None:
            return
        try:
            await self.service.hide_idea(self.code, idea.id, not idea.hidden)
        except WorkshopError as exc:
            self._fail(exc)

    async def action_delete_note(self) -> None:
        idea = self._selected()
        if idea is None:
            return
        try:
            await self.service.delete_idea(self.code, idea.id)
        except WorkshopError as exc:
            self._fail(exc)
            return
        self.deleted.append(idea.id)
        self.refresh_bindings()
        self.notify("Deleted. Press u to undo", markup=False)

    async def action_undo_delete(self) -> None:
        if not self.deleted:
            return
        idea_id = self.deleted.pop()
        try:
            await self.service.restore_idea(self.code, idea_id)
        except WorkshopError as exc:
            self._fail(exc)
        self.refresh_bindings()
        self.notify("Note restored", markup=False)

    def action_move_to_theme(self) -> None:
        idea = self._selected()
        if idea is None:
            return
        idea_id = idea.id

        async def chosen(choice: ThemeChoice | None) -> None:
            if choice is None:
                return
            try:
                await self.service.set_idea_theme(self.code, idea_id, choice.theme_id)
            except WorkshopError as exc:
                self._fail(exc)

        self.app.push_screen(
            ThemePickerScreen(self.service, self.code, idea.theme_id, terminal_safe(idea.text)), chosen
        )

    def action_new_theme(self) -> None:
        async def submit(name: str) -> None:
            await self.service.create_theme(self.code, name)

        self.app.push_screen(TextPromptScreen("New theme", placeholder="theme name", submit=submit, max_length=200))

    def action_merge(self) -> None:
        survivor = self._selected()
        if survivor is None:
            return
        survivor_id = survivor.id

        async def chosen(duplicate_id: str | None) -> None:
            if duplicate_id is None:
                return
            try:
                await self.service.merge_ideas(self.code, survivor_id, duplicate_id)
            except WorkshopError as exc:
                self._fail(exc)
                return
            self.notify("Merged: the duplicate's dots moved to this note", markup=False)

        self.app.push_screen(MergeScreen(self.service, self.code, survivor_id), chosen)

    def action_suggest(self) -> None:
        state = self.service.state(self.code)
        notes = {i.id: i.text for i in sorted(state.ideas.values(), key=lambda i: i.created_at) if i.visible}
        pairs = suggest_duplicates(notes, limit=200)
        if not pairs:
            self.notify("No likely duplicates found", markup=False)
            return
        self.app.push_screen(SuggestionsScreen(self.service, self.code, pairs))


def _count_line(name: str, count: int, style: str = "") -> Text:
    """The count first, so a long theme name never pushes it out of sight."""
    line = Text(f"{count:<5}", style="bold", overflow="ellipsis", no_wrap=True)
    line.append(terminal_safe(name), style=style)
    return line
