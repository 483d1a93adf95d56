"""The participant server's port is taken: say so and offer another port, any free port, or no phones."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Choice = Literal["next", "free", "none"]


class PortBusyScreen(ModalScreen[Choice]):
    DEFAULT_CSS = """
    PortBusyScreen { align: center middle; background: $background 70%; }
    PortBusyScreen > Vertical { width: 70; max-width: 95%; height: auto; border: thick $error; background: $surface;
                                padding: 1 2; }
    PortBusyScreen .title { color: $error; text-style: bold; }
    PortBusyScreen .detail { margin: 1 0; }
    PortBusyScreen Button { width: 100%; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "choose('next')", "Next port"),
        Binding("f", "choose('free')", "Any free port"),
        Binding("c", "choose('none')", "No phones"),
        Binding("escape", "choose('none')", "No phones", show=False),
    ]

    def __init__(self, host: str, port: int, message: str) -> None:
        super().__init__()
        self.host = host
        self.port = port
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Port {self.port} is busy"), classes="title")
            yield Static(
                Text(
                    f"{self.message}.\nPhones cannot join until the participant server listens on a port. "
                    "Choose another one (the QR code follows), or go on without phones."
                ),
                classes="detail",
            )
            yield Button(Text(f"n  Try port {self.port + 1}"), id="next", variant="primary")
            yield Button(Text("f  Any free port"), id="free")
            yield Button(Text("c  Continue without phones"), id="none")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice: Choice = "next" if event.button.id == "next" else "free" if event.button.id == "free" else "none"
        self.dismiss(choice)

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)
