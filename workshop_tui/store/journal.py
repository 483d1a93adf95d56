"""The journal: CRC-framed records appended per committed batch.

A frame is ``MAGIC | length (4 bytes) | crc32 (4 bytes) | payload``; the payload is one record
``{"seq": n, "ops": [...]}`` in JSON. A crash can tear only the tail of the newest segment; damage
anywhere else is corruption. ``scan`` tells the two apart: after a bad frame it looks for the next
frame whose checksum holds, so intact records after a damaged one are still found (CRC32 makes a
false match of a random byte run about one in four billion).
"""

from __future__ import annotations

import errno
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from workshop_tui.store import fsync, parse

MAGIC = b"WJ\x01"
_HEADER = struct.Struct(">3sII")
MAX_RECORD = 64 * 1024 * 1024


def encode(seq: int, ops: list[Any]) -> bytes:
    payload = orjson.dumps({"seq": seq, "ops": ops})
    return _HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


@dataclass(frozen=True)
class Record:
    seq: int
    ops: list[Any]
    offset: int


@dataclass(frozen=True)
class Damage:
    offset: int  # first bad byte
    end: int  # where the next intact frame starts, or the file's length
    reason: str


@dataclass
class Scan:
    records: list[Record] = field(default_factory=list)
    damage: list[Damage] = field(default_factory=list)
    size: int = 0

    @property
    def torn_tail(self) -> Damage | None:
        """Damage that runs to the end of the file with no intact frame after it."""
        if self.damage and self.damage[-1].end == self.size:
            return self.damage[-1]
        return None

    @property
    def good_bytes(self) -> int:
        tail = self.torn_tail
        return tail.offset if tail is not None else self.size


def _frame_at(data: bytes, offset: int) -> tuple[Record | None, int, str]:
    """The record at ``offset`` and where it ends, or None, the frame's claimed end and why not."""
    if len(data) - offset < _HEADER.size:
        return None, len(data), "incomplete record header"
    magic, length, crc = _HEADER.unpack_from(data, offset)
    if magic != MAGIC or length > MAX_RECORD:
        return None, len(data), "bad record header"
    start = offset + _HEADER.size
    end = start + length
    if end > len(data):
        return None, len(data), "incomplete record"
    payload = data[start:end]
    if zlib.crc32(payload) != crc:
        return None, end, "checksum mismatch"
    try:
        body = parse.loads(payload)
        return Record(int(body["seq"]), list(body["ops"]), offset), end, ""
    except (KeyError, TypeError, ValueError):
        return None, end, "unreadable record"


def scan(data: bytes) -> Scan:
    result = Scan(size=len(data))
    offset = 0
    while offset < len(data):
        record, end, reason = _frame_at(data, offset)
        if record is not None:
            result.records.append(record)
            offset = end
            continue
        resume = _next_intact(data, offset, end)
        result.damage.append(Damage(offset, resume, f"{reason} at byte {offset}"))
        offset = resume
    return result


def _next_intact(data: bytes, bad: int, claimed_end: int) -> int:
    """Where the first intact frame after the bad one at ``bad`` starts (the file's length if none)."""
    candidates = [claimed_end] if claimed_end < len(data) else []
    position = bad + 1
    while True:
        for candidate in candidates:
            if _frame_at(data, candidate)[0] is not None:
                return candidate
        position = data.find(MAGIC, position)
        if position < 0:
            return len(data)
        candidates = [position]
        position += 1


class JournalWriter:
    """Appends whole batches to one segment file; used only from the committer's executor thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        fsync.fault_point("segment.create")
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if not existed:
            fsync.fault_point("segment.dir_sync")
            fsync.sync_dir(path.parent)
        self.size = os.fstat(self._fd).st_size

    def append(self, data: bytes) -> None:
        fsync.fault_point("append.write")
        fsync.write_all(self._fd, data, "append.write")
        fsync.fault_point("append.sync")
        fsync.sync_file(self._fd)
        self.size += len(data)
        self.check_still_linked()
        fsync.fault_point("append.synced")

    def check_still_linked(self) -> None:
        """Raise if the segment is no longer the file at its path (directory deleted, moved, replaced).

        Appends to an unlinked file succeed and sync, yet nothing would survive a restart.
        """
        mine = os.fstat(self._fd)
        if mine.st_nlink == 0:
            raise OSError(errno.ENOENT, "the journal file was deleted while open", str(self.path))
        try:
            there = os.stat(self.path)
        except FileNotFoundError:
            raise OSError(
                errno.ENOENT, "the journal file is no longer in the workshop directory", str(self.path)
            ) from None
        if (there.st_dev, there.st_ino) != (mine.st_dev, mine.st_ino):
            raise OSError(errno.ESTALE, "the journal file was replaced while open", str(self.path))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
