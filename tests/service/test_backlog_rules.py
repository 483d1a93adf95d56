"""Backlog rules: transitions, Decimal money, the pool, history, follow-up flags and the promise ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from workshop_tui.backlog import (
    STALE_AFTER_DAYS,
    allowed_transitions,
    budget_totals,
    item_flags,
    needs_attention,
    review_overdue,
    stale,
)
from workshop_tui.backlog_ledger import asks_by_department, forward_moves, promise_ledger, reviews, stalled
from workshop_tui.backlog_meetings import due_for_review, meeting_ledger
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.models import Ask, BacklogItem, BacklogStatus, BudgetRequest, Settings, Source, StatusChange, Workshop
from workshop_tui.models import BacklogStatus as S
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

UTC = dt.UTC


async def backlog_workshop(service: WorkshopService, ideas: int = 2, **settings: object) -> tuple[str, list[str]]:
    """A workshop in the teams phase with ``ideas`` facilitator notes converted to backlog items."""
    w = await service.create_workshop("Backlog test", settings=dict(settings) or None)
    idea_ids = []
    for n in range(ideas):
        idea = await service.post_idea(w.code, f"Idea number {n}", source=Source.FACILITATOR)
        idea_ids.append(idea.id)
    for phase in [Phase.IDEATE, Phase.GROUP, Phase.VOTE, Phase.TEAMS]:
        await service.set_phase(w.code, phase)
    items = await service.convert_to_backlog(w.code, idea_ids)
    return w.code, [i.id for i in items]


def money_free_of_floats(value: Any) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(money_free_of_floats(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(money_free_of_floats(v) for v in value)
    return True


# ---------------------------------------------------------------------- transitions

EXPECTED = {
    S.PROPOSED: {S.APPROVED, S.PARKED, S.DROPPED},
    S.APPROVED: {S.PROTOTYPING, S.PARKED, S.DROPPED},
    S.PROTOTYPING: {S.TESTING, S.PARKED, S.DROPPED},
    S.TESTING: {S.ADOPTED, S.PARKED, S.DROPPED},
    S.ADOPTED: {S.PARKED, S.DROPPED},
    S.PARKED: {S.PROPOSED, S.APPROVED, S.PROTOTYPING, S.TESTING, S.DROPPED},
    S.DROPPED: {S.PROPOSED},
}


def test_transition_table() -> None:
    assert set(EXPECTED) == set(BacklogStatus)
    for status, targets in EXPECTED.items():
        assert allowed_transitions(status) == targets, status


async def _item_in(service: WorkshopService, item_id: str, path: list[BacklogStatus]) -> None:
    for status in path:
        await service.update_backlog_item(item_id, {"status": status.value})


PATH_TO = {
    S.PROPOSED: [],
    S.APPROVED: [S.APPROVED],
    S.PROTOTYPING: [S.APPROVED, S.PROTOTYPING],
    S.TESTING: [S.APPROVED, S.PROTOTYPING, S.TESTING],
    S.ADOPTED: [S.APPROVED, S.PROTOTYPING, S.TESTING, S.ADOPTED],
    S.PARKED: [S.PARKED],
    S.DROPPED: [S.DROPPED],
}


@pytest.mark.parametrize("start", list(BacklogStatus))
async def test_every_transition_through_the_service(service: WorkshopService, start: BacklogStatus) -> None:
    targets = [t for t in BacklogStatus if t != start]
    _code, ids = await backlog_workshop(service, ideas=len(targets))
    for item_id, target in zip(ids, targets, strict=True):
        await _item_in(service, item_id, PATH_TO[start])
        before = service.find_backlog_item(item_id)[1]
        assert before.status == start
        if target in EXPECTED[start]:
            after = await service.update_backlog_item(item_id, {"status": target.value, "note": "why"})
            assert after.status == target
            assert after.history[-1].from_ == start and after.history[-1].to == target
            assert after.history[-1].note.startswith("why")
        else:
            with pytest.raises(Conflict) as err:
                await service.update_backlog_item(item_id, {"status": target.value})
            assert err.value.status == 409
            assert f"cannot go from {start.value} to {target.value}" in err.value.message
            assert service.find_backlog_item(item_id)[1] == before  # nothing written


async def test_unknown_status_is_invalid(service: WorkshopService) -> None:
    _, ids = await backlog_workshop(service, ideas=1)
    with pytest.raises(Invalid) as err:
        await service.update_backlog_item(ids[0], {"status": "finished"})
    assert err.value.status == 422
    with pytest.raises(Invalid):
        service.backlog_items(status="finished")


async def test_converting_twice_is_refused(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=1)
    idea_id = service.find_backlog_item(ids[0])[1].idea_ids[0]
    with pytest.raises(Conflict) as err:
        await service.convert_to_backlog(code, [idea_id])
    assert err.value.status == 409 and idea_id in err.value.message


# ---------------------------------------------------------------------- money: Decimal only


def test_float_amounts_are_rejected() -> None:
    with pytest.raises(ValidationError, match="not a float"):
        BudgetRequest.model_validate({"amount": 0.1, "currency": "EUR"})
    with pytest.raises(ValidationError, match="not a float"):
        Settings.model_validate({"budget_pool": 1000.0})
    with pytest.raises(ValidationError, match="not a float"):
        Settings.model_validate({"budget_cap_per_request": 10.5})


async def test_float_amount_through_the_service_is_invalid_and_nothing_is_saved(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=1)
    before = service.find_backlog_item(ids[0])[1]
    with pytest.raises(Invalid, match="not a float"):
        await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": 0.1, "currency": "EUR"}]})
    with pytest.raises(Invalid, match="not a float"):
        await service.update_workshop(code, settings={"budget_pool": 100.0})
    assert service.find_backlog_item(ids[0])[1] == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "cannot be negative"),
        ("0", "greater than 0"),
        ("0.00", "greater than 0"),
        ("1.005", "at most 2 decimals"),
        ("abc", "decimal"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("", "decimal"),
    ],
)
async def test_bad_amounts_are_invalid(service: WorkshopService, amount: str, message: str) -> None:
    _, ids = await backlog_workshop(service, ideas=1)
    with pytest.raises(Invalid, match=message) as err:
        await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": amount, "currency": "EUR"}]})
    assert err.value.status == 422
    assert service.find_backlog_item(ids[0])[1].budget_requests == []


@pytest.mark.parametrize("currency", ["EURO", "eur", "XYZ", ""])
async def test_unknown_currency_is_invalid(service: WorkshopService, currency: str) -> None:
    _, ids = await backlog_workshop(service, ideas=1)
    with pytest.raises(Invalid):
        await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "10", "currency": currency}]})


async def test_requests_are_in_the_workshop_currency_and_under_the_cap(service: WorkshopService) -> None:
    _, ids = await backlog_workshop(service, ideas=1, budget_cap_per_request="500")
    with pytest.raises(Invalid, match="workshop's currency, EUR"):
        await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "10", "currency": "USD"}]})
    with pytest.raises(Invalid, match="at most 500 EUR"):
        await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "500.01", "currency": "EUR"}]})
    ok = await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "500.00", "currency": "EUR"}]})
    assert ok.budget_requests[0].amount == Decimal("500.00")


async def test_sums_are_exact_decimals(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=1)
    reqs = [
        {"amount": "0.10", "purpose": "a", "status": "approved"},
        {"amount": "0.20", "purpose": "b", "status": "approved"},
        {"amount": "0.1", "purpose": "c", "status": "spent"},
        {"amount": "0.2", "purpose": "d", "status": "spent"},
    ]
    item = await service.update_backlog_item(ids[0], {"budget_requests": reqs})
    state = service.state(code)
    totals = budget_totals(state.backlog.values(), Decimal("1"), "EUR")
    assert totals.approved == Decimal("0.30") and isinstance(totals.approved, Decimal)
    assert totals.spent == Decimal("0.3")
    assert totals.committed == Decimal("0.60")
    assert totals.remaining == Decimal("0.40")
    assert 0.1 + 0.2 != 0.3  # what a float would have done
    dumped = item.model_dump(mode="json")
    assert [r["amount"] for r in dumped["budget_requests"]] == ["0.10", "0.20", "0.1", "0.2"]
    assert money_free_of_floats(dumped)
    assert money_free_of_floats(totals.model_dump(mode="json"))
    assert totals.model_dump(mode="json")["remaining"] == "0.40"
    assert money_free_of_floats(service.backlog_ledger(code).model_dump(mode="json"))


# ---------------------------------------------------------------------- the pool


async def test_pool_overflow_is_a_conflict_with_a_clear_message(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=2, budget_pool="1000")
    await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "600", "status": "approved"}]})
    before = service.find_backlog_item(ids[1])[1]
    with pytest.raises(Conflict) as err:
        await service.update_backlog_item(ids[1], {"budget_requests": [{"amount": "400.01", "status": "approved"}]})
    assert err.value.status == 409
    assert "1000.01 EUR of a 1000 EUR pool (400 left)" in err.value.message
    assert err.value.detail == {"pool": "1000", "remaining": "400"}
    assert service.find_backlog_item(ids[1])[1] == before
    # spent money counts against the pool too
    with pytest.raises(Conflict):
        await service.update_backlog_item(ids[1], {"budget_requests": [{"amount": "401", "status": "spent"}]})
    # asking (not approving) more than the pool is fine; approving exactly what remains too
    await service.update_backlog_item(ids[1], {"budget_requests": [{"amount": "900", "status": "requested"}]})
    done = await service.update_backlog_item(ids[1], {"budget_requests": [{"amount": "400", "status": "approved"}]})
    totals = service.backlog_ledger(code).budget
    assert done.budget_requests[0].status == "approved"
    assert (totals.committed, totals.remaining) == (Decimal("1000"), Decimal("0"))


async def test_lowered_pool_blocks_new_approvals_but_allows_reductions(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=1, budget_pool="1000")
    await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "800", "status": "approved"}]})
    await service.update_workshop(code, settings={"budget_pool": "500"})
    assert service.backlog_ledger(code).budget.remaining == Decimal("-300")
    with pytest.raises(Conflict):
        await service.update_backlog_item(
            ids[0], {"budget_requests": [{"amount": "800", "status": "approved"}, {"amount": "1", "status": "spent"}]}
        )
    smaller = await service.update_backlog_item(ids[0], {"budget_requests": [{"amount": "700", "status": "approved"}]})
    assert smaller.budget_requests[0].amount == Decimal("700")


# ---------------------------------------------------------------------- history


async def test_every_change_adds_one_dated_history_entry(service: WorkshopService, data_dir: Path) -> None:
    _code, ids = await backlog_workshop(service, ideas=1)
    item_id = ids[0]
    created = service.find_backlog_item(item_id)[1]
    assert [(h.from_, h.to) for h in created.history] == [(None, S.PROPOSED)]
    assert created.history[0].next_review == created.next_review
    t0 = dt.datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    patches: list[dict[str, Any]] = [
        {"title": "A better title"},
        {"problem": "The real problem"},
        {"owner": {"name": "Amina", "contact": "amina@example.org", "public": True}},
        {"next_review": "2030-06-01"},
        {"asks": [{"kind": "space", "department": "Facilities", "detail": "a room"}]},
        {"budget_requests": [{"amount": "12.50", "purpose": "tape"}]},
        {"status": "approved", "note": "go"},
        {"note": "a comment only"},
    ]
    for n, patch in enumerate(patches, start=1):
        at = t0 + dt.timedelta(hours=n)
        item = await service.update_backlog_item(item_id, patch, now=at)
        assert len(item.history) == 1 + n, patch
        assert item.history[-1].at == at and item.updated_at == at
    # a patch that changes nothing writes nothing
    same = await service.update_backlog_item(item_id, {"title": "A better title"}, now=t0 + dt.timedelta(days=9))
    assert len(same.history) == 1 + len(patches)
    notes = [h.note for h in same.history[1:]]
    assert notes[0] == "title changed" and notes[2] == "owner: Amina" and notes[3] == "next review: 2030-06-01"
    assert notes[6] == "go" and notes[7] == "a comment only"
    assert [(h.from_, h.to) for h in same.history[1:7]] == [(S.PROPOSED, S.PROPOSED)] * 6
    assert (same.history[7].from_, same.history[7].to) == (S.PROPOSED, S.APPROVED)
    # the review date promised at each step is recorded with it
    assert [h.next_review for h in same.history[4:]] == [dt.date(2030, 6, 1)] * 5
    await service.close()
    reopened = WorkshopService(data_dir, read_only=True).open()
    assert reopened.find_backlog_item(item_id)[1] == same


# ---------------------------------------------------------------------- follow-up flags, frozen clock


def _item(**fields: Any) -> BacklogItem:
    base: dict[str, Any] = {"id": "i1", "workshop": "w1", "title": "Sensors"}
    return BacklogItem.model_validate({**base, **fields})


def test_overdue_flag_with_a_frozen_clock() -> None:
    at = dt.datetime(2030, 1, 1, 12, tzinfo=UTC)
    item = _item(
        next_review="2030-01-10",
        created_at=at,
        updated_at=at,
        history=[StatusChange(at=at, to=S.PROPOSED)],
    )
    assert not review_overdue(item, dt.date(2030, 1, 10))  # due today is not late yet
    assert review_overdue(item, dt.date(2030, 1, 11))
    assert needs_attention(item, dt.datetime(2030, 1, 11, tzinfo=UTC)) == ["review was due 2030-01-10"]
    for closed in (S.ADOPTED, S.DROPPED):
        assert not review_overdue(item.model_copy(update={"status": closed}), dt.date(2031, 1, 1))
    assert review_overdue(item.model_copy(update={"status": S.PARKED}), dt.date(2031, 1, 1))
    assert not review_overdue(item.model_copy(update={"next_review": None}), dt.date(2031, 1, 1))


def test_stale_flag_with_a_frozen_clock() -> None:
    at = dt.datetime(2030, 1, 1, 12, tzinfo=UTC)
    item = _item(created_at=at, updated_at=at, history=[StatusChange(at=at, to=S.PROPOSED)])
    exactly = at + dt.timedelta(days=STALE_AFTER_DAYS)
    assert not stale(item, exactly)
    assert stale(item, exactly + dt.timedelta(seconds=1))
    flags = item_flags(item, at + dt.timedelta(days=45))
    assert flags.stale and not flags.overdue and flags.reasons == ["no update for 45 days"]
    assert stale(item, at + dt.timedelta(days=8), days=7)
    assert not stale(item.model_copy(update={"status": S.ADOPTED}), at + dt.timedelta(days=400))


async def test_overdue_and_stale_through_the_service(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=2)
    t0 = dt.datetime(2030, 3, 1, 10, tzinfo=UTC)
    await service.update_backlog_item(ids[0], {"next_review": "2030-03-05"}, now=t0)
    await service.update_backlog_item(ids[1], {"next_review": "2030-04-30"}, now=t0)
    now = dt.datetime(2030, 3, 6, 10, tzinfo=UTC)
    flags = {i.id: item_flags(i, now) for i in service.backlog_items(workshop=code)}
    assert flags[ids[0]].overdue and not flags[ids[1]].overdue
    assert not flags[ids[0]].stale
    assert service.backlog_ledger(code, now=now).overdue == 1
    later = dt.datetime(2030, 4, 15, 10, tzinfo=UTC)
    assert all(item_flags(i, later).stale for i in service.backlog_items(workshop=code))


# ---------------------------------------------------------------------- the promise ledger


def _h(when: str, to: BacklogStatus, nr: str | None, frm: BacklogStatus | None = None) -> StatusChange:
    return StatusChange.model_validate({"at": when, "from": frm, "to": to, "next_review": nr})


def ledger_items() -> list[BacklogItem]:
    a = _item(
        id="A",
        title="Sensors",
        status=S.TESTING,
        next_review="2030-03-15",
        history=[
            _h("2030-01-01T09:00:00Z", S.PROPOSED, "2030-01-15"),
            _h("2030-01-01T15:00:00Z", S.APPROVED, "2030-01-15", S.PROPOSED),  # creation day: set-up
            _h("2030-01-10T10:00:00Z", S.PROTOTYPING, "2030-01-31", S.APPROVED),  # on time
            _h("2030-02-05T10:00:00Z", S.PROTOTYPING, "2030-02-20", S.PROTOTYPING),  # 5 days late
            _h("2030-02-05T16:00:00Z", S.PROTOTYPING, "2030-03-01", S.PROTOTYPING),  # same review
            _h("2030-03-01T23:00:00Z", S.TESTING, "2030-03-15", S.PROTOTYPING),  # on the due day: on time
        ],
        budget_requests=[
            {"amount": "0.10", "status": "approved"},
            {"amount": "0.20", "status": "approved"},
            {"amount": "100", "status": "spent"},
            {"amount": "50", "status": "rejected"},
            {"amount": "7.5", "status": "requested"},
        ],
        asks=[{"kind": "open-data", "department": "Mobility", "detail": "racks", "status": "granted"}],
        updated_at="2030-03-01T23:00:00Z",
        created_at="2030-01-01T09:00:00Z",
    )
    b = _item(
        id="B",
        title="Shops",
        status=S.PROPOSED,
        next_review="2030-02-01",
        history=[
            _h("2030-01-01T09:00:00Z", S.PROPOSED, "2030-01-15"),
            _h("2030-01-20T09:00:00Z", S.PARKED, None, S.PROPOSED),  # 5 days late
            _h("2030-01-25T09:00:00Z", S.PROPOSED, "2030-02-01", S.PARKED),  # nothing was due: on time
        ],
        asks=[{"kind": "procedure", "department": "  mobility ", "detail": "permit"}],
        updated_at="2030-01-25T09:00:00Z",
        created_at="2030-01-01T09:00:00Z",
    )
    c = _item(
        id="C",
        title="Library",
        status=S.ADOPTED,
        next_review=None,
        history=[
            _h("2030-01-01T09:00:00Z", S.PROPOSED, "2030-01-15"),
            _h("2030-01-14T09:00:00Z", S.APPROVED, "2030-01-28", S.PROPOSED),
            _h("2030-01-28T09:00:00Z", S.PROTOTYPING, "2030-02-01", S.APPROVED),
            _h("2030-02-01T09:00:00Z", S.TESTING, "2030-02-01", S.PROTOTYPING),
            _h("2030-02-01T10:00:00Z", S.ADOPTED, None, S.TESTING),
        ],
        asks=[{"kind": "space", "department": "Parks", "detail": "a corner", "status": "declined"}],
        updated_at="2030-02-01T10:00:00Z",
        created_at="2030-01-01T09:00:00Z",
    )
    return [a, b, c]


def test_reviews_of_one_item() -> None:
    a, b, _ = ledger_items()
    got = [(r.day.isoformat(), r.due and r.due.isoformat(), r.entries, r.on_time, r.days_late) for r in reviews(a)]
    assert got == [
        ("2030-01-10", "2030-01-15", 1, True, 0),
        ("2030-02-05", "2030-01-31", 2, False, 5),
        ("2030-03-01", "2030-03-01", 1, True, 0),
    ]
    assert [(r.on_time, r.due) for r in reviews(b)] == [(False, dt.date(2030, 1, 15)), (True, None)]
    assert reviews(_item(history=[])) == []


def test_forward_moves_ignore_resuming_a_parked_item() -> None:
    a, b, c = ledger_items()
    assert len(forward_moves(a)) == 3
    assert forward_moves(b) == []
    assert len(forward_moves(c)) == 4


def test_ledger_on_a_constructed_history() -> None:
    workshop = Workshop(id="w1", code="ABCD", title="Ledger", settings=Settings(budget_pool=Decimal("1000")))
    other = _item(id="X", workshop="elsewhere", history=[_h("2030-01-01T09:00:00Z", S.PROPOSED, "2030-01-02")])
    now = dt.datetime(2030, 3, 10, 12, tzinfo=UTC)
    ledger = promise_ledger(workshop, [*ledger_items(), other], now)
    assert ledger.items == 3  # the other workshop's item is not counted
    assert (ledger.reviews_on_time, ledger.reviews_late, ledger.reviews) == (6, 2, 8)
    assert ledger.overdue == 1  # B's review of 2030-02-01
    assert ledger.stale == 1  # B: no update since 2030-01-25
    assert ledger.moved_forward == 1  # A reached testing on 2030-03-01; C's last move is before the window
    assert ledger.stalled == 1  # B never moved past proposed
    assert (ledger.adopted, ledger.parked, ledger.dropped) == (1, 0, 0)
    budget = ledger.budget
    assert budget.approved == Decimal("0.30") and budget.spent == Decimal("100")
    assert budget.requested == Decimal("7.5") and budget.rejected == Decimal("50")
    assert budget.committed == Decimal("100.30") and budget.remaining == Decimal("899.70")
    depts = [(d.department, d.open, d.in_progress, d.granted, d.declined) for d in ledger.asks_by_department]
    assert depts == [("Mobility", 1, 0, 1, 0), ("Parks", 0, 0, 0, 1)]
    assert [a.item_id for a in ledger.asks_by_department[0].asks] == ["A", "B"]
    dumped = ledger.model_dump(mode="json")
    assert dumped["budget"]["remaining"] == "899.70" and dumped["reviews"] == 8
    # a wider window sees C's moves, and B (created 68 days ago) is not stalled in a 90-day window
    wide = promise_ledger(workshop, ledger_items(), now, days=90)
    assert (wide.moved_forward, wide.stalled) == (2, 0)
    assert stalled(ledger_items()[1], now) and not stalled(ledger_items()[1], now, days=90)


def test_asks_are_grouped_ignoring_case_and_spacing() -> None:
    groups = asks_by_department(ledger_items(), dt.date(2030, 3, 10))
    assert [g.department for g in groups] == ["Mobility", "Parks"]


# ---------------------------------------------------------------------- asks as commitments


def commitments() -> list[BacklogItem]:
    created = "2030-01-01T09:00:00Z"
    history = [_h(created, S.PROPOSED, "2030-03-01")]
    a = _item(
        id="A",
        created_at=created,
        updated_at=created,
        history=history,
        next_review="2030-03-01",
        asks=[
            {"kind": "open-data", "department": "Mobility", "due": "2030-01-20", "answered_at": "2030-01-11"},
            {"kind": "space", "department": "mobility", "due": "2030-01-20", "answered_at": "2030-01-21"},
            {"kind": "procedure", "department": "Mobility ", "due": "2030-01-31", "answer": "soon"},  # overdue
            {"kind": "other", "department": "Mobility", "status": "granted"},  # answered, no date (old data)
        ],
    )
    b = _item(
        id="B",
        created_at=created,
        updated_at=created,
        history=history,
        status=S.DROPPED,
        asks=[
            {"kind": "space", "department": "Parks", "due": "2030-02-09"},  # overdue, though the item is closed
            {"kind": "space", "department": "Parks", "due": "2030-02-10"},  # due today: not late yet
            {"kind": "other", "department": "Culture"},  # no due date: never overdue
        ],
    )
    return [a, b]


def test_overdue_asks_are_flagged_like_overdue_reviews() -> None:
    a, b = commitments()
    now = dt.datetime(2030, 2, 10, 12, tzinfo=UTC)
    flags = item_flags(a, now)
    assert not flags.overdue and flags.overdue_asks == 1 and flags.anything_overdue
    assert flags.reasons == ["ask to Mobility was due 2030-01-31", "no update for 40 days"]
    assert needs_attention(b, now) == ["ask to Parks was due 2030-02-09"]  # dropped: never stale
    assert item_flags(b, dt.datetime(2030, 2, 9, 23, tzinfo=UTC)).overdue_asks == 0  # due today is not late


def test_per_department_figures() -> None:
    figures = {d.department: d for d in asks_by_department(commitments(), dt.date(2030, 2, 10))}
    assert list(figures) == ["Culture", "Mobility", "Parks"]
    mob = figures["Mobility"]
    assert (mob.asked, mob.answered, mob.overdue) == (4, 3, 1)
    assert mob.median_days_to_answer == 15  # 10 and 20 days from the item's creation; the undated one is left out
    assert [a.days_to_answer for a in mob.asks] == [10, 20, None, None]
    parks = figures["Parks"]
    assert (parks.asked, parks.answered, parks.overdue, parks.median_days_to_answer) == (2, 0, 1, None)
    assert figures["Culture"].overdue == 0
    ledger = promise_ledger(
        Workshop(id="w1", code="ABC", title="T"), commitments(), dt.datetime(2030, 2, 10, 12, tzinfo=UTC)
    )
    assert ledger.asks_overdue == 2 and ledger.model_dump(mode="json")["asks_by_department"][1]["asked"] == 4


def test_old_asks_without_the_commitment_fields_still_load() -> None:
    ask = Ask.model_validate({"kind": "space", "department": "Parks", "detail": "a corner", "status": "open"})
    assert (ask.due, ask.answer, ask.answered_at, ask.answered) == (None, "", None, False)
    with pytest.raises(ValidationError):
        Ask.model_validate({"kind": "space", "department": "Parks", "due": "next week"})


async def test_answering_an_ask_through_the_service_is_in_the_history(service: WorkshopService) -> None:
    _, ids = await backlog_workshop(service, ideas=1)
    ask = {"kind": "open-data", "department": "Mobility", "detail": "racks", "due": "2030-03-01"}
    await service.update_backlog_item(ids[0], {"asks": [ask]})
    answered = {**ask, "status": "granted", "answer": "published", "answered_at": "2030-02-20"}
    item = await service.update_backlog_item(ids[0], {"asks": [answered]})
    assert item.asks[0].answered_at == dt.date(2030, 2, 20) and item.asks[0].answer == "published"
    assert "Mobility answered (granted)" in item.history[-1].note
    assert item.history[-2].note == "1 ask to the city"  # one ask, said in English as one
    assert "answered" not in item.history[-2].note
    two = await service.update_backlog_item(ids[0], {"asks": [answered, {**ask, "department": "Parks"}]})
    assert two.history[-1].note == "2 asks to the city"
    reopened = service.find_backlog_item(ids[0])[1]
    assert reopened == two


# ---------------------------------------------------------------------- review meetings


def test_the_review_queue_takes_overdue_first_then_by_review_date() -> None:
    created = "2030-01-01T09:00:00Z"

    def item(id_: str, review: str | None, **fields: Any) -> BacklogItem:
        return _item(id=id_, created_at=created, updated_at=created, next_review=review, **fields)

    items = [
        item("later", "2030-02-14"),  # within the week ahead
        item("far", "2030-03-01"),  # not due
        item("soon", "2030-02-10"),  # due today
        item("late", "2030-02-05"),
        item("later-but-ask", "2030-02-20", asks=[{"kind": "space", "department": "P", "due": "2030-02-01"}]),
        item("closed", "2030-01-01", status=S.ADOPTED),
        item("none", None),
    ]
    queue = [i.id for i in due_for_review(items, dt.date(2030, 2, 10))]
    assert queue == ["late", "later-but-ask", "soon", "later"]


def test_the_ledger_of_one_meeting() -> None:
    at = dt.datetime(2030, 2, 10, 10, tzinfo=UTC)
    start = [_h("2030-01-01T09:00:00Z", S.PROPOSED, "2030-02-01")]
    before = [
        _item(id=n, created_at=start[0].at, updated_at=start[0].at, history=start, asks=asks)
        for n, asks in (("A", []), ("B", [{"kind": "space", "department": "P"}]), ("C", []), ("D", []))
    ]
    entry = _h(at.isoformat(), S.APPROVED, "2030-03-01", S.PROPOSED)
    kept = _h(at.isoformat(), S.PROPOSED, "2030-03-01", S.PROPOSED)
    parked = _h(at.isoformat(), S.PARKED, None, S.PROPOSED)
    after = {
        "A": before[0].model_copy(update={"status": S.APPROVED, "history": [*start, entry]}),
        "B": before[1].model_copy(
            update={
                "history": [*start, kept],
                "asks": [before[1].asks[0].model_copy(update={"answered_at": dt.date(2030, 2, 10)})],
            }
        ),
        "C": before[2].model_copy(update={"status": S.PARKED, "history": [*start, parked]}),
        # D was not reviewed
    }
    ledger = meeting_ledger(before, after, at)
    assert [i.item_id for i in ledger.items] == ["A", "B", "C"]
    assert (ledger.reviewed, ledger.moved_forward, ledger.stalled, ledger.parked) == (3, 1, 1, 1)
    assert ledger.asks_answered == 1 and ledger.model_dump(mode="json")["reviewed"] == 3


async def test_ledger_through_the_service_with_a_frozen_clock(service: WorkshopService) -> None:
    code, ids = await backlog_workshop(service, ideas=2)
    created = service.find_backlog_item(ids[0])[1].created_at
    due = service.find_backlog_item(ids[0])[1].next_review
    assert due is not None
    on_day = dt.datetime.combine(due, dt.time(18), tzinfo=UTC)
    next_due = due + dt.timedelta(days=14)
    await service.update_backlog_item(ids[0], {"status": "approved", "note": "ok", "next_review": next_due}, now=on_day)
    late = on_day + dt.timedelta(days=3)
    await service.update_backlog_item(ids[1], {"status": "parked", "note": "late"}, now=late)
    ledger = service.backlog_ledger(code, now=late)
    assert (ledger.reviews_on_time, ledger.reviews_late) == (1, 1)
    assert ledger.moved_forward == 1 and ledger.parked == 1
    # the parked item kept its old review date, now passed: still overdue until a new date is set
    assert ledger.overdue == 1
    assert created <= on_day
    await service.update_backlog_item(ids[1], {"next_review": (late + dt.timedelta(days=30)).date()}, now=late)
    ledger = service.backlog_ledger(code, now=late)
    assert ledger.overdue == 0 and (ledger.reviews_on_time, ledger.reviews_late) == (1, 1)  # same day: one review
