"""Likely duplicates (from ``workshop_tui.duplicates``): confirm each merge with Enter, one by one.

The dialog closes by itself when no pair is left, and hands the merges it made back to the wall
(which can undo them).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workshop_tui.duplicates import DuplicatePair
from workshop_tui.errors import WorkshopError
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe


class SuggestionsScreen(ModalScreen[list[tuple[str, str]]]):
    """Dismisses with the merges made, as (survivor, duplicate) ids. The note with more dots (else the
    older) survives."""

    CSS_PATH = "suggestions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("delete,x", "skip", "Skip"),
    ]

    def __init__(self, service: WorkshopService, code: str, pairs: list[DuplicatePair]) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.pairs = {f"pair-{n}": pair for n, pair in enumerate(pairs)}
        self.merged: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"Likely duplicates: {len(self.pairs)}", style="bold"), id="sugg-title", markup=False)
            yield OptionList(*(Option(self._prompt(p), id=key) for key, p in self.pairs.items()), id="sugg-list")
            yield Static("", id="sugg-error", markup=False)
            yield Static(Text("Enter merge   x skip   Esc close"), id="sugg-keys", markup=False)

    def _prompt(self, pair: DuplicatePair) -> Text:
        ideas = self.service.view(self.code).ideas
        text = Text()
        text.append(f"{pair.score:.0%} ", style="bold")
        text.append(terminal_safe(ideas[pair.first].text) if pair.first in ideas else "?")
        text.append("\n  = ", style="bold")
        text.append(terminal_safe(ideas[pair.second].text) if pair.second in ideas else "?")
        return text

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _drop(self, key: str) -> None:
        options = self.query_one(OptionList)
        options.remove_option(key)
        del self.pairs[key]
        self.query_one("#sugg-title", Static).update(Text(f"Likely duplicates: {len(self.pairs)}", style="bold"))

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        if key is None or key not in self.pairs:
            return
        pair = self.pairs[key]
        state = self.service.view(self.code)
        first, second = pair.first, pair.second
        if state.dots_on(second) > state.dots_on(first):
            first, second = second, first
        try:
            await self.service.merge_ideas(self.code, first, second)
        except WorkshopError as exc:
            self.query_one("#sugg-error", Static).update(Text(terminal_safe(str(exc))))
            return
        self.merged.append((first, second))
        self.query_one("#sugg-error", Static).update("")
        gone = {pair.second, pair.first} - {first}
        for other_key, other in list(self.pairs.items()):
            if other_key == key or other.first in gone or other.second in gone:
                self._drop(other_key)
        self._close_when_done()

    def action_skip(self) -> None:
        highlighted = self.query_one(OptionList).highlighted_option
        if highlighted is not None and highlighted.id is not None:
            self._drop(highlighted.id)
        self._close_when_done()

    def _close_when_done(self) -> None:
        if not self.pairs:
            self.dismiss(self.merged)

    def action_close(self) -> None:
        self.dismiss(self.merged)
