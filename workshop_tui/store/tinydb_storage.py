"""A TinyDB ``Storage`` that reads with orjson and writes atomically.

Snapshots are plain TinyDB JSON files: stock ``TinyDB(path)`` opens them. TinyDB's own JSONStorage
rewrites the file in place, which a crash can leave unreadable; this one never exposes a half file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from workshop_tui.store.fsync import write_atomic


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        data = orjson.loads(raw)
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("not a TinyDB document: expected an object of tables")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomic(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass
