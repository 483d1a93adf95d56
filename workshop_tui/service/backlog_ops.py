"""The prototype backlog: converting ideas, the follow-up edits and their rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.backlog import allowed_transitions, budget_totals, department_name
from workshop_tui.counted import plural
from workshop_tui.errors import Conflict, Invalid, NotFound
from workshop_tui.ids import new_id
from workshop_tui.models import (
    DECIDIM_ID_MAX,
    Ask,
    BacklogItem,
    BacklogStatus,
    BudgetRequest,
    LongText,
    Owner,
    StatusChange,
    Team,
    Title,
    utcnow,
)
from workshop_tui.service import queries
from workshop_tui.service.base import Concern, short_text, validated
from workshop_tui.state import WorkshopState

if TYPE_CHECKING:
    from workshop_tui.backlog_ledger import PromiseLedger


class BacklogPatch(BaseModel):
    """What ``PATCH /api/v1/admin/backlog/{id}`` and the TUI's edit form may change."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    problem: LongText | None = None
    owner: Owner | None = None
    status: BacklogStatus | None = None
    note: LongText | None = None
    next_review: dt.date | None = None
    budget_requests: list[BudgetRequest] | None = Field(None, max_length=50)
    asks: list[Ask] | None = Field(None, max_length=50)
    decidim_id: int | None = Field(
        None, ge=1, le=DECIDIM_ID_MAX, strict=True, description="the Decidim result id (null: not linked)"
    )


class BacklogOps(Concern):
    # ------------------------------------------------------------------ backlog

    def backlog_items(
        self, *, status: str | None = None, owner: str | None = None, workshop: str | None = None
    ) -> list[BacklogItem]:
        states = [self.state(workshop)] if workshop else self.workshops.states()
        items = [item for st in states for item in st.backlog.values()]
        if status is not None:
            try:
                wanted = BacklogStatus(status)
            except ValueError:
                known = ", ".join(s.value for s in BacklogStatus)
                raise Invalid(f"unknown status {status!r}; statuses are {known}") from None
            items = [i for i in items if i.status == wanted]
        if owner is not None:
            needle = owner.casefold()
            items = [i for i in items if needle in i.owner.name.casefold()]
        return sorted(items, key=lambda i: (i.created_at, i.id))

    def find_backlog_item(self, item_id: str) -> tuple[WorkshopState, BacklogItem]:
        for st in self.workshops.states():
            item = st.backlog.get(item_id)
            if item is not None:
                return st, item
        raise NotFound(f"no backlog item {item_id!r}")

    def backlog_ledger(self, code: str, *, now: dt.datetime | None = None) -> PromiseLedger:
        """The promise ledger of one workshop's backlog (definitions in ``workshop_tui.backlog_ledger``)."""
        from workshop_tui.backlog_ledger import promise_ledger  # its models: only when the ledger is read

        state = self.state(code)
        return promise_ledger(state.workshop, state.backlog.values(), now or utcnow())

    async def convert_to_backlog(
        self, code: str, idea_ids: list[str] | None = None, *, review_in_days: int = 14
    ) -> list[BacklogItem]:
        """Turn chosen ideas (default: the teams' ideas) into backlog items; twice is refused."""
        state = self.state(code)
        require(Action.CONVERT_TO_BACKLOG, state.workshop.phase)
        teams_by_idea = {t.idea_id: t for t in state.teams.values()}
        if idea_ids is None:
            if not teams_by_idea:
                raise Conflict("there are no teams yet: choose the ideas to convert (idea_ids)")
            ranked = [idea.id for idea, _ in queries.ranking(state)]
            idea_ids = [i for i in ranked if i in teams_by_idea]
        if len(set(idea_ids)) != len(idea_ids):
            raise Invalid("each idea can be converted only once")
        for idea_id in idea_ids:
            idea = state.ideas.get(idea_id)
            if idea is None or idea.deleted or idea.merged_into:
                raise NotFound(f"no idea {idea_id!r} to convert")
        converted = {i for item in state.backlog.values() for i in item.idea_ids}
        already = [i for i in idea_ids if i in converted]
        if already:
            raise Conflict("already in the backlog: " + ", ".join(already), {"idea_ids": already})
        now = utcnow()
        review = now.date() + dt.timedelta(days=review_in_days)
        items = [_new_item(state, idea_id, teams_by_idea.get(idea_id), now, review) for idea_id in idea_ids]
        await self._commit(state, "backlog", items, ev.BacklogChanged, "item", action="created")
        return items

    async def update_backlog_item(
        self, item_id: str, patch: BacklogPatch | dict[str, Any], *, now: dt.datetime | None = None
    ) -> BacklogItem:
        p = patch if isinstance(patch, BacklogPatch) else validated(BacklogPatch, patch)
        state, item = self.find_backlog_item(item_id)
        require(Action.EDIT_BACKLOG, state.workshop.phase)
        now = now or utcnow()
        update: dict[str, Any] = {}
        said: list[str] = []
        if p.title is not None and p.title != item.title:
            update["title"] = p.title
            said.append("title changed")
        if p.problem is not None and p.problem != item.problem:
            update["problem"] = p.problem
            said.append("problem statement changed")
        if p.owner is not None and p.owner != item.owner:
            update["owner"] = p.owner
            said.append(f"owner: {p.owner.name or 'nobody'}")
        if "next_review" in p.model_fields_set and p.next_review != item.next_review:
            update["next_review"] = p.next_review
            said.append(f"next review: {p.next_review.isoformat() if p.next_review else 'none'}")
        if p.asks is not None and p.asks != item.asks:
            update["asks"] = p.asks
            said.append(_asks_said(item.asks, p.asks))
        if p.budget_requests is not None and p.budget_requests != item.budget_requests:
            said.append(_check_budget(state, item, p.budget_requests))
            update["budget_requests"] = p.budget_requests
        new_status = item.status
        if p.status is not None and p.status != item.status:
            if p.status not in allowed_transitions(item.status):
                allowed = ", ".join(sorted(s.value for s in allowed_transitions(item.status)))
                raise Conflict(f"cannot go from {item.status.value} to {p.status.value}; from here: {allowed}")
            new_status = p.status
            update["status"] = p.status
        if "decidim_id" in p.model_fields_set and p.decidim_id != item.decidim_id:
            if not update and not p.note:  # bookkeeping, not follow-up: no history line, not "updated"
                return (await self.link_decidim(state.code, {item.id: p.decidim_id}))[0]
            _check_decidim_ids(state, {item.id: p.decidim_id})
            update["decidim_id"] = p.decidim_id
        if not update and not p.note:
            return await self._unchanged(state, item)
        note = "; ".join(x for x in [p.note, *said] if x)
        entry = StatusChange(
            at=now,
            **{"from": item.status},
            to=new_status,
            note=note,
            next_review=update.get("next_review", item.next_review),
        )
        update["history"] = [*item.history, entry]
        update["updated_at"] = now
        updated = validated(BacklogItem, {**item.model_dump(), **update})
        await self._commit(state, "backlog", [updated], ev.BacklogChanged, "item", action="updated")
        return updated

    async def link_decidim(self, code: str, links: Mapping[str, int | None]) -> list[BacklogItem]:
        """Record the Decidim result id of backlog items (None unlinks), in one durable write.

        A link is bookkeeping, not follow-up: it adds no history line and leaves ``updated_at`` (what
        the stale flag reads) alone. Two items of a workshop may not share a result (an import would
        update it twice). Returns the items whose link changed."""
        state = self.state(code)
        require(Action.EDIT_BACKLOG, state.workshop.phase)
        for item_id in links:
            if item_id not in state.backlog:
                raise NotFound(f"no backlog item {item_id!r} in workshop {state.code}")
        _check_decidim_ids(state, links)
        changed = [
            validated(BacklogItem, {**state.backlog[item_id].model_dump(), "decidim_id": result_id})
            for item_id, result_id in links.items()
            if state.backlog[item_id].decidim_id != result_id
        ]
        if not changed:
            return await self._unchanged(state, [])
        await self._commit(state, "backlog", changed, ev.BacklogChanged, "item", action="updated")
        return changed


def _check_decidim_ids(state: WorkshopState, links: Mapping[str, int | None]) -> None:
    """Refuse a Decidim result id that another item of the workshop would keep or get."""
    after = {item_id: item.decidim_id for item_id, item in state.backlog.items()} | dict(links)
    owners: dict[int, str] = {}
    for item_id, result_id in sorted(after.items()):
        if result_id is None:
            continue
        if result_id in owners:
            raise Conflict(
                f"Decidim result {result_id} is already linked to backlog item {owners[result_id]!r}",
                {"decidim_id": result_id, "item_ids": [owners[result_id], item_id]},
            )
        owners[result_id] = item_id


def _asks_said(before: list[Ask], after: list[Ask]) -> str:
    """The history's line about the asks: how many, and which were answered by this edit (the feeds and
    the meeting ledger tell an answered ask from the history)."""

    def key(ask: Ask) -> tuple[str, str, str]:
        return (department_name(ask).casefold(), ask.kind.value, ask.detail)

    answered_before = Counter(key(a) for a in before if a.answered)
    newly = []
    for ask in after:
        if ask.answered:
            if answered_before[key(ask)] > 0:
                answered_before[key(ask)] -= 1
            else:
                newly.append(f"{department_name(ask)} answered ({ask.status.value})")
    return "; ".join([f"{plural(len(after), 'ask')} to the city", *newly])


def _check_budget(state: WorkshopState, item: BacklogItem, requests: list[BudgetRequest]) -> str:
    """Refuse requests in another currency, over the cap per request, or that would commit more than
    the pool (unless they commit less than before); else the history's line about the budget."""
    settings = state.workshop.settings
    for req in requests:
        if req.currency != settings.currency:
            raise Invalid(f"budget requests are in the workshop's currency, {settings.currency}")
        if req.amount > settings.budget_cap_per_request:
            raise Invalid(
                f"a request is at most {settings.budget_cap_per_request} {settings.currency} "
                f"(this one asks {req.amount})"
            )
    others = [i for i in state.backlog.values() if i.id != item.id]
    before = budget_totals(state.backlog.values(), settings.budget_pool, settings.currency)
    after = budget_totals(
        [*others, item.model_copy(update={"budget_requests": requests})],
        settings.budget_pool,
        settings.currency,
    )
    if after.committed > after.pool and after.committed > before.committed:
        raise Conflict(
            f"approving this would commit {after.committed} {settings.currency} "
            f"of a {after.pool} {settings.currency} pool ({before.remaining} left)",
            {"pool": str(after.pool), "remaining": str(before.remaining)},
        )
    return f"budget: {after.requested} requested, {after.committed} approved or spent in the pool"


def _new_item(state: WorkshopState, idea_id: str, team: Team | None, now: dt.datetime, review: dt.date) -> BacklogItem:
    """A proposed item from one idea (and the notes merged into it), owned by its team's champion."""
    idea = state.ideas[idea_id]
    merged = [i.id for i in state.ideas.values() if i.merged_into == idea_id]
    champion = state.participants.get(team.champion_id) if team and team.champion_id else None
    return BacklogItem(
        id=new_id(),
        workshop=state.id,
        title=short_text(idea.text, 80),
        problem=idea.text,
        idea_ids=[idea_id, *merged],
        team_id=team.id if team else None,
        owner=Owner(name=champion.name if champion else ""),
        status=BacklogStatus.PROPOSED,
        history=[
            StatusChange(at=now, to=BacklogStatus.PROPOSED, note=f"from workshop {state.code}", next_review=review)
        ],
        next_review=review,
        dots=state.idea_dots[idea_id],
        created_at=now,
        updated_at=now,
    )
