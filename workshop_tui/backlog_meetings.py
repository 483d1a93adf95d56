"""A review meeting: what it goes through, and what it did.

- **A review meeting.** The items *due* for review on a day are the open items whose review date is
  within ``REVIEW_HORIZON_DAYS`` days, or that have an overdue ask; overdue ones come first, then by
  review date. The meeting's ledger compares each item before and after the meeting: *reviewed*
  (a history entry was added), *moved forward* (a forward move, as above), *stalled* (reviewed, still
  on the open main line and not moved forward), *parked* / *dropped* in the meeting, asks answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, computed_field

from workshop_tui.backlog import REVIEW_HORIZON_DAYS, is_closed, overdue_asks, review_overdue
from workshop_tui.backlog_ledger import OPEN_MAIN_LINE, forward_moves
from workshop_tui.models import (
    BacklogItem,
    BacklogStatus,
)

S = BacklogStatus


def review_sort_key(item: BacklogItem, today: dt.date) -> tuple[bool, dt.date, dt.datetime, str]:
    """Overdue first (the review or an ask), then by review date (none last), then oldest first."""
    overdue = review_overdue(item, today) or bool(overdue_asks(item, today))
    return (not overdue, item.next_review or dt.date.max, item.created_at, item.id)


def due_for_review(
    items: Iterable[BacklogItem], today: dt.date, horizon_days: int = REVIEW_HORIZON_DAYS
) -> list[BacklogItem]:
    """What a review meeting on ``today`` goes through, in the order it goes through it."""
    until = today + dt.timedelta(days=horizon_days)
    due = [
        i
        for i in items
        if overdue_asks(i, today) or (not is_closed(i) and i.next_review is not None and i.next_review <= until)
    ]
    return sorted(due, key=lambda i: review_sort_key(i, today))


class MeetingItem(BaseModel):
    """What one review meeting did to one item."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    title: str
    status_before: BacklogStatus
    status_after: BacklogStatus
    moved_forward: bool
    stalled: bool
    asks_answered: int
    next_review: dt.date | None


class MeetingLedger(BaseModel):
    """The ledger of one review meeting (definitions in the module's docstring)."""

    model_config = ConfigDict(frozen=True)

    started_at: dt.datetime
    items: list[MeetingItem]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reviewed(self) -> int:
        return len(self.items)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def moved_forward(self) -> int:
        return sum(1 for i in self.items if i.moved_forward)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def stalled(self) -> int:
        return sum(1 for i in self.items if i.stalled)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parked(self) -> int:
        return sum(1 for i in self.items if i.status_after == S.PARKED and i.status_before != S.PARKED)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dropped(self) -> int:
        return sum(1 for i in self.items if i.status_after == S.DROPPED and i.status_before != S.DROPPED)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def asks_answered(self) -> int:
        return sum(i.asks_answered for i in self.items)


def meeting_ledger(
    before: Iterable[BacklogItem], after: Mapping[str, BacklogItem], started_at: dt.datetime
) -> MeetingLedger:
    """Compare the items as they were when the meeting began with ``after`` (their current state);
    an item counts once a history entry was added to it during the meeting."""
    out = []
    for old in before:
        new = after.get(old.id)
        if new is None or len(new.history) <= len(old.history):
            continue
        forward = len(forward_moves(new)) > len(forward_moves(old))
        answered = sum(1 for a in new.asks if a.answered) - sum(1 for a in old.asks if a.answered)
        out.append(
            MeetingItem(
                item_id=new.id,
                title=new.title,
                status_before=old.status,
                status_after=new.status,
                moved_forward=forward,
                stalled=not forward and new.status in OPEN_MAIN_LINE,
                asks_answered=max(0, answered),
                next_review=new.next_review,
            )
        )
    return MeetingLedger(started_at=started_at, items=out)
