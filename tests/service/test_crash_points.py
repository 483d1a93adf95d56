"""Crash the store in-process at every durability step, several times in a row, on real files.

The store calls ``fsync.fault_point(name)`` before each step that changes the disk (journal
appends, torn halves of a write, segment creation, every step of a snapshot's install, pruning,
recovery's own repairs). A ``Crash`` raised there stops that "process": from then on every fault
point raises too, so nothing more reaches the disk, and the next life reopens from the files alone.
Every life checks that each acknowledged write is there, at its acknowledged version or later.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from workshop_tui.errors import StoreFailed
from workshop_tui.store import WorkshopStore
from workshop_tui.store import fsync as fsync_mod
from workshop_tui.store import journal as journal_mod
from workshop_tui.store import workshop_store as ws

KEYS = 12


class Crash(BaseException):
    """A simulated kill: not an Exception, so no handler in the store mistakes it for an I/O error."""


class Faults:
    """Crash at the ``nth`` time the store reaches ``point``; after that every point raises."""

    def __init__(self, point: str | None = None, nth: int = 1, *, once: Callable[[], bool] | None = None) -> None:
        self.point, self.nth = point, nth
        self.once = once  # a state the crash waits for (briefly), where thread timing decides it
        self.seen: set[str] = set()
        self.dead = threading.Event()
        self._count = 0
        self._lock = threading.Lock()
        self._notify: list[Any] = []

    def __call__(self, name: str) -> None:
        with self._lock:
            self.seen.add(name)
            due = not self.dead.is_set() and name == self.point and self._count + 1 == self.nth
            if name == self.point and not self.dead.is_set():
                self._count += 1
        if due:
            self._await_state()  # outside the lock: other threads must reach their points meanwhile
            with self._lock:
                self.dead.set()
                for loop, event in self._notify:
                    loop.call_soon_threadsafe(event.set)
        if self.dead.is_set():
            raise Crash(name)

    def _await_state(self) -> None:
        # Called in the store's thread at the fault point, while writers on the loop go on appending.
        deadline = time.monotonic() + 10
        while self.once is not None and not self.once() and time.monotonic() < deadline:
            time.sleep(0.005)

    def crashed_event(self) -> asyncio.Event:
        event = asyncio.Event()
        self._notify.append((asyncio.get_running_loop(), event))
        if self.dead.is_set():
            event.set()
        return event


def doc(key: str, version: int) -> dict[str, Any]:
    # The history only grows, as a note's does: the journal gets a patch, not the whole document.
    return {"id": key, "text": f"{key} v{version}", "history": [f"{key} v{v}" for v in range(version + 1)]}


def check(store: WorkshopStore, acked: dict[str, int]) -> None:
    docs = store.tables.get("notes", {})
    for key, version in acked.items():
        assert key in docs, f"acknowledged {key} v{version} lost; recovery said {store.report.messages}"
        got = int(docs[key]["text"].rsplit("v", 1)[1])
        assert got >= version, f"{key}: acknowledged v{version}, recovered v{got}"
        assert docs[key] == doc(key, got), f"{key} v{got} recovered wrong: {docs[key]}"
    assert not [m for m in store.report.messages if "lost" in m or "is damaged" in m], store.report.messages


async def abandon(store: WorkshopStore) -> None:
    """What a kill leaves: the threads stop (every fault point raises), memory is dropped."""
    if store._task is not None:
        store._task.cancel()
        await asyncio.gather(store._task, return_exceptions=True)
    for executor in (store._executor, store._snapshotter):
        if executor is not None:
            executor.shutdown(wait=True)
    if store._writer is not None:
        store._writer.close()


async def life(directory: Path, faults: Faults, acked: dict[str, int], versions: dict[str, int], writes: int) -> None:
    """Open (recovery may crash too), check, write until done or crashed, then die or close."""
    fsync_mod.fault_hook = faults
    try:
        store = WorkshopStore.open(directory)
    except Crash:
        return
    check(store, acked)
    crashed = faults.crashed_event()

    async def writer(keys: list[str]) -> None:
        for n in range(writes):
            key = keys[n % len(keys)]
            versions[key] += 1
            version = versions[key]
            try:
                await store.apply([["p", "notes", key, doc(key, version)]])
            except StoreFailed:
                return
            acked[key] = max(acked.get(key, -1), version)

    keys = [f"k{i}" for i in range(KEYS)]
    work: asyncio.Future[Any] = asyncio.ensure_future(asyncio.gather(*(writer(keys[i::4]) for i in range(4))))
    died: asyncio.Future[Any] = asyncio.ensure_future(crashed.wait())
    await asyncio.wait([work, died], return_when=asyncio.FIRST_COMPLETED)
    if not faults.dead.is_set():
        store.request_snapshot()
        with contextlib.suppress(Crash):
            await store.close()
    work.cancel()
    died.cancel()
    await asyncio.gather(work, died, return_exceptions=True)
    await abandon(store)


@pytest.fixture
def small_snapshots(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ws, "SNAPSHOT_FLOOR_BYTES", 3000)
    monkeypatch.setattr(ws, "SNAPSHOT_FRACTION", 0.5)
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)  # only size-driven snapshots: deterministic
    monkeypatch.setattr(ws, "IDLE_FREE_BYTES", -1)
    yield
    fsync_mod.fault_hook = None


async def all_points(tmp_path: Path) -> list[str]:
    """Every fault point a few lives reach, found by running them without a crash."""
    recorder = Faults()
    d = tmp_path / "survey"
    WorkshopStore.create(d)
    acked: dict[str, int] = {}
    versions = {f"k{i}": -1 for i in range(KEYS)}
    for _ in range(2):
        await life(d, recorder, acked, versions, 40)
    # Recovery's repairs only run after a crash: reach them with one torn write.
    await life(d, Faults("append.write.torn", 3), acked, versions, 40)
    await life(d, recorder, acked, versions, 5)
    return sorted(recorder.seen)


async def test_every_crash_point_several_times_in_a_row_keeps_every_acknowledged_write(
    tmp_path: Path, small_snapshots: None
) -> None:
    points = await all_points(tmp_path)
    expected = {"append.write.torn", "append.sync", "append.synced", "segment.create", "atomic.rename"}
    expected |= {"atomic.write.torn", "atomic.dir_sync", "prune.snapshot", "prune.segment", "recover.truncate"}
    expected |= {"prune.compress"}
    assert expected <= set(points), points
    rng = random.Random(11)
    sequences = crashes = 0
    for first in points:
        for nth in (1, 3):
            d = tmp_path / f"{first}-{nth}"
            WorkshopStore.create(d)
            acked: dict[str, int] = {}
            versions = {f"k{i}": -1 for i in range(KEYS)}
            chain = [(first, nth)] + [(rng.choice(points), rng.randint(1, 4)) for _ in range(3)]
            for point, k in chain:
                faults = Faults(point, k)
                await life(d, faults, acked, versions, 30)
                crashes += faults.dead.is_set()
            fsync_mod.fault_hook = None
            final = WorkshopStore.open(d)
            check(final, acked)
            assert len(acked) == KEYS
            sequences += 1
    assert sequences == 2 * len(points)
    assert crashes >= 3 * len(points), f"only {crashes} of {4 * sequences} lives crashed"
    print(f"{sequences} sequences, {crashes} crashes at {len(points)} points, no acknowledged write lost")


async def test_two_crashes_around_a_snapshot_keep_every_acknowledged_write(
    tmp_path: Path, small_snapshots: None
) -> None:
    """Issue 11's case: killed while a snapshot is written, restarted, written, killed again."""
    d = tmp_path / "w"
    WorkshopStore.create(d)
    acked: dict[str, int] = {}
    versions = {f"k{i}": -1 for i in range(KEYS)}
    # The new segment exists (a write went to it), its snapshot not. Whether an append reaches the new
    # segment before the snapshot's rename is thread timing, so the crash waits for it.
    rotated = Faults("atomic.rename", 1, once=lambda: len(list(d.glob("journal-after-*.wal"))) >= 2)
    await life(d, rotated, acked, versions, 60)
    assert list(d.glob("journal-after-*.wal"))[1:], "the first crash must land after a rotation"
    await life(d, Faults("atomic.rename", 1), acked, versions, 60)
    fsync_mod.fault_hook = None
    store = WorkshopStore.open(d)
    check(store, acked)
    segments = sorted(int(p.name[14:26]) for p in d.glob("journal-after-*.wal"))
    await store.apply([["p", "notes", "last", {"id": "last"}]])
    # After recovery the store appends to the newest segment, never to an older one.
    newest = d / f"journal-after-{segments[-1]:012d}.wal"
    assert b'"last"' in newest.read_bytes()
    await store.close()


@pytest.mark.parametrize("point", ["atomic.write.torn", "atomic.rename", "atomic.done", "recover.set_aside"])
async def test_a_crash_while_recovering_from_mid_journal_damage_loses_nothing_more(
    tmp_path: Path, small_snapshots: None, point: str
) -> None:
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    for i in range(8):  # one record per batch
        await store.apply([["p", "notes", f"k{i}", doc(f"k{i}", 0)]])
    await abandon(store)
    (seg,) = d.glob("journal-after-*.wal")
    data = bytearray(seg.read_bytes())
    third = journal_mod.scan(bytes(data)).records[3]
    data[third.offset + 20] ^= 0x01
    seg.write_bytes(bytes(data))
    expected = {f"k{i}" for i in range(8)} - {"k3"}
    faults = Faults(point, 1)
    fsync_mod.fault_hook = faults
    with contextlib.suppress(Crash):
        WorkshopStore.open(d)
    fsync_mod.fault_hook = None
    assert faults.dead.is_set(), f"recovery never reached {point}"
    assert set(WorkshopStore.open(d).tables["notes"]) == expected
    assert set(WorkshopStore.open(d).tables["notes"]) == expected  # and it stays that way
