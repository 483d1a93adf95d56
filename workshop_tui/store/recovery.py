"""Reading a workshop's directory back: the newest readable snapshot, then every intact record after it
from the journal segments, with what is damaged said in words (point 5 of the invariant in
``workshop_store``).

``read_files`` changes nothing a later recovery could need: it only removes interrupted temporary files
and renames unreadable snapshots aside. What it found to repair (a torn tail, damaged segments, holes)
comes back in ``Found``; the store repairs it once it holds the whole recovered state.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from workshop_tui.errors import DamagedData
from workshop_tui.store import journal
from workshop_tui.store.documents import apply_ops
from workshop_tui.store.fsync import fault_point, sync_dir, sync_file
from workshop_tui.store.migrations import Tables
from workshop_tui.store.snapshot_file import read_snapshot

SNAPSHOT_RE = re.compile(r"^snapshot-(\d{12})\.json(?:\.gz)?$")  # .gz: an older one, kept compressed
SEGMENT_RE = re.compile(r"^journal-after-(\d{12})\.wal$")


@dataclass
class LoadReport:
    directory: Path
    snapshot: Path | None = None
    replayed: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class Found:
    """The state ``read_files`` recovered, and what is left to repair."""

    tables: Tables
    version: int | None  # the newest readable snapshot's schema version (None: none was read)
    seq: int  # the last record replayed
    snapshot_seq: int
    snapshot_size: int
    segment_after: int  # where the next append goes
    journaled: int  # journal bytes of the records after the snapshot
    damaged: bool = False  # a snapshot could not be read
    holes: bool = False  # records are missing between intact ones
    corrupt: list[Path] = field(default_factory=list)  # segments with damage before their end
    torn: tuple[Path, int] | None = None  # the newest segment's torn tail: (file, bytes to keep)


def snapshot_name(seq: int) -> str:
    return f"snapshot-{seq:012d}.json"


def segment_name(after: int) -> str:
    return f"journal-after-{after:012d}.wal"


def numbered(directory: Path, pattern: re.Pattern[str]) -> list[tuple[int, Path]]:
    found = []
    for path in directory.iterdir():
        m = pattern.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    return sorted(found)


def reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def read_files(directory: Path, read_only: bool) -> tuple[Found, LoadReport]:
    report = LoadReport(directory)
    if not read_only:
        for tmp in directory.glob(".*.tmp"):  # a snapshot whose write a crash interrupted
            tmp.unlink(missing_ok=True)
    found = _newest_snapshot(directory, read_only, report)
    _replay(directory, read_only, found, report)
    if found.damaged and report.snapshot is None and report.replayed == 0:
        raise DamagedData(
            f"{directory}: no readable copy of this workshop remains; " + "; ".join(report.messages),
            report.messages,
        )
    return found, report


def _newest_snapshot(directory: Path, read_only: bool, report: LoadReport) -> Found:
    damaged = False
    # Newest first; of two copies of one snapshot (a crash while compressing it), the plain one first.
    snapshots = sorted(numbered(directory, SNAPSHOT_RE), key=lambda item: (item[0], item[1].suffix == ".json"))
    for name_seq, path in reversed(snapshots):
        try:
            version, seq, tables, size = read_snapshot(path)
            if seq != name_seq:
                raise ValueError(f"holds seq {seq}, its name says {name_seq}")
        except (DamagedData, FileNotFoundError):
            raise
        except Exception as exc:  # any parse or shape error means this copy is damaged
            damaged = True
            aside = set_aside(path, read_only)  # unreadable: nothing depends on it
            report.messages.append(f"{path.name} could not be read ({reason(exc)}); {aside}")
            continue
        report.snapshot = path
        if damaged:
            report.messages.append(f"loaded the older good copy {path.name}")
        return Found(tables, version, seq, seq, size, 0, 0, damaged=damaged)
    return Found({}, None, 0, 0, 0, 0, 0, damaged=damaged)


def _replay(directory: Path, read_only: bool, found: Found, report: LoadReport) -> None:
    """Apply every intact record after the snapshot, from the segment holding the next one on."""
    segments = numbered(directory, SEGMENT_RE)
    first = max((i for i, (after, _) in enumerate(segments) if after <= found.seq), default=0)
    segments = segments[first:]
    for index, (_, path) in enumerate(segments):
        scanned = journal.scan(path.read_bytes())  # the collector is off: see WorkshopStore.open()
        # Only what the snapshot lacks counts toward the next one (close() snapshots without rotating).
        found.journaled += scanned.size - next((r.offset for r in scanned.records if r.seq > found.seq), scanned.size)
        newest = index == len(segments) - 1
        tail = scanned.torn_tail if newest else None
        for damage in scanned.damage:
            if damage is tail:
                continue
            report.messages.append(
                f"{path.name} is damaged ({damage.reason}; {_describe(scanned, damage)}); "
                "every intact record before and after it was recovered"
            )
            if path not in found.corrupt:
                found.corrupt.append(path)
        for record in scanned.records:
            if record.seq <= found.seq:
                continue
            if record.seq != found.seq + 1:
                found.holes = True
                seq = found.seq
                missing = f"record {seq + 1}" if record.seq == seq + 2 else f"records {seq + 1} to {record.seq - 1}"
                report.messages.append(f"{path.name}: {missing} lost; recovery continued with record {record.seq}")
            apply_ops(found.tables, record.ops)
            found.seq = record.seq
            report.replayed += 1
        if tail is not None and path not in found.corrupt and not read_only:  # read-only: a live writer's tail
            found.torn = (path, scanned.good_bytes)
            after = scanned.records[-1].seq if scanned.records else None
            report.messages.append(
                f"{path.name}: {tail.reason} (an interrupted write: {scanned.size - tail.offset} bytes "
                f"after {'record ' + str(after) if after is not None else 'the start'} with no intact record)"
            )
    found.segment_after = segments[-1][0] if segments and not found.corrupt else found.seq


def _describe(scanned: journal.Scan, damage: journal.Damage) -> str:
    """Which records a damaged byte range sits between, in words."""
    before = [r.seq for r in scanned.records if r.offset < damage.offset]
    after = [r.seq for r in scanned.records if r.offset >= damage.end]
    where = f"bytes {damage.offset} to {damage.end}"
    if before and after:
        return f"{where}, between records {before[-1]} and {after[0]}"
    if after:
        return f"{where}, before record {after[0]}"
    if before:
        return f"{where}, after record {before[-1]}"
    return where


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def set_aside(path: Path, read_only: bool) -> str:
    if read_only:
        return "left in place (read-only open)"
    target = path.with_name(f"{path.name}.damaged-{_stamp()}")
    fault_point("recover.set_aside")
    os.replace(path, target)
    sync_dir(path.parent)
    return f"renamed to {target.name}"


def truncate_tail(path: Path, good_bytes: int) -> str:
    copy = path.with_name(f"{path.name}.damaged-{_stamp()}")
    fault_point("recover.copy")
    shutil.copyfile(path, copy)
    with open(copy, "rb") as fh:
        sync_file(fh.fileno())
    fault_point("recover.truncate")
    with open(path, "r+b") as fh:
        fh.truncate(good_bytes)
        sync_file(fh.fileno())
    sync_dir(path.parent)
    return copy.name
