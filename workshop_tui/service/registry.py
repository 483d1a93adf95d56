"""The open workshops of one data directory, by join code and by id, and the directory's lock."""

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

log = logging.getLogger(__name__)

WORKSHOPS_DIR = "workshops"


class Registry:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.messages: list[str] = []  # recovery notes for the facilitator (files set aside, ...)
        self._by_code: dict[str, WorkshopState] = {}
        self._by_id: dict[str, WorkshopState] = {}
        self._lock = DataDirLock(data_dir)
        self.opened = False
        #: Called with (code, reason) when a workshop's store fails: the TUI shows a banner.
        self.on_store_failure: list[Callable[[str, str], None]] = []

    # ------------------------------------------------------------------ lifecycle

    def open(self) -> None:
        if not self.read_only:
            self._lock.acquire()
        root = self.data_dir / WORKSHOPS_DIR
        if not self.read_only:
            for name in WorkshopStore.clean_leftovers(root):
                log.warning("removed %s: a workshop whose creation or import was interrupted", name)
        if root.is_dir():
            for directory in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
                try:
                    store = WorkshopStore.open(directory, read_only=self.read_only)
                    if "workshop" not in store.tables or not store.tables["workshop"]:
                        if not self.read_only and store.is_leftover():  # it would block a retried import
                            shutil.rmtree(directory, ignore_errors=True)
                            log.warning("removed %s: an empty workshop an interrupted creation left", directory.name)
                        continue  # created but never written: nothing to show
                    state = WorkshopState(store)
                except (WorkshopError, ValidationError, ValueError, OSError) as exc:
                    self.messages.append(f"workshop {directory.name} could not be opened: {exc}")
                    log.error("workshop %s could not be opened: %s", directory, exc)
                    continue
                self.messages += [f"{directory.name}: {m}" for m in store.report.messages]
                self.register(state)
        self.opened = True

    async def close(self) -> None:
        """Close every store; raises ``StoreFailed`` (after closing the rest) if one failed while open."""
        failures: list[StoreFailed] = []
        for state in list(self._by_id.values()):
            try:
                await state.store.close()
            except StoreFailed as exc:
                failures.append(exc)
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

    # ------------------------------------------------------------------ lookups

    def state(self, code_or_id: str) -> WorkshopState:
        state = self._by_code.get(normalize_code(code_or_id)) or self._by_id.get(code_or_id)
        if state is None:
            raise NotFound(f"no workshop with code {code_or_id!r}")
        return state

    def by_code(self, code: str) -> WorkshopState | None:
        return self._by_code.get(normalize_code(code))

    def by_id(self, workshop_id: str) -> WorkshopState | None:
        return self._by_id.get(workshop_id)

    def codes(self) -> set[str]:
        return set(self._by_code)

    def states(self) -> list[WorkshopState]:
        return sorted(self._by_id.values(), key=lambda s: s.workshop.created_at)

    def workshops(self) -> list[Workshop]:
        return [s.workshop for s in self.states()]
