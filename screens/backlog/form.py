"""The rows of the backlog editor: one budget request, one ask, and a date field with a human message.

Each row reads and checks its own fields (``values()`` and ``problems()``) so the editor can name the
field and the row in plain words before anything reaches the service; the service checks again.
Every value shown is ``terminal_safe`` and typed text never reaches markup (``SafeInput``, ``Text``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Select

from screens.widgets.safe_input import SafeInput
from workshop_tui.models import MONEY_DIGITS, Ask, AskKind, AskStatus, BudgetRequest, BudgetStatus
from workshop_tui.text_safety import terminal_safe

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT_SHAPE = re.compile(r"[0-9]*\.?[0-9]*")
DATE_HINT = "write it as YYYY-MM-DD, such as 2026-03-15"


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a date the form accepts (empty is accepted: no date), in words."""
    value = text.strip()
    if not value:
        return None
    if not _DATE_SHAPE.fullmatch(value):
        return f"{value!r} is not a date: {DATE_HINT}"
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"{value} is not a day of the calendar: {DATE_HINT}"
    return None


def money_problem(text: str, *, what: str = "an amount") -> str | None:
    """Why ``text`` is not a sum of money (zero allowed), in words."""
    value = text.strip()
    if not value:
        return f"write {what}, such as 120.50"
    wrong = f"{value!r} is not {what}: digits and at most one point, such as 120.50"
    if not _AMOUNT_SHAPE.fullmatch(value) or value == ".":
        return wrong
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return wrong
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{value} has more than 2 decimals (cents are the smallest unit)"
    if amount >= Decimal(10) ** MONEY_DIGITS:
        return f"{what} is below 10^{MONEY_DIGITS}"
    return None


def amount_problem(text: str) -> str | None:
    """Why ``text`` is not an amount a budget request may ask for, in words."""
    problem = money_problem(text)
    if problem is None and Decimal(text.strip()) <= 0:
        return "an amount is more than 0"
    return problem


class _Check(Validator):
    """Textual's live check of a field (a red border while it is wrong), with the form's own words."""

    def __init__(self, problem: Any) -> None:
        super().__init__()
        self.problem = problem

    def validate(self, value: str) -> ValidationResult:
        problem = self.problem(value)
        return self.failure(problem) if problem else self.success()


class DateInput(SafeInput):
    """A date typed as YYYY-MM-DD (only digits and hyphens can be typed); empty means none."""

    def __init__(self, value: dt.date | None, *, placeholder: str = "YYYY-MM-DD", **kwargs: Any) -> None:
        super().__init__(
            value.isoformat() if value else "",
            placeholder=placeholder,
            restrict=r"[0-9-]*",
            max_length=10,
            validators=[_Check(date_problem)],
            valid_empty=True,
            **kwargs,
        )

    @property
    def date(self) -> dt.date | None:
        """The date, or ``None`` when empty (check ``date_problem`` first)."""
        value = self.value.strip()
        return dt.date.fromisoformat(value) if value else None


W = TypeVar("W", bound=Widget)


def _titled(title: str, widget: W) -> W:
    """``widget`` with its label drawn in its border."""
    widget.border_title = title
    return widget


def _text_field(title: str, text: str, placeholder: str, classes: str) -> SafeInput:
    """A labelled text input that starts with ``text`` (made safe for the terminal)."""
    return _titled(title, SafeInput(terminal_safe(text), placeholder=placeholder, classes=classes))


def _choice(values: list[str], value: str, classes: str) -> Select[str]:
    """A drop-down that always holds one of ``values``."""
    return Select([(v, v) for v in values], value=value, allow_blank=False, classes=classes)


class RemovableRow:
    """What budget and ask rows share: a remove button that takes the row away (and focus to a neighbour)."""

    def remove_button(self) -> Button:
        return Button("✕", classes="remove", compact=True, tooltip="Remove this row")


class BudgetRow(Horizontal, RemovableRow):
    """One budget request: amount, currency, purpose, status."""

    DEFAULT_CSS = """
    BudgetRow { height: auto; }
    BudgetRow > .amount { width: 14; }
    BudgetRow > .currency { width: 11; }
    BudgetRow > .purpose { width: 1fr; }
    BudgetRow > .status { width: 16; }
    BudgetRow > .remove { width: 3; min-width: 3; margin: 1 0 0 1; }
    """

    def __init__(self, request: BudgetRequest | None, currencies: list[str], default_currency: str) -> None:
        super().__init__(classes="budget-row")
        self.request = request
        self.currencies = currencies
        self.default_currency = default_currency

    def compose(self) -> ComposeResult:
        r = self.request
        yield _titled(
            "Amount",
            SafeInput(
                format(r.amount, "f") if r else "",
                placeholder="amount",
                restrict=r"[0-9.]*",
                max_length=MONEY_DIGITS + 3,
                validators=[_Check(amount_problem)],
                classes="amount",
            ),
        )
        yield _titled("Currency", _choice(self.currencies, r.currency if r else self.default_currency, "currency"))
        yield _text_field("Purpose", r.purpose if r else "", "what it pays for", "purpose")
        statuses = [s.value for s in BudgetStatus]
        yield _titled("Status", _choice(statuses, r.status.value if r else BudgetStatus.REQUESTED.value, "status"))
        yield self.remove_button()

    def values(self) -> dict[str, Any]:
        return {
            "amount": self.query_one(".amount", SafeInput).value.strip(),
            "currency": str(self.query_one(".currency", Select).value),
            "purpose": self.query_one(".purpose", SafeInput).value,
            "status": str(self.query_one(".status", Select).value),
        }

    def problems(self) -> list[tuple[str, str]]:
        """(field, problem) pairs, in the order the fields are drawn."""
        problem = amount_problem(self.query_one(".amount", SafeInput).value)
        return [("amount", problem)] if problem else []


class AskRow(Vertical, RemovableRow):
    """One ask to a department: what, to whom, its status, and the commitment (due, answer, answered)."""

    DEFAULT_CSS = """
    AskRow { height: auto; border-left: thick $primary-muted; margin-bottom: 1; }
    AskRow > Horizontal { height: auto; }
    AskRow .kind { width: 16; }
    AskRow .department { width: 1fr; }
    AskRow .status { width: 18; }
    AskRow .remove { width: 3; min-width: 3; margin: 1 0 0 1; }
    AskRow .detail, AskRow .answer { width: 1fr; }
    AskRow .due, AskRow .answered-at { width: 16; }
    """

    def __init__(self, ask: Ask | None, today: dt.date) -> None:
        super().__init__(classes="ask-row")
        self.ask = ask
        self.today = today

    def compose(self) -> ComposeResult:
        a = self.ask
        with Horizontal():
            kinds = [k.value for k in AskKind]
            yield _titled("Kind", _choice(kinds, a.kind.value if a else AskKind.OPEN_DATA.value, "kind"))
            yield _text_field("Department", a.department if a else "", "department", "department")
            statuses = [s.value for s in AskStatus]
            yield _titled("Status", _choice(statuses, a.status.value if a else AskStatus.OPEN.value, "status"))
            yield self.remove_button()
        with Horizontal():
            yield _text_field("Detail", a.detail if a else "", "what is asked", "detail")
            yield _titled("Due", DateInput(a.due if a else None, classes="due"))
        with Horizontal():
            yield _text_field("Answer", a.answer if a else "", "their answer", "answer")
            yield _titled("Answered", DateInput(a.answered_at if a else None, classes="answered-at"))

    @on(Select.Changed, ".status")
    def _decided(self, event: Select.Changed) -> None:
        # A decision is an answer: date it today unless a date is already there.
        if event.value in (AskStatus.GRANTED.value, AskStatus.DECLINED.value):
            answered = self.query_one(".answered-at", DateInput)
            if not answered.value.strip():
                answered.value = self.today.isoformat()

    @on(SafeInput.Changed, ".answer")
    def _answered(self, event: SafeInput.Changed) -> None:
        # An answer written down came in today, unless its day is already there.
        answered = self.query_one(".answered-at", DateInput)
        if event.value.strip() and not answered.value.strip():
            answered.value = self.today.isoformat()

    def values(self) -> dict[str, Any]:
        return {
            "kind": str(self.query_one(".kind", Select).value),
            "department": self.query_one(".department", SafeInput).value,
            "detail": self.query_one(".detail", SafeInput).value,
            "status": str(self.query_one(".status", Select).value),
            "due": self.query_one(".due", DateInput).value.strip() or None,
            "answer": self.query_one(".answer", SafeInput).value,
            "answered_at": self.query_one(".answered-at", DateInput).value.strip() or None,
        }

    def problems(self) -> list[tuple[str, str]]:
        out = []
        if not self.query_one(".department", SafeInput).value.strip():
            out.append(("department", "name the department it is asked of"))
        for field, css in (("due", ".due"), ("answered on", ".answered-at")):
            problem = date_problem(self.query_one(css, DateInput).value)
            if problem:
                out.append((field, problem))
        return out
