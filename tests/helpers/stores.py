"""Stores for rule tests: the real on-disk store, or the same interface over TinyDB's MemoryStorage.

A memory store applies the same ops with the same checks (a change the journal could not encode is
refused) but never touches the disk, so a rule test with many examples runs fast. Closing it keeps
the tables as a TinyDB document in memory, which a reopen of the same directory reads back: a test
that reopens the service still sees what was acknowledged. Every test using ``store_kind`` runs on
both, so the behaviour is also checked on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import orjson
import pytest
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from workshop_tui.errors import Invalid, StoreFailed
from workshop_tui.store import journal
from workshop_tui.store.documents import Op, apply_ops
from workshop_tui.store.migrations import Tables
from workshop_tui.store.recovery import LoadReport
from workshop_tui.store.snapshot_file import META, snapshot_bytes
from workshop_tui.store.workshop_store import WorkshopStore

StoreKind = Literal["memory", "disk"]
STORE_KINDS: tuple[StoreKind, ...] = ("memory", "disk")

#: Where the service looks the store class up; a refactor that moves it fails loudly here.
SERVICE_MODULES = ("workshop_tui.service.registry", "workshop_tui.service.workshops", "workshop_tui.service.importing")


class MemoryStore(WorkshopStore):
    """The disk store's state and interface (inherited), with the disk writes taken out."""

    def __init__(self, directory: Path, tables: Tables, seq: int, read_only: bool, saved: Saved) -> None:
        report = LoadReport(directory)
        super().__init__(
            directory, tables, seq, report, read_only, snapshot_seq=seq, snapshot_size=0, segment_after=seq
        )
        self._saved = saved

    def apply(self, ops: list[Op]) -> asyncio.Future[None]:
        if self.read_only:
            raise StoreFailed(f"{self.directory.name} is open read-only")
        try:
            journal.encode(self.seq + 1, ops)
        except (TypeError, ValueError) as exc:
            raise Invalid(f"this change cannot be stored: {exc}") from None
        apply_ops(self.tables, ops)
        self.seq += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    def request_snapshot(self) -> None:
        return None

    async def flush(self) -> None:
        return None

    async def close(self) -> None:
        if not self.read_only:
            db = TinyDB(storage=MemoryStorage)
            db.storage.write(orjson.loads(snapshot_bytes(self.seq, self.tables)))
            self._saved[self.directory] = db


Saved = dict[Path, TinyDB]


class MemoryStores:
    """Stands in for the ``WorkshopStore`` class: ``create`` and ``open`` keyed by directory."""

    def __init__(self) -> None:
        self.saved: Saved = {}

    def create(self, directory: Path, ops: list[Op] | None = None) -> MemoryStore:
        directory.mkdir(parents=True, exist_ok=False)  # the service finds workshops by their directory
        store = MemoryStore(directory, {}, 0, False, self.saved)
        if ops:  # the first change, as the disk store writes it with the directory
            apply_ops(store.tables, ops)
            store.seq = 1
        return store

    clean_leftovers = staticmethod(WorkshopStore.clean_leftovers)

    def open(self, directory: Path, *, read_only: bool = False) -> MemoryStore:
        db = self.saved.get(directory)
        tables: Tables = {}
        seq = 0
        if db is not None:
            seq = int(db.table(META).all()[0]["seq"])
            tables = {name: {str(d["id"]): dict(d) for d in db.table(name).all()} for name in db.tables() - {META}}
        return MemoryStore(directory, tables, seq, read_only, self.saved)


@contextlib.contextmanager
def store_backend(kind: StoreKind) -> Iterator[None]:
    """Services created inside use stores of ``kind`` (the disk store is the default anyway)."""
    if kind == "disk":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        stores = MemoryStores()
        for module in SERVICE_MODULES:
            patch.setattr(f"{module}.WorkshopStore", stores)
        yield
