"""One workshop's durable store: in-memory tables, a journal and TinyDB snapshots in one directory.

Writes are applied to the in-memory tables at once (so the service checks its rules against
everything already accepted) and acknowledged only after a group commit has synced them: one
committer task gathers whatever queued during the previous sync, appends it to the journal in one
write and syncs it in an executor thread. From time to time the tables are written as an atomic
TinyDB snapshot and a new journal segment starts. After a write, sync or snapshot error, or when the
journal file is no longer in the workshop directory, the store refuses every later write
(fail-stop), rolls the unacknowledged changes out of memory and tells its listeners; it never
retries a sync.

Files: ``snapshot-S.json`` (``.json.gz`` for an older one) holds the tables after record ``S``;
``journal-after-N.wal`` holds the records ``N+1, N+2, ...``. The invariant that makes any sequence
of crashes safe (each step below is a fault point in the crash tests):

1. Records are appended only to the newest segment, in sequence order, so the segments ordered by
   ``N`` hold one contiguous run of records; a crash can tear only the newest segment's tail.
2. A new segment ``journal-after-N.wal`` starts only right after record ``N`` was synced (rotation
   between two batches) or after recovery has put a snapshot of record ``N`` on disk. So a segment
   never starts before the end of the durable records, and nothing is appended to an older one.
3. ``snapshot-S.json`` is written from an image of the tables taken exactly at record ``S`` and
   installed (renamed into place) only after record ``S`` is synced. A snapshot never holds a write
   that was refused, and the newest snapshot plus the segments from the one holding ``S+1`` replay
   every durable record.
4. A file is deleted only when a newer durable snapshot makes it unnecessary: snapshots older than
   the newest ``KEEP_SNAPSHOTS``, segments whose successor starts at or before the oldest kept one.
   The older kept snapshots are replaced by their gzip (``snapshot-S.json.gz``), durable before the
   plain file is deleted.
5. Recovery changes nothing a later recovery could need before it knows the whole recovered
   state: while reading it only removes temp files and renames unreadable snapshots aside; then it
   truncates a torn tail that holds no intact record (a copy is kept), writes a snapshot of the
   recovered state if anything was damaged or missing, and only after that renames damaged
   segments aside.

Documents are never mutated in place (a change replaces the document), so an image for a snapshot
is a shallow copy of each table, taken between batches and serialised off the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import itertools
import logging
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop_tui.errors import Invalid, StoreFailed
from workshop_tui.store import journal
from workshop_tui.store.documents import Op, apply_ops, delta
from workshop_tui.store.fsync import fault_point, sync_dir, write_atomic
from workshop_tui.store.migrations import SCHEMA_VERSION, Tables, migrate
from workshop_tui.store.recovery import (
    SEGMENT_RE,
    SNAPSHOT_RE,
    LoadReport,
    numbered,
    read_files,
    segment_name,
    set_aside,
    snapshot_name,
    truncate_tail,
)
from workshop_tui.store.snapshot_file import Image, bulk_load, settle_gc, snapshot_bytes

log = logging.getLogger(__name__)

BUILDING_SUFFIX = ".building"
KEEP_SNAPSHOTS = 2
#: The older kept snapshots are gzipped (JSON this repetitive shrinks about 6x at level 1), so keeping a
#: second full copy costs a sixth of the first on disk; only the newest stays a plain TinyDB file.
COMPRESS_LEVEL = 1
#: A snapshot is due when the journal since the last one reaches this fraction of its size (so the
#: bytes rewritten stay proportional to the bytes journaled), but not before this floor.
SNAPSHOT_FRACTION = 1.0
SNAPSHOT_FLOOR_BYTES = 1024 * 1024
#: After this long without writes a snapshot catches up, if cheap: the workshop is small, or the
#: journal since the last snapshot is at least 1/IDLE_RATIO of its size.
IDLE_SNAPSHOT_SECONDS: float | None = 2.0  # None (tests): never
IDLE_FREE_BYTES = 1024 * 1024
IDLE_RATIO = 16

#: The collector's view is reset (``settle_gc``) after this many journal bytes of the whole process, not
#: only at snapshots: between two snapshots of a big workshop (one cycle is as long as its snapshot) the
#: replaced documents piled up unfrozen, and the collector's full passes over them, each longer than the
#: last, stalled every writer (33 -> 236 ms within one cycle of 100k documents, on a loaded 2-core
#: machine). A small workshop's snapshots came this often already.
FREEZE_BYTES = 1024 * 1024
_unfrozen_bytes = 0

#: When any store of this process last took a write. An idle snapshot's full collection walks every
#: object of the process on the loop (tenths of a second with a few workshops open): it waits until the
#: whole process is idle, not just its own workshop, or a quiet room stalls a voting one.
_last_write = 0.0


def _freeze_if_due(journaled: int) -> None:
    global _unfrozen_bytes
    _unfrozen_bytes += journaled
    if _unfrozen_bytes >= FREEZE_BYTES:
        _settle_gc(idle=False)


def _settle_gc(*, idle: bool) -> None:
    global _unfrozen_bytes
    _unfrozen_bytes = 0
    settle_gc(idle=idle)


def _process_idle() -> bool:
    return IDLE_SNAPSHOT_SECONDS is not None and time.monotonic() - _last_write >= IDLE_SNAPSHOT_SECONDS


@dataclass
class _Pending:
    frame: bytes
    future: asyncio.Future[None]
    undo: list[tuple[str, str, Any]]  # (table, id, previous document or None), in op order


class WorkshopStore:
    def __init__(
        self,
        directory: Path,
        tables: Tables,
        seq: int,
        report: LoadReport,
        read_only: bool,
        *,
        snapshot_seq: int,
        snapshot_size: int,
        segment_after: int,
        journaled: int = 0,
    ) -> None:
        self.directory = directory
        self.tables = tables
        self.seq = seq  # the last record applied in memory
        self.report = report
        self.read_only = read_only
        self.failed: str | None = None
        #: Called on the event loop after a failure, once unacknowledged changes left ``tables``.
        self.on_failure: list[Callable[[str], None]] = []
        self._durable_seq = seq
        self._image_seq = snapshot_seq  # the newest snapshot written or being written
        self._snapshot_size = snapshot_size
        self._journaled = journaled  # journal bytes since that snapshot's image
        self._segment_after = segment_after  # appends go to journal-after-<this>.wal
        self._snapshot_wanted = False
        self._idle = False  # the snapshot being taken is an idle one
        self._queue: list[_Pending] = []
        self._inflight: list[_Pending] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._executor: ThreadPoolExecutor | None = None  # journal appends
        self._snapshotter: ThreadPoolExecutor | None = None  # snapshots, so they never hold up appends
        self._snapshot_task: asyncio.Future[int] | None = None
        self._writer: journal.JournalWriter | None = None

    # ----------------------------------------------------------------------------- creating

    @classmethod
    def create(cls, directory: Path, ops: list[Op] | None = None) -> WorkshopStore:
        """A new store holding ``ops``, durable before this returns.

        Built in a hidden directory beside its place and renamed in, so a crash or a full disk leaves
        either the whole workshop or nothing (a leftover build is removed by ``clean_leftovers``).
        Raises ``FileExistsError`` if ``directory`` exists, ``StoreFailed`` if the disk refuses.
        """
        if directory.exists():
            raise FileExistsError(directory)
        tables: Tables = {}
        frame = journal.encode(1, ops) if ops else b""
        building = directory.with_name(f".{directory.name}{BUILDING_SUFFIX}")
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            # An empty snapshot and the first record in the journal: if a later snapshot is damaged,
            # these two still rebuild the workshop.
            data = snapshot_bytes(0, tables)
            write_atomic(building / snapshot_name(0), data)
            if frame:
                writer = journal.JournalWriter(building / segment_name(0))
                try:
                    writer.append(frame)
                finally:
                    writer.close()
            fault_point("install.rename")
            os.rename(building, directory)
            fault_point("install.dir_sync")
            sync_dir(directory.parent)
        except OSError as exc:
            shutil.rmtree(building, ignore_errors=True)
            raise StoreFailed(f"could not create the workshop's files: {exc}") from None
        if ops:
            apply_ops(tables, ops)
        report = LoadReport(directory, directory / snapshot_name(0))
        return cls(
            directory,
            tables,
            1 if ops else 0,
            report,
            read_only=False,
            snapshot_seq=0,
            snapshot_size=len(data),
            segment_after=0,
            journaled=len(frame),
        )

    def is_leftover(self) -> bool:
        """No document, nothing damaged or set aside: what an older version's interrupted create left."""
        quiet = not self.report.messages and not list(self.directory.glob("*.damaged-*"))
        return quiet and not any(self.tables.values())

    @staticmethod
    def clean_leftovers(root: Path) -> list[str]:
        """Remove builds that a crash interrupted; returns what was removed, for the log."""
        removed = []
        if root.is_dir():
            for path in root.iterdir():
                if path.name.startswith(".") and path.name.endswith(BUILDING_SUFFIX) and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path.name)
        return removed

    # ----------------------------------------------------------------------------- opening

    @staticmethod
    def fingerprint(directory: Path) -> str:
        """Names the durable state of a closed store without reading it: every snapshot and segment
        with its size and modification time. Records only append to the newest segment, and anything
        else that changes the state (a snapshot, a rotation, recovery setting a file aside or cutting
        a tail, a file damaged or replaced by hand) changes one of these."""
        parts = []
        with os.scandir(directory) as entries:  # one listing: this runs for every past workshop listed
            for entry in entries:
                if SNAPSHOT_RE.match(entry.name) or SEGMENT_RE.match(entry.name):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
        return "|".join(sorted(parts))

    @classmethod
    def open(cls, directory: Path, *, read_only: bool = False) -> WorkshopStore:
        """Recover the workshop in ``directory``; read-only opens may run beside a live writer."""
        with bulk_load():
            for _ in range(2):
                try:
                    return cls._open(directory, read_only)
                except FileNotFoundError:
                    if not read_only:
                        raise
                    # A live writer pruned a file between our listing and our read: list again.
            return cls._open(directory, read_only)

    @classmethod
    def _open(cls, directory: Path, read_only: bool) -> WorkshopStore:
        found, report = read_files(directory, read_only)
        version = SCHEMA_VERSION if found.version is None else found.version
        store = cls(
            directory,
            migrate(found.tables, version),
            found.seq,
            report,
            read_only,
            snapshot_seq=found.snapshot_seq,
            snapshot_size=found.snapshot_size,
            segment_after=found.segment_after,
            journaled=found.journaled,
        )
        if not read_only:
            if found.torn is not None:
                copy = truncate_tail(*found.torn)
                report.messages[-1] += f"; cut it off, the original is kept as {copy}"
            if found.damaged or found.holes or found.corrupt or version != SCHEMA_VERSION:
                # A consistent copy on disk first, so nothing depends on the files set aside next.
                store._snapshot_now()
                for path in found.corrupt:
                    report.messages.append(f"{path.name} {set_aside(path, read_only)}")
                store._prune_soon()
        for message in report.messages:
            log.warning("%s: %s", directory.name, message)
        return store

    # ----------------------------------------------------------------------------- writing

    def apply(self, ops: list[Op]) -> asyncio.Future[None]:
        """Apply ``ops`` in memory now; the future resolves once they are durable on disk."""
        global _last_write
        self._check_writable()
        _last_write = time.monotonic()
        loop = asyncio.get_running_loop()
        self._ensure_committer(loop)
        journal_ops, undo = self._journal_ops(ops)
        # Encode first: a change that cannot be written (e.g. a lone surrogate in a string) must be
        # refused before memory changes, or memory and disk would disagree.
        try:
            frame = journal.encode(self.seq + 1, journal_ops)
        except (TypeError, ValueError) as exc:
            raise Invalid(f"this change cannot be stored: {exc}") from None
        apply_ops(self.tables, ops)
        self.seq += 1
        future: asyncio.Future[None] = loop.create_future()
        self._queue.append(_Pending(frame, future, undo))
        assert self._wake is not None
        self._wake.set()
        return future

    def request_snapshot(self) -> None:
        """Write a snapshot soon (e.g. at a phase change), off the hot path."""
        if self.read_only or self.failed is not None or self._closing:
            return
        self._snapshot_wanted = True
        self._ensure_committer(asyncio.get_running_loop())
        assert self._wake is not None
        self._wake.set()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreFailed(f"{self.directory.name} is open read-only")
        if self.failed is not None:
            raise StoreFailed(f"the store stopped accepting writes after a disk error: {self.failed}")
        if self._closing:
            raise StoreFailed("the store is closing")

    def _ensure_committer(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._task is None:
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._commit_loop(), name=f"committer-{self.directory.name}")

    def _journal_ops(self, ops: list[Op]) -> tuple[list[Op], list[tuple[str, str, Any]]]:
        """What to journal for ``ops`` (a patch where a document already exists) and how to undo them."""
        current: dict[tuple[str, str], Any] = {}
        out: list[Op] = []
        undo: list[tuple[str, str, Any]] = []
        for op in ops:
            key = (op[1], op[2])
            old = current[key] if key in current else self.tables.get(op[1], {}).get(op[2])
            undo.append((op[1], op[2], old))
            if op[0] == "p":
                out.append(["u", op[1], op[2], delta(old, op[3])] if old is not None else op)
                current[key] = op[3]
            else:
                out.append(op)
                current[key] = None
        return out, undo

    async def _commit_loop(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sync-{self.directory.name}")
        while True:
            if not self._queue and not self._closing:
                try:
                    timeout = IDLE_SNAPSHOT_SECONDS if self._idle_snapshot_worth_it() else None
                    await asyncio.wait_for(self._wake.wait(), timeout)
                except TimeoutError:
                    self._snapshot_wanted = self._idle = True
            self._wake.clear()
            if self.failed is not None:
                return
            batch, self._queue = self._queue, []
            data = b"".join(p.frame for p in batch)
            # Between batches: memory holds exactly the records up to the end of this batch.
            image = self._take_image() if not self._closing and self._snapshot_due(len(data)) else None
            if batch:
                self._inflight = batch
                try:
                    append = loop.run_in_executor(self._executor, self._append, data)
                    _freeze_if_due(len(data))  # a collection due runs while the batch syncs: nobody waits for it
                    await append
                except OSError as exc:
                    self._fail(exc)
                    return
                self._inflight = []
                if self.failed is not None:  # a snapshot failed meanwhile: these were refused
                    return
                self._durable_seq = self.seq - len(self._queue)
                self._journaled += len(data)
                for p in batch:
                    if not p.future.done():
                        p.future.set_result(None)
            if image is not None:
                self._start_snapshot(loop, *image)
            if self._closing and not self._queue:
                return

    def _append(self, data: bytes) -> None:
        if self._writer is None:
            self._writer = journal.JournalWriter(self.directory / segment_name(self._segment_after))
        self._writer.append(data)

    def _fail(self, exc: BaseException) -> None:
        """Fail-stop: refuse what is not yet durable, take it out of memory, tell the listeners."""
        if self.failed is not None:
            return
        self.failed = f"{type(exc).__name__}: {exc}"
        log.error("%s: store failed, refusing further writes: %s", self.directory.name, self.failed)
        refused, self._inflight, self._queue = [*self._inflight, *self._queue], [], []
        for pending in reversed(refused):
            for table, doc_id, old in reversed(pending.undo):
                if old is None:
                    self.tables.get(table, {}).pop(doc_id, None)
                else:
                    self.tables.setdefault(table, {})[doc_id] = old
        self.seq = self._durable_seq
        for pending in refused:
            if not pending.future.done():
                pending.future.set_exception(StoreFailed(f"write failed, no later write is accepted: {exc}"))
        for listener in self.on_failure:
            listener(self.failed)
        if self._wake is not None:
            self._wake.set()

    # ----------------------------------------------------------------------------- snapshots

    def _snapshot_due(self, batch_bytes: int) -> bool:
        if self.failed is not None or (self._snapshot_task is not None and not self._snapshot_task.done()):
            return False
        if self.seq == self._image_seq:
            self._snapshot_wanted = False
            return False
        threshold = max(SNAPSHOT_FLOOR_BYTES, SNAPSHOT_FRACTION * self._snapshot_size)
        return self._snapshot_wanted or self._journaled + batch_bytes >= threshold

    def _idle_snapshot_worth_it(self) -> bool:
        if self.seq == self._image_seq or self.failed is not None:
            return False
        return self._snapshot_size <= IDLE_FREE_BYTES or self._journaled * IDLE_RATIO >= self._snapshot_size

    def _take_image(self) -> tuple[int, Image]:
        # On the event loop, where the tables are mutated: a shallow copy per table is enough.
        self._snapshot_wanted = False
        return self.seq, {name: docs.copy() for name, docs in self.tables.items()}

    def _rotate(self, seq: int) -> None:
        """Later records go to a new segment after record ``seq``. Only right after ``seq`` was synced."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._segment_after = seq
        self._image_seq = seq
        self._journaled = 0

    def _start_snapshot(self, loop: asyncio.AbstractEventLoop, seq: int, image: Image) -> None:
        """Write a snapshot of record ``seq`` in the background while the journal keeps taking appends."""
        self._rotate(seq)
        if self._snapshotter is None:
            self._snapshotter = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"snap-{self.directory.name}")
        task = loop.run_in_executor(self._snapshotter, self._install_snapshot, seq, image)
        task.add_done_callback(functools.partial(self._snapshot_done, idle=self._idle))
        self._idle = False
        self._snapshot_task = task

    def _snapshot_done(self, task: asyncio.Future[int], *, idle: bool) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, OSError):
            self._fail(exc)
        elif exc is not None:
            log.error("%s: snapshot failed: %s", self.directory.name, exc)
        else:
            self._snapshot_size = task.result()
            _settle_gc(idle=idle and not self._queue and _process_idle())
            if self._snapshot_wanted and self._wake is not None:
                self._wake.set()  # asked for while this one ran (a phase change): the committer takes it now

    def _snapshot_now(self) -> None:
        """Recovery's snapshot, durable before the open returns; ``_prune_soon`` deletes and gzips the rest."""
        seq, image = self._take_image()
        self._rotate(seq)
        self._snapshot_size = self._write_snapshot(seq, image)

    def _prune_soon(self) -> None:
        """Prune in the snapshot thread when a loop runs: a workshop opens lazily, on a phone's request, and
        gzipping the older snapshot on the loop held every phone for tenths of a second. Nothing waits for
        it: only space is at stake, and the next snapshot, ``close`` and ``_snapshot_due`` wait for it."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a command without a loop: nothing else runs meanwhile
            self._prune()
            return
        if self._snapshotter is None:
            self._snapshotter = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"snap-{self.directory.name}")
        task = loop.run_in_executor(self._snapshotter, self._pruned)
        task.add_done_callback(functools.partial(self._snapshot_done, idle=False))
        self._snapshot_task = task

    def _pruned(self) -> int:
        self._prune()
        return self._snapshot_size

    def _install_snapshot(self, seq: int, image: Image) -> int:
        size = self._write_snapshot(seq, image)
        self._prune()
        return size

    def _write_snapshot(self, seq: int, image: Image) -> int:
        data = snapshot_bytes(seq, image)
        write_atomic(self.directory / snapshot_name(seq), data)
        return len(data)

    def _prune(self) -> None:
        """Delete the snapshots older than the newest ``KEEP_SNAPSHOTS``, gzip the kept older ones, and delete
        the segments only those deleted snapshots needed. Runs right after a snapshot was installed."""
        snapshots = numbered(self.directory, SNAPSHOT_RE)
        kept = sorted({seq for seq, _ in snapshots})[-KEEP_SNAPSHOTS:]
        oldest = kept[0] if kept else 0
        for seq, path in snapshots:
            if seq < oldest:
                fault_point("prune.snapshot")
                path.unlink(missing_ok=True)
            elif seq != kept[-1] and not path.name.endswith(".gz"):
                try:
                    self._compress(path)
                except OSError as exc:  # only space is lost: the plain copy stays, the newest is durable
                    log.warning("%s: could not compress %s (%s); kept it as it is", self.directory.name, path.name, exc)
        segments = numbered(self.directory, SEGMENT_RE)
        for (_, path), (next_after, _) in itertools.pairwise(segments):
            if next_after <= oldest:
                fault_point("prune.segment")
                path.unlink(missing_ok=True)

    @staticmethod
    def _compress(path: Path) -> None:
        """Replace an older snapshot by a gzip of its bytes: the compressed copy is durable before the plain
        one goes, so a crash leaves one or both (the same state; a .gz only exists whole, see write_atomic)."""
        packed = path.with_name(path.name + ".gz")
        if not packed.exists():
            write_atomic(packed, gzip.compress(path.read_bytes(), compresslevel=COMPRESS_LEVEL, mtime=0))
        fault_point("prune.compress")
        path.unlink(missing_ok=True)

    # ----------------------------------------------------------------------------- closing

    async def flush(self) -> None:
        """Wait until everything applied so far is durable."""
        pending = [p.future for p in (*self._inflight, *self._queue)]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def settled(self) -> None:
        """What memory shows now is durable: wait for the writes in flight, raise if they failed.

        For a request that finds nothing to change: what it sees may be another request's change still
        on its way to disk (a double tap), and it must not answer before that one could."""
        await self.flush()
        if self.failed is not None:
            raise StoreFailed(f"the store stopped accepting writes after a disk error: {self.failed}")

    async def close(self) -> None:
        """Drain the queue, write a final snapshot (fast reopen) and stop the committer.

        Raises ``StoreFailed`` if the store failed while open, so a command exits non-zero.
        """
        self._closing = True
        if self._task is not None:
            assert self._wake is not None
            self._wake.set()
            await self._task
            self._task = None
        if self._snapshot_task is not None:
            await asyncio.gather(self._snapshot_task, return_exceptions=True)
        if not self.read_only and self.failed is None and self.seq != self._image_seq:
            loop = asyncio.get_running_loop()
            seq, image = self._take_image()
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            try:
                self._snapshot_size = await loop.run_in_executor(None, self._install_snapshot, seq, image)
            except OSError as exc:
                self._fail(exc)
            else:
                self._image_seq = seq
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for executor in (self._executor, self._snapshotter):
            if executor is not None:
                executor.shutdown(wait=True)
        self._executor = self._snapshotter = None
        if self.failed is not None:
            raise StoreFailed(f"{self.directory.name}: the store failed while open: {self.failed}")
