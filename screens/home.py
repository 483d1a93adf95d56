"""Home: every workshop in the data directory, newest activity first; open one, start one, add the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from screens.events import DomainEvents
from screens.widgets.steady_footer import SteadyFooter
from workshop_tui.errors import NotFound
from workshop_tui.service import WorkshopService, WorkshopSummary
from workshop_tui.text_safety import terminal_safe

COLUMNS = [("Code", "code"), ("Title", "title"), ("Phase", "phase"), ("People", "people")]
COLUMNS += [("Notes", "notes"), ("Dots", "dots"), ("Last activity", "activity")]
MIN_TITLE = 8  # cells a title keeps however narrow the screen


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
    """Its styles (``home.tcss``) are the app's: Textual reads no CSS_PATH of a default screen."""

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

    def __init__(self, service: WorkshopService, *, under_a_workshop: bool = False) -> None:
        """``under_a_workshop``: the app opens a workshop over this list at once (``run CODE``); the list
        is filled when the facilitator comes back to it, and costs that workshop's first frame nothing."""
        super().__init__()
        self.service = service
        self._under_a_workshop = under_a_workshop
        self.now: dt.datetime | None = None  # fixed in snapshot tests
        self._shown: dict[str, WorkshopSummary] = {}  # by workshop id: what the table shows
        self._changed: set[str] = set()  # ids with events while another screen was on top
        self._title_width = MIN_TITLE  # cells a title may take (``_fit_titles``)

    def compose(self) -> ComposeResult:
        if not self._under_a_workshop:  # under a workshop: built when it first comes on screen (``show_list``)
            yield from self._parts()

    def _parts(self) -> ComposeResult:
        yield Static(Text("workshop-tui · workshops", style="bold"), id="home-title")
        table: DataTable[Text] = DataTable(id="workshops", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="home-empty", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.set_interval(60, self._show_times)  # "just now" becomes "1 min ago" with no event
        if self._under_a_workshop:  # filled when the facilitator comes back to the list
            self._changed.update(s.id for s in self.service.summaries())
        else:
            self._set_up()
            self.show_summaries(self.service.summaries())  # each summarised once, opening none

    @property
    def _built(self) -> bool:
        return bool(self.query("#workshops"))

    def _set_up(self) -> None:
        table = self.query_one("#workshops", DataTable)
        for label, key in COLUMNS:
            table.add_column(Text(label, style="bold"), key=key)
        self.query_one("#home-empty", Static).update(
            Text("No workshops yet. Press n for a new one, or d to add the demo workshop.")
        )
        table.focus()

    def _cells(self, summary: WorkshopSummary) -> list[Text]:
        w = summary.workshop
        return [
            Text(w.code, style="bold"),
            self._title_cell(summary),
            Text(w.phase.value),
            Text(str(summary.participants), justify="right"),
            Text(str(summary.ideas), justify="right"),
            Text(str(summary.dots), justify="right"),
            Text(ago(summary.last_activity, self.now)),
        ]

    def _title_cell(self, summary: WorkshopSummary) -> Text:
        """The title (untrusted text: a Text cell, never markup), cut to the room the other columns leave."""
        title = Text(terminal_safe(summary.workshop.title), no_wrap=True, overflow="ellipsis")
        title.truncate(self._title_width, overflow="ellipsis")
        return title

    def _title_room(self) -> int:
        """Cells for the title so that the table is never wider than the screen (no horizontal
        scrollbar at 80 columns): what the border, a vertical scrollbar and the other columns leave."""
        table = self.query_one("#workshops", DataTable)
        width = table.content_region.width or self.app.size.width - 2  # before the first layout: the border
        others = sum(c.get_render_width(table) for key, c in table.columns.items() if key.value != "title")
        room = width - table.styles.scrollbar_size_vertical - others - 2 * table.cell_padding
        return max(MIN_TITLE, room)

    def _fit_titles(self) -> None:
        """Cut every title again when the room for them changed (a resize, a count that got wider)."""
        if not self._built:
            return
        room = self._title_room()
        if room == self._title_width:
            return
        self._title_width = room
        table = self.query_one("#workshops", DataTable)
        for summary in self._shown.values():
            self._put(table, summary.code, "title", self._title_cell(summary))  # widens the column if needed
        if self._shown:  # then measured once (not once per row), so that it also narrows
            first = next(iter(self._shown.values()))
            table.update_cell(first.code, "title", self._title_cell(first), update_width=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_titles)  # the table has its new width once laid out

    def show_changes(self, workshop_ids: Iterable[str]) -> None:
        """Redraw the rows of ``workshop_ids`` only, each from its one summary (live if it is open), and
        keep the newest activity first with the cursor on the workshop it was on."""
        summaries = []
        for workshop_id in workshop_ids:
            try:
                summaries.append(self.service.summary(workshop_id))
            except NotFound:
                continue
        self.show_summaries(summaries)

    def show_summaries(self, summaries: Iterable[WorkshopSummary]) -> None:
        """Draw these summaries (new rows, or only their changed cells), newest activity first."""
        table = self.query_one("#workshops", DataTable)
        selected = self.selected_code
        reorder = False
        for summary in summaries:
            workshop_id = summary.workshop.id
            before = self._shown.get(workshop_id)
            self._shown[workshop_id] = summary
            if before is None:
                table.add_row(*self._cells(summary), key=summary.code)
                reorder = True
                continue
            for (_, column), cell in zip(COLUMNS, self._cells(summary), strict=True):
                self._put(table, summary.code, column, cell)
            reorder |= summary.last_activity != before.last_activity
        if reorder:
            by_code = {s.code: s.last_activity for s in self._shown.values()}
            table.sort("code", key=lambda code: by_code[code.plain], reverse=True)
            if selected is not None:
                table.move_cursor(row=table.get_row_index(selected))
        # No workshop yet: the hint right under the table's header, not below an empty screen-high frame.
        self.query_one("#home-empty", Static).display = not self._shown
        table.set_class(not self._shown, "-empty")
        self._fit_titles()

    def _show_times(self) -> None:
        """Every row's "last activity" as of now (it reads "just now", then "5 min ago")."""
        if not (self.is_current and self._built):
            return  # under a session: ``show_list`` brings the times up to date on the way back
        table = self.query_one("#workshops", DataTable)
        for summary in self._shown.values():
            self._put(table, summary.code, "activity", Text(ago(summary.last_activity, self.now)))

    @staticmethod
    def _put(table: DataTable[Text], code: str, column: str, cell: Text) -> None:
        """One cell, in constant time: unchanged cells are left alone, and the column widens for a wider
        cell but is not measured again for a narrower one (DataTable would measure the whole column)."""
        if table.get_cell(code, column) == cell:
            return
        wider = cell.cell_len > table.columns[ColumnKey(column)].content_width
        table.update_cell(code, column, cell, update_width=wider)

    @property
    def selected_code(self) -> str | None:
        if not self._built:
            return None
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
        changed = dict.fromkeys(e.workshop_id for e in message.events)
        if self.is_current and self._built:
            self.show_changes(changed)
        else:
            self._changed.update(changed)  # drawn when we come back: no work while a session runs on top

    async def on_screen_resume(self) -> None:
        if not self._under_a_workshop:  # at launch, resumed before the workshop is pushed over it
            await self.show_list()

    def on_screen_suspend(self) -> None:
        self._under_a_workshop = False

    async def show_list(self) -> None:
        """Bring the list up to date (what changed while another screen was on top); after ``run CODE``,
        build it first: the workshop's first frame did not wait for the table, its styles and its rows."""
        if not self._built:
            await self.mount_all(self._parts())
            self._set_up()
        changed, self._changed = self._changed, set()
        self.show_changes(changed)
        self._show_times()  # time moved on while a session ran on top
