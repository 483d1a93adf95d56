"""The promise ledger of a workshop: did we do what we said we would do after the session?


- **Review.** Each history entry records the review date in force after it (``StatusChange.next_review``:
  the promise made at that moment). History entries are grouped by UTC calendar day. The first day (the
  day the item was created) is set-up, not a review. Every later day with at least one entry counts as
  ONE review (a burst of edits the same day is one review), dated by that day.
- **On time / late.** A review is *on time* when its day is on or before the review date that was in
  force just before it (the ``next_review`` of the latest earlier entry), or when no review date was in
  force (nothing was promised, so nothing was broken). Otherwise it is *late*, by ``day - due`` days.
- **Overdue.** An open item (not adopted, not dropped) whose current review date has passed: a promise
  that is being broken right now. Counted separately from late reviews (it has not happened yet).
- **Moved forward / stalled.** A *forward move* is a history entry that takes the item to a stage of the
  main line ``proposed -> approved -> prototyping -> testing -> adopted`` it had never reached before
  (resuming a parked item at a stage it already reached is not progress). Over a window of
  ``stale_days`` days (default 30) before ``now``: *moved forward* = items with at least one forward
  move in the window; *stalled* = items still on the open main line (proposed, approved, prototyping,
  testing) whose last forward move (or creation) is older than the window. Parked items are on hold by
  decision and are counted as parked, not stalled.
- **Budget.** Totals of the requests by status (requested / approved / rejected / spent), what is
  committed (approved + spent) and what remains of the pool.
- **Asks per department.** Asks grouped by department (case and spacing ignored), with a count per
  status and the asks themselves.
- **Asks as commitments.** An ask is *answered* once it has an answer date (``answered_at``), or once
  it is granted or declined (data from before answer dates). It is *overdue* when it is not answered
  and its ``due`` date has passed, flagged like an overdue review. Per department: *asked* (every
  ask), *answered*, *overdue*, and the *median days to answer*: from the day the item was created
  (the day the room made its asks) to ``answered_at``, over the asks that have an answer date.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, computed_field

from workshop_tui.backlog import (
    MAIN_LINE,
    STALE_AFTER_DAYS,
    BudgetTotals,
    budget_totals,
    department_name,
    overdue_asks,
    review_overdue,
    stale,
)
from workshop_tui.models import (
    Ask,
    AskKind,
    AskStatus,
    BacklogItem,
    BacklogStatus,
    StatusChange,
    Workshop,
)

S = BacklogStatus


class Review(BaseModel):
    """One review of an item (see the module's docstring for the exact definition)."""

    model_config = ConfigDict(frozen=True)

    day: dt.date
    due: dt.date | None
    entries: int
    on_time: bool
    days_late: int


def _ordered(history: list[StatusChange]) -> list[StatusChange]:
    # Stable: entries written in the same instant keep the order they were appended in.
    return sorted(history, key=lambda h: h.at)


def reviews(item: BacklogItem) -> list[Review]:
    """The item's reviews, oldest first: one per UTC day with history entries after the creation day."""
    entries = _ordered(item.history)
    if not entries:
        return []
    days: list[list[StatusChange]] = []
    for entry in entries:
        if days and days[-1][0].at.date() == entry.at.date():
            days[-1].append(entry)
        else:
            days.append([entry])
    out = []
    due = days[0][-1].next_review
    for group in days[1:]:
        day = group[0].at.date()
        late = due is not None and day > due
        out.append(
            Review(
                day=day,
                due=due,
                entries=len(group),
                on_time=not late,
                days_late=(day - due).days if late and due is not None else 0,
            )
        )
        due = group[-1].next_review
    return out


def forward_moves(item: BacklogItem) -> list[dt.datetime]:
    """When the item reached a main-line stage it had never reached before (creation not included)."""
    reached = -1
    moves = []
    for i, entry in enumerate(_ordered(item.history)):
        if entry.to in MAIN_LINE:
            stage = MAIN_LINE.index(entry.to)
            if stage > reached:
                if i > 0:
                    moves.append(entry.at)
                reached = stage
    return moves


def last_progress(item: BacklogItem) -> dt.datetime:
    """The last forward move, else the creation of the item."""
    moves = forward_moves(item)
    if moves:
        return moves[-1]
    return _ordered(item.history)[0].at if item.history else item.created_at


OPEN_MAIN_LINE = frozenset({S.PROPOSED, S.APPROVED, S.PROTOTYPING, S.TESTING})


def moved_forward(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> bool:
    since = now - dt.timedelta(days=days)
    return any(since <= at <= now for at in forward_moves(item))


def stalled(item: BacklogItem, now: dt.datetime, days: int = STALE_AFTER_DAYS) -> bool:
    return item.status in OPEN_MAIN_LINE and now - last_progress(item) > dt.timedelta(days=days)


class AskLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_id: str
    item_title: str
    kind: AskKind
    detail: str
    status: AskStatus
    due: dt.date | None = None
    answer: str = ""
    answered_at: dt.date | None = None
    answered: bool = False
    overdue: bool = False
    days_to_answer: int | None = Field(None, description="from the item's creation day to answered_at")


class DepartmentAsks(BaseModel):
    model_config = ConfigDict(frozen=True)

    department: str
    open: int = 0
    in_progress: int = 0
    granted: int = 0
    declined: int = 0
    asked: int = 0
    answered: int = 0
    overdue: int = 0
    median_days_to_answer: float | None = Field(None, description="over the asks with an answer date")
    asks: list[AskLine]


def days_to_answer(item: BacklogItem, ask: Ask) -> int | None:
    if ask.answered_at is None:
        return None
    return max(0, (ask.answered_at - item.created_at.date()).days)


def asks_by_department(items: Iterable[BacklogItem], today: dt.date) -> list[DepartmentAsks]:
    """Asks grouped by department (case and spacing ignored; the first spelling is shown), sorted by name,
    with the figures of each department as a party to commitments (``today`` decides what is overdue)."""
    groups: dict[str, tuple[str, list[AskLine]]] = {}
    for item in items:
        for ask in item.asks:
            name = department_name(ask)
            line = AskLine(
                item_id=item.id,
                item_title=item.title,
                kind=ask.kind,
                detail=ask.detail,
                status=ask.status,
                due=ask.due,
                answer=ask.answer,
                answered_at=ask.answered_at,
                answered=ask.answered,
                overdue=ask.overdue(today),
                days_to_answer=days_to_answer(item, ask),
            )
            groups.setdefault(name.casefold(), (name, []))[1].append(line)
    out = []
    for key in sorted(groups):
        name, lines = groups[key]
        counts = {s: sum(1 for a in lines if a.status == s) for s in AskStatus}
        days = [a.days_to_answer for a in lines if a.days_to_answer is not None]
        out.append(
            DepartmentAsks(
                department=name,
                open=counts[AskStatus.OPEN],
                in_progress=counts[AskStatus.IN_PROGRESS],
                granted=counts[AskStatus.GRANTED],
                declined=counts[AskStatus.DECLINED],
                asked=len(lines),
                answered=sum(1 for a in lines if a.answered),
                overdue=sum(1 for a in lines if a.overdue),
                median_days_to_answer=statistics.median(days) if days else None,
                asks=lines,
            )
        )
    return out


class PromiseLedger(BaseModel):
    """Promises kept after the session, per workshop (definitions in the module's docstring)."""

    model_config = ConfigDict(frozen=True)

    workshop_id: str
    code: str
    title: str
    as_of: dt.datetime
    stale_days: int
    items: int
    reviews_on_time: int
    reviews_late: int
    overdue: int
    asks_overdue: int = 0
    stale: int
    moved_forward: int
    stalled: int
    adopted: int
    parked: int
    dropped: int
    budget: BudgetTotals
    asks_by_department: list[DepartmentAsks]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reviews(self) -> int:
        return self.reviews_on_time + self.reviews_late


def promise_ledger(
    workshop: Workshop, items: Iterable[BacklogItem], now: dt.datetime, days: int = STALE_AFTER_DAYS
) -> PromiseLedger:
    """The ledger of one workshop's backlog as of ``now``."""
    mine = [i for i in items if i.workshop == workshop.id]
    all_reviews = [r for item in mine for r in reviews(item)]
    return PromiseLedger(
        workshop_id=workshop.id,
        code=workshop.code,
        title=workshop.title,
        as_of=now,
        stale_days=days,
        items=len(mine),
        reviews_on_time=sum(1 for r in all_reviews if r.on_time),
        reviews_late=sum(1 for r in all_reviews if not r.on_time),
        overdue=sum(1 for i in mine if review_overdue(i, now.date())),
        asks_overdue=sum(len(overdue_asks(i, now.date())) for i in mine),
        stale=sum(1 for i in mine if stale(i, now, days)),
        moved_forward=sum(1 for i in mine if moved_forward(i, now, days)),
        stalled=sum(1 for i in mine if stalled(i, now, days)),
        adopted=sum(1 for i in mine if i.status == S.ADOPTED),
        parked=sum(1 for i in mine if i.status == S.PARKED),
        dropped=sum(1 for i in mine if i.status == S.DROPPED),
        budget=budget_totals(mine, workshop.settings.budget_pool, workshop.settings.currency),
        asks_by_department=asks_by_department(mine, now.date()),
    )
