"""A yes/no question: ``y`` confirms, ``n`` or Escape cancels. Dismisses with True or False."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from workshop_tui.text_safety import terminal_safe


class ConfirmScreen(ModalScreen[bool]):
    """``question`` is plain text (never markup), so it may name a workshop or a participant."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; background: $background 70%; }
    ConfirmScreen > Vertical {
        width: auto; max-width: 90%; min-width: 40; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    ConfirmScreen .question { width: auto; max-width: 100%; text-style: bold; }
    ConfirmScreen .detail { width: auto; max-width: 100%; margin-top: 1; }
    ConfirmScreen Horizontal { height: auto; width: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 2; min-width: 14; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes (y)", no: str = "No (n)") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(terminal_safe(self.question)), classes="question")
            if self.detail:
                yield Static(Text(terminal_safe(self.detail, multiline=True)), classes="detail")
            with Horizontal():
                yield Button(Text(self._yes), id="yes", variant="warning")
                yield Button(Text(self._no), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
