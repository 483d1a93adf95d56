"""One workshop's durable store: in-memory tables, a journal and TinyDB snapshots in one directory.

Writes are applied to the in-memory tables at once (so the service checks its rules against
everything already accepted) and acknowledged only after a group commit has synced them: one
committer task gathers whatever queued during the previous sync, appends it to the journal in one
write and syncs it in an executor thread. Every few MiB the tables are written as an atomic TinyDB
snapshot and a new journal segment starts. A file that fails to load is renamed aside, never
deleted, and the newest good copy is used. After a write or sync error the store refuses every
later write (fail-stop); it never retries a sync.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from workshop_tui.errors import DamagedData, Invalid, StoreFailed
from workshop_tui.store import journal
from workshop_tui.store.fsync import sync_dir, sync_file, write_atomic
from workshop_tui.store.migrations import SCHEMA_VERSION, Tables, migrate
from workshop_tui.store.tinydb_storage import AtomicJSONStorage

log = logging.getLogger(__name__)

SNAPSHOT_RE = re.compile(r"^snapshot-(\d{12})\.json$")
SEGMENT_RE = re.compile(r"^journal-after-(\d{12})\.wal$")
KEEP_SNAPSHOTS = 3
SNAPSHOT_AFTER_BYTES = 4 * 1024 * 1024
META = "_meta"

#: One change: ``["p", table, id, doc]`` puts a document, ``["d", table, id]`` deletes one.
Op = list[Any]


@dataclass
class LoadReport:
    directory: Path
    snapshot: Path | None = None
    replayed: int = 0
    messages: list[str] = field(default_factory=list)


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _snapshot_name(seq: int) -> str:
    return f"snapshot-{seq:012d}.json"


def _segment_name(after: int) -> str:
    return f"journal-after-{after:012d}.wal"


def _numbered(directory: Path, pattern: re.Pattern[str]) -> list[tuple[int, Path]]:
    found = []
    for path in directory.iterdir():
        m = pattern.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    return sorted(found)


def apply_ops(tables: Tables, ops: list[Op]) -> None:
    for op in ops:
        if op[0] == "p":
            tables.setdefault(op[1], {})[op[2]] = op[3]
        elif op[0] == "d":
            tables.get(op[1], {}).pop(op[2], None)
        else:
            raise ValueError(f"unknown journal op {op[0]!r}")


def tinydb_document(seq: int, tables: Tables) -> dict[str, dict[str, Any]]:
    """The tables in TinyDB's file layout (table -> doc id -> document), plus our ``_meta``."""
    data: dict[str, dict[str, Any]] = {META: {"1": {"schema_version": SCHEMA_VERSION, "seq": seq}}}
    for name, docs in tables.items():
        data[name] = {str(i): doc for i, doc in enumerate(docs.values(), start=1)}
    return data


def read_snapshot(path: Path) -> tuple[int, int, Tables]:
    """(schema version, seq, tables) of a TinyDB snapshot file; raises on anything unreadable."""
    db = TinyDB(path, storage=AtomicJSONStorage)
    try:
        names = db.tables()
        if META not in names:
            raise ValueError("no _meta table")
        meta = db.table(META).all()
        if len(meta) != 1:
            raise ValueError("_meta must hold one document")
        version, seq = int(meta[0]["schema_version"]), int(meta[0]["seq"])
        tables: Tables = {}
        for name in names - {META}:
            docs = db.table(name).all()
            tables[name] = {str(doc["id"]): dict(doc) for doc in docs}
        return version, seq, tables
    finally:
        db.close()


class WorkshopStore:
    def __init__(
        self,
        directory: Path,
        tables: Tables,
        seq: int,
        snapshot_seq: int,
        report: LoadReport,
        read_only: bool,
    ) -> None:
        self.directory = directory
        self.tables = tables
        self.seq = seq  # the last record applied in memory
        self.report = report
        self.read_only = read_only
        self.failed: str | None = None
        self._snapshot_seq = snapshot_seq  # new journal records go to the segment after this snapshot
        self._queue: list[tuple[bytes, asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._executor: ThreadPoolExecutor | None = None  # journal appends
        self._snapshotter: ThreadPoolExecutor | None = None  # snapshots, so they never hold up appends
        self._snapshot_task: asyncio.Future[None] | None = None
        self._writer: journal.JournalWriter | None = None

    # ----------------------------------------------------------------------------- opening

    @classmethod
    def create(cls, directory: Path) -> WorkshopStore:
        """A new, empty store; its first snapshot is on disk before this returns."""
        directory.mkdir(parents=True, exist_ok=False)
        sync_dir(directory.parent)
        cls._write_snapshot(directory, 0, {})
        return cls(directory, {}, 0, 0, LoadReport(directory, directory / _snapshot_name(0)), read_only=False)

    @classmethod
    def open(cls, directory: Path, *, read_only: bool = False) -> WorkshopStore:
        report = LoadReport(directory)
        tables: Tables = {}
        seq = 0
        version = SCHEMA_VERSION
        damaged = False
        snapshots = _numbered(directory, SNAPSHOT_RE)
        snapshot_seq = 0
        for snap_seq, path in reversed(snapshots):
            try:
                version, seq, tables = read_snapshot(path)
                if seq != snap_seq:
                    raise ValueError(f"holds seq {seq}, its name says {snap_seq}")
            except DamagedData:
                raise
            except Exception as exc:  # any parse or shape error means this copy is damaged
                damaged = True
                aside = cls._set_aside(path, read_only)
                report.messages.append(f"{path.name} could not be read ({_reason(exc)}); {aside}")
                tables, seq = {}, 0
                continue
            report.snapshot, snapshot_seq = path, seq
            break
        if damaged and report.snapshot is not None:
            report.messages.append(f"loaded the older good copy {report.snapshot.name}")

        segments = [(after, p) for after, p in _numbered(directory, SEGMENT_RE) if after >= seq]
        gap = False
        for index, (_, path) in enumerate(segments):
            if gap:
                aside = cls._set_aside(path, read_only)
                report.messages.append(f"{path.name} follows lost records and was not replayed; {aside}")
                continue
            scanned = journal.scan(path.read_bytes())
            for record in scanned.records:
                if record.seq <= seq:
                    continue
                if record.seq != seq + 1:
                    gap = True
                    report.messages.append(
                        f"{path.name}: records {seq + 1} to {record.seq - 1} are missing; "
                        f"the workshop is restored up to record {seq}"
                    )
                    break
                apply_ops(tables, record.ops)
                seq = record.seq
                report.replayed += 1
            if scanned.error is not None and not gap:
                last = index == len(segments) - 1
                if last and not read_only:
                    aside = cls._truncate_tail(path, scanned.good_bytes)
                    report.messages.append(
                        f"{path.name}: {scanned.error} (an interrupted write); "
                        f"kept the original as {aside} and recovered {report.replayed} records"
                    )
                elif not last:
                    damaged = True
                    gap = True
                    aside = cls._set_aside(path, read_only)
                    report.messages.append(f"{path.name}: {scanned.error}; {aside}")
        if damaged and report.snapshot is None and report.replayed == 0:
            raise DamagedData(
                f"{directory}: no readable copy of this workshop remains; " + "; ".join(report.messages),
                report.messages,
            )
        tables = migrate(tables, version)
        store = cls(directory, tables, seq, snapshot_seq, report, read_only)
        if not read_only and (damaged or gap or version != SCHEMA_VERSION):
            # Put a consistent copy on disk now, so nothing depends on the files set aside.
            store._snapshot_now()
        for message in report.messages:
            log.warning("%s: %s", directory.name, message)
        return store

    @staticmethod
    def _set_aside(path: Path, read_only: bool) -> str:
        if read_only:
            return "left in place (read-only open)"
        target = path.with_name(f"{path.name}.damaged-{_stamp()}")
        os.replace(path, target)
        sync_dir(path.parent)
        return f"renamed to {target.name}"

    @staticmethod
    def _truncate_tail(path: Path, good_bytes: int) -> str:
        copy = path.with_name(f"{path.name}.damaged-{_stamp()}")
        shutil.copyfile(path, copy)
        with open(path, "r+b") as fh:
            fh.truncate(good_bytes)
            sync_file(fh.fileno())
        sync_dir(path.parent)
        return copy.name

    # ----------------------------------------------------------------------------- writing

    def apply(self, ops: list[Op]) -> asyncio.Future[None]:
        """Apply ``ops`` in memory now; the future resolves once they are durable on disk."""
        if self.read_only:
            raise StoreFailed(f"{self.directory.name} is open read-only")
        if self.failed is not None:
            raise StoreFailed(f"the store stopped accepting writes after a disk error: {self.failed}")
        if self._closing:
            raise StoreFailed("the store is closing")
        loop = asyncio.get_running_loop()
        if self._task is None:
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._commit_loop(), name=f"committer-{self.directory.name}")
        # Encode first: a change that cannot be written (e.g. a lone surrogate in a string) must be
        # refused before memory changes, or memory and disk would disagree.
        try:
            frame = journal.encode(self.seq + 1, ops)
        except (TypeError, ValueError) as exc:
            raise Invalid(f"this change cannot be stored: {exc}") from None
        apply_ops(self.tables, ops)
        self.seq += 1
        future: asyncio.Future[None] = loop.create_future()
        self._queue.append((frame, future))
        assert self._wake is not None
        self._wake.set()
        return future

    async def _commit_loop(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sync-{self.directory.name}")
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._queue = self._queue, []
            if batch and self.failed is None:
                data = b"".join(frame for frame, _ in batch)
                try:
                    await loop.run_in_executor(self._executor, self._append, data)
                except OSError as exc:
                    self._fail(exc)
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_exception(StoreFailed(f"write failed, no later write is accepted: {exc}"))
                else:
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_result(None)
                    if self._writer is not None and self._writer.size >= SNAPSHOT_AFTER_BYTES:
                        self._start_snapshot(loop)
            elif batch:
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(StoreFailed(f"the store stopped after a disk error: {self.failed}"))
            if self._closing and not self._queue:
                return

    def _append(self, data: bytes) -> None:
        if self._writer is None:
            self._writer = journal.JournalWriter(self.directory / _segment_name(self._snapshot_seq))
        self._writer.append(data)

    def _fail(self, exc: BaseException) -> None:
        self.failed = f"{type(exc).__name__}: {exc}"
        log.error("%s: store failed, refusing further writes: %s", self.directory.name, self.failed)

    def _capture(self) -> tuple[int, bytes]:
        # Serialised on the event loop: the tables are only ever mutated there.
        return self.seq, orjson.dumps(tinydb_document(self.seq, self.tables))

    def _rotate(self, seq: int) -> None:
        """Later records go to a new segment named after snapshot ``seq``. Only between appends."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._snapshot_seq = seq

    def _start_snapshot(self, loop: asyncio.AbstractEventLoop) -> None:
        """Write a snapshot in the background while the journal keeps taking appends.

        The old segments hold records up to ``seq`` and stay until the snapshot is durable, so a
        crash mid-snapshot recovers from the previous snapshot plus every segment.
        """
        if self._snapshot_task is not None and not self._snapshot_task.done():
            return
        seq, data = self._capture()
        self._rotate(seq)
        if self._snapshotter is None:
            self._snapshotter = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"snap-{self.directory.name}")
        task = loop.run_in_executor(self._snapshotter, self._install_snapshot, seq, data)
        task.add_done_callback(self._snapshot_done)
        self._snapshot_task = task

    def _snapshot_done(self, task: asyncio.Future[None]) -> None:
        exc = task.exception()
        if isinstance(exc, OSError):
            self._fail(exc)
        elif exc is not None:
            log.error("%s: snapshot failed: %s", self.directory.name, exc)

    def _snapshot_now(self) -> None:
        seq, data = self._capture()
        self._rotate(seq)
        self._install_snapshot(seq, data)

    def _install_snapshot(self, seq: int, data: bytes) -> None:
        write_atomic(self.directory / _snapshot_name(seq), data)
        self._prune()

    @classmethod
    def _write_snapshot(cls, directory: Path, seq: int, tables: Tables) -> None:
        AtomicJSONStorage(directory / _snapshot_name(seq)).write(tinydb_document(seq, tables))

    def _prune(self) -> None:
        snapshots = _numbered(self.directory, SNAPSHOT_RE)
        keep = snapshots[-KEEP_SNAPSHOTS:]
        for _, path in snapshots[:-KEEP_SNAPSHOTS]:
            path.unlink(missing_ok=True)
        oldest = keep[0][0] if keep else 0
        for after, path in _numbered(self.directory, SEGMENT_RE):
            if after < oldest:
                path.unlink(missing_ok=True)

    async def flush(self) -> None:
        """Wait until everything applied so far is durable."""
        pending = [fut for _, fut in self._queue]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def close(self) -> None:
        """Drain the queue, write a final snapshot (fast reopen) and stop the committer."""
        self._closing = True
        if self._task is not None:
            assert self._wake is not None
            self._wake.set()
            await self._task
            self._task = None
        if self._snapshot_task is not None:
            await asyncio.gather(self._snapshot_task, return_exceptions=True)
        if not self.read_only and self.failed is None and self.seq != self._snapshot_seq:
            loop = asyncio.get_running_loop()
            seq, data = self._capture()
            self._rotate(seq)
            try:
                await loop.run_in_executor(self._executor, self._install_snapshot, seq, data)
            except OSError as exc:
                self._fail(exc)
        self._rotate(self._snapshot_seq)
        for executor in (self._executor, self._snapshotter):
            if executor is not None:
                executor.shutdown(wait=True)
        self._executor = self._snapshotter = None


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
