"""Home: every workshop in the data directory, newest activity first; open one, start one, add the demo."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from screens.events import DomainEvents
from workshop_tui.service import WorkshopService, WorkshopSummary
from workshop_tui.text_safety import terminal_safe

COLUMNS = [("Code", "code"), ("Title", "title"), ("Phase", "phase"), ("People", "people")]
COLUMNS += [("Notes", "notes"), ("Dots", "dots"), ("Last activity", "activity")]


def ago(when: dt.datetime, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return when.astimezone().strftime("%Y-%m-%d")


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"

    class OpenWorkshop(Message):
        """The facilitator chose a workshop: the app opens it (its phase's screen)."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new_workshop", "New"),
        Binding("enter", "open", "Open"),
        Binding("d", "app.open_demo", "Demo"),
        Binding("b", "app.backlog", "Backlog"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service
        self._stale = False
        self.now: dt.datetime | None = None  # fixed in snapshot tests

    def compose(self) -> ComposeResult:
        yield Static(Text("workshop-tui · workshops", style="bold"), id="home-title")
        table: DataTable[Text] = DataTable(id="workshops", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="home-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#workshops", DataTable)
        for label, key in COLUMNS:
            table.add_column(Text(label, style="bold"), key=key)
        self.reload()
        table.focus()

    def rows(self) -> list[WorkshopSummary]:
        """Newest activity first, from the summaries: listing past workshops opens none of them."""
        return sorted(self.service.summaries(), key=lambda s: s.last_activity, reverse=True)

    def reload(self) -> None:
        table = self.query_one("#workshops", DataTable)
        selected = self.selected_code
        table.clear()
        states = self.rows()
        for summary in states:
            w = summary.workshop
            table.add_row(
                Text(w.code, style="bold"),
                Text(terminal_safe(w.title)),  # untrusted text: a Text cell, never markup
                Text(w.phase.value),
                Text(str(summary.participants), justify="right"),
                Text(str(summary.ideas), justify="right"),
                Text(str(summary.dots), justify="right"),
                Text(ago(summary.last_activity, self.now)),
                key=w.code,
            )
        if selected is not None and selected in {s.code for s in states}:
            table.move_cursor(row=table.get_row_index(selected))
        empty = self.query_one("#home-empty", Static)
        empty.display = not states
        empty.update(Text("No workshops yet. Press n for a new one, or d to add the demo workshop."))
        self._stale = False

    @property
    def selected_code(self) -> str | None:
        table = self.query_one("#workshops", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def action_open(self) -> None:
        code = self.selected_code
        if code is not None:
            self.post_message(self.OpenWorkshop(code))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenWorkshop(event.row_key.value))

    def on_domain_events(self, message: DomainEvents) -> None:
        if self.is_current:
            self.reload()
        else:
            self._stale = True  # refreshed when we come back: no work while a session runs on top

    def on_screen_resume(self) -> None:
        self.reload()  # counts and "last activity" moved on while a session ran on top
