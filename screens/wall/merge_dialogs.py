"""Merge: choose the duplicate to fold into the selected note (the survivor keeps its text).

The filter has the focus from the start: typing narrows the list (most similar first), ↑/↓ move the
highlight, Enter asks to confirm with both notes side by side, and only then merges what is
highlighted. Unmerge (``UnmergeScreen``) picks one of the notes merged into the selected one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.confirm import ConfirmScreen
from screens.option_picker import OptionPicker
from screens.widgets.safe_input import SafeInput
from workshop_tui.duplicates import normalize, similarity
from workshop_tui.models import Idea
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

SHOWN = 200  # a merge target is found by typing; the list never needs the whole wall


def _dots(n: int) -> str:
    return f"{n} dot" if n == 1 else f"{n} dots"


class MergeScreen(OptionPicker):
    """Dismisses with the id of the duplicate to merge into ``survivor_id`` (confirmed), or None."""

    CSS_PATH = "merge_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, service: WorkshopService, code: str, survivor_id: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        state = service.view(code)
        self.survivor = state.ideas[survivor_id]
        others = [i for i in state.ideas.values() if i.visible and i.id != survivor_id]
        scored = [(similarity(self.survivor.text, i.text), i) for i in others]
        scored.sort(key=lambda p: (-p[0], p[1].created_at, p[1].id))
        self.candidates: list[Idea] = [i for _, i in scored]
        self.shown: list[Idea] = []

    def compose(self) -> ComposeResult:
        dots = self.service.view(self.code).dots_on(self.survivor.id)
        with Vertical(id="dialog"):
            yield Static(Text("Merge a duplicate into this note (its dots move here):", style="bold"), markup=False)
            yield Static(self._note(self.survivor, dots, "Keep"), id="merge-survivor", markup=False)
            yield SafeInput(placeholder="type to find the duplicate", id="merge-filter")
            yield OptionList(id="merge-list")
            yield Static("", id="merge-preview", markup=False)
            yield Static(Text("type to filter   ↑↓ choose   Enter merge…   Esc cancel"), id="merge-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False  # the filter keeps the keyboard; the list follows it
        self._fill("")
        self.query_one(Input).focus()

    @staticmethod
    def _note(idea: Idea, dots: int, label: str) -> Text:
        text = Text(f"{label}: ", style="bold")
        text.append(terminal_safe(idea.text))
        text.append(f"  ({_dots(dots)})", style="dim")
        return text

    def _fill(self, needle: str) -> None:
        wanted = normalize(needle)
        self.shown = [i for i in self.candidates if not wanted or wanted in normalize(i.text)][:SHOWN]
        options = self.query_one(OptionList)
        options.set_options(Option(Text(terminal_safe(i.text), overflow="ellipsis"), id=i.id) for i in self.shown)
        options.highlighted = 0 if self.shown else None
        self._preview()

    def highlighted(self) -> Idea | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def _preview(self) -> None:
        idea = self.highlighted()
        preview = self.query_one("#merge-preview", Static)
        if idea is None:
            preview.update(Text("No other note matches.", style="italic"))
        else:
            preview.update(self._note(idea, self.service.view(self.code).dots_on(idea.id), "Fold in"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))  # no wrapping round

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._confirm()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click: the list highlights it, then we ask as for Enter
        self._confirm()

    def _confirm(self) -> None:
        duplicate = self.highlighted()
        if duplicate is None:
            return
        view = self.service.view(self.code)
        question = "Merge these two notes?"
        detail = (
            f"Keep:    {self.survivor.text}  ({_dots(view.dots_on(self.survivor.id))})\n"
            f"Fold in: {duplicate.text}  ({_dots(view.dots_on(duplicate.id))})\n\n"
            "The second leaves the wall and its dots move to the first. u on the wall undoes it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(duplicate.id)

        self.app.push_screen(ConfirmScreen(question, detail, yes="Merge (y)", no="Back (n)"), answered)


class UnmergeScreen(OptionPicker):
    """Dismisses with the id of a note merged into ``survivor_id`` to split out again, or None."""

    CSS_PATH = "merge_dialogs.tcss"

    def __init__(self, service: WorkshopService, code: str, survivor_id: str) -> None:
        super().__init__()
        state = service.view(code)
        self.survivor = state.ideas[survivor_id]
        self.merged = sorted(
            (i for i in state.ideas.values() if i.merged_into == survivor_id and not i.deleted),
            key=lambda i: (i.updated_at, i.id),
            reverse=True,
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Split a merged note out again (its dots go back with it):", style="bold"))
            yield Static(Text(terminal_safe(self.survivor.text)), id="merge-survivor")
            yield OptionList(
                *(Option(Text(terminal_safe(i.text), overflow="ellipsis"), id=i.id) for i in self.merged),
                id="merge-list",
            )
            yield Static(Text("↑↓ choose   Enter unmerge   Esc cancel"), id="merge-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.merged else None
        options.focus()
