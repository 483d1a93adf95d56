"""The workshops of one data directory, by join code and by id, opened on demand, and the directory's lock."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from workshop_tui.errors import NotFound, StoreFailed, WorkshopError
from workshop_tui.ids import normalize_code
from workshop_tui.lock import DataDirLock
from workshop_tui.models import Workshop
from workshop_tui.state import WorkshopState
from workshop_tui.store import WorkshopStore
from workshop_tui.summaries import (
    WORKSHOPS_DIR,
    WorkshopSummary,
    read_summary,
    summarize,
    workshop_dirs,
    write_summary,
)

log = logging.getLogger(__name__)


class Registry:
    """Workshops open lazily: at start only their summaries are read (``summaries.py``); a workshop's
    store is opened (recovered, loaded) the first time something asks for its state."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.messages: list[str] = []  # recovery notes for the facilitator (files set aside, ...)
        self._by_code: dict[str, WorkshopState] = {}
        self._by_id: dict[str, WorkshopState] = {}
        self._unopened: dict[str, WorkshopSummary] = {}  # by id: listed from their summary, not loaded
        self._unopened_codes: dict[str, str] = {}  # code -> id
        self._lock = DataDirLock(data_dir)
        self.opened = False
        #: Called with (code, reason) when a workshop's store fails: the TUI shows a banner.
        self.on_store_failure: list[Callable[[str, str], None]] = []

    # ------------------------------------------------------------------ lifecycle

    def open(self, *, preload: Callable[[WorkshopSummary], bool] | None = None) -> None:
        """List the workshops; open now those without a valid summary and those ``preload`` picks."""
        if not self.read_only:
            self._lock.acquire()
        if not self.read_only:
            for name in WorkshopStore.clean_leftovers(self.data_dir / WORKSHOPS_DIR):
                log.warning("removed %s: a workshop whose creation or import was interrupted", name)
        for directory in workshop_dirs(self.data_dir):
            summary = read_summary(directory)
            if summary is None or (preload is not None and preload(summary)) or summary.code in self._by_code:
                self._load(directory)
            else:
                self._unopened[summary.id] = summary
                self._unopened_codes[summary.code] = summary.id
        self.opened = True

    def _load(self, directory: Path) -> WorkshopState | None:
        """Open (recover) the store in ``directory``; None, with a message, if it cannot be opened."""
        try:
            store = WorkshopStore.open(directory, read_only=self.read_only)
            if "workshop" not in store.tables or not store.tables["workshop"]:
                if not self.read_only and store.is_leftover():  # it would block a retried import
                    shutil.rmtree(directory, ignore_errors=True)
                    log.warning("removed %s: an empty workshop an interrupted creation left", directory.name)
                return None  # created but never written: nothing to show
            state = WorkshopState(store)
        except (WorkshopError, ValidationError, ValueError, OSError) as exc:
            self.messages.append(f"workshop {directory.name} could not be opened: {exc}")
            log.error("workshop %s could not be opened: %s", directory, exc)
            return None
        self.messages += [f"{directory.name}: {m}" for m in store.report.messages]
        self.register(state)
        return state

    def _open_listed(self, workshop_id: str) -> WorkshopState:
        """Open a workshop known so far by its summary; ``StoreFailed`` (503) if it cannot be."""
        summary = self._unopened.pop(workshop_id)
        self._unopened_codes.pop(summary.code, None)
        known = len(self.messages)
        state = self._load(self.directory(workshop_id))
        if state is None:
            why = "; ".join(self.messages[known:]) or "it holds no workshop"
            raise StoreFailed(f"workshop {summary.code} could not be opened: {why}")
        return state

    async def close(self) -> None:
        """Close every store; raises ``StoreFailed`` (after closing the rest) if one failed while open."""
        failures: list[StoreFailed] = []
        for state in list(self._by_id.values()):
            try:
                await state.store.close()
            except StoreFailed as exc:
                failures.append(exc)
            else:
                if not self.read_only:
                    write_summary(state)  # closed: its files hold exactly this state
        if not self.read_only:
            self._lock.release()
        if failures:
            raise StoreFailed("; ".join(f.message for f in failures))

    async def flush(self) -> None:
        for state in self._by_id.values():
            await state.store.flush()

    def register(self, state: WorkshopState) -> None:
        self._by_code[state.code] = state
        self._by_id[state.id] = state
        state.store.on_failure.append(lambda reason: self._store_failed(state.code, reason))

    def _store_failed(self, code: str, reason: str) -> None:
        for listener in self.on_store_failure:
            listener(code, reason)

    def directory(self, workshop_id: str) -> Path:
        """Where a workshop's store lives (it may not exist yet)."""
        return self.data_dir / WORKSHOPS_DIR / workshop_id

    # ------------------------------------------------------------------ lookups (open on demand)

    def state(self, code_or_id: str) -> WorkshopState:
        state = self.by_code(code_or_id) or self.by_id(code_or_id)
        if state is None:
            raise NotFound(f"no workshop with code {code_or_id!r}")
        return state

    def by_code(self, code: str) -> WorkshopState | None:
        code = normalize_code(code)
        state = self._by_code.get(code)
        if state is None and code in self._unopened_codes:
            state = self._open_listed(self._unopened_codes[code])
        return state

    def by_id(self, workshop_id: str) -> WorkshopState | None:
        state = self._by_id.get(workshop_id)
        if state is None and workshop_id in self._unopened:
            state = self._open_listed(workshop_id)
        return state

    def codes(self) -> set[str]:
        return set(self._by_code) | set(self._unopened_codes)

    def states(self) -> list[WorkshopState]:
        """Every workshop, oldest first: this opens them all (the backlog across workshops needs it)."""
        for workshop_id in list(self._unopened):
            try:
                self._open_listed(workshop_id)
            except StoreFailed:
                continue  # its message is in ``messages``; the others are still listed
        return self.open_states()

    def open_states(self) -> list[WorkshopState]:
        """The workshops opened so far, oldest first."""
        return sorted(self._by_id.values(), key=lambda s: s.workshop.created_at)

    def summary(self, workshop_id: str) -> WorkshopSummary:
        """One workshop's summary, opening none: live if it is open (``NotFound`` if there is none)."""
        state = self._by_id.get(workshop_id)
        if state is not None:
            return summarize(state)
        listed = self._unopened.get(workshop_id)
        if listed is None:
            raise NotFound(f"no workshop with id {workshop_id!r}")
        return listed

    def summaries(self) -> list[WorkshopSummary]:
        """Every workshop's summary, oldest first, opening none: live for the open ones."""
        found = [summarize(s) for s in self._by_id.values()] + list(self._unopened.values())
        return sorted(found, key=lambda s: s.workshop.created_at)

    def workshops(self) -> list[Workshop]:
        """Every workshop's document, oldest first, opening none (and counting nothing)."""
        found = [s.workshop for s in self._by_id.values()] + [s.workshop for s in self._unopened.values()]
        return sorted(found, key=lambda w: w.created_at)
