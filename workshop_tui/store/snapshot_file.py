"""Snapshot files: the tables in TinyDB's layout, written a chunk at a time and parsed once."""

from __future__ import annotations

import gc
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from workshop_tui.store import migrations, parse
from workshop_tui.store.migrations import Tables

CHUNK_DOCS = 1000  # documents per serialisation call, so a snapshot thread lets the event loop run
META = "_meta"
Image = dict[str, dict[str, Any]]  # shallow copies of the tables, taken between batches


def snapshot_bytes(seq: int, image: Image) -> bytes:
    """The tables in TinyDB's file layout (table -> doc id -> document), plus our ``_meta``.

    Serialised a chunk of documents at a time: between chunks another thread (the event loop) can
    take the GIL, so a big snapshot written in a thread does not stall the writers.
    """
    parts = [b'{"_meta":', orjson.dumps({"1": {"schema_version": migrations.SCHEMA_VERSION, "seq": seq}})]
    for name, docs in image.items():
        parts += [b",", orjson.dumps(name), b":{"]
        values = list(docs.values())
        for start in range(0, len(values), CHUNK_DOCS):
            chunk = {str(i): doc for i, doc in enumerate(values[start : start + CHUNK_DOCS], start=start + 1)}
            if start:
                parts.append(b",")
            parts.append(orjson.dumps(chunk)[1:-1])
        parts.append(b"}")
    parts.append(b"}")
    return b"".join(parts)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No collections while a bulk load allocates millions of long-lived objects (each would scan them all)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def bulk_load() -> Iterator[None]:
    """Loading long-lived objects: no collections meanwhile, and what was loaded is frozen before the
    collector is back on. Enabled first, its next allocation would start a pass over everything
    allocated while it was off (a tenth of a big workshop's load), only for the freeze to follow."""
    with gc_paused():
        yield
        gc.freeze()


def settle_gc(*, idle: bool) -> None:
    """Keep the collector off the long-lived documents, so its pauses do not grow with the workshop.

    ``gc.freeze`` moves everything alive now out of the collector's view: after a load, a snapshot or
    a stretch of writes, that is mostly documents. What is not frozen yet (the objects made since the
    last freeze, a bounded number) is collected first, so no garbage of it is frozen; cycles that
    become garbage while frozen are collected at the next idle moment, when one full pass (unfreeze,
    collect, freeze) delays nobody.
    """
    if idle:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def read_snapshot(path: Path) -> tuple[int, int, Tables, int]:
    """(schema version, seq, tables, size in bytes) of a TinyDB snapshot file, parsed once.

    A ``.gz`` file holds an older snapshot's bytes gzipped (its CRC catches damage); the size is the
    plain one. Raises on anything unreadable or not in TinyDB's layout.
    """
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    with gc_paused():
        data = parse.loads(raw)
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise ValueError("not a TinyDB document: expected an object of tables")
    meta = data.get(META)
    if not meta:
        raise ValueError("no _meta table")
    if len(meta) != 1:
        raise ValueError("_meta must hold one document")
    (first,) = meta.values()
    version, seq = int(first["schema_version"]), int(first["seq"])
    tables: Tables = {}
    for name, docs in data.items():
        if name != META:
            tables[name] = {str(doc["id"]): doc for doc in docs.values()}
    return version, seq, tables, len(raw)
