"""Rules of the prototype backlog: status transitions, the budget pool, follow-up flags.

Pure functions over the models, so the service, the TUI and the exports agree on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from workshop_tui.models import BacklogItem, BacklogStatus, BudgetStatus

S = BacklogStatus
FORWARD: dict[BacklogStatus, BacklogStatus] = {
    S.PROPOSED: S.APPROVED,
    S.APPROVED: S.PROTOTYPING,
    S.PROTOTYPING: S.TESTING,
    S.TESTING: S.ADOPTED,
}
MAIN_LINE = (S.PROPOSED, S.APPROVED, S.PROTOTYPING, S.TESTING, S.ADOPTED)
STALE_AFTER_DAYS = 30


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
    model_config = ConfigDict(frozen=True)

    currency: str
    pool: Decimal
    requested: Decimal
    approved: Decimal
    spent: Decimal

    @property
    def committed(self) -> Decimal:
        """Money promised: approved and already spent."""
        return self.approved + self.spent

    @property
    def remaining(self) -> Decimal:
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
    )


def last_update(item: BacklogItem) -> dt.datetime:
    return max([item.updated_at, *(h.at for h in item.history)])


def is_closed(item: BacklogItem) -> bool:
    return item.status in (S.ADOPTED, S.DROPPED)


def review_overdue(item: BacklogItem, today: dt.date) -> bool:
    return not is_closed(item) and item.next_review is not None and item.next_review < today


def stale(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> bool:
    return not is_closed(item) and now - last_update(item) > dt.timedelta(days=days)


def needs_attention(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> list[str]:
    """Why an item is flagged, in words ("review due 2026-03-01", "no update for 45 days")."""
    flags = []
    if review_overdue(item, now.date()):
        assert item.next_review is not None
        flags.append(f"review was due {item.next_review.isoformat()}")
    if stale(item, now, days):
        flags.append(f"no update for {(now - last_update(item)).days} days")
    return flags
