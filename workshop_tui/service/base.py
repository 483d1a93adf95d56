"""The service's foundation: opening the data directory, finding workshops, shared checks.

The service is the only writer. Every rule is checked and applied synchronously (no await between
check and apply), so the invariants hold under any interleaving of concurrent requests on the event
loop; each call then awaits durability before it returns and before its event is published.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ValidationError

from workshop_tui import events as ev
from workshop_tui.errors import Invalid, NotFound, Unauthorized, WorkshopError
from workshop_tui.ids import normalize_code
from workshop_tui.lock import DataDirLock
from workshop_tui.models import (
    Idea,
    Participant,
    Workshop,
)
from workshop_tui.state import WorkshopState
from workshop_tui.store import WorkshopStore

log = logging.getLogger(__name__)

WORKSHOPS_DIR = "workshops"
FACILITATOR = "facilitator"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


M = TypeVar("M", bound=BaseModel)


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


class ServiceBase:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.bus = ev.EventBus()
        self.messages: list[str] = []  # recovery notes for the facilitator (files set aside, ...)
        self._by_code: dict[str, WorkshopState] = {}
        self._by_id: dict[str, WorkshopState] = {}
        self._lock = DataDirLock(data_dir)
        self._opened = False

    # ------------------------------------------------------------------ lifecycle

    def open(self) -> Self:
        if not self.read_only:
            self._lock.acquire()
        root = self.data_dir / WORKSHOPS_DIR
        if root.is_dir():
            for directory in sorted(p for p in root.iterdir() if p.is_dir()):
                try:
                    store = WorkshopStore.open(directory, read_only=self.read_only)
                    if "workshop" not in store.tables or not store.tables["workshop"]:
                        continue  # created but never written: nothing to show
                    state = WorkshopState(store)
                except (WorkshopError, ValidationError, ValueError, OSError) as exc:
                    self.messages.append(f"workshop {directory.name} could not be opened: {exc}")
                    log.error("workshop %s could not be opened: %s", directory, exc)
                    continue
                self.messages += [f"{directory.name}: {m}" for m in store.report.messages]
                self._register(state)
        self._opened = True
        return self

    async def close(self) -> None:
        for state in list(self._by_id.values()):
            await state.store.close()
        if not self.read_only:
            self._lock.release()

    async def __aenter__(self) -> Self:
        if not self._opened:
            self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _emit(self, state: WorkshopState, event_type: type[ev.Event], **fields: Any) -> None:
        self.bus.publish(event_type(workshop_id=state.id, code=state.code, **fields))

    def _register(self, state: WorkshopState) -> None:
        self._by_code[state.code] = state
        self._by_id[state.id] = state

    # ------------------------------------------------------------------ lookups

    def state(self, code_or_id: str) -> WorkshopState:
        state = self._by_code.get(normalize_code(code_or_id)) or self._by_id.get(code_or_id)
        if state is None:
            raise NotFound(f"no workshop with code {code_or_id!r}")
        return state

    def workshops(self) -> list[Workshop]:
        return sorted((s.workshop for s in self._by_id.values()), key=lambda w: w.created_at)

    def states(self) -> list[WorkshopState]:
        return sorted(self._by_id.values(), key=lambda s: s.workshop.created_at)

    def authenticate(self, code: str, token: str | None) -> Participant:
        state = self.state(code)
        if not token:
            raise Unauthorized("join the workshop first: no participant token")
        digest = hash_token(token)
        pid = state.by_token_hash.get(digest)
        participant = state.participants.get(pid) if pid else None
        if participant is None or not hmac.compare_digest(participant.token_hash, digest):
            raise Unauthorized("unknown participant token for this workshop: join again")
        return participant

    def _idea(self, state: WorkshopState, idea_id: str) -> Idea:
        idea = state.ideas.get(idea_id)
        if idea is None:
            raise NotFound(f"no idea {idea_id!r} in workshop {state.code}")
        return idea

    # ------------------------------------------------------------------ housekeeping

    async def flush(self) -> None:
        for state in self._by_id.values():
            await state.store.flush()
