"""What every concern of the service shares: the open workshops, the event bus, a few helpers.

The service is the only writer. Every rule is checked and applied synchronously (no await between
check and apply), so the invariants hold under any interleaving of concurrent requests on the event
loop; each call then awaits durability before it returns and before its event is published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from workshop_tui import events as ev
from workshop_tui.errors import Invalid, NotFound
from workshop_tui.models import Idea, IdeaChange, Participant, utcnow
from workshop_tui.service.registry import Registry
from workshop_tui.state import Change, WorkshopState
from workshop_tui.summaries import WORKSHOPS_DIR

FACILITATOR = "facilitator"


def changed(
    ideas: Iterable[Idea], action: str, by: str = FACILITATOR, *, detail: str = "", **update: Any
) -> list[Idea]:
    """``ideas`` after one change (not written yet): ``update`` applied, the change in their history."""
    entry = IdeaChange(action=action, by=by, detail=detail)
    now = utcnow()
    return [i.model_copy(update={**update, "history": [*i.history, entry], "updated_at": now}) for i in ideas]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """``model`` built from ``data``, or ``Invalid`` (HTTP 422) with one readable line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(validation_message(exc)) from None


def validation_message(exc: ValidationError) -> str:
    """One readable line from a pydantic error, for CLI lines, TUI forms and HTTP 422 bodies."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def short_text(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class Concern:
    """One concern of the service (ideas, dots, teams, ...). It needs only the open workshops and the
    bus: concerns never call each other; what they share is read through ``service.queries``."""

    def __init__(self, workshops: Registry, bus: ev.EventBus) -> None:
        self.workshops = workshops
        self.bus = bus

    def state(self, code_or_id: str) -> WorkshopState:
        return self.workshops.state(code_or_id)

    def _emit(self, state: WorkshopState, event_type: type[ev.Event], **fields: Any) -> None:
        self.bus.publish(event_type(workshop_id=state.id, code=state.code, **fields))

    async def _commit(
        self,
        state: WorkshopState,
        table: str,
        rows: Sequence[BaseModel],
        event_type: type[ev.Event],
        key: str | None,
        **fields: Any,
    ) -> None:
        """Put ``rows`` into ``table`` in one durable change (one journal record), then publish one
        ``event_type`` per row (the row as ``key``; with no key, only ``fields``): nothing is announced
        before it is on disk."""
        change = Change(state)
        for row in rows:
            change.put(table, row)
        await change.commit()
        for row in rows:
            self._emit(state, event_type, **({key: row} if key else {}), **fields)

    async def _commit_notes(self, state: WorkshopState, change: Change, notes: Sequence[tuple[Idea, str]]) -> None:
        """Put ``notes`` into ``change`` (which may hold more), commit it as one durable change, then
        announce each note with its own action."""
        for idea, _ in notes:
            change.put("ideas", idea)
        await change.commit()
        for idea, action in notes:
            self._emit(state, ev.IdeaChanged, idea=idea, action=action)

    @staticmethod
    async def _unchanged(state: WorkshopState, value: T) -> T:
        """Answer a request that changes nothing only once what it saw is durable (WorkshopStore.settled)."""
        await state.store.settled()
        return value

    @staticmethod
    def _participant(state: WorkshopState, participant_id: str) -> Participant:
        return found(state.participants, participant_id, "participant", state.code)

    @staticmethod
    def _idea(state: WorkshopState, idea_id: str) -> Idea:
        return found(state.ideas, idea_id, "idea", state.code)


def found(rows: Mapping[str, M], key: str, what: str, code: str) -> M:
    """``rows[key]``, or ``NotFound`` (HTTP 404) naming what was asked for."""
    row = rows.get(key)
    if row is None:
        raise NotFound(f"no {what} {key!r} in workshop {code}")
    return row


__all__ = ["FACILITATOR", "WORKSHOPS_DIR", "Concern", "hash_token", "short_text", "validated", "validation_message"]
