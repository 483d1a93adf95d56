"""The edit form of one backlog item, as a modal. Saving goes through ``WorkshopService.update_backlog_item``;
its ``Invalid`` / ``Conflict`` messages are shown inline and nothing is saved.

Budget requests and asks are edited as lines, one per row (a blank line or a line starting with # is skipped):

    amount [currency] | purpose | requested|approved|rejected|spent
    open-data|space|procedure|other | department | detail | open|in-progress|granted|declined
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from workshop_tui.backlog import allowed_transitions
from workshop_tui.errors import WorkshopError
from workshop_tui.models import AskStatus, BacklogItem, BacklogStatus, BudgetStatus
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

BUDGET_STATUSES = {s.value for s in BudgetStatus}
ASK_STATUSES = {s.value for s in AskStatus}
BUDGET_HELP = "Budget requests, one per line:  amount [currency] | purpose | requested / approved / rejected / spent"
ASKS_HELP = "Asks to the city, one per line:  open-data / space / procedure / other | department | detail | status"


class LineError(ValueError):
    """A line of the budget or asks editor that cannot be read."""


def budget_lines(item: BacklogItem) -> str:
    return "\n".join(
        f"{format(r.amount, 'f')} {r.currency} | {r.purpose} | {r.status.value}" for r in item.budget_requests
    )


def ask_lines(item: BacklogItem) -> str:
    return "\n".join(f"{a.kind.value} | {a.department} | {a.detail} | {a.status.value}" for a in item.asks)


def _content_lines(text: str) -> list[tuple[int, str]]:
    return [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def parse_budget(text: str, currency: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The requests as dicts (amounts stay strings: the model parses them as Decimal) and their line numbers."""
    out, where = [], []
    for n, line in _content_lines(text):
        parts = [p.strip() for p in line.split("|")]
        head = parts[0].split()
        if not head or len(head) > 2:
            raise LineError(f"budget line {n}: start with an amount and an optional currency, e.g. 120.50 EUR | tape")
        rest = parts[1:]
        status = BudgetStatus.REQUESTED.value
        if rest and rest[-1].lower() in BUDGET_STATUSES:
            status = rest.pop().lower()
        out.append(
            {
                "amount": head[0],
                "currency": head[1].upper() if len(head) == 2 else currency,
                "purpose": " | ".join(rest),
                "status": status,
            }
        )
        where.append(n)
    return out, where


def parse_asks(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    out, where = [], []
    for n, line in _content_lines(text):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[1]:
            raise LineError(f"asks line {n}: write kind | department | detail | status")
        rest = parts[2:]
        status = AskStatus.OPEN.value
        if rest and rest[-1].lower() in ASK_STATUSES:
            status = rest.pop().lower()
        out.append({"kind": parts[0].lower(), "department": parts[1], "detail": " | ".join(rest), "status": status})
        where.append(n)
    return out, where


def friendly(message: str, budget_where: list[int], asks_where: list[int]) -> str:
    """Name the editor's line instead of the list index in the service's message."""

    def line_of(kind: str, where: list[int]) -> Any:
        def sub(m: re.Match[str]) -> str:
            index = int(m.group(1))
            n = where[index] if index < len(where) else index + 1
            return f"{kind} line {n}" + (f" ({m.group(2)})" if m.group(2) else "")

        return sub

    message = re.sub(r"budget_requests\.(\d+)(?:\.(\w+))?", line_of("budget", budget_where), message)
    message = re.sub(r"asks\.(\d+)(?:\.(\w+))?", line_of("asks", asks_where), message)
    return message


class BacklogEditor(ModalScreen[BacklogItem | None]):
    """Edit one item; dismisses with the saved item, or ``None`` when cancelled."""

    CSS_PATH = "backlog_editor.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (declared by Screen)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, service: WorkshopService, item_id: str) -> None:
        super().__init__()
        self.service = service
        self.item_id = item_id
        state, item = service.find_backlog_item(item_id)
        self.item = item
        self.code = state.code
        self.currency = state.workshop.settings.currency
        self._budget_where: list[int] = []
        self._asks_where: list[int] = []

    def compose(self) -> ComposeResult:
        item = self.item
        heading = Text()
        heading.append(f" {self.code} ", style="bold reverse")
        heading.append("  Edit  ", style="bold")
        heading.append(terminal_safe(item.title))
        statuses = [(f"{item.status.value} (no change)", item.status.value)] + [
            (s.value, s.value) for s in BacklogStatus if s in allowed_transitions(item.status)
        ]
        with Vertical(id="dialog"):
            yield Static(heading, id="heading")
            with VerticalScroll(id="form"):
                yield Label("Title", markup=False)
                yield Input(terminal_safe(item.title), id="title")
                yield Label("Problem statement", markup=False)
                yield TextArea(terminal_safe(item.problem, multiline=True), id="problem", soft_wrap=True)
                yield Label("Owner: name, contact, named in public reports", markup=False)
                with Horizontal(classes="row"):
                    yield Input(terminal_safe(item.owner.name), placeholder="name", id="owner-name")
                    yield Input(terminal_safe(item.owner.contact), placeholder="contact", id="owner-contact")
                    yield Switch(item.owner.public, id="owner-public")
                    yield Label("public", markup=False, classes="switch-label")
                yield Label("Status (only the allowed next steps) and a note", markup=False)
                with Horizontal(classes="row"):
                    yield Select(statuses, value=item.status.value, allow_blank=False, id="status")
                    yield Input(placeholder="note: what happened, why", id="note")
                yield Label("Next review date (YYYY-MM-DD, empty for none)", markup=False)
                yield Input(item.next_review.isoformat() if item.next_review else "", id="next-review")
                yield Label(BUDGET_HELP, markup=False)
                yield TextArea(terminal_safe(budget_lines(item), multiline=True), id="budget")
                yield Label(ASKS_HELP, markup=False)
                yield TextArea(terminal_safe(ask_lines(item), multiline=True), id="asks")
            yield Static(id="error")
            with Horizontal(id="buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(terminal_safe(message)))
        error.add_class("-shown")

    def build_patch(self) -> dict[str, Any]:
        budget, self._budget_where = parse_budget(self.query_one("#budget", TextArea).text, self.currency)
        asks, self._asks_where = parse_asks(self.query_one("#asks", TextArea).text)
        review = self.query_one("#next-review", Input).value.strip()
        patch: dict[str, Any] = {
            "title": self.query_one("#title", Input).value,
            "problem": self.query_one("#problem", TextArea).text,
            "owner": {
                "name": self.query_one("#owner-name", Input).value,
                "contact": self.query_one("#owner-contact", Input).value,
                "public": self.query_one("#owner-public", Switch).value,
            },
            "next_review": review or None,
            "budget_requests": budget,
            "asks": asks,
        }
        status = self.query_one("#status", Select).value
        if isinstance(status, str) and status != self.item.status.value:
            patch["status"] = status
        note = self.query_one("#note", Input).value.strip()
        if note:
            patch["note"] = note
        return patch

    async def action_save(self) -> None:
        try:
            patch = self.build_patch()
        except LineError as exc:
            self.show_error(str(exc))
            return
        try:
            updated = await self.service.update_backlog_item(self.item_id, patch)
        except WorkshopError as exc:
            self.show_error(friendly(exc.message, self._budget_where, self._asks_where))
            return
        self.dismiss(updated)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    async def _save_pressed(self) -> None:
        await self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
