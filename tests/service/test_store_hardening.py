"""The store under damage and loss: a corrupt journal, a vanished directory, a full disk, edits."""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from tests.helpers.waiting import wait_until
from workshop_tui.errors import StoreFailed
from workshop_tui.store import WorkshopStore, documents, recovery, snapshot_file
from workshop_tui.store import fsync as fsync_mod
from workshop_tui.store import journal as journal_mod
from workshop_tui.store import workshop_store as ws


@pytest.fixture(autouse=True)
def no_idle_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the files: a slow machine must not add an idle snapshot behind their back."""
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)


def put(i: int) -> list[Any]:
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}"}]]


async def one_record_per_batch(directory: Path, n: int) -> WorkshopStore:
    store = WorkshopStore.create(directory)
    for i in range(n):
        await store.apply(put(i))
    return store


# ------------------------------------------------------------------ a flipped byte mid-journal


async def test_a_flipped_byte_mid_journal_loses_only_that_record_and_names_it(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await one_record_per_batch(d, 10)
    (seg,) = d.glob("journal-after-*.wal")
    data = bytearray(seg.read_bytes())
    records = journal_mod.scan(bytes(data)).records
    assert [r.seq for r in records] == list(range(1, 11))
    damaged = records[4]  # record 5 (i4)
    data[damaged.offset + 20] ^= 0x10  # inside its payload
    seg.write_bytes(bytes(data))

    store = WorkshopStore.open(d)
    assert set(store.tables["ideas"]) == {f"i{i}" for i in range(10)} - {"i4"}
    text = " ".join(store.report.messages)
    assert "record 5 lost" in text and "between records 4 and 6" in text
    assert "interrupted write" not in text  # not a torn tail
    (aside,) = d.glob("journal-after-*.wal.damaged-*")
    assert aside.read_bytes() == bytes(data)  # kept as it was, for a human to look at
    # The recovered state is on disk: it reopens the same, without the damaged file.
    await store.apply(put(99))
    await store.close()
    again = WorkshopStore.open(d)
    assert set(again.tables["ideas"]) == {f"i{i}" for i in range(10)} - {"i4"} | {"i99"}
    assert again.report.messages == []


async def test_a_damaged_header_mid_journal_still_recovers_the_records_after_it(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await one_record_per_batch(d, 6)
    (seg,) = d.glob("journal-after-*.wal")
    data = bytearray(seg.read_bytes())
    third = journal_mod.scan(bytes(data)).records[2]
    data[third.offset + 4] ^= 0xFF  # the length field: the frame's end is unknown, resync on MAGIC
    seg.write_bytes(bytes(data))
    store = WorkshopStore.open(d)
    assert set(store.tables["ideas"]) == {"i0", "i1", "i3", "i4", "i5"}
    assert any("record 3 lost" in m for m in store.report.messages)


async def test_a_torn_tail_is_cut_off_and_reported_as_an_interrupted_write(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await one_record_per_batch(d, 4)
    (seg,) = d.glob("journal-after-*.wal")
    data = seg.read_bytes()
    seg.write_bytes(data[:-5])
    store = WorkshopStore.open(d)
    assert set(store.tables["ideas"]) == {"i0", "i1", "i2"}
    assert any("interrupted write" in m and "after record 3" in m for m in store.report.messages)
    assert seg.read_bytes() == data[: journal_mod.scan(data).records[-1].offset]


# ------------------------------------------------------------------ the directory vanishes


async def test_a_deleted_workshop_directory_stops_the_store_before_any_acknowledgement(tmp_path: Path) -> None:
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 3)
    failures: list[str] = []
    store.on_failure.append(failures.append)
    shutil.rmtree(d)
    with pytest.raises(StoreFailed):
        await store.apply(put(3))
    assert "i3" not in store.tables["ideas"]  # the refused change left memory too
    assert set(store.tables["ideas"]) == {"i0", "i1", "i2"} and store.seq == 3
    assert failures and "deleted while open" in failures[0]
    with pytest.raises(StoreFailed):
        store.apply(put(4))
    with pytest.raises(StoreFailed, match="failed while open"):
        await store.close()


async def test_a_moved_workshop_directory_is_noticed_too(tmp_path: Path) -> None:
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 1)
    d.rename(tmp_path / "elsewhere")
    with pytest.raises(StoreFailed):
        await store.apply(put(1))
    with pytest.raises(StoreFailed):
        await store.close()


async def test_a_failed_snapshot_stops_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 2)
    real = fsync_mod.write_atomic

    def refused(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(ws, "write_atomic", refused)
    store.request_snapshot()
    await wait_until(lambda: store.failed, what="the snapshot's outcome (it runs in its thread)")
    assert store.failed and "Permission denied" in store.failed
    with pytest.raises(StoreFailed):
        store.apply(put(9))
    monkeypatch.setattr(ws, "write_atomic", real)
    with pytest.raises(StoreFailed):
        await store.close()
    assert set(WorkshopStore.open(d).tables["ideas"]) == {"i0", "i1"}


async def test_a_full_disk_while_compressing_the_older_snapshot_loses_only_the_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gzipping the older kept snapshot only saves space: if it fails, the plain copy stays and the store
    goes on (it used to stop the store, refusing every later write although nothing was lost)."""
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 2)
    real = fsync_mod.write_atomic

    def full_for_gzip(path: Path, data: bytes, **kwargs: Any) -> None:
        if path.name.endswith(".gz"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, **kwargs)

    monkeypatch.setattr(ws, "write_atomic", full_for_gzip)
    for i in (2, 3):
        await store.apply(put(i))
        store.request_snapshot()
        await wait_until(lambda: store._snapshot_task is None or store._snapshot_task.done(), what="the snapshot")
    assert store.failed is None
    await store.apply(put(9))  # still accepted and durable
    snapshots = sorted(p.name for p in d.glob("snapshot-*"))
    assert len(snapshots) == 2 and not any(n.endswith(".gz") for n in snapshots), snapshots
    await store.close()
    assert set(WorkshopStore.open(d).tables["ideas"]) == {"i0", "i1", "i2", "i3", "i9"}


# ------------------------------------------------------------------ creating on a full disk


async def test_creating_on_a_full_disk_fails_cleanly_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fsync_mod.write_all

    def full(fd: int, data: bytes, point: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsync_mod, "write_all", full)
    with pytest.raises(StoreFailed, match="No space left"):
        WorkshopStore.create(tmp_path / "workshops" / "w1", put(0))
    assert list((tmp_path / "workshops").iterdir()) == []
    monkeypatch.setattr(fsync_mod, "write_all", real)
    store = WorkshopStore.create(tmp_path / "workshops" / "w1", put(0))  # a retry works
    assert set(store.tables["ideas"]) == {"i0"}


async def test_an_interrupted_build_is_invisible_and_cleaned_up(tmp_path: Path) -> None:
    root = tmp_path / "workshops"
    WorkshopStore.create(root / "done", put(0))
    half = root / ".w2.building"
    half.mkdir()
    (half / "snapshot-000000000000.json").write_bytes(b'{"_meta"')
    assert WorkshopStore.clean_leftovers(root) == [".w2.building"]
    assert sorted(p.name for p in root.iterdir()) == ["done"]


# ------------------------------------------------------------------ edits stay proportional


async def test_editing_a_note_journals_the_edit_not_its_whole_history(tmp_path: Path) -> None:
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    history: list[dict[str, str]] = []
    sizes = []
    for n in range(80):
        history = [*history, {"action": "edited", "detail": f"was: {'x' * 2000} {n}"}]
        doc = {"id": "a", "text": f"{'y' * 2000} {n}", "history": history}
        before = sum(p.stat().st_size for p in d.glob("journal-*.wal"))
        await store.apply([["p", "ideas", "a", doc]])
        sizes.append(sum(p.stat().st_size for p in d.glob("journal-*.wal")) - before)
    assert sizes[79] < 3 * sizes[1] and sizes[79] < 8 * 1024  # the 80th edit, not 80 edits' worth
    await store.close()
    reopened = WorkshopStore.open(d)
    assert reopened.tables["ideas"]["a"] == doc


async def test_patches_replay_to_exactly_the_documents_put() -> None:
    docs: list[dict[str, Any]] = [
        {"id": "a", "n": 1, "tags": ["x"], "gone": True},
        {"id": "a", "n": 2, "tags": ["x", "y"], "new": {"k": [1]}},
        {"id": "a", "n": 2, "tags": ["y"], "new": {"k": [1, 2]}},
        {"id": "a", "tags": []},
    ]
    for old, new in itertools.pairwise(docs):
        assert documents.patched(old, documents.delta(old, new)) == new


# ------------------------------------------------------------------ snapshots catch up


async def test_a_phase_change_or_an_idle_moment_puts_a_snapshot_stock_tinydb_can_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", 0.01)
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 5)

    def newest_holds(n: int) -> bool:
        newest = sorted(d.glob("snapshot-*.json"))[-1]
        return len(TinyDB(newest).table("ideas")) == n

    await wait_until(lambda: newest_holds(5), what="the idle snapshot of 5 notes")
    assert len(list(d.glob("snapshot-*.json"))) <= ws.KEEP_SNAPSHOTS  # superseded ones pruned
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)
    await store.apply(put(5))
    store.request_snapshot()  # what the service does on every phase change
    await wait_until(lambda: newest_holds(6), what="the phase change's snapshot of 6 notes")
    await store.close()


async def test_a_snapshot_asked_for_while_another_is_written_is_taken_when_that_one_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phase change during a background snapshot used to wait for the next write to get its snapshot."""
    d = tmp_path / "w"
    store = await one_record_per_batch(d, 3)
    writing, release = threading.Event(), threading.Event()

    def hold(name: str) -> None:  # the first snapshot waits before its rename until the test says so
        if name == "atomic.rename" and not release.is_set():
            writing.set()
            release.wait(30)

    monkeypatch.setattr(fsync_mod, "fault_hook", hold)
    store.request_snapshot()
    await wait_until(writing.is_set, what="the first snapshot to be on its way")
    await store.apply(put(3))
    store.request_snapshot()  # what a phase change does, while the first one is still being written
    release.set()
    await wait_until(lambda: (d / "snapshot-000000000004.json").exists(), 10, "the snapshot asked for meanwhile")
    await store.close()


def test_snapshot_files_are_tinydb_documents(tmp_path: Path) -> None:
    image = {"ideas": {f"i{i}": {"id": f"i{i}", "n": i} for i in range(2500)}, "empty": {}}
    path = tmp_path / "snapshot-000000000007.json"
    path.write_bytes(snapshot_file.snapshot_bytes(7, image))
    db = TinyDB(path)
    assert len(db.table("ideas")) == 2500 and db.table("ideas").get(doc_id=2500) == {"id": "i2499", "n": 2499}
    _version, seq, tables, size = snapshot_file.read_snapshot(path)
    assert seq == 7 and tables["ideas"] == image["ideas"] and tables["empty"] == {}
    assert size == os.path.getsize(path)


# ------------------------------------------------------------------ reading beside a live writer


async def test_a_read_only_open_beside_a_live_writer_is_quiet_and_survives_pruning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "w"
    writer = await one_record_per_batch(d, 3)
    (seg,) = d.glob("journal-after-*.wal")
    seg.write_bytes(seg.read_bytes() + journal_mod.encode(4, put(3))[:10])  # a live writer mid-append
    real = snapshot_file.read_snapshot
    calls = 0

    def pruned_once(path: Path) -> tuple[int, int, Any, int]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the writer deleted this snapshot after we listed it
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    monkeypatch.setattr(recovery, "read_snapshot", pruned_once)  # the name recovery calls
    reader = WorkshopStore.open(d, read_only=True)
    assert set(reader.tables["ideas"]) == {"i0", "i1", "i2"}
    assert reader.report.messages == []  # neither "damaged" nor "interrupted write"
    assert not list(d.glob("*.damaged-*"))
    await writer.close()
