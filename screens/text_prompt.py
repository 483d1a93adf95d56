"""One line of text (a note, a theme name, a number of dots) with inline validation errors.

The screen that opens it passes ``submit``: it is awaited with the text and may raise a
``WorkshopError`` (the service's refusal); the message is then shown under the field and the
prompt stays open. On success the prompt dismisses with the text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from screens.widgets.safe_input import SafeInput
from workshop_tui.errors import WorkshopError
from workshop_tui.text_safety import terminal_safe

Submit = Callable[[str], Awaitable[object]]


class TextPromptScreen(ModalScreen[str | None]):
    CSS_PATH = "text_prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        submit: Submit | None = None,
        integer: bool = False,
        max_length: int = 0,
        context: Text | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.placeholder = placeholder
        self.submit = submit
        self.integer = integer
        self.max_length = max_length
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(terminal_safe(self.title_text), style="bold"), id="prompt-title", markup=False)
            if self.context is not None:
                yield Static(self.context, id="prompt-context", markup=False)
            yield SafeInput(
                terminal_safe(self.initial),
                placeholder=self.placeholder,
                type="integer" if self.integer else "text",
                max_length=self.max_length,
                id="prompt-input",
            )
            yield Static("", id="prompt-error", markup=False)
            yield Static(Text("Enter  save      Esc  cancel"), id="prompt-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        error = self.query_one("#prompt-error", Static)
        if not value.strip():
            error.update(Text("Type something first, or press Esc."))
            return
        if self.submit is not None:
            try:
                await self.submit(value)
            except WorkshopError as exc:
                error.update(Text(terminal_safe(str(exc))))
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
