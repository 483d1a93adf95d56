"""Store cost per write as the workshop grows, beside SQLite under the same writers in the same run.

One store and one SQLite database (WAL, ``synchronous=FULL``: a commit is durable when it returns) are
filled to each of 1k, 10k and 100k documents. Each measured write replaces one existing document (a
vote or an edit), so the size holds while it is measured. Every write is acknowledged only once it is
durable. Interleaved: each repeat runs every size and every contender in turn; the tables show the
median of ``REPEATS`` repeats, and ratios against the baseline of the same run as the median of each
repeat's ratio (the two sides of one ratio ran seconds apart: the machine's load swings a p99 5x).

300 writers (``WRITERS`` asyncio tasks, each awaiting its acknowledgement before its next write, like
the server's requests):

- store: group commit (one batch of whatever queued during the previous fsync, appended and synced in
  one go). A window is a whole number of snapshot cycles at that size (a cycle: the writes that make
  the next snapshot due), at least ``MIN_WRITES`` writes, so its CPU per write includes its share of
  the snapshots, and its p99 their effect.
- SQLite group: one writer thread with its own connection, fed by a queue; each transaction takes
  whatever queued meanwhile and every write in it is acknowledged after its COMMIT. SQLite takes one
  writer at a time, so a server with many concurrent writers funnels them through one connection (a
  connection per request only contends for the lock, with the busy handler's sleeps); batching what
  queued during a commit is the same policy as the store's, so the ratio compares the engines, not the
  batching. This is the p99 row's baseline. Same number of writes as the store's window.
- SQLite each: the same thread committing each write on its own (what a naive server does): for
  reference, its p99 is about ``WRITERS`` fsyncs.
- hot: the store again, but its writes replace only the first ``HOT`` documents (``MIN_WRITES`` writes,
  snapshots as they fall). Beside the store's column it tells the store's own work per write
  from the memory hierarchy's: random writes over a 100 MB heap miss the caches on every document
  they touch, the same writes to a hot set do not.

1 writer (one write at a time, one fsync each): the CPU row's baseline, the store's CPU per write beside
SQLite's, each against its own at 1k.

Run: ``python -m bench bench_store_sizes``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import math
import queue
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from workshop_tui.store import WorkshopStore, journal, snapshot_file
from workshop_tui.store import workshop_store as ws
from workshop_tui.store.documents import delta

SIZES = (1_000, 10_000, 100_000)
WRITERS = 300
REPEATS = 5
MIN_WRITES = 10_000  # at least this many writes in a window of 300 writers (short ones swing with the load)
EACH_WRITES = 3000  # SQLite committing each write: a fsync each
SERIAL_WRITES = 1000
HOT = 1000  # the hot column's writes replace only the first HOT documents
VERSIONS = itertools.count(1)
FILLER = "about the bike lane on the main street " * 6


def doc(i: int, version: int = 0) -> dict[str, Any]:
    return {"id": f"i{i:07d}", "text": f"note {i} v{version} {FILLER}", "votes": version % 7, "history": []}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Write = Callable[[int, dict[str, Any]], Awaitable[None]]


async def drive(write: Write, size: int, writers: int, count: int) -> tuple[float, list[float]]:
    """(CPU seconds of the whole process, latencies) for ``count`` replacing writes from ``writers`` tasks."""
    latencies: list[float] = []
    per = math.ceil(count / writers)

    async def one(n: int) -> None:
        for k in range(per):
            i = ((n * per + k) * 7919) % size  # spread over the table
            t0 = time.perf_counter()
            await write(i, doc(i, next(VERSIONS)))  # a change each time, even to a document seen before
            latencies.append(time.perf_counter() - t0)

    cpu = time.process_time()
    await asyncio.gather(*(one(n) for n in range(writers)))
    return time.process_time() - cpu, latencies


class SqliteWriter:
    """One writer thread with its own connection, fed by a queue (see the module's docstring)."""

    def __init__(self, path: Path, *, group: bool) -> None:
        self.path, self.group = path, group
        self.queue: queue.SimpleQueue[tuple[str, bytes, asyncio.Future[None]] | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
        self.loop = asyncio.get_running_loop()
        self.thread.start()

    def write(self, key: str, blob: bytes) -> asyncio.Future[None]:
        future: asyncio.Future[None] = self.loop.create_future()
        self.queue.put((key, blob, future))
        return future

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def _run(self) -> None:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        while (first := self.queue.get()) is not None:
            batch = [first]
            while self.group and not self.queue.empty():
                item = self.queue.get()
                if item is None:
                    self.queue.put(None)
                    break
                batch.append(item)
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO ideas VALUES (?, ?)", [(k, b) for k, b, _ in batch])
            db.execute("COMMIT")
            for *_, future in batch:
                self.loop.call_soon_threadsafe(future.set_result, None)
        db.close()


def sqlite_create(path: Path, size: int) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE ideas (id TEXT PRIMARY KEY, doc BLOB)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO ideas VALUES (?, ?)", ((doc(i)["id"], orjson.dumps(doc(i))) for i in range(size)))
    db.execute("COMMIT")
    db.close()


async def store_create(path: Path, size: int) -> WorkshopStore:
    """A store of ``size`` documents, reopened as a server would find it: its snapshot holds them all."""
    store = WorkshopStore.create(path)
    for start in range(0, size, 1000):
        await store.apply([["p", "ideas", doc(i)["id"], doc(i)] for i in range(start, min(size, start + 1000))])
    await store.close()
    return WorkshopStore.open(path)


async def settle(store: WorkshopStore) -> None:
    """Every write durable and no snapshot running (a window's CPU then holds the snapshots it made due)."""
    await store.flush()
    task = store._snapshot_task  # the bench may look inside: production code waits for it in close()
    if task is not None:
        await asyncio.gather(task, return_exceptions=True)


def window_writes(store: WorkshopStore) -> int:
    """Whole snapshot cycles (the replacing writes that make the next snapshot due), at least MIN_WRITES."""
    frame = journal.encode(1, [["u", "ideas", doc(0)["id"], delta(doc(0), doc(0, 1))]])
    threshold = max(ws.SNAPSHOT_FLOOR_BYTES, ws.SNAPSHOT_FRACTION * store._snapshot_size)
    cycle = 1.05 * threshold / len(frame)  # frames vary by a few bytes
    return math.ceil(cycle * math.ceil(MIN_WRITES / cycle))


async def measure(root: Path) -> tuple[dict[tuple[str, int], list[tuple[float, float, float]]], dict[int, int]]:
    """Per (contender, size): (CPU us per write, p99 ms, worst ms) of each repeat; and the store's window per size."""
    # Only size-driven snapshots: the pauses between windows are other contenders' turns, not a quiet room
    # (an idle snapshot there would move the store's cycle and run its full collection in their window).
    ws.IDLE_SNAPSHOT_SECONDS = None
    stores = {size: await store_create(root / f"store-{size}", size) for size in SIZES}
    for size in SIZES:
        sqlite_create(root / f"sqlite-{size}.db", size)
    windows = {size: window_writes(stores[size]) for size in SIZES}
    out: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    for _ in range(REPEATS):
        for size in SIZES:
            store = stores[size]

            async def to_store(i: int, d: dict[str, Any], store: WorkshopStore = store) -> None:
                await store.apply([["p", "ideas", d["id"], d]])

            runs: list[tuple[str, Callable[[], Awaitable[tuple[float, list[float]]]]]] = []
            for name, spread, writers, count in (
                ("store", size, WRITERS, windows[size]),
                ("store hot", HOT, WRITERS, MIN_WRITES),
                ("store 1", size, 1, SERIAL_WRITES),
            ):
                runs.append((name, _store_run(store, to_store, spread, writers, count)))
            for name, group, writers, count in (
                ("SQLite group", True, WRITERS, windows[size]),
                ("SQLite each", False, WRITERS, EACH_WRITES),
                ("SQLite 1", False, 1, SERIAL_WRITES),
            ):
                path = root / f"sqlite-{size}.db"
                runs.append((name, _sqlite_run(path, group, size, writers, count)))
            for name, run in runs:
                gc.collect()
                cpu, latencies = await run()
                out.setdefault((name, size), []).append(
                    (cpu / len(latencies) * 1e6, pct(latencies, 0.99) * 1e3, max(latencies) * 1e3)
                )
    for store in stores.values():
        await store.close()
    return out, windows


def _store_run(
    store: WorkshopStore, write: Write, size: int, writers: int, count: int
) -> Callable[[], Awaitable[tuple[float, list[float]]]]:
    async def run() -> tuple[float, list[float]]:
        await settle(store)
        cpu = time.process_time()
        _, latencies = await drive(write, size, writers, count)
        await settle(store)
        return time.process_time() - cpu, latencies

    return run


def _sqlite_run(
    path: Path, group: bool, size: int, writers: int, count: int
) -> Callable[[], Awaitable[tuple[float, list[float]]]]:
    async def run() -> tuple[float, list[float]]:
        writer = SqliteWriter(path, group=group)

        async def write(i: int, d: dict[str, Any]) -> None:
            await writer.write(d["id"], orjson.dumps(d))

        try:
            return await drive(write, size, writers, count)
        finally:
            writer.close()

    return run


def timed(work: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    work()
    return time.perf_counter() - t0


def tinydb_tables(path: Path) -> None:
    """How a snapshot used to be read: stock TinyDB, which parses the whole file for every table."""
    db = TinyDB(path)
    for name in db.tables():
        db.table(name).all()
    db.close()


def open_time(directory: Path, *, pause_gc: bool) -> float:
    modules = (ws, snapshot_file)  # both pause the collector around their bulk work
    real = snapshot_file.gc_paused
    for module in modules:
        setattr(module, "gc_paused", real if pause_gc else contextlib.nullcontext)  # noqa: B010
    try:
        gc.collect()
        t0 = time.perf_counter()
        WorkshopStore.open(directory, read_only=True)
        return time.perf_counter() - t0
    finally:
        for module in modules:
            setattr(module, "gc_paused", real)  # noqa: B010


def report(results: dict[tuple[str, int], list[tuple[float, float, float]]], windows: dict[int, int]) -> None:
    def med(name: str, size: int, field: int) -> float:
        return statistics.median(r[field] for r in results[(name, size)])

    def paired(a: tuple[str, int], b: tuple[str, int], field: int) -> float:
        """The median of the ratios a / b of each repeat (measured minutes apart, so the load cancels)."""
        return statistics.median(x[field] / y[field] for x, y in zip(results[a], results[b], strict=True))

    def x1k(name: str, size: int) -> float:
        return paired((name, size), (name, SIZES[0]), 0)

    def vs_sqlite(size: int, field: int) -> float:
        return paired(("store", size), ("SQLite group", size), field)

    print(f"\n{WRITERS} concurrent writers, every write acknowledged once durable (median of {REPEATS}):")
    print(
        f"{'docs':>8} {'writes':>7} | {'store us':>8} {'x 1k':>5} {'p99 ms':>7} {'worst':>6} | "
        f"{'SQLite grp us':>13} {'x 1k':>5} {'p99 ms':>7} {'worst':>6} | {'p99 ratio':>9} {'worst ratio':>11} | "
        f"{'SQLite each p99':>15} | {'hot us':>6} {'x 1k':>5}"
    )
    for size in SIZES:
        ours, theirs = [med("store", size, f) for f in range(3)], [med("SQLite group", size, f) for f in range(3)]
        print(
            f"{size:>8,} {windows[size]:>7,} | {ours[0]:>8.1f} {x1k('store', size):>5.2f} {ours[1]:>7.1f} "
            f"{ours[2]:>6.1f} | {theirs[0]:>13.1f} {x1k('SQLite group', size):>5.2f} {theirs[1]:>7.1f} "
            f"{theirs[2]:>6.1f} | {vs_sqlite(size, 1):>9.2f} {vs_sqlite(size, 2):>11.2f} | "
            f"{med('SQLite each', size, 1):>15.1f} | {med('store hot', size, 0):>6.1f} {x1k('store hot', size):>5.2f}"
        )
    print(f"\none writer, one fsync per write ({SERIAL_WRITES} writes; median of {REPEATS}):")
    print(f"{'docs':>8} | {'store us':>8} {'x 1k':>5} {'p99 ms':>7} | {'SQLite us':>9} {'x 1k':>5} {'p99 ms':>7}")
    for size in SIZES:
        print(
            f"{size:>8,} | {med('store 1', size, 0):>8.1f} {x1k('store 1', size):>5.2f} "
            f"{med('store 1', size, 1):>7.2f} | "
            f"{med('SQLite 1', size, 0):>9.1f} {x1k('SQLite 1', size):>5.2f} {med('SQLite 1', size, 1):>7.2f}"
        )


async def size_report(root: Path) -> None:
    print("store cost per write as the workshop grows, beside SQLite (WAL, synchronous=FULL) in the same run.")
    print("Each write replaces a document. us = CPU seconds of the whole process (every thread) per write;")
    print("writes = the window at 300 writers (whole snapshot cycles of the store, so the snapshots' share")
    print("is in); worst = the slowest acknowledgement (ms). SQLite grp = one writer thread committing what")
    print("queued meanwhile: the baseline of the ratio columns (store over SQLite grp); SQLite each = the same")
    print(f"thread, one commit per write (for reference); hot = the store with {MIN_WRITES:,} writes to its first")
    print(f"{HOT:,} documents only (its own work without cache misses). x 1k and the ratios are medians of the")
    print("ratios within each repeat.")
    results, windows = await measure(root)
    report(results, windows)
    big = root / f"store-{SIZES[-1]}"
    newest = sorted(big.glob("snapshot-*.json"))[-1]
    once = min(timed(lambda: snapshot_file.read_snapshot(newest)) for _ in range(3))
    per_table = min(timed(lambda: tinydb_tables(newest)) for _ in range(3))
    bare = min(timed(lambda: orjson.loads(newest.read_bytes())) for _ in range(3))
    print(
        f"\nreading its snapshot ({newest.stat().st_size / 1e6:.1f} MB): {once:.3f} s parsed once, "
        f"{per_table:.3f} s through TinyDB table by table (x{per_table / once:.1f}); one bare orjson parse {bare:.3f} s"
    )
    paused = min(open_time(big, pause_gc=True) for _ in range(3))
    running = min(open_time(big, pause_gc=False) for _ in range(3))
    print(
        f"opening it ({SIZES[-1] // 1000}k docs): {paused:.3f} s with the GC paused, {running:.3f} s without "
        f"(ratio {running / paused:.2f})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(size_report(Path(tmp)))


if __name__ == "__main__":
    main()
