"""A form for a new workshop: title, template, the prompt phones see, the follow-up URL, the dot rules
and who is named.

It opens on the first template with that template's prompt in the editor (the prompt is what every
phone shows, so it is always visible and editable here); choosing another template replaces the
prompt unless it was edited. The room's language (the facilitator's locale by default) is what
phones, the projected screens and the report speak. "Anonymous" hides authors everywhere (wall,
exports); "Show authors on the projector" is off by default so names stay off the room's screen. The
service validates (pydantic models); its ``Invalid`` message is shown inline under the form.
Dismisses with the new workshop's code, or None when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from workshop_tui import i18n
from workshop_tui.errors import WorkshopError
from workshop_tui.locales import SHIPPED
from workshop_tui.models import Settings
from workshop_tui.service import WorkshopService
from workshop_tui.templates import templates
from workshop_tui.text_safety import terminal_safe

BLANK = "blank"  # the Select value for "no template"


def template_settings(template_id: str) -> Settings:
    chosen = templates().get(template_id)
    return chosen.settings if chosen else Settings()


def template_prompt(template_id: str) -> str:
    chosen = templates().get(template_id)
    return chosen.prompt if chosen else ""


class NewWorkshopScreen(ModalScreen[str | None]):
    CSS_PATH = "new_workshop.tcss"
    # Under 30 rows (a projector at 80x24) the fields close up: every one stays on screen, Create too.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (declared by Screen)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service
        self.first = next(iter(templates()), BLANK)

    def compose(self) -> ComposeResult:
        options = [(t.name, t.id) for t in templates().values()] + [("Blank (no template)", BLANK)]
        settings = template_settings(self.first)
        # One row per field, label beside it (compact widgets): the whole form and its buttons fit 80x24
        # with rows to spare for more settings.
        with Vertical(id="form"):
            yield Static(Text("New workshop", style="bold"), id="form-title")
            with Grid(id="fields"):
                yield Label("Title")
                yield Input(placeholder="e.g. Bike lanes for the north district", id="title", compact=True)
                yield Label("Template")
                yield Select(options, value=self.first, allow_blank=False, id="template", compact=True)
                yield Label("Language")
                languages = [(i18n.native_name(lang), lang) for lang in SHIPPED]
                yield Select(
                    languages, value=i18n.facilitator_language(), allow_blank=False, id="language", compact=True
                )
                yield Label("Prompt", classes="tall")
                yield TextArea(template_prompt(self.first), id="prompt", soft_wrap=True, compact=True)
                yield Label("Follow-up")
                yield Input(
                    placeholder="https://… where the city reports progress (optional)", id="follow-url", compact=True
                )
                yield Label("Dots")
                with Horizontal(id="dots"):
                    yield Input(
                        placeholder=str(settings.dots_per_participant),
                        type="integer",
                        id="dots-per-participant",
                        compact=True,
                    )
                    yield Label("per person, at most", classes="inline")
                    yield Input(
                        placeholder=str(settings.max_dots_per_idea),
                        type="integer",
                        id="max-dots-per-idea",
                        compact=True,
                    )
                    yield Label("on one idea", classes="inline")
                yield Label("Names")
                with Horizontal(id="names"):
                    yield Switch(settings.anonymous, id="anonymous")
                    yield Label("anonymous (in exports too)", classes="inline")
                    yield Switch(settings.names_projected, id="show-authors", disabled=settings.anonymous)
                    yield Label("shown on the projector", classes="inline")
            yield Static(Text("The prompt is what every phone shows: edit it for your challenge."), id="form-hint")
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Create (ctrl+s)", id="create", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        self.query_one("#form-error", Static).display = False
        self._template = self.first

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "template":
            return
        new = str(event.value)
        if new == self._template:
            return
        prompt = self.query_one("#prompt", TextArea)
        if prompt.text.strip() in ("", template_prompt(self._template).strip()):  # not edited: follow the template
            prompt.load_text(template_prompt(new))
        settings = template_settings(new)
        self.query_one("#dots-per-participant", Input).placeholder = str(settings.dots_per_participant)
        self.query_one("#max-dots-per-idea", Input).placeholder = str(settings.max_dots_per_idea)
        self.query_one("#anonymous", Switch).value = settings.anonymous
        self.query_one("#show-authors", Switch).value = settings.show_authors
        self._template = new

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id == "anonymous":  # anonymous shows names nowhere: the projector's switch goes off
            shown = self.query_one("#show-authors", Switch)
            shown.disabled = event.value
            if event.value:
                shown.value = False

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
        template = str(self.query_one("#template", Select).value)
        language = str(self.query_one("#language", Select).value)
        prompt = self.query_one("#prompt", TextArea).text.strip()
        anonymous = self.query_one("#anonymous", Switch).value
        settings: dict[str, object] = {
            "anonymous": anonymous,
            "show_authors": self.query_one("#show-authors", Switch).value and not anonymous,
        }
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
                template=None if template == BLANK else template,
                prompt=prompt,  # what the facilitator sees is what phones get (an emptied prompt stays empty)
                settings=settings,
                language=language,
                follow_url=self.query_one("#follow-url", Input).value.strip() or None,
            )
        except WorkshopError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(workshop.code)

    def action_cancel(self) -> None:
        self.dismiss(None)
