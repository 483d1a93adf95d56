"""Follow what happens next: the workshop's public follow-up URL as a big QR code, for the room to scan
as it leaves (issue 14). Opens by itself when a workshop with a follow-up URL is closed, and with ``u``
on the backlog screen, where the URL can also be set, changed or removed (``e``; an empty field removes
it). The field shows only while editing, so at 80x24 the whole symbol fits above the URL.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from screens.audience import room_texts
from screens.widgets.qr_code import QRCode
from screens.widgets.steady_footer import SteadyFooter
from workshop_tui.errors import WorkshopError
from workshop_tui.phone_catalog import MESSAGES
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

HEADING = str(MESSAGES["followLead"])  # the phone's words, in the room's language
NO_URL = "No follow-up URL yet: type the public page where the city reports progress, then Enter."


class FollowScreen(ModalScreen[None]):
    CSS_PATH = "follow.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("e", "edit", "Edit URL"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code

    @property
    def url(self) -> str:
        return self.service.view(self.code).workshop.follow_url or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="follow-dialog"):
            yield Static(Text(room_texts(self.service, self.code).gettext(HEADING), style="bold"), id="follow-heading")
            yield QRCode(self.url, id="follow-qr")
            yield Static(id="follow-text")
            field = Input(self.url, placeholder="https://… (empty: no follow-up URL)", id="follow-input")
            # Hidden and disabled until `e`: keys go to the screen, nothing is typed by accident.
            field.display, field.disabled = False, True
            yield field
            yield Static("", id="follow-error")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.show()
        if not self.url:
            self.action_edit()

    def action_edit(self) -> None:
        field = self.query_one("#follow-input", Input)
        field.display, field.disabled = True, False
        field.focus()

    def _done_editing(self) -> None:
        field = self.query_one("#follow-input", Input)
        field.display, field.disabled = False, True
        self.set_focus(None)  # keys go to the screen again: Escape closes, e edits

    def show(self) -> None:
        url = self.url
        qr = self.query_one("#follow-qr", QRCode)
        qr.data = url
        qr.display = bool(url)
        workshop = self.service.view(self.code).workshop
        text = Text(terminal_safe(url), style="bold") if url else Text(NO_URL)
        text.append(f"\n{workshop.code} · ")
        text.append(terminal_safe(workshop.title))
        self.query_one("#follow-text", Static).update(text)
        self.query_one("#follow-error", Static).display = False

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            await self.service.update_workshop(self.code, follow_url=event.value.strip())
        except WorkshopError as exc:
            error = self.query_one("#follow-error", Static)
            error.update(Text(terminal_safe(exc.message)))
            error.display = True
            return
        self.show()
        if self.url:
            self._done_editing()

    def action_close(self) -> None:
        self.dismiss(None)
