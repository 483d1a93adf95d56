"""Pick the theme for a note: an existing one, "No theme", or a new one typed at the bottom. The note's
own theme is named in the title, not offered (a move there would do nothing), as the team picker does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.widgets.safe_input import SafeInput
from workshop_tui.errors import WorkshopError
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

NO_THEME = "__none__"


@dataclass(frozen=True)
class ThemeChoice:
    theme_id: str | None


class ThemePickerScreen(ModalScreen[ThemeChoice | None]):
    CSS_PATH = "theme_picker.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, service: WorkshopService, code: str, current: str | None, note: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.current = current
        self.note = note

    def compose(self) -> ComposeResult:
        state = self.service.view(self.code)
        counts: dict[str | None, int] = {}
        for idea in state.ideas.values():
            if idea.visible:
                counts[idea.theme_id] = counts.get(idea.theme_id, 0) + 1
        options = []
        if self.current is not None:
            options.append(Option(Text.assemble(("No theme", "italic"), f"  {counts.get(None, 0)}"), id=NO_THEME))
        title = Text("Move to theme", style="bold")
        for theme in sorted(state.themes.values(), key=lambda t: t.name.casefold()):
            if theme.id == self.current:
                title.append(Text.assemble(" (now in ", terminal_safe(theme.name) or "?", ")"))
                continue
            options.append(
                Option(Text.assemble(terminal_safe(theme.name), f"  {counts.get(theme.id, 0)}"), id=theme.id)
            )
        if self.current is None:
            title.append(" (now in no theme)")
        with Vertical(id="dialog"):
            yield Static(title, markup=False, id="picker-title")
            yield Static(
                Text(terminal_safe(self.note), overflow="ellipsis", no_wrap=True), id="picker-note", markup=False
            )
            yield OptionList(*options, id="picker-themes")
            yield SafeInput(placeholder="or type a new theme name and press Enter", max_length=200, id="picker-new")
            yield Static("", id="picker-error", markup=False)

    def on_mount(self) -> None:
        themes = self.query_one(OptionList)
        if themes.option_count:
            themes.highlighted = 0
            themes.focus()
        else:  # no theme yet and the note has none: typing one is the only choice
            self.query_one("#picker-new", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss(ThemeChoice(None if chosen == NO_THEME else chosen))

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            return
        try:
            theme = await self.service.create_theme(self.code, name)
        except WorkshopError as exc:
            self.query_one("#picker-error", Static).update(Text(terminal_safe(str(exc))))
            return
        self.dismiss(ThemeChoice(theme.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
