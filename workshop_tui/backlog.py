"""Rules of the prototype backlog: status transitions, the budget pool, follow-up flags.

Pure functions over the models, so the service, the TUI, the CLI and the exports agree on them. Every
function that depends on the time takes ``now`` (or ``today``) so tests can freeze the clock. What the
backlog promised and kept is ``backlog_ledger``; review meetings are ``backlog_meetings``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, computed_field

from workshop_tui.models import (
    Ask,
    BacklogItem,
    BacklogStatus,
    BudgetStatus,
)

S = BacklogStatus
FORWARD: dict[BacklogStatus, BacklogStatus] = {
    S.PROPOSED: S.APPROVED,
    S.APPROVED: S.PROTOTYPING,
    S.PROTOTYPING: S.TESTING,
    S.TESTING: S.ADOPTED,
}
MAIN_LINE = (S.PROPOSED, S.APPROVED, S.PROTOTYPING, S.TESTING, S.ADOPTED)
STALE_AFTER_DAYS = 30
#: A review meeting also takes the items due in the coming week (the next meeting may be that far off).
REVIEW_HORIZON_DAYS = 7


def allowed_transitions(status: BacklogStatus) -> frozenset[BacklogStatus]:
    """One step forward; parked or dropped from anywhere; a parked item resumes where it can;
    a dropped item can only be proposed again (nothing is deleted)."""
    allowed: set[BacklogStatus] = {S.PARKED, S.DROPPED} - {status}
    if status in FORWARD:
        allowed.add(FORWARD[status])
    if status == S.PARKED:
        allowed |= {S.PROPOSED, S.APPROVED, S.PROTOTYPING, S.TESTING}
    if status == S.DROPPED:
        allowed = {S.PROPOSED}
    return frozenset(allowed)


class BudgetTotals(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built when first used (models._Strict)

    currency: str
    pool: Decimal
    requested: Decimal
    approved: Decimal
    spent: Decimal
    rejected: Decimal = Decimal(0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def committed(self) -> Decimal:
        """Money promised: approved and already spent."""
        return self.approved + self.spent

    @computed_field  # type: ignore[prop-decorator]
    @property
    def remaining(self) -> Decimal:
        """What is left of the pool (negative if the pool was lowered below what is committed)."""
        return self.pool - self.committed


def budget_totals(items: Iterable[BacklogItem], pool: Decimal, currency: str) -> BudgetTotals:
    sums = {status: Decimal(0) for status in BudgetStatus}
    for item in items:
        for req in item.budget_requests:
            sums[req.status] += req.amount
    return BudgetTotals(
        currency=currency,
        pool=pool,
        requested=sums[BudgetStatus.REQUESTED],
        approved=sums[BudgetStatus.APPROVED],
        spent=sums[BudgetStatus.SPENT],
        rejected=sums[BudgetStatus.REJECTED],
    )


def last_update(item: BacklogItem) -> dt.datetime:
    return max([item.updated_at, *(h.at for h in item.history)])


def is_closed(item: BacklogItem) -> bool:
    return item.status in (S.ADOPTED, S.DROPPED)


def review_overdue(item: BacklogItem, today: dt.date) -> bool:
    return not is_closed(item) and item.next_review is not None and item.next_review < today


def stale(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> bool:
    return not is_closed(item) and now - last_update(item) > dt.timedelta(days=days)


def overdue_asks(item: BacklogItem, today: dt.date) -> list[Ask]:
    """The item's asks whose due date has passed with no answer (a closed item's asks too: the
    department still owes the answer)."""
    return [ask for ask in item.asks if ask.overdue(today)]


def ask_progress(ask: Ask, today: dt.date) -> str:
    """The ask's status with its promise: ``open, due 2026-03-01, overdue`` or ``granted, answered 2026-03-02``
    (commas: lists of asks are joined with semicolons)."""
    parts = [ask.status.value]
    if ask.answered_at is not None:
        parts.append(f"answered {ask.answered_at.isoformat()}")
    elif ask.due is not None:
        parts.append(f"due {ask.due.isoformat()}" + (", overdue" if ask.overdue(today) else ""))
    return ", ".join(parts)


def department_name(ask: Ask) -> str:
    """The department as shown: spacing collapsed (grouping also ignores case)."""
    return " ".join(ask.department.split()) or "(no department)"


def needs_attention(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> list[str]:
    """Why an item is flagged, in words ("review was due 2026-03-01", "ask to Parks was due 2026-03-01",
    "no update for 45 days"). Department names are typed text: callers escape them for their medium."""
    flags = []
    if review_overdue(item, now.date()):
        assert item.next_review is not None
        flags.append(f"review was due {item.next_review.isoformat()}")
    for ask in overdue_asks(item, now.date()):
        assert ask.due is not None
        flags.append(f"ask to {department_name(ask)} was due {ask.due.isoformat()}")
    if stale(item, now, days):
        flags.append(f"no update for {(now - last_update(item)).days} days")
    return flags


class ItemFlags(BaseModel):
    """The follow-up flags of one item, for the CLI's JSON lines, the TUI and the admin API."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    overdue: bool
    stale: bool
    overdue_asks: int = 0
    reasons: list[str]

    @property
    def anything_overdue(self) -> bool:
        """The review or an ask is overdue: what "overdue only" filters show."""
        return self.overdue or self.overdue_asks > 0


def item_flags(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> ItemFlags:
    return ItemFlags(
        overdue=review_overdue(item, now.date()),
        stale=stale(item, now, days),
        overdue_asks=len(overdue_asks(item, now.date())),
        reasons=needs_attention(item, now, days),
    )


def item_budget(item: BacklogItem) -> Decimal:
    """What the item asks for in all: every request that was not rejected."""
    return sum((r.amount for r in item.budget_requests if r.status != BudgetStatus.REJECTED), Decimal(0))


def format_money(amount: Decimal, currency: str) -> str:
    """Two decimals and the currency, for people: ``1,800.00 EUR``. Never through a float."""
    return f"{amount:,.2f} {currency}"
