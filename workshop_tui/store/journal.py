"""The journal: CRC-framed records appended per committed batch.

A frame is ``MAGIC | length (4 bytes) | crc32 (4 bytes) | payload``; the payload is one record
``{"seq": n, "ops": [...]}`` in JSON. A crash can tear only the tail, which the CRC detects.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from workshop_tui.store import fsync

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


@dataclass(frozen=True)
class Scan:
    records: list[Record]
    good_bytes: int
    error: str | None  # why the scan stopped before the end of the file


def scan(data: bytes) -> Scan:
    records: list[Record] = []
    offset = 0
    for record, end, error in _frames(data):
        if error is not None:
            return Scan(records, offset, error)
        assert record is not None
        records.append(record)
        offset = end
    return Scan(records, offset, None)


def _frames(data: bytes) -> Iterator[tuple[Record | None, int, str | None]]:
    offset = 0
    while offset < len(data):
        if len(data) - offset < _HEADER.size:
            yield None, offset, f"incomplete record header at byte {offset}"
            return
        magic, length, crc = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        if magic != MAGIC or length > MAX_RECORD:
            yield None, offset, f"bad record header at byte {offset}"
            return
        payload = data[start : start + length]
        if len(payload) < length:
            yield None, offset, f"incomplete record at byte {offset}"
            return
        if zlib.crc32(payload) != crc:
            yield None, offset, f"checksum mismatch at byte {offset}"
            return
        try:
            body = orjson.loads(payload)
            record = Record(int(body["seq"]), list(body["ops"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            yield None, offset, f"unreadable record at byte {offset}"
            return
        offset = start + length
        yield record, offset, None


class JournalWriter:
    """Appends whole batches to one segment file; used only from the committer's executor thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if not existed:
            fsync.sync_dir(path.parent)
        self.size = os.fstat(self._fd).st_size

    def append(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        fsync.sync_file(self._fd)
        self.size += len(data)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
