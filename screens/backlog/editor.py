"""The edit form of one backlog item, as a modal. Saving goes through ``WorkshopService.update_backlog_item``;
the form names a wrong field in plain words first, the service's ``Invalid`` / ``Conflict`` messages are
shown inline too, and nothing is saved until everything is right.

Budget requests and asks are rows of real fields (``screens.backlog.form``): ``+`` buttons add one, ``✕``
removes one. The owner's contact stays masked (it is often an e-mail, and the form is projected) until
the field has focus or ``ctrl+o`` shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static, Switch, TextArea

from screens.backlog.form import AskRow, BudgetRow, DateInput, date_problem
from screens.widgets.safe_input import SafeInput
from workshop_tui.backlog import allowed_transitions
from workshop_tui.errors import WorkshopError
from workshop_tui.models import BacklogItem, BacklogStatus, utcnow
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

BUDGET_HELP = "Budget requests: amount, currency, what it pays for, status. ✕ removes a request."
ASKS_HELP = (
    "Asks to the city: kind, department, status; what is asked and the day it is due; the department's answer "
    "and the day it came (an answer or a decision dates it today). ✕ removes an ask."
)
_WHERE = re.compile(r"\b(budget_requests|asks)\.(\d+)(?:\.(\w+))?")


def friendly(message: str) -> str:
    """Name the form's row instead of the list index in a message from the service."""

    def sub(m: re.Match[str]) -> str:
        kind = "budget request" if m.group(1) == "budget_requests" else "ask"
        field = m.group(3)
        return f"{kind} {int(m.group(2)) + 1}" + (f" ({field.replace('_', ' ')})" if field else "")

    return _WHERE.sub(sub, message)


class BacklogEditor(ModalScreen[BacklogItem | None]):
    """Edit one item; dismisses with the saved item, or ``None`` when cancelled."""

    CSS_PATH = "editor.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (declared by Screen)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+o", "toggle_contact", "Show contact", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, service: WorkshopService, item_id: str, *, now: Callable[[], dt.datetime] = utcnow) -> None:
        super().__init__()
        self.service = service
        self.item_id = item_id
        self.now = now
        state, item = service.find_backlog_item(item_id)
        self.item = item
        self.code = state.code
        self.currency = state.workshop.settings.currency
        self.contact_shown = False
        self._initial: dict[str, Any] = {}

    def currencies(self) -> list[str]:
        """The workshop's currency (the only one the service accepts) and any an older request used."""
        return sorted({self.currency, *(r.currency for r in self.item.budget_requests)})

    def compose(self) -> ComposeResult:
        item = self.item
        heading = Text()
        heading.append(f" {self.code} ", style="bold reverse")
        heading.append("  Edit  ", style="bold")
        heading.append(terminal_safe(item.title))
        statuses = [(f"{item.status.value} (no change)", item.status.value)] + [
            (s.value, s.value) for s in BacklogStatus if s in allowed_transitions(item.status)
        ]
        today = self.now().date()
        with Vertical(id="dialog"):
            yield Static(heading, id="heading")
            with VerticalScroll(id="form"):
                yield Label("Title", markup=False)
                yield SafeInput(terminal_safe(item.title), id="title")
                yield Label("Problem statement", markup=False)
                yield TextArea(terminal_safe(item.problem, multiline=True), id="problem", soft_wrap=True)
                yield Label(
                    "Owner: name, contact (hidden on the projector until you focus it or press ctrl+o), "
                    "named in public reports",
                    markup=False,
                )
                with Horizontal(classes="row"):
                    yield SafeInput(terminal_safe(item.owner.name), placeholder="name", id="owner-name")
                    yield SafeInput(
                        terminal_safe(item.owner.contact), placeholder="contact", password=True, id="owner-contact"
                    )
                    yield Switch(item.owner.public, id="owner-public")
                    yield Label("public", markup=False, classes="switch-label")
                yield Label("Status (only the allowed next steps) and a note for the history", markup=False)
                with Horizontal(classes="row"):
                    yield Select(statuses, value=item.status.value, allow_blank=False, id="status")
                    yield SafeInput(placeholder="note: what happened, why", id="note")
                yield Label("Next review date, as YYYY-MM-DD (empty: none planned)", markup=False)
                yield DateInput(item.next_review, id="next-review")
                yield Label(BUDGET_HELP, markup=False)
                with Vertical(id="budget-rows"):
                    for request in item.budget_requests:
                        yield BudgetRow(request, self.currencies(), self.currency)
                yield Button("+ Add a budget request", id="add-budget", compact=True)
                yield Label(ASKS_HELP, markup=False)
                with Vertical(id="ask-rows"):
                    for ask in item.asks:
                        yield AskRow(ask, today)
                yield Button("+ Add an ask", id="add-ask", compact=True)
            yield Static(id="error")
            with Horizontal(id="buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", SafeInput).focus()
        self._initial = self.form_values()

    # ------------------------------------------------------------------ the owner's contact

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "owner-contact":
            self._show_contact(True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "owner-contact" and not self.contact_shown:
            self._show_contact(False)

    def _show_contact(self, shown: bool) -> None:
        self.query_one("#owner-contact", SafeInput).password = not shown

    def action_toggle_contact(self) -> None:
        self.contact_shown = not self.contact_shown
        self._show_contact(self.contact_shown or self.focused is self.query_one("#owner-contact"))

    # ------------------------------------------------------------------ rows

    @on(Button.Pressed, "#add-budget")
    async def add_budget_row(self) -> None:
        row = BudgetRow(None, self.currencies(), self.currency)
        await self.query_one("#budget-rows").mount(row)
        row.query_one(".amount").focus()
        row.scroll_visible()

    @on(Button.Pressed, "#add-ask")
    async def add_ask_row(self) -> None:
        row = AskRow(None, self.now().date())
        await self.query_one("#ask-rows").mount(row)
        row.query_one(".department").focus()
        row.scroll_visible()

    @on(Button.Pressed, ".remove")
    async def _remove_row(self, event: Button.Pressed) -> None:
        row = next(a for a in event.button.ancestors if isinstance(a, BudgetRow | AskRow))
        add = "#add-budget" if isinstance(row, BudgetRow) else "#add-ask"
        await row.remove()
        self.query_one(add).focus()

    # ------------------------------------------------------------------ saving

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(terminal_safe(message)))
        error.add_class("-shown")

    def form_values(self) -> dict[str, Any]:
        return {
            "title": self.query_one("#title", SafeInput).value,
            "problem": self.query_one("#problem", TextArea).text,
            "owner": {
                "name": self.query_one("#owner-name", SafeInput).value,
                "contact": self.query_one("#owner-contact", SafeInput).value,
                "public": self.query_one("#owner-public", Switch).value,
            },
            "next_review": self.query_one("#next-review", DateInput).value.strip() or None,
            "budget_requests": [row.values() for row in self.query(BudgetRow)],
            "asks": [row.values() for row in self.query(AskRow)],
        }

    def problems(self) -> list[tuple[Widget, str]]:
        """What is wrong in the form, in words, each with the field to focus."""
        out: list[tuple[Widget, str]] = []
        review = self.query_one("#next-review", DateInput)
        problem = date_problem(review.value)
        if problem:
            out.append((review, f"Next review: {problem}"))
        for n, budget in enumerate(self.query(BudgetRow), start=1):
            out += [(budget.query_one(".amount"), f"Budget request {n}, {f}: {p}") for f, p in budget.problems()]
        for n, ask in enumerate(self.query(AskRow), start=1):
            for field, p in ask.problems():
                css = {"department": ".department", "due": ".due"}.get(field, ".answered-at")
                out.append((ask.query_one(css), f"Ask {n}, {field}: {p}"))
        return out

    def build_patch(self) -> dict[str, Any]:
        """Only what the form changed, so an untouched list is not rewritten into the history."""
        values = self.form_values()
        patch = {k: v for k, v in values.items() if v != self._initial.get(k)}
        status = self.query_one("#status", Select).value
        if isinstance(status, str) and status != self.item.status.value:
            patch["status"] = status
        note = self.query_one("#note", SafeInput).value.strip()
        if note:
            patch["note"] = note
        return patch

    async def action_save(self) -> None:
        problems = self.problems()
        if problems:
            self.show_error("\n".join(p for _, p in problems))
            problems[0][0].focus()
            return
        try:
            updated = await self.service.update_backlog_item(self.item_id, self.build_patch(), now=self.now())
        except WorkshopError as exc:
            self.show_error(friendly(exc.message))
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
