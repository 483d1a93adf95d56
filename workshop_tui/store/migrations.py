"""Schema versions of the stored tables and the ordered functions that upgrade them.

``MIGRATIONS[n]`` turns version ``n`` tables into version ``n + 1``. Version 1 is the first
released format, so the list is empty; each future change adds one function and a stored sample
file of the old version under ``tests/samples/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workshop_tui.errors import DamagedData

Tables = dict[str, dict[str, dict[str, Any]]]

SCHEMA_VERSION = 1
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {}


def migrate(tables: Tables, version: int, *, target: int = SCHEMA_VERSION) -> Tables:
    if version > target:
        raise DamagedData(
            f"the data was written by a newer workshop-tui (schema {version}, "
            f"this one reads up to {target}); upgrade workshop-tui"
        )
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DamagedData(f"no migration from schema version {version}")
        tables = step(tables)
        version += 1
    return tables
