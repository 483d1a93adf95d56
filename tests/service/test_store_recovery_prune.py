"""After a recovery that writes a snapshot, the older files are pruned and gzipped off the event loop.

A workshop opens lazily, on a phone's first request, so its recovery runs on the loop that serves
every phone: gzipping the big workshop's older snapshot there held every request for a few tenths of
a second (issue 13). The recovered snapshot itself is still written before the open returns (the
files set aside depend on it, docs/durability.md); only the pruning waits for a thread.
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path
from typing import Any

import pytest

from workshop_tui.store import WorkshopStore
from workshop_tui.store import journal as journal_mod
from workshop_tui.store import workshop_store as ws


@pytest.fixture(autouse=True)
def no_idle_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", None)


def put(i: int) -> list[Any]:
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}"}]]


async def _damaged_mid_journal(d: Path) -> None:
    """Ten records after the empty first snapshot, record 5 damaged: recovery must write a snapshot."""
    store = WorkshopStore.create(d)
    for i in range(10):
        await store.apply(put(i))
    # not closed: a crash, no closing snapshot
    _damage_record_5(d)


def _damage_record_5(d: Path) -> None:
    (seg,) = d.glob("journal-after-*.wal")
    data = bytearray(seg.read_bytes())
    data[journal_mod.scan(bytes(data)).records[4].offset + 20] ^= 0x10
    seg.write_bytes(bytes(data))


async def test_recovery_on_the_loop_gzips_the_older_snapshot_in_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "w"
    await _damaged_mid_journal(d)
    threads: list[threading.Thread] = []
    real = gzip.compress

    def compress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        threads.append(threading.current_thread())
        return real(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", compress)
    store = WorkshopStore.open(d)  # on the event loop, as a phone's first request opens it
    assert "record 5 lost" in " ".join(store.report.messages)
    assert (d / "snapshot-000000000010.json").exists()  # the recovered state is on disk at once
    await store.apply(put(99))
    await store.close()
    assert threads and threading.main_thread() not in threads
    names = sorted(p.name for p in d.glob("snapshot-*"))
    assert names == ["snapshot-000000000010.json.gz", "snapshot-000000000011.json"]  # the older, gzipped
    again = WorkshopStore.open(d)
    assert set(again.tables["ideas"]) == {f"i{i}" for i in range(10)} - {"i4"} | {"i99"}
    assert again.report.messages == []
    await again.close()


def test_recovery_without_a_loop_prunes_before_it_returns(tmp_path: Path) -> None:
    """A command that opens a store outside a loop has no thread to hand the pruning to."""
    import asyncio

    d = tmp_path / "w"
    asyncio.run(_damaged_mid_journal(d))
    store = WorkshopStore.open(d)
    assert "record 5 lost" in " ".join(store.report.messages)
    assert sorted(p.name for p in d.glob("snapshot-*")) == [
        "snapshot-000000000000.json.gz",
        "snapshot-000000000010.json",
    ]
