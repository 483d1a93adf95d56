"""The wall (ideate and group phases): notes arrive live; the facilitator edits, hides, deletes,
themes and merges them. Themes with live counts on the left; the notes of the chosen theme on the
right as sticky-note cards, newest first, grouped by theme in the group phase, drawn by a
virtualised Line API widget (``NoteWall``: 2,000 notes cost what the visible ones cost).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens.confirm import ConfirmScreen
from screens.events import DomainEvents
from screens.merge import MergeScreen, UnmergeScreen
from screens.session import SessionScreen
from screens.suggestions import SuggestionsScreen
from screens.text_prompt import TextPromptScreen
from screens.theme_picker import ThemeChoice, ThemePickerScreen
from screens.widgets.note_wall import NoteWall
from screens.widgets.session_bar import SessionBar
from workshop_tui import events as ev
from workshop_tui.actions import Action, allowed
from workshop_tui.duplicates import suggest_duplicates
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Idea, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

ALL = "__all__"
NO_THEME = "__none__"

#: The wall's actions and the service action each performs: the phases come from the one table
#: (workshop_tui.actions). Marks and blocking are moderation, offered where hiding is.
WALL_ACTIONS: dict[str, Action] = {
    "add_note": Action.ADD_NOTE,
    "edit_note": Action.EDIT_NOTE,
    "toggle_hidden": Action.HIDE_NOTE,
    "delete_note": Action.DELETE_NOTE,
    "move_to_theme": Action.MOVE_NOTE,
    "new_theme": Action.CREATE_THEME,
    "merge": Action.MERGE_NOTES,
    "unmerge": Action.UNMERGE_NOTE,
    "suggest": Action.MERGE_NOTES,
    "mark": Action.HIDE_NOTE,
    "clear_marks": Action.HIDE_NOTE,
    "hide_author": Action.HIDE_NOTE,
    "block_author": Action.HIDE_NOTE,
    "toggle_private": Action.EDIT_SETTINGS,
    "reveal_notes": Action.REVEAL_NOTES,
}
#: Events after which the whole wall is laid out again (the filter, grouping, colours or names change).
FULL_REFRESH = (ev.ThemeChanged, ev.WorkshopUpdated, ev.VotingChanged, ev.PhaseChanged)
NEEDS_NOTE = frozenset(
    {"edit_note", "toggle_hidden", "delete_note", "move_to_theme", "merge", "unmerge", "mark", "hide_author"}
)
#: The service action that undoes each kind of step (``u`` is offered where it is allowed).
UNDO_ACTIONS: dict[str, Action] = {
    "delete": Action.RESTORE_NOTE,
    "hide": Action.HIDE_NOTE,
    "show": Action.HIDE_NOTE,
    "block": Action.HIDE_NOTE,
    "merge": Action.UNMERGE_NOTE,
    "unmerge": Action.MERGE_NOTES,
}
BURST = 1.0  # seconds: deletes (or hides) this close together are one undo step and one toast


@dataclass(frozen=True)
class UndoStep:
    """What ``u`` undoes: ``verb`` and ``count`` say it in the header, ``run`` reverts it through the service."""

    verb: str
    run: Callable[[], Awaitable[object]]
    count: int = 1

    @property
    def label(self) -> str:
        return self.verb if self.count == 1 else f"{self.verb} {self.count} notes"


async def _in_turn(*steps: Callable[[], Awaitable[object]]) -> None:
    for step in steps:
        await step()


class WallScreen(SessionScreen):
    CSS_PATH = "wall.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_note", "Add paper note"),
        Binding("e", "edit_note", "Edit"),
        Binding("h", "toggle_hidden", "Hide/show"),
        Binding("H", "show_hidden", "Hidden notes"),
        Binding("home", "first_note", "First", show=False, priority=True),
        Binding("end", "last_note", "Newest", show=False, priority=True),
        Binding("x,delete", "delete_note", "Delete"),
        Binding("u", "undo", "Undo"),
        Binding("t", "move_to_theme", "To theme"),
        Binding("n", "new_theme", "New theme"),
        Binding("m", "merge", "Merge"),
        Binding("U", "unmerge", "Unmerge"),
        Binding("s", "suggest", "Duplicates?"),
        Binding("space", "mark", "Mark"),
        Binding("escape", "clear_marks", "Clear marks"),
        Binding("P", "hide_author", "Hide person's notes"),
        Binding("B", "block_author", "Block person"),
        Binding("W", "toggle_private", "Private writing"),
        Binding("R", "reveal_notes", "Reveal notes"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)
        self.filter = ALL
        self.undo_stack: list[UndoStep] = []
        self.show_hidden = False  # hidden notes stay off the projector unless the facilitator asks
        self.marked: dict[str, None] = {}  # notes marked with space, in marking order
        self._toast: Counter[str] = Counter()  # a burst's counts, told in one toast when it ends
        self._toast_timer: Timer | None = None
        self._burst_step: UndoStep | None = None  # the undo step the current burst adds to
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
        yield Footer()

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
        return [i for i in self.service.view(self.code).ideas.values() if self._on_wall(i)]

    def _grouped(self) -> bool:
        return self.filter == ALL and self.service.view(self.code).workshop.phase == Phase.GROUP

    def _refresh_themes(self) -> None:
        state = self.service.view(self.code)
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
        state = self.service.view(self.code)
        wall.dots = state.workshop.results_revealed
        wall.grouped = self._grouped()
        wall.show(state, self._visible_notes())
        self._refresh_header()

    def _refresh_header(self) -> None:
        state = self.service.view(self.code)
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
        if state.workshop.settings.private_writing and state.workshop.phase == Phase.IDEATE:
            title.append("  ·  private writing (R reveals)", style="italic")
        if state.private_notes:
            written = state.private_notes
            title.append(
                f"  ·  {written} {'note' if written == 1 else 'notes'} written, hidden until revealed",
                style="bold",
            )
        if self.show_hidden:
            title.append(f"  ·  {hidden} hidden shown (H hides them)", style="italic")
        if self.undo_stack:
            title.append(f"  ·  u undoes: {self.undo_stack[-1].label}", style="italic")
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
        state = self.service.view(self.code)
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.service.view(self.code).workshop.phase
        if action == "undo":
            if not self.undo_stack:
                return None
            return allowed(UNDO_ACTIONS[self.undo_stack[-1].verb], phase) or None
        if action not in WALL_ACTIONS:
            return True
        if not allowed(WALL_ACTIONS[action], phase):
            return False
        selected = self._selected()
        if action in NEEDS_NOTE and selected is None:
            return None
        if action == "unmerge" and selected is not None and not self._merged_into(selected.id):
            return None
        if action == "toggle_private" and phase != Phase.IDEATE:
            return False  # the setting only acts in ideate
        if action == "reveal_notes" and not self.service.view(self.code).private_notes:
            return None
        if action == "clear_marks" and not self.marked:
            return False  # escape then goes back to the workshop list, as everywhere
        if action in ("hide_author", "block_author") and self._author(selected) is None:
            return None
        if action == "block_author" and selected is not None and selected.author_id is not None:
            return None if self._blocked(selected.author_id) else True
        return True

    def _author(self, idea: Idea | None) -> str | None:
        """The participant who posted ``idea`` (paper and facilitator notes have none)."""
        if idea is None or idea.author_id is None:
            return None
        return idea.author_id if idea.author_id in self.service.view(self.code).participants else None

    def _blocked(self, participant_id: str) -> bool:
        person = self.service.view(self.code).participants.get(participant_id)
        return person is not None and person.blocked

    def _merged_into(self, idea_id: str) -> list[Idea]:
        return [i for i in self.service.view(self.code).ideas.values() if i.merged_into == idea_id and not i.deleted]

    def _push_undo(self, verb: str, run: Callable[[], Awaitable[object]], count: int = 1) -> None:
        """Push what reverts the change just made; a delete or hide right after the last one joins it."""
        last = self.undo_stack[-1] if self.undo_stack else None
        if last is not None and last is self._burst_step and last.verb == verb and verb in ("delete", "hide"):
            step = UndoStep(verb, partial(_in_turn, run, last.run), last.count + count)
            self.undo_stack[-1] = step
        else:
            step = UndoStep(verb, run, count)
            self.undo_stack.append(step)
        # The burst ends when its toast is told (a pause of BURST seconds, not counting the disk's time),
        # so a slow write never splits one burst into two undo steps.
        self._burst_step = step
        self._shown_now()

    def _shown_now(self) -> None:
        """The facilitator's own change, drawn at once: the next key acts on what is on screen now, not
        on the note it just deleted (keys arrive faster than the coalesced events)."""
        self._refresh_themes()
        self._refresh_notes()
        self.refresh_bindings()

    def _tell(self, verb: str, count: int) -> None:
        """One toast for a burst of the same action ("Deleted 20 notes"), not one per key: it is told
        once the facilitator has paused for ``BURST`` seconds (``_hold_toast`` stops the clock while an
        action waits for the disk, so a slow write never splits a burst)."""
        self._toast[verb] += count
        self._hold_toast()
        self._toast_timer = self.set_timer(BURST, self._flush_toast)

    def _hold_toast(self) -> None:
        if self._toast_timer is not None:
            self._toast_timer.stop()
            self._toast_timer = None

    def _resume_toast(self) -> None:
        if self._toast and self._toast_timer is None:
            self._toast_timer = self.set_timer(BURST, self._flush_toast)

    def _flush_toast(self) -> None:
        self._toast_timer = None
        self._burst_step = None
        parts = [f"{verb} {n} {'note' if n == 1 else 'notes'}" for verb, n in self._toast.items()]
        self._toast.clear()
        if parts:
            self.notify("; ".join(parts) + ". u undoes", markup=False)

    def _selected(self) -> Idea | None:
        idea_id = self.query_one(NoteWall).selected_id()
        return self.service.view(self.code).ideas.get(idea_id) if idea_id else None

    def _targets(self) -> list[Idea]:
        """The marked notes still on the wall, else the highlighted one."""
        ideas = self.service.view(self.code).ideas
        marked = [ideas[i] for i in self.marked if i in ideas and not ideas[i].deleted and not ideas[i].merged_into]
        if marked:
            return marked
        selected = self._selected()
        return [selected] if selected is not None else []

    def on_note_wall_highlighted(self) -> None:
        self.refresh_bindings()

    def _fail(self, exc: WorkshopError) -> None:
        self.notify(terminal_safe(str(exc)), title="Not done", severity="error", markup=False)

    def _theme_for_new_note(self) -> str | None:
        return None if self.filter in (ALL, NO_THEME) else self.filter

    def action_add_note(self) -> None:
        theme = self._theme_for_new_note()

        async def submit(text: str) -> None:
            await self.service.post_idea(self.code, text, source=Source.PAPER, theme_id=theme)

        limit = self.service.view(self.code).workshop.settings.idea_max_length
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

        limit = self.service.view(self.code).workshop.settings.idea_max_length
        self.app.push_screen(
            TextPromptScreen("Edit the note", value=terminal_safe(idea.text), submit=submit, max_length=limit)
        )

    async def action_toggle_private(self) -> None:
        private = not self.service.view(self.code).settings.private_writing
        try:
            await self.service.update_workshop(self.code, settings={"private_writing": private})
        except WorkshopError as exc:
            self._fail(exc)
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
            self._fail(exc)
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

    async def action_toggle_hidden(self) -> None:
        self._hold_toast()
        try:
            await self._toggle_hidden()
        finally:
            self._resume_toast()

    async def _toggle_hidden(self) -> None:
        targets = self._targets()
        if not targets:
            return
        code, ids = self.code, [i.id for i in targets]
        hidden = not all(i.hidden for i in targets)  # marked notes: hide them all (unless all are hidden)
        try:
            changed = await self.service.hide_ideas(code, ids, hidden)
        except WorkshopError as exc:
            self._fail(exc)
            return
        self._clear_marks_of(ids)
        done = [i.id for i in changed]
        if done:
            self._push_undo(
                "hide" if hidden else "show", partial(self.service.hide_ideas, code, done, not hidden), len(done)
            )
            self._tell("Hid" if hidden else "Showed", len(done))

    async def action_delete_note(self) -> None:
        self._hold_toast()
        try:
            await self._delete_note()
        finally:
            self._resume_toast()

    async def _delete_note(self) -> None:
        targets = self._targets()
        if not targets:
            return
        code, ids = self.code, [i.id for i in targets]
        try:
            deleted, kept = await self.service.delete_ideas(code, ids)
        except WorkshopError as exc:
            self._fail(exc)
            return
        self._clear_marks_of(ids)
        done = [i.id for i in deleted]
        if done:
            self._push_undo("delete", partial(self.service.restore_ideas, code, done), len(done))
            self._tell("Deleted", len(done))
        if kept:
            self.notify(
                f"{len(kept)} with dots kept on the wall: merge or hide {'it' if len(kept) == 1 else 'them'} instead",
                title="Not deleted",
                severity="warning",
                markup=False,
            )

    async def action_undo(self) -> None:
        if not self.undo_stack:
            return
        step = self.undo_stack.pop()
        try:
            await step.run()
        except WorkshopError as exc:
            self._fail(exc)
        else:
            self.notify(f"Undone: {step.label}", markup=False)
        self._shown_now()

    # ------------------------------------------------------------------ marks and people

    def action_mark(self) -> None:
        idea = self._selected()
        if idea is None:
            return
        if idea.id in self.marked:
            del self.marked[idea.id]
        else:
            self.marked[idea.id] = None
        wall = self.query_one(NoteWall)
        wall.marked = set(self.marked)
        wall.refresh()
        wall.move_cursor(wall.cursor + 1)  # space, space, space marks a run of notes
        self.refresh_bindings()

    def action_clear_marks(self) -> None:
        self._clear_marks_of(list(self.marked))

    def _clear_marks_of(self, ids: list[str]) -> None:
        gone = [i for i in ids if i in self.marked]
        for idea_id in gone:
            del self.marked[idea_id]
        wall = self.query_one(NoteWall)
        wall.marked = set(self.marked)
        wall.refresh()
        self.refresh_bindings()

    def _notes_of(self, participant_id: str) -> list[Idea]:
        return [i for i in self.service.view(self.code).ideas.values() if i.author_id == participant_id and i.visible]

    def _person(self, participant_id: str) -> str:
        person = self.service.view(self.code).participants[participant_id]
        return terminal_safe(person.name) or "this person"

    def action_hide_author(self) -> None:
        author = self._author(self._selected())
        if author is None:
            return
        notes = self._notes_of(author)
        question = f"Hide all {len(notes)} notes from {self._person(author)}?"
        detail = "They leave the projected wall (H shows them to you). u undoes it."
        self.app.push_screen(ConfirmScreen(question, detail), partial(self._moderate_author, author, False))

    def action_block_author(self) -> None:
        author = self._author(self._selected())
        if author is None or self._blocked(author):
            return
        notes = self._notes_of(author)
        question = f"Block {self._person(author)}?"
        detail = (
            f"Their {len(notes)} notes leave the projected wall, and their phone is told that new notes "
            "are no longer taken. u undoes it."
        )
        self.app.push_screen(ConfirmScreen(question, detail), partial(self._moderate_author, author, True))

    async def _moderate_author(self, author: str, block: bool, confirmed: bool | None) -> None:
        if not confirmed:
            return
        code, ids = self.code, [i.id for i in self._notes_of(author)]
        try:
            if block:
                await self.service.block_participant(code, author)
            changed = [i.id for i in await self.service.hide_ideas(code, ids)]
        except WorkshopError as exc:
            self._fail(exc)
            return
        unhide = partial(self.service.hide_ideas, code, changed, False)
        if block:
            self._push_undo(
                "block", partial(_in_turn, partial(self.service.block_participant, code, author, False), unhide)
            )
            self._tell("Blocked their author and hid", len(changed))
        else:
            self._push_undo("hide", unhide, len(changed))
            self._tell("Hid", len(changed))

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
        code, survivor_id = self.code, survivor.id

        async def chosen(duplicate_id: str | None) -> None:
            if duplicate_id is None:
                return
            try:
                await self.service.merge_ideas(code, survivor_id, duplicate_id)
            except WorkshopError as exc:
                self._fail(exc)
                return
            self._push_undo("merge", lambda: self.service.unmerge_idea(code, duplicate_id))
            self.notify("Merged: the duplicate's dots moved to this note. u undoes it", markup=False)

        self.app.push_screen(MergeScreen(self.service, code, survivor_id), chosen)

    def action_unmerge(self) -> None:
        survivor = self._selected()
        if survivor is None or not self._merged_into(survivor.id):
            return
        code, survivor_id = self.code, survivor.id

        async def chosen(duplicate_id: str | None) -> None:
            if duplicate_id is None:
                return
            try:
                await self.service.unmerge_idea(code, duplicate_id)
            except WorkshopError as exc:
                self._fail(exc)
                return
            self._push_undo("unmerge", lambda: self.service.merge_ideas(code, survivor_id, duplicate_id))
            self.notify("Unmerged: the note is back with its dots", markup=False)

        self.app.push_screen(UnmergeScreen(self.service, code, survivor_id), chosen)

    def action_suggest(self) -> None:
        state = self.service.view(self.code)
        notes = {i.id: i.text for i in state.visible_ideas()}
        pairs = suggest_duplicates(notes, limit=200)
        if not pairs:
            self.notify("No likely duplicates found", markup=False)
            return
        code = self.code

        def done(merged: list[tuple[str, str]] | None) -> None:
            if not merged:
                return
            undo = [partial(self.service.unmerge_idea, code, duplicate) for _, duplicate in reversed(merged)]
            self._push_undo("merge", partial(_in_turn, *undo), len(merged))
            self.notify(f"Merged {len(merged)} {'pair' if len(merged) == 1 else 'pairs'}. u undoes", markup=False)

        self.app.push_screen(SuggestionsScreen(self.service, code, pairs), done)


def _count_line(name: str, count: int, style: str = "") -> Text:
    """The count first, so a long theme name never pushes it out of sight."""
    line = Text(f"{count:<5}", style="bold", overflow="ellipsis", no_wrap=True)
    line.append(terminal_safe(name), style=style)
    return line
