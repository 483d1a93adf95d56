"""The prototype backlog across workshops: a sortable, filterable table (``table``), the budget pools as
bars, the selected item's history as a timeline, and the promise ledger of its workshop (``panels``).

Keyboard first: every action has a key in the Footer and a command in the palette (Ctrl+P).
Participant and owner text is untrusted: it reaches the screen only as ``rich.text.Text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from screens.backlog.editor import BacklogEditor
from screens.backlog.form import money_problem
from screens.backlog.panels import PoolBars, ledger_text, timeline_text
from screens.backlog.review import ReviewScreen
from screens.backlog.table import COLUMN_BY_KEY, COLUMNS, STATUS_ORDER, Column, Row, fit_columns, row_cells
from screens.events import DomainEvents
from screens.follow import FollowScreen
from screens.text_prompt import TextPromptScreen
from screens.widgets.session_bar import SessionBar
from screens.widgets.steady_footer import SteadyFooter
from screens.widgets.timer import PhaseTimer
from workshop_tui.backlog import budget_totals, item_budget, item_flags
from workshop_tui.backlog_ledger import promise_ledger
from workshop_tui.counted import plural
from workshop_tui.errors import Invalid, WorkshopError
from workshop_tui.events import BacklogChanged, WorkshopUpdated
from workshop_tui.models import BacklogItem, BacklogStatus, utcnow
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

NARROW_WIDTH = 120
PANELS = ["timeline", "ledger", "pools"]


class BacklogCommands(Provider):
    """The backlog screen's actions in the command palette."""

    def _commands(self) -> list[tuple[str, str, str]]:
        cmds = [
            ("Backlog: edit the selected item", "edit", "Open the edit form"),
            ("Backlog: sort by the next column", "cycle_sort", "Cycle the sort column"),
            ("Backlog: reverse the sort", "reverse_sort", "Ascending / descending"),
            ("Backlog: overdue only", "toggle_overdue", "Show only items whose review date has passed"),
            ("Backlog: clear filters", "clear_filters", "Show every item"),
            ("Backlog: next status filter", "cycle_status", "All, proposed, approved, ..."),
            ("Backlog: filter by owner", "focus_owner", "Type part of an owner's name"),
            ("Backlog: next panel", "cycle_panel", "Timeline, ledger, budget pools (narrow screens)"),
            ("Backlog: review meeting", "review_meeting", "Step through the items due, overdue first"),
        ]
        cmds += [(f"Backlog: sort by {c.label.lower()}", f"sort_by('{c.key}')", "") for c in COLUMNS]
        return cmds

    def _run(self, action: str) -> Callable[[], Any]:
        screen = self.screen

        async def run() -> None:
            await screen.run_action(action)

        return run

    async def discover(self) -> Hits:
        if not isinstance(self.screen, BacklogScreen):
            return
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, self._run(action), help=help_text)

    async def search(self, query: str) -> Hits:
        if not isinstance(self.screen, BacklogScreen):
            return
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._run(action), help=help_text)


class BacklogScreen(Screen[None]):
    """Every workshop's backlog (``BacklogScreen(service)``), or one workshop's in its backlog and
    closed phases (``BacklogScreen(service, code)``), where ``c`` turns the teams' ideas into items."""

    CSS_PATH = "backlog.tcss"
    COMMANDS: ClassVar[set[Any]] = {BacklogCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]  # noqa: RUF012 (declared by Screen)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("r", "reverse_sort", "Reverse", show=False),
        Binding("f", "cycle_status", "Status"),
        Binding("o", "toggle_overdue", "Overdue"),
        Binding("slash", "focus_owner", "Owner"),
        Binding("x", "clear_filters", "Clear", show=False),
        Binding("v", "cycle_panel", "Panel"),
        Binding("c", "convert", "Convert ideas"),
        Binding("p", "edit_pool", "Budget pool"),
        Binding("m", "review_meeting", "Review meeting"),
        Binding("u", "follow", "Follow URL"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(
        self, service: WorkshopService, code: str | None = None, *, now: Callable[[], dt.datetime] = utcnow
    ) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.now = now
        self.sort_key = "review"
        self.sort_reverse = False
        self.status_filter: BacklogStatus | None = None
        self.owner_filter = ""
        self.overdue_only = False
        self.rows: list[Row] = []
        self.selected_id: str | None = None
        self.panel = 0
        self._layout: tuple[list[Column], dict[str, int]] = ([], {})
        self._syncing = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        if self.code is not None:
            yield SessionBar(self.service, self.code)
        with Horizontal(id="filters"):
            yield Select(
                [("All statuses", "all")] + [(s.value, s.value) for s in STATUS_ORDER],
                value="all",
                allow_blank=False,
                id="status-filter",
            )
            yield Input(placeholder="owner contains…", id="owner-filter")
            yield Checkbox("Overdue only", id="overdue-filter")
            yield Static(id="summary")
        table: DataTable[Text] = DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty-hint")
        with Horizontal(id="details"):
            with VerticalScroll(id="timeline", classes="panel -shown"):
                yield Static(id="timeline-body")
            with VerticalScroll(id="ledger", classes="panel"):
                yield Static(id="ledger-body")
            with VerticalScroll(id="pools", classes="panel"):
                yield PoolBars(id="pool-bars")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#timeline").border_title = "History"
        self.query_one("#ledger").border_title = "Promise ledger"
        self.query_one("#pools").border_title = "Budget pools"
        self.reload()
        self.query_one(DataTable).focus()
        if self.code is not None:
            workshop = self.service.view(self.code).workshop
            if workshop.phase == Phase.CLOSED and workshop.follow_url:  # the closing screen: the room scans it
                self.call_after_refresh(self.action_follow)

    def on_resize(self) -> None:
        # Every width needs its own columns and title width, not only the crossing of a breakpoint.
        if self._wanted_layout() != self._layout:
            self.rebuild_table()

    def _wanted_layout(self) -> tuple[list[Column], dict[str, int]]:
        scrollbar = 2  # the table's vertical scrollbar, when the rows overflow
        return fit_columns(self.size.width - scrollbar, with_code=self.code is None)

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the items again from the service, then redraw everything."""
        now = self.now()
        rows = []
        states = [self.service.view(self.code)] if self.code is not None else self.service.views()
        for state in states:
            settings = state.workshop.settings
            for item in state.backlog.values():
                rows.append(Row(item, state.code, settings.currency, item_flags(item, now), item_budget(item)))
        self.rows = rows
        self.rebuild_table()
        self.refresh_pools()

    def visible_rows(self) -> list[Row]:
        needle = self.owner_filter.strip().casefold()
        rows = [
            r
            for r in self.rows
            if (self.status_filter is None or r.item.status == self.status_filter)
            and (not needle or needle in r.item.owner.name.casefold())
            and (not self.overdue_only or r.flags.anything_overdue)
        ]
        column = COLUMN_BY_KEY[self.sort_key]
        rows.sort(key=lambda r: (r.code, r.item.created_at, r.item.id))
        rows.sort(key=column.sort_key, reverse=self.sort_reverse)
        return rows

    def rebuild_table(self) -> None:
        table = self.query_one(DataTable)
        self._layout = columns, widths = self._wanted_layout()
        rows = self.visible_rows()
        keep = self.selected_id
        table.clear(columns=True)
        for c in columns:
            arrow = (" ▼" if self.sort_reverse else " ▲") if c.key == self.sort_key else ""
            table.add_column(Text(c.label + arrow, style="bold"), key=c.key, width=widths[c.key])
        for r in rows:
            table.add_row(*row_cells(r, columns), key=r.item.id)
        ids = [r.item.id for r in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self.selected_id = ids[table.cursor_row] if ids and 0 <= table.cursor_row < len(ids) else None
        self.refresh_details()
        self.refresh_summary(len(rows))
        self.refresh_empty_hint(len(rows))
        self.refresh_bindings()  # `c` is offered while some team's idea is not an item yet

    def refresh_summary(self, shown: int) -> None:
        text = Text()
        text.append(f"{shown}", style="bold")
        text.append(f" of {plural(len(self.rows), 'item')} · sort: {COLUMN_BY_KEY[self.sort_key].label.lower()}")
        text.append(" ▼" if self.sort_reverse else " ▲")
        overdue = sum(1 for r in self.rows if r.flags.anything_overdue)
        if overdue:
            text.append(f"  {overdue} overdue", style="bold red")
        self.query_one("#summary", Static).update(text)

    def to_convert(self) -> int:
        """How many of this workshop's teams have an idea that is not a backlog item yet."""
        if self.code is None:
            return 0
        state = self.service.view(self.code)
        converted = {i for item in state.backlog.values() for i in item.idea_ids}
        return sum(1 for team in state.teams.values() if team.idea_id not in converted)

    def refresh_empty_hint(self, shown: int) -> None:
        """With no row to show, what to do next: create the backlog from the teams (c), form teams first,
        or clear the filters."""
        hint = self.query_one("#empty-hint", Static)
        hint.display = not shown
        # No item at all: the hint takes the place of the empty table and of its panels (nothing to show).
        self.query_one(DataTable).display = self.query_one("#details").display = bool(self.rows)
        if shown:
            return
        teams = self.to_convert()
        if self.rows:
            text = "No item matches these filters: x clears them."
        elif teams:
            text = (
                f"The backlog is empty. Press c to create it from {'the team' if teams == 1 else f'the {teams} teams'}"
                ": each team's idea becomes an item with the team's champion as owner and a first review in two weeks."
            )
        elif self.code is not None:
            text = (
                "The backlog is empty and no teams were formed. Step back to the teams phase (ctrl+←) to form "
                "them, then press c here."
            )
        else:
            text = "No backlog items yet. In a workshop's backlog phase, c turns its teams' ideas into items."
        hint.update(Text(text))

    def selected_row(self) -> Row | None:
        return next((r for r in self.rows if r.item.id == self.selected_id), None)

    def refresh_details(self) -> None:
        row = self.selected_row()
        now = self.now()
        self.query_one("#timeline-body", Static).update(timeline_text(row.item if row else None, now))
        ledger = None
        if row is not None:
            state = self.service.view(row.item.workshop)
            ledger = promise_ledger(state.workshop, state.backlog.values(), now)
        self.query_one("#ledger-body", Static).update(ledger_text(ledger))
        self.query_one("#ledger").border_title = f"Promise ledger · {row.code}" if row else "Promise ledger"

    def refresh_pools(self) -> None:
        pools = []
        for state in self.service.views():
            if not state.backlog:
                continue
            s = state.workshop.settings
            pools.append(
                (state.code, state.workshop.title, budget_totals(state.backlog.values(), s.budget_pool, s.currency))
            )
        self.query_one(PoolBars).set_pools(pools)

    # ------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None and event.row_key.value != self.selected_id:
            self.selected_id = event.row_key.value
            self.refresh_details()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.selected_id = event.row_key.value
        self.action_edit()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, False
        self.rebuild_table()

    @on(Select.Changed, "#status-filter")
    def _status_changed(self, event: Select.Changed) -> None:
        value = event.value
        new = None if value in ("all", Select.NULL) else BacklogStatus(str(value))
        if new != self.status_filter:
            self.status_filter = new
            self.rebuild_table()

    @on(Input.Changed, "#owner-filter")
    def _owner_changed(self, event: Input.Changed) -> None:
        self.owner_filter = event.value
        self.rebuild_table()

    @on(Input.Submitted, "#owner-filter")
    def _owner_submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(Checkbox.Changed, "#overdue-filter")
    def _overdue_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.overdue_only:
            self.overdue_only = event.value
            self.rebuild_table()

    def on_domain_events(self, message: DomainEvents) -> None:
        if any(isinstance(e, BacklogChanged | WorkshopUpdated) for e in message.events):
            self.reload()
        for bar in self.query(SessionBar):
            bar.refresh_counts()
        for timer in self.query(PhaseTimer):  # a timer started over the admin API shows here too
            timer.sync()

    # ------------------------------------------------------------------ actions

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in self._layout[0]]
        at = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_key, self.sort_reverse = keys[(at + 1) % len(keys)], False
        self.rebuild_table()

    def action_sort_by(self, key: str) -> None:
        if key in COLUMN_BY_KEY:
            self.sort_key = key
            self.rebuild_table()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.rebuild_table()

    def action_cycle_status(self) -> None:
        order: list[BacklogStatus | None] = [None, *STATUS_ORDER]
        self.set_status_filter(order[(order.index(self.status_filter) + 1) % len(order)])

    def set_status_filter(self, status: BacklogStatus | None) -> None:
        self.status_filter = status
        self.query_one("#status-filter", Select).value = status.value if status else "all"
        self.rebuild_table()

    def action_toggle_overdue(self) -> None:
        self.query_one("#overdue-filter", Checkbox).value = not self.overdue_only

    def action_focus_owner(self) -> None:
        self.query_one("#owner-filter", Input).focus()

    def action_clear_filters(self) -> None:
        self.overdue_only = False
        self.owner_filter = ""
        self.query_one("#owner-filter", Input).value = ""
        self.query_one("#overdue-filter", Checkbox).value = False
        self.set_status_filter(None)

    def action_cycle_panel(self) -> None:
        self.panel = (self.panel + 1) % len(PANELS)
        for n, name in enumerate(PANELS):
            self.query_one(f"#{name}").set_class(n == self.panel, "-shown")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "convert":
            return self.to_convert() > 0
        if action == "follow":
            return self.code is not None
        return True

    def action_follow(self) -> None:
        """The follow-up URL as a big QR code, and where to set it."""
        if self.code is not None:
            self.app.push_screen(FollowScreen(self.service, self.code))

    async def action_convert(self) -> None:
        """The teams' ideas (or, without teams, nothing: choose on the teams screen) become items."""
        if self.code is None:
            return
        try:
            items = await self.service.convert_to_backlog(self.code)
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), severity="warning", markup=False)
            return
        self.notify(f"{plural(len(items), 'idea')} added to the backlog", markup=False)
        self.reload()

    def action_edit_pool(self) -> None:
        """The budget pool of the selected item's workshop (or of this screen's workshop)."""
        row = self.selected_row()
        code = self.code or (row.code if row else None)
        if code is None:
            self.notify("Select an item first: the pool belongs to its workshop.", severity="warning")
            return
        settings = self.service.view(code).settings

        async def save(text: str) -> None:
            problem = money_problem(text, what="a pool")
            if problem:  # in words, before the service's field-named message
                raise Invalid(f"Budget pool: {problem}")
            await self.service.update_workshop(code, settings={"budget_pool": text.strip()})

        def saved(value: str | None) -> None:
            if value is not None:
                self.reload()

        self.app.push_screen(
            TextPromptScreen(
                f"Budget pool of {code} ({settings.currency})",
                value=format(settings.budget_pool, "f"),
                placeholder="e.g. 20000 or 12500.50",
                submit=save,
            ),
            saved,
        )

    def action_back(self) -> None:
        if isinstance(self.focused, Input | Select | Checkbox):
            self.query_one(DataTable).focus()
        elif len(self.app.screen_stack) > 1:
            self.dismiss()

    def action_review_meeting(self) -> None:
        """Step through the items due (of this workshop, or of every workshop listed), then show the ledger."""

        def done(_: object) -> None:
            self.reload()

        self.app.push_screen(ReviewScreen(self.service, [self.code] if self.code else None, now=self.now), done)

    def action_edit(self) -> None:
        row = self.selected_row()
        if row is None:
            self.notify("No item selected.", markup=False)
            return

        def done(result: BacklogItem | None) -> None:
            if result is not None:
                self.reload()

        self.app.push_screen(BacklogEditor(self.service, row.item.id, now=self.now), done)
