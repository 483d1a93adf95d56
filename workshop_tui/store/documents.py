"""The changes the store journals and applies: puts, deletes and patches of documents.

Documents are never mutated in place (a change replaces the document), which is what lets a
snapshot image be a shallow copy of each table.
"""

from __future__ import annotations

from typing import Any

from workshop_tui.store.migrations import Tables

#: One change: ``["p", table, id, doc]`` puts a document, ``["d", table, id]`` deletes one. The
#: journal also holds ``["u", table, id, patch]``: the change from the previous version (see delta).
Op = list[Any]

_MISSING = object()


def delta(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The patch that turns ``old`` into ``new``: changed fields, removed ones, items added to lists.

    A note's history only grows, so an edit journals its new entry, not the whole history again.
    """
    sets: dict[str, Any] = {}
    adds: dict[str, list[Any]] = {}
    for key, value in new.items():
        was = old.get(key, _MISSING)
        if was is value or was == value:
            continue
        if isinstance(value, list) and isinstance(was, list) and len(value) > len(was) and value[: len(was)] == was:
            adds[key] = value[len(was) :]
        else:
            sets[key] = value
    patch: dict[str, Any] = {}
    if sets:
        patch["set"] = sets
    if adds:
        patch["add"] = adds
    removed = [key for key in old if key not in new]
    if removed:
        patch["del"] = removed
    return patch


def patched(old: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    doc = dict(old)
    for key in patch.get("del", ()):
        doc.pop(key, None)
    doc.update(patch.get("set", {}))
    for key, items in patch.get("add", {}).items():
        doc[key] = [*doc.get(key, []), *items]
    return doc


def apply_ops(tables: Tables, ops: list[Op]) -> None:
    for op in ops:
        kind = op[0]
        if kind == "p":
            tables.setdefault(op[1], {})[op[2]] = op[3]
        elif kind == "d":
            tables.get(op[1], {}).pop(op[2], None)
        elif kind == "u":
            docs = tables.setdefault(op[1], {})
            old = docs.get(op[2])
            if old is not None:  # None only when the record that put it was lost to damage
                docs[op[2]] = patched(old, op[3])
        else:
            raise ValueError(f"unknown journal op {kind!r}")
