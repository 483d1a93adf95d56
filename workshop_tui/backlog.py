"""Rules of the prototype backlog: status transitions, the budget pool, follow-up flags, the promise ledger.

Pure functions over the models, so the service, the TUI, the CLI and the exports agree on them. Every
function that depends on the time takes ``now`` (or ``today``) so tests can freeze the clock.

The promise ledger (per workshop) answers "did we do what we said we would do after the session?":

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
- **A review meeting.** The items *due* for review on a day are the open items whose review date is
  within ``REVIEW_HORIZON_DAYS`` days, or that have an overdue ask; overdue ones come first, then by
  review date. The meeting's ledger compares each item before and after the meeting: *reviewed*
  (a history entry was added), *moved forward* (a forward move, as above), *stalled* (reviewed, still
  on the open main line and not moved forward), *parked* / *dropped* in the meeting, asks answered.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from workshop_tui.models import (
    Ask,
    AskKind,
    AskStatus,
    BacklogItem,
    BacklogStatus,
    BudgetStatus,
    StatusChange,
    Workshop,
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
    model_config = ConfigDict(frozen=True)

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

    model_config = ConfigDict(frozen=True)

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


# ---------------------------------------------------------------------- the promise ledger


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


# ---------------------------------------------------------------------- review meetings


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


def item_budget(item: BacklogItem) -> Decimal:
    """What the item asks for in all: every request that was not rejected."""
    return sum((r.amount for r in item.budget_requests if r.status != BudgetStatus.REJECTED), Decimal(0))


def format_money(amount: Decimal, currency: str) -> str:
    """Two decimals and the currency, for people: ``1,800.00 EUR``. Never through a float."""
    return f"{amount:,.2f} {currency}"
