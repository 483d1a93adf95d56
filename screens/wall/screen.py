"""The wall (ideate and group phases): notes arrive live; the facilitator edits, hides, deletes,
themes and merges them. Themes with live counts on the left; the notes of the chosen theme on the
right as sticky-note cards, newest first, grouped by theme in the group phase, drawn by a
virtualised Line API widget (``NoteWall``: 2,000 notes cost what the visible ones cost).
Its keys are in ``bindings``; moderation (marks, hide, delete, block) and merging in their own modules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.events import DomainEvents
from screens.session import SessionScreen
from screens.text_prompt import TextPromptScreen
from screens.wall.bindings import NEEDS_NOTE, UNDO_ACTIONS, WALL_ACTIONS, WALL_BINDINGS
from screens.wall.merging import Merging
from screens.wall.moderation import Moderation
from screens.wall.theme_picker import ThemeChoice, ThemePickerScreen
from screens.wall.undo import UndoHistory
from screens.widgets.note_wall import NoteWall
from screens.widgets.session_bar import SessionBar
from screens.widgets.steady_footer import SteadyFooter
from workshop_tui import events as ev
from workshop_tui.actions import allowed
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.service.view import WorkshopView
from workshop_tui.text_safety import terminal_safe

ALL = "__all__"
NO_THEME = "__none__"
#: Events after which the whole wall is laid out again (the filter, grouping, colours or names change).
FULL_REFRESH = (ev.ThemeChanged, ev.WorkshopUpdated, ev.VotingChanged, ev.PhaseChanged)


class WallScreen(SessionScreen):
    CSS_PATH = "wall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = WALL_BINDINGS

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)
        self.filter = ALL
        self.show_hidden = False  # hidden notes stay off the projector unless the facilitator asks
        self.undo = UndoHistory(self.set_timer, partial(self.notify, markup=False))
        self.moderation = Moderation(self)
        self.merging = Merging(self)
        self._theme_ids: list[str | None] = []  # the theme list's options as last shown
        self._theme_prompts: list[str] = []

    def compose(self) -> ComposeResult:
        yield SessionBar(self.service, self.code)
        with Horizontal(id="wall-body"):
            themes = OptionList(id="themes")
            themes.border_title = "Themes"
            yield themes
            with Vertical(id="notes-pane"):
                yield Static("", id="notes-header", markup=False)
                yield NoteWall(id="notes")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._refresh_themes()
        self.query_one(NoteWall).focus()
        self._refresh_notes()

    # ------------------------------------------------------------------ data

    def _on_wall(self, idea: Idea) -> bool:
        """Whether ``idea`` belongs on the wall for the current filter. Hidden notes are off the room's
        screen: they appear (grey, marked) only while the facilitator asks for them (``H``); notes
        written in private stay off until revealed (the header counts them)."""
        if idea.deleted or idea.merged_into or idea.private:
            return False
        if idea.hidden and not self.show_hidden:
            return False
        if self.filter == NO_THEME:
            return idea.theme_id is None
        return self.filter == ALL or idea.theme_id == self.filter

    def _visible_notes(self) -> list[Idea]:
        """The notes on the wall for the current filter (the wall orders them: newest first, grouped by
        theme in the group phase, unthemed first)."""
        return [i for i in self.view.ideas.values() if self._on_wall(i)]

    def _grouped(self) -> bool:
        return self.filter == ALL and self.view.workshop.phase == Phase.GROUP

    def _refresh_themes(self) -> None:
        state = self.view
        counts = state.theme_notes  # the same count as the session bar's, kept by the state
        total = state.notes_on_wall()
        options = [
            Option(_count_line("All notes", total, "bold"), id=ALL),
            Option(_count_line("No theme", counts(None), "italic"), id=NO_THEME),
        ]
        for theme in sorted(state.themes.values(), key=lambda t: t.name.casefold()):
            options.append(Option(_count_line(theme.name, counts(theme.id)), id=theme.id))
        ids = [o.id for o in options]
        if self.filter not in ids:
            self.filter = ALL
        themes = self.query_one("#themes", OptionList)
        prompts = [str(o.prompt) for o in options]
        if ids == self._theme_ids:  # only counts changed: new prompts in place, no new options to lay out
            for index, (option, prompt) in enumerate(zip(options, prompts, strict=True)):
                if prompt != self._theme_prompts[index]:
                    themes.replace_option_prompt_at_index(index, option.prompt)
        else:
            with self.prevent(OptionList.OptionHighlighted):
                themes.set_options(options)
                themes.highlighted = ids.index(self.filter)
        self._theme_ids, self._theme_prompts = ids, prompts

    def _refresh_notes(self) -> None:
        wall = self.query_one(NoteWall)
        state = self.view
        wall.dots = state.workshop.results_revealed
        wall.grouped = self._grouped()
        wall.show(state, self._visible_notes())
        self._refresh_header()

    def _refresh_header(self) -> None:
        state = self.view
        wall = self.query_one(NoteWall)
        if self.filter == ALL:
            title = Text("All notes", style="bold")
        elif self.filter == NO_THEME:
            title = Text("No theme", style="bold italic")
        else:
            theme = state.themes.get(self.filter)
            title = Text(terminal_safe(theme.name) if theme else "?", style="bold")
        hidden = wall.hidden_shown() if self.show_hidden else 0
        shown = len(wall.shown) - hidden
        title.append(f"  ·  {shown} {'note' if shown == 1 else 'notes'}")
        # The count of notes written in private first: on a narrow projector the header is cut at its end.
        if state.private_notes:
            written = state.private_notes
            title.append(f"  ·  {written} hidden until revealed", style="bold")
        if state.workshop.settings.private_writing and state.workshop.phase == Phase.IDEATE:
            title.append("  ·  private writing (R reveals)", style="italic")
        if self.show_hidden:
            title.append(f"  ·  {hidden} hidden shown (H hides them)", style="italic")
        if self.undo.last is not None:
            title.append(f"  ·  u undoes: {self.undo.last.label}", style="italic")
        self.query_one("#notes-header", Static).update(title, layout=False)  # one line, whatever it says

    def on_domain_events(self, message: DomainEvents) -> None:
        mine = message.for_workshop(self.workshop_id)
        if not mine:
            return
        if any(isinstance(e, FULL_REFRESH) for e in mine):
            if any(isinstance(e, ev.PhaseChanged) for e in mine):
                self.refresh_bindings()
            self._shown_now()
            return
        # Notes and dots one by one, each in its place: the cost does not grow with the wall.
        wall = self.query_one(NoteWall)
        state = self.view
        notes = False
        selected = wall.selected_id()
        for event in mine:
            if isinstance(event, ev.IdeaPosted | ev.IdeaChanged):
                idea = state.ideas.get(event.idea.id, event.idea)  # the note as it is now
                if self._on_wall(idea):
                    wall.put(idea, state.dots_on(idea.id))
                else:
                    wall.discard(idea.id)
                notes = True
            elif isinstance(event, ev.VoteChanged):
                wall.set_dots(event.idea_id, state.dots_on(event.idea_id))
            elif isinstance(event, ev.ParticipantJoined):
                wall.set_author(event.participant.id, event.participant.name)
        if notes:
            self._refresh_themes()
            self._refresh_header()
            if wall.selected_id() != selected:  # the footer's keys depend on the highlighted note
                self.refresh_bindings()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id != "themes" or event.option.id is None:
            return
        if event.option.id != self.filter:
            self.filter = event.option.id
            self._refresh_notes()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "themes":
            self.query_one(NoteWall).focus()

    # ------------------------------------------------------------------ actions

    @property
    def view(self) -> WorkshopView:
        return self.service.view(self.code)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.view.workshop.phase
        if action == "undo":
            last = self.undo.last
            return None if last is None else allowed(UNDO_ACTIONS[last.verb], phase) or None
        if action not in WALL_ACTIONS:
            return True
        if not allowed(WALL_ACTIONS[action], phase):
            return False
        selected = self.selected()
        if action in NEEDS_NOTE and selected is None:
            return None
        if action == "unmerge" and selected is not None and not self.view.merged_into(selected.id):
            return None
        if action == "toggle_private" and phase != Phase.IDEATE:
            return False  # the setting only acts in ideate
        if action == "reveal_notes" and not self.view.private_notes:
            return None
        if action == "clear_marks" and not self.moderation.marked:
            return False  # escape then goes back to the workshop list, as everywhere
        if action in ("hide_author", "block_author") and self.moderation.author(selected) is None:
            return None
        if action == "block_author" and selected is not None and selected.author_id is not None:
            return None if self.moderation.blocked(selected.author_id) else True
        return True

    def selected(self) -> Idea | None:
        idea_id = self.query_one(NoteWall).selected_id()
        return self.view.ideas.get(idea_id) if idea_id else None

    def did(self, verb: str, undo: Callable[[], Awaitable[object]], count: int = 1) -> None:
        """Record what undoes the facilitator's step just made, and draw the step at once."""
        self.undo.push(verb, undo, count)
        self._shown_now()

    def _shown_now(self) -> None:
        """The facilitator's own change, drawn at once: the next key acts on what is on screen now, not
        on the note it just deleted (keys arrive faster than the coalesced events)."""
        self._refresh_themes()
        self._refresh_notes()
        self.refresh_bindings()

    def fail(self, exc: WorkshopError) -> None:
        self.notify(terminal_safe(str(exc)), title="Not done", severity="error", markup=False)

    def on_note_wall_highlighted(self) -> None:
        self.refresh_bindings()

    def action_add_note(self) -> None:
        theme = None if self.filter in (ALL, NO_THEME) else self.filter

        async def submit(text: str) -> None:
            await self.service.post_idea(self.code, text, source=Source.PAPER, theme_id=theme)

        limit = self.view.workshop.settings.idea_max_length
        self.app.push_screen(
            TextPromptScreen("Add a note from paper", placeholder="what the note says", submit=submit, max_length=limit)
        )

    def action_edit_note(self) -> None:
        idea = self.selected()
        if idea is None:
            return
        idea_id = idea.id

        async def submit(text: str) -> None:
            await self.service.edit_idea(self.code, idea_id, text)

        limit = self.view.workshop.settings.idea_max_length
        self.app.push_screen(
            TextPromptScreen("Edit the note", value=terminal_safe(idea.text), submit=submit, max_length=limit)
        )

    async def action_toggle_private(self) -> None:
        private = not self.view.settings.private_writing
        try:
            await self.service.update_workshop(self.code, settings={"private_writing": private})
        except WorkshopError as exc:
            self.fail(exc)
            return
        self.notify(
            "Private writing: new notes stay off the wall until R reveals them"
            if private
            else "Private writing off: new notes go straight on the wall (R still reveals the others)",
            markup=False,
        )
        self.refresh_bindings()

    async def action_reveal_notes(self) -> None:
        try:
            revealed = await self.service.reveal_notes(self.code)
        except WorkshopError as exc:
            self.fail(exc)
            return
        self._shown_now()
        count = len(revealed)
        self.notify(f"Revealed {count} {'note' if count == 1 else 'notes'}", markup=False)

    def action_show_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self._refresh_notes()

    def action_first_note(self) -> None:
        self.query_one(NoteWall).move_cursor(0)

    def action_last_note(self) -> None:
        wall = self.query_one(NoteWall)
        wall.move_cursor(len(wall.shown) - 1)

    def action_move_to_theme(self) -> None:
        idea = self.selected()
        if idea is None:
            return
        idea_id = idea.id

        async def chosen(choice: ThemeChoice | None) -> None:
            if choice is None:
                return
            try:
                await self.service.set_idea_theme(self.code, idea_id, choice.theme_id)
            except WorkshopError as exc:
                self.fail(exc)

        self.app.push_screen(
            ThemePickerScreen(self.service, self.code, idea.theme_id, terminal_safe(idea.text)), chosen
        )

    def action_new_theme(self) -> None:
        async def submit(name: str) -> None:
            await self.service.create_theme(self.code, name)

        self.app.push_screen(TextPromptScreen("New theme", placeholder="theme name", submit=submit, max_length=200))

    async def action_undo(self) -> None:
        step = self.undo.pop()
        if step is None:
            return
        try:
            await step.run()
        except WorkshopError as exc:
            self.fail(exc)
        else:
            self.notify(f"Undone: {step.label}", markup=False)
        self._shown_now()

    # Moderation and merging live in their own modules; the keys reach them here.

    async def action_toggle_hidden(self) -> None:
        await self.moderation.toggle_hidden()

    async def action_delete_note(self) -> None:
        await self.moderation.delete()

    def action_mark(self) -> None:
        self.moderation.mark()

    def action_clear_marks(self) -> None:
        self.moderation.clear_marks_of(list(self.moderation.marked))

    def action_hide_author(self) -> None:
        self.moderation.hide_author()

    def action_block_author(self) -> None:
        self.moderation.block_author()

    def action_merge(self) -> None:
        self.merging.merge()

    def action_unmerge(self) -> None:
        self.merging.unmerge()

    def action_suggest(self) -> None:
        self.merging.suggest()


def _count_line(name: str, count: int, style: str = "") -> Text:
    """The count first, so a long theme name never pushes it out of sight."""
    line = Text(f"{count:<5}", style="bold", overflow="ellipsis", no_wrap=True)
    line.append(terminal_safe(name), style=style)
    return line
