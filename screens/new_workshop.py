"""A form for a new workshop: title, template, challenge prompt and the dot rules.

The service validates (pydantic models); its ``Invalid`` message is shown inline under the form.
Dismisses with the new workshop's code, or None when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from workshop_tui.errors import WorkshopError
from workshop_tui.service import WorkshopService
from workshop_tui.templates import templates
from workshop_tui.text_safety import terminal_safe


class NewWorkshopScreen(ModalScreen[str | None]):
    CSS_PATH = "new_workshop.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        options = [(t.name, t.id) for t in templates().values()]
        with VerticalScroll(id="form"):
            yield Static(Text("New workshop", style="bold"), id="form-title")
            yield Label("Title")
            yield Input(placeholder="e.g. Bike lanes for the north district", id="title")
            yield Label("Template")
            yield Select(options, prompt="No template", id="template")
            yield Label("Challenge prompt (empty: the template's)")
            yield TextArea(id="prompt", soft_wrap=True)
            with Horizontal(id="dots"):
                yield Label("Dots per person")
                yield Input(placeholder="5", type="integer", id="dots-per-participant")
                yield Label("Max dots on one idea")
                yield Input(placeholder="3", type="integer", id="max-dots-per-idea")
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Create (ctrl+s)", id="create", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        self.query_one("#form-error", Static).display = False

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in templates():
            settings = templates()[event.value].settings
            self.query_one("#dots-per-participant", Input).placeholder = str(settings.dots_per_participant)
            self.query_one("#max-dots-per-idea", Input).placeholder = str(settings.max_dots_per_idea)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_worker(self.action_create(), exclusive=True)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "create":
            await self.action_create()
        else:
            self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Text(terminal_safe(message)))
        error.display = True

    async def action_create(self) -> None:
        title = self.query_one("#title", Input).value
        template = self.query_one("#template", Select).value
        prompt = self.query_one("#prompt", TextArea).text.strip()
        settings: dict[str, object] = {}
        for field, widget_id in (
            ("dots_per_participant", "dots-per-participant"),
            ("max_dots_per_idea", "max-dots-per-idea"),
        ):
            raw = self.query_one(f"#{widget_id}", Input).value.strip()
            if raw:
                try:
                    settings[field] = int(raw)
                except ValueError:
                    self.show_error(f"{field}: a whole number, please")
                    return
        try:
            workshop = await self.service.create_workshop(
                title,
                template=template if isinstance(template, str) else None,
                prompt=prompt or None,
                settings=settings or None,
            )
        except WorkshopError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(workshop.code)

    def action_cancel(self) -> None:
        self.dismiss(None)
