"""The durable store on real files: acknowledgement, recovery, damage, fail-stop."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from workshop_tui.errors import DamagedData, Invalid, StoreFailed
from workshop_tui.store import WorkshopStore, migrations, snapshot_file
from workshop_tui.store import fsync as fsync_mod
from workshop_tui.store import journal as journal_mod
from workshop_tui.store import workshop_store as ws


@pytest.fixture(autouse=True)
def no_idle_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at the files: a slow machine must not add an idle snapshot behind their back."""
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)


def put(i: int) -> list[Any]:
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}"}]]


async def fill(directory: Path, n: int, *, close: bool = True) -> WorkshopStore:
    store = WorkshopStore.create(directory)
    await asyncio.gather(*(store.apply(put(i)) for i in range(n)))
    if close:
        await store.close()
    return store


def segment(directory: Path) -> Path:
    (path,) = sorted(directory.glob("journal-after-*.wal"))
    return path


async def test_acknowledged_writes_survive_reopen_and_stock_tinydb_reads_the_snapshot(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await fill(d, 50)
    store = WorkshopStore.open(d)
    assert sorted(store.tables["ideas"]) == sorted(f"i{i}" for i in range(50))
    assert store.report.messages == []
    newest = sorted(d.glob("snapshot-*.json"))[-1]
    docs = TinyDB(newest).table("ideas").all()
    assert {doc["id"] for doc in docs} == {f"i{i}" for i in range(50)}


async def test_a_write_is_acknowledged_only_after_its_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = fsync_mod.sync_file

    def recording(fd: int) -> None:
        real(fd)
        synced.append(os.fstat(fd).st_size)

    monkeypatch.setattr(fsync_mod, "sync_file", recording)
    store = WorkshopStore.create(tmp_path / "w")
    future = store.apply(put(1))
    assert not future.done()
    await future
    assert synced and synced[-1] > 0
    await store.close()


async def test_concurrent_writes_share_syncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = fsync_mod.sync_file

    def counting(fd: int) -> None:
        nonlocal calls
        calls += 1
        real(fd)

    monkeypatch.setattr(fsync_mod, "sync_file", counting)
    await fill(tmp_path / "w", 300)
    assert 1 <= calls < 300  # group commit: one sync per batch, not per write


async def test_journal_replays_without_a_clean_close(tmp_path: Path) -> None:
    d = tmp_path / "w"
    store = await fill(d, 20, close=False)
    # No close: as after kill -9, only snapshot 0 and the journal are on disk.
    assert [p.name for p in sorted(d.glob("snapshot-*"))] == ["snapshot-000000000000.json"]
    reopened = WorkshopStore.open(d)
    assert len(reopened.tables["ideas"]) == 20
    assert reopened.report.replayed == 20
    await store.close()


async def test_snapshots_rotate_and_old_ones_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ws, "SNAPSHOT_FLOOR_BYTES", 2000)
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    for i in range(200):
        await store.apply(put(i))
    snaps = sorted(d.glob("snapshot-*"))
    assert 1 < len(snaps) <= ws.KEEP_SNAPSHOTS
    # Only the newest is a plain TinyDB file; the older ones are kept gzipped (the same bytes).
    assert [p.suffix for p in snaps] == [".gz"] * (len(snaps) - 1) + [".json"]
    assert snapshot_file.read_snapshot(snaps[0])[1] < snapshot_file.read_snapshot(snaps[-1])[1]
    await store.close()
    reopened = WorkshopStore.open(d)
    assert len(reopened.tables["ideas"]) == 200


async def test_a_reopened_store_counts_only_the_journal_after_its_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """close() snapshots without starting a new segment, so the segment a reopen reads holds records the
    snapshot already has: counting them made the next snapshot (and the rotation after it) come after a
    few writes, and every restart of a big workshop rewrote all of it for nothing."""
    monkeypatch.setattr(ws, "SNAPSHOT_FLOOR_BYTES", 20_000)
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    for i in range(200):
        await store.apply(put(i))
    await store.close()
    journaled = segment(d).stat().st_size
    assert 10_000 < journaled < ws.SNAPSHOT_FLOOR_BYTES  # most of a cycle, already in the final snapshot
    reopened = WorkshopStore.open(d)
    for i in range(200, 300):  # less than half a cycle since that snapshot
        await reopened.apply(put(i))
    assert segment(d).stat().st_size > journaled  # appended to the same segment: no snapshot was due
    await reopened.close()


async def test_torn_tail_at_every_offset_recovers_the_complete_records(tmp_path: Path) -> None:
    src = tmp_path / "src"
    await fill(src, 3, close=False)
    data = segment(src).read_bytes()
    frames = journal_mod.scan(data).records
    assert len(frames) >= 1
    last_start = len(data) - len(journal_mod.encode(3, put(2)))
    for cut in range(last_start - 20, len(data)):
        d = tmp_path / f"cut{cut}"
        d.mkdir()
        (d / "snapshot-000000000000.json").write_bytes((src / "snapshot-000000000000.json").read_bytes())
        (d / segment(src).name).write_bytes(data[:cut])
        store = WorkshopStore.open(d)
        complete = journal_mod.scan(data[:cut]).records
        assert len(store.tables.get("ideas", {})) == sum(len(r.ops) for r in complete)
        if cut not in (last_start, len(data)) and cut > 0:
            assert store.report.messages, f"cut at {cut} went unreported"
            assert list(d.glob("*.damaged-*")), "the damaged original must be kept"
        # The store keeps working after recovery.
        await store.apply(put(99))
        await store.close()
        assert "i99" in WorkshopStore.open(d).tables["ideas"]


async def test_a_flipped_bit_stops_replay_there_and_keeps_the_file(tmp_path: Path) -> None:
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    for i in range(10):  # one record per batch, so records are in separate frames
        await store.apply(put(i))
    seg = segment(d)
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 0x10
    seg.write_bytes(bytes(data))
    reopened = WorkshopStore.open(d)
    assert 0 < len(reopened.tables["ideas"]) < 10
    assert any("checksum" in m or "header" in m or "unreadable" in m for m in reopened.report.messages)
    assert list(d.glob("*.damaged-*"))


@pytest.mark.parametrize("damage", [b"", b"garbage{", b'{"_meta": {"1": {"seq": 5}}}', b"[1, 2]"])
async def test_a_damaged_newest_snapshot_is_set_aside_and_the_older_copy_used(tmp_path: Path, damage: bytes) -> None:
    d = tmp_path / "w"
    await fill(d, 30)  # snapshot 0, journal, snapshot 30
    newest = d / "snapshot-000000000030.json"
    assert {p.name for p in d.glob("snapshot-*")} == {newest.name, "snapshot-000000000000.json.gz"}  # older: gzipped
    newest.write_bytes(damage)
    store = WorkshopStore.open(d)
    assert len(store.tables["ideas"]) == 30  # snapshot 0 plus the journal
    assert snapshot_file.read_snapshot(newest)[1] == 30  # a fresh good copy was written in its place
    aside = list(d.glob("snapshot-000000000030.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damage
    text = " ".join(store.report.messages)
    assert "snapshot-000000000030.json" in text and aside[0].name in text and "snapshot-000000000000.json" in text


async def test_no_readable_copy_is_a_clear_error_not_an_empty_workshop(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await fill(d, 5)
    for path in d.glob("snapshot-*"):  # the newest and the older, gzipped one
        path.write_bytes(b"\x00\x01 not json")
    for path in d.glob("journal-*.wal"):
        path.unlink()
    with pytest.raises(DamagedData, match="no readable copy"):
        WorkshopStore.open(d)
    assert len(list(d.glob("*.damaged-*"))) == 2


async def test_read_only_open_changes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await fill(d, 5, close=False)
    seg = segment(d)
    seg.write_bytes(seg.read_bytes()[:-3])
    before = sorted(p.name for p in d.iterdir())
    store = WorkshopStore.open(d, read_only=True)
    assert sorted(p.name for p in d.iterdir()) == before
    with pytest.raises(StoreFailed):
        store.apply(put(1))


async def test_failing_sync_fails_the_waiters_and_stops_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "w"
    store = WorkshopStore.create(d)
    await store.apply(put(0))  # acknowledged before the disk fails

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fsync_mod, "sync_file", broken)
    results = await asyncio.gather(store.apply(put(1)), store.apply(put(2)), return_exceptions=True)
    assert all(isinstance(r, StoreFailed) for r in results)
    assert store.failed and "Input/output error" in store.failed
    with pytest.raises(StoreFailed, match="disk error"):
        store.apply(put(3))
    monkeypatch.undo()
    with pytest.raises(StoreFailed, match="failed while open"):
        await store.close()  # so a command exits non-zero
    assert "i0" in WorkshopStore.open(d).tables["ideas"]


async def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    d = tmp_path / "w"
    await fill(d, 1)
    newest = sorted(d.glob("snapshot-*.json"))[-1]
    data = orjson.loads(newest.read_bytes())
    data["_meta"]["1"]["schema_version"] = migrations.SCHEMA_VERSION + 1
    newest.write_bytes(orjson.dumps(data))
    with pytest.raises(DamagedData, match="newer workshop-tui"):
        WorkshopStore.open(d)
    assert newest.exists()  # a newer file is not damage: it stays where it is


async def test_migrations_run_in_order_and_are_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "w"
    await fill(d, 2)
    target = migrations.SCHEMA_VERSION + 1

    def add_flag(tables: migrations.Tables) -> migrations.Tables:
        for doc in tables["ideas"].values():
            doc["flag"] = True
        return tables

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", target)
    monkeypatch.setattr(ws, "SCHEMA_VERSION", target)
    monkeypatch.setitem(migrations.MIGRATIONS, target - 1, add_flag)
    monkeypatch.setattr(ws, "migrate", lambda t, v: migrations.migrate(t, v, target=target))
    store = WorkshopStore.open(d)
    assert all(doc["flag"] for doc in store.tables["ideas"].values())
    newest = sorted(d.glob("snapshot-*.json"))[-1]
    assert orjson.loads(newest.read_bytes())["_meta"]["1"]["schema_version"] == target


async def test_an_unencodable_change_is_refused_before_memory_changes(tmp_path: Path) -> None:
    store = WorkshopStore.create(tmp_path / "w")
    with pytest.raises(Invalid, match="cannot be stored"):
        store.apply([["p", "ideas", "x", {"id": "x", "text": "lone \ud800 surrogate"}]])
    assert "x" not in store.tables.get("ideas", {}) and store.seq == 0
    await store.apply(put(1))
    await store.close()
    assert set(WorkshopStore.open(tmp_path / "w").tables["ideas"]) == {"i1"}
