"""Merge: choose the duplicate to fold into the selected note (the survivor keeps its text).

The list shows every other note on the wall, most similar first, and narrows as you type.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.option_picker import OptionPicker
from screens.widgets.safe_input import SafeInput
from workshop_tui.duplicates import normalize, similarity
from workshop_tui.models import Idea
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

SHOWN = 200  # a merge target is found by typing; the list never needs the whole wall


class MergeScreen(OptionPicker):
    """Dismisses with the id of the duplicate to merge into ``survivor_id``, or None."""

    CSS_PATH = "merge.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "to_list", show=False)]

    def __init__(self, service: WorkshopService, code: str, survivor_id: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.survivor_id = survivor_id
        state = service.state(code)
        survivor = state.ideas[survivor_id]
        self.survivor = survivor
        others = [i for i in state.ideas.values() if i.visible and i.id != survivor_id]
        scored = [(similarity(survivor.text, i.text), i) for i in others]
        scored.sort(key=lambda p: (-p[0], p[1].created_at, p[1].id))
        self.candidates: list[Idea] = [i for _, i in scored]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Merge a duplicate into this note (its dots move here):", style="bold"), markup=False)
            yield Static(Text(terminal_safe(self.survivor.text)), id="merge-survivor", markup=False)
            yield SafeInput(placeholder="type to find the duplicate", id="merge-filter")
            yield OptionList(id="merge-list")
            yield Static(Text("↓ list   Enter merge   Esc cancel"), id="merge-keys", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(OptionList).focus()

    def _fill(self, needle: str) -> None:
        wanted = normalize(needle)
        shown = [i for i in self.candidates if not wanted or wanted in normalize(i.text)][:SHOWN]
        options = self.query_one(OptionList)
        options.set_options(Option(Text(terminal_safe(i.text), overflow="ellipsis"), id=i.id) for i in shown)
        if shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()
