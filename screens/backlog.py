"""The prototype backlog across workshops: a sortable, filterable table, the budget pools as bars,
the selected item's history as a timeline, and the promise ledger of its workshop.

Keyboard first: every action has a key in the Footer and a command in the palette (Ctrl+P).
Participant and owner text is untrusted: it reaches the screen only as ``rich.text.Text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Footer, Input, Select, Static

from screens.backlog_editor import BacklogEditor
from screens.backlog_form import money_problem
from screens.backlog_review import ReviewScreen
from screens.events import DomainEvents
from screens.follow import FollowScreen
from screens.text_prompt import TextPromptScreen
from screens.widgets.session_bar import SessionBar
from screens.widgets.timer import PhaseTimer
from workshop_tui.backlog import (
    MAIN_LINE,
    BudgetTotals,
    ItemFlags,
    PromiseLedger,
    budget_totals,
    format_money,
    item_budget,
    item_flags,
    promise_ledger,
    reviews,
)
from workshop_tui.errors import Invalid, WorkshopError
from workshop_tui.events import BacklogChanged, WorkshopUpdated
from workshop_tui.models import BacklogItem, BacklogStatus, utcnow
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

STATUS_ORDER = {s: n for n, s in enumerate([*MAIN_LINE, BacklogStatus.PARKED, BacklogStatus.DROPPED])}
STATUS_STYLE = {
    BacklogStatus.PROPOSED: "bold",
    BacklogStatus.APPROVED: "bold cyan",
    BacklogStatus.PROTOTYPING: "bold blue",
    BacklogStatus.TESTING: "bold magenta",
    BacklogStatus.ADOPTED: "bold green",
    BacklogStatus.PARKED: "dim",
    BacklogStatus.DROPPED: "dim strike",
}
FAR_FUTURE = dt.date.max


@dataclass(frozen=True)
class Row:
    item: BacklogItem
    code: str
    currency: str
    flags: ItemFlags
    budget: Decimal


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # for the title: the least it gets (it takes what the others leave)
    sort_key: Callable[[Row], Any]
    priority: int  # the narrower the table, the fewer columns: lowest priorities are kept


COLUMNS = [
    Column("id", "ID", 8, lambda r: r.item.id, 7),
    Column("code", "Code", 6, lambda r: r.code, 6),
    Column("title", "Title", 16, lambda r: r.item.title.casefold(), 0),
    Column("owner", "Owner", 12, lambda r: r.item.owner.name.casefold() or "\uffff", 4),
    Column("status", "Status", 11, lambda r: STATUS_ORDER[r.item.status], 1),
    Column("budget", "Budget", 14, lambda r: r.budget, 5),
    Column("review", "Next review", 11, lambda r: r.item.next_review or FAR_FUTURE, 2),
    Column("flags", "Flags", 8, lambda r: (not r.flags.anything_overdue, not r.flags.stale), 3),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
CELL_PADDING = 2  # the DataTable pads each cell by one on either side
NARROW_WIDTH = 120
PANELS = ["timeline", "ledger", "pools"]


def fit_columns(width: int, *, with_code: bool = True) -> tuple[list[Column], int]:
    """The columns that fit in ``width`` cells, most important first, in display order, and the title's
    width (the title takes what the others leave). ``with_code``: several workshops are listed."""
    chosen: set[str] = set()
    used = 0
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if column.key == "code" and not with_code:
            continue
        if column.key == "title" or used + column.width + CELL_PADDING <= width:
            chosen.add(column.key)
            used += column.width + CELL_PADDING
    columns = [c for c in COLUMNS if c.key in chosen]
    title = COLUMN_BY_KEY["title"]
    return columns, title.width + max(0, width - used)


def row_cells(row: Row, columns: list[Column]) -> list[Text]:
    item = row.item
    cells = {
        "id": Text(terminal_safe(item.id[:8]), style="dim"),
        "code": Text(row.code, style="bold"),
        "title": Text(terminal_safe(item.title), no_wrap=True, overflow="ellipsis"),
        "owner": Text(terminal_safe(item.owner.name) or "–", no_wrap=True, overflow="ellipsis"),
        "status": Text(item.status.value, style=STATUS_STYLE[item.status]),
        "budget": Text(format_money(row.budget, row.currency) if item.budget_requests else "–", justify="right"),
        "review": Text(item.next_review.isoformat() if item.next_review else "–"),
        "flags": Text(),
    }
    if row.flags.overdue:
        cells["flags"].append("OVERDUE", style="bold reverse red")
    elif row.flags.overdue_asks:
        cells["flags"].append("ASK LATE", style="bold reverse red")
    elif row.flags.stale:
        cells["flags"].append("STALE", style="bold yellow")
    if row.flags.overdue:
        cells["review"].stylize("bold red")
    return [cells[c.key] for c in columns]


class PoolBars(Widget):
    """Each workshop's budget pool as one bar: spent, approved, requested, what remains."""

    DEFAULT_CSS = "PoolBars { height: auto; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pools: list[tuple[str, str, BudgetTotals]] = []

    def set_pools(self, pools: list[tuple[str, str, BudgetTotals]]) -> None:
        self.pools = pools
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(10, (self.content_size.width or 40) - 1)
        out = Text()
        if not self.pools:
            out.append("No budget pools yet.", style="dim")
        for n, (code, title, t) in enumerate(self.pools):
            if n:
                out.append("\n\n")
            out.append(f"{code} ", style="bold reverse")
            out.append(" ")
            out.append(terminal_safe(title), style="bold")
            out.append("\n")
            out.append_text(self.bar(t, width))
            out.append("\n")
            legend = [
                ("█", "spent", t.spent, "magenta"),
                ("█", "approved", t.approved, "green"),
                ("▒", "requested", t.requested, "yellow"),
                ("░", "remaining", t.remaining, "bold red" if t.remaining < 0 else "bold"),
            ]
            for mark, label, amount, style in legend:
                out.append(f"{mark} ", style=style)
                out.append(f"{label:<10}")
                out.append(f"{format_money(amount, t.currency):>16}\n", style="bold" if label == "remaining" else "")
            out.append(f"  {'pool':<10}{format_money(t.pool, t.currency):>16}", style="bold")
        return out

    @staticmethod
    def bar(t: BudgetTotals, width: int) -> Text:
        def cells(amount: Decimal) -> int:
            if t.pool <= 0:
                return width if amount > 0 else 0
            return min(width, int(amount * width / t.pool))

        bar = Text()
        if t.committed > t.pool:
            return bar.append("█" * width, style="bold red")
        spent = cells(t.spent)
        approved = min(width - spent, cells(t.committed) - spent)
        requested = min(width - spent - approved, cells(t.requested))
        bar.append("█" * spent, style="magenta")
        bar.append("█" * approved, style="green")
        bar.append("▒" * requested, style="yellow")
        bar.append("░" * (width - spent - approved - requested), style="bold")
        return bar


def timeline_text(item: BacklogItem | None, now: dt.datetime) -> Text:
    if item is None:
        return Text("Select an item to see its history.", style="dim")
    out = Text()
    out.append(terminal_safe(item.title), style="bold")
    out.append("\n")
    by_day = {r.day: r for r in reviews(item)}
    shown: set[dt.date] = set()
    for entry in item.history:
        day = entry.at.date()
        out.append("\n● ", style="bold")
        out.append(day.isoformat(), style="bold")
        out.append("  ")
        if entry.from_ is None:
            out.append("created → ")
            out.append(entry.to.value, style=STATUS_STYLE[entry.to])
        elif entry.from_ != entry.to:
            out.append(entry.from_.value, style=STATUS_STYLE[entry.from_])
            out.append(" → ")
            out.append(entry.to.value, style=STATUS_STYLE[entry.to])
        else:
            out.append("update", style="italic")
        review = by_day.get(day)
        if review is not None and day not in shown:
            shown.add(day)
            if review.on_time:
                out.append("  review on time", style="green")
            else:
                out.append(f"  review {review.days_late} d late", style="bold red")
        if entry.note:
            out.append("\n│   ")
            out.append(terminal_safe(entry.note))
    flags = item_flags(item, now)
    out.append("\n\n")
    if item.next_review:
        out.append("Next review ", style="bold")
        out.append(item.next_review.isoformat(), style="bold red" if flags.overdue else "bold")
    for reason in flags.reasons:  # an ask's reason names its department: typed text
        out.append(f"\n⚑ {terminal_safe(reason)}", style="bold red")
    return out


def ledger_text(ledger: PromiseLedger | None) -> Text:
    if ledger is None:
        return Text("No workshop selected.", style="dim")
    out = Text()
    out.append(f"{ledger.code} ", style="bold reverse")
    out.append(f" {ledger.items} items\n\n")

    def line(label: str, value: int, bad: bool = False) -> None:
        out.append(f"{value:>4} ", style="bold red" if bad and value else "bold")
        out.append(f"{label}\n")

    line("reviews on time", ledger.reviews_on_time)
    line("reviews late", ledger.reviews_late, bad=True)
    line("overdue now", ledger.overdue, bad=True)
    line("asks overdue", ledger.asks_overdue, bad=True)
    line(f"moved forward ({ledger.stale_days} d)", ledger.moved_forward)
    line("stalled", ledger.stalled, bad=True)
    line("adopted", ledger.adopted)
    line("parked", ledger.parked)
    line("dropped", ledger.dropped)
    if ledger.asks_by_department:
        out.append("\nAsks to the city\n", style="bold underline")
    for dept in ledger.asks_by_department:
        out.append(terminal_safe(dept.department), style="bold")
        out.append("\n ")
        out.append(f" asked {dept.asked} · answered {dept.answered}")
        if dept.median_days_to_answer is not None:
            out.append(f" · median {dept.median_days_to_answer:g} d to answer")
        if dept.overdue:
            out.append(f" · {dept.overdue} overdue", style="bold red")
        out.append("\n ")
        counts = [
            (dept.open, "open", "yellow"),
            (dept.in_progress, "in progress", "cyan"),
            (dept.granted, "granted", "green"),
            (dept.declined, "declined", "red"),
        ]
        for n, label, style in counts:
            if n:
                out.append(f" {n} {label}", style=style)
        out.append("\n")
    return out


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
        self._layout: tuple[list[Column], int] = ([], 0)
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
        with Horizontal(id="details"):
            with VerticalScroll(id="timeline", classes="panel -shown"):
                yield Static(id="timeline-body")
            with VerticalScroll(id="ledger", classes="panel"):
                yield Static(id="ledger-body")
            with VerticalScroll(id="pools", classes="panel"):
                yield PoolBars(id="pool-bars")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline").border_title = "History"
        self.query_one("#ledger").border_title = "Promise ledger"
        self.query_one("#pools").border_title = "Budget pools"
        self.reload()
        self.query_one(DataTable).focus()
        if self.code is not None:
            workshop = self.service.state(self.code).workshop
            if workshop.phase == Phase.CLOSED and workshop.follow_url:  # the closing screen: the room scans it
                self.call_after_refresh(self.action_follow)

    def on_resize(self) -> None:
        # Every width needs its own columns and title width, not only the crossing of a breakpoint.
        if self._wanted_layout() != self._layout:
            self.rebuild_table()

    def _wanted_layout(self) -> tuple[list[Column], int]:
        scrollbar = 2  # the table's vertical scrollbar, when the rows overflow
        return fit_columns(self.size.width - scrollbar, with_code=self.code is None)

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the items again from the service, then redraw everything."""
        now = self.now()
        rows = []
        states = [self.service.state(self.code)] if self.code is not None else self.service.states()
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
        self._layout = columns, title_width = self._wanted_layout()
        rows = self.visible_rows()
        keep = self.selected_id
        table.clear(columns=True)
        for c in columns:
            arrow = (" ▼" if self.sort_reverse else " ▲") if c.key == self.sort_key else ""
            width = title_width if c.key == "title" else c.width
            table.add_column(Text(c.label + arrow, style="bold"), key=c.key, width=width)
        for r in rows:
            table.add_row(*row_cells(r, columns), key=r.item.id)
        ids = [r.item.id for r in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self.selected_id = ids[table.cursor_row] if ids and 0 <= table.cursor_row < len(ids) else None
        self.refresh_details()
        self.refresh_summary(len(rows))

    def refresh_summary(self, shown: int) -> None:
        text = Text()
        text.append(f"{shown}", style="bold")
        text.append(f" of {len(self.rows)} items · sort: {COLUMN_BY_KEY[self.sort_key].label.lower()}")
        text.append(" ▼" if self.sort_reverse else " ▲")
        overdue = sum(1 for r in self.rows if r.flags.anything_overdue)
        if overdue:
            text.append(f"  {overdue} overdue", style="bold red")
        self.query_one("#summary", Static).update(text)

    def selected_row(self) -> Row | None:
        return next((r for r in self.rows if r.item.id == self.selected_id), None)

    def refresh_details(self) -> None:
        row = self.selected_row()
        now = self.now()
        self.query_one("#timeline-body", Static).update(timeline_text(row.item if row else None, now))
        ledger = None
        if row is not None:
            state = self.service.state(row.item.workshop)
            ledger = promise_ledger(state.workshop, state.backlog.values(), now)
        self.query_one("#ledger-body", Static).update(ledger_text(ledger))
        self.query_one("#ledger").border_title = f"Promise ledger · {row.code}" if row else "Promise ledger"

    def refresh_pools(self) -> None:
        pools = []
        for state in self.service.states():
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
        if action in ("convert", "follow"):
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
        self.notify(f"{len(items)} ideas added to the backlog", markup=False)
        self.reload()

    def action_edit_pool(self) -> None:
        """The budget pool of the selected item's workshop (or of this screen's workshop)."""
        row = self.selected_row()
        code = self.code or (row.code if row else None)
        if code is None:
            self.notify("Select an item first: the pool belongs to its workshop.", severity="warning")
            return
        settings = self.service.state(code).workshop.settings

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
