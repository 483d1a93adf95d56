"""The store keeps the garbage collector's passes short: they must not grow with the workshop.

An idle workshop's snapshot collects the garbage in one full pass only when the whole process is idle.
That pass walks every object of the process, on the event loop: a few tenths of a second with a few
workshops open. "Idle" used to mean that this store had no writes for a while, so in a ``serve`` with
two rooms (or the bench's rounds, issue 13) the quiet room's pass stalled the votes of the busy one.

Between snapshots, what the writes leave alive is frozen every ``FREEZE_BYTES`` of journal: a big
workshop's snapshot cycle is as long as its snapshot, and the documents replaced within one piled up
where each of the collector's full passes walked them all (up to a quarter second at 100k documents).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.waiting import wait_until
from workshop_tui.store import WorkshopStore, snapshot_file
from workshop_tui.store import workshop_store as ws


def put(i: int) -> list[Any]:
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}"}]]


@pytest.fixture
def full_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each snapshot's settling of the collector: True for a full pass."""
    calls: list[bool] = []
    real = snapshot_file.settle_gc

    def settle(*, idle: bool) -> None:
        calls.append(idle)
        real(idle=idle)

    monkeypatch.setattr(ws, "settle_gc", settle)
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", 0.2)
    return calls


async def test_a_quiet_workshop_makes_no_full_pass_while_another_takes_writes(
    tmp_path: Path, full_passes: list[bool]
) -> None:
    quiet, busy = WorkshopStore.create(tmp_path / "quiet"), WorkshopStore.create(tmp_path / "busy")
    await quiet.apply(put(0))
    k = 0
    while not full_passes:  # the quiet one's idle snapshot, while the busy one keeps writing
        k += 1
        await busy.apply(put(k))
    assert full_passes == [False]
    assert (tmp_path / "quiet" / "snapshot-000000000001.json").exists()
    await busy.close()
    await quiet.close()


async def test_a_quiet_process_makes_its_full_pass(tmp_path: Path, full_passes: list[bool]) -> None:
    store = WorkshopStore.create(tmp_path / "w")
    await store.apply(put(0))
    await wait_until(lambda: full_passes, what="the idle snapshot")
    assert full_passes == [True]
    await store.close()


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()  # what this test froze goes back where a test process's collector expects it


def note_with_history(i: int) -> list[Any]:
    """A document the collector tracks (it holds a list), like the notes and participants of a workshop."""
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}", "history": []}]]


async def test_documents_written_between_snapshots_leave_the_collectors_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)
    monkeypatch.setattr(ws, "SNAPSHOT_FLOOR_BYTES", 10**9)  # no snapshot in this test: one long cycle
    monkeypatch.setattr(ws, "FREEZE_BYTES", 20_000)
    store = WorkshopStore.create(tmp_path / "w")
    for i in range(3000):  # about 300 KB of journal, 15 times FREEZE_BYTES
        await store.apply(note_with_history(i))
    tracked = {id(obj) for obj in gc.get_objects()}  # what a full pass of the collector walks now
    docs = store.tables["ideas"].values()
    still_walked = sum(id(doc) in tracked for doc in docs)
    assert still_walked < 500, f"{still_walked} of {len(docs)} documents are walked by every full pass"
    assert list((tmp_path / "w").glob("snapshot-*")) == [tmp_path / "w" / "snapshot-000000000000.json"]
    await store.close()
