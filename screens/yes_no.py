"""A yes/no question before a destructive or public action (revealing results, replacing teams)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class YesNoScreen(ModalScreen[bool]):
    """Dismisses with True on ``y``, False on ``n`` or Escape. The question is plain text, never markup."""

    CSS_PATH = "yes_no.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str | Text, detail: str | Text = "") -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.detail = detail if isinstance(detail, Text) else Text(detail)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            if self.detail.plain:
                yield Static(self.detail, id="detail", markup=False)
            yield Static(Text("y  yes      n / Esc  no", style="bold"), id="keys", markup=False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
