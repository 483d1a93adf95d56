"""An idle workshop's snapshot collects the garbage in one full pass only when the whole process is idle.

That pass walks every object of the process, on the event loop: a few tenths of a second with a few
workshops open. "Idle" used to mean that this store had no writes for a while, so in a ``serve`` with
two rooms (or the bench's rounds, issue 13) the quiet room's pass stalled the votes of the busy one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.waiting import wait_until
from workshop_tui.store import WorkshopStore, snapshot_file
from workshop_tui.store import workshop_store as ws


def put(i: int) -> list[Any]:
    return [["p", "ideas", f"i{i}", {"id": f"i{i}", "text": f"note {i}"}]]


@pytest.fixture
def full_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each snapshot's settling of the collector: True for a full pass."""
    calls: list[bool] = []
    real = snapshot_file.settle_gc

    def settle(*, idle: bool) -> None:
        calls.append(idle)
        real(idle=idle)

    monkeypatch.setattr(ws, "settle_gc", settle)
    monkeypatch.setattr(ws, "IDLE_SNAPSHOT_SECONDS", 0.2)
    return calls


async def test_a_quiet_workshop_makes_no_full_pass_while_another_takes_writes(
    tmp_path: Path, full_passes: list[bool]
) -> None:
    quiet, busy = WorkshopStore.create(tmp_path / "quiet"), WorkshopStore.create(tmp_path / "busy")
    await quiet.apply(put(0))
    k = 0
    while not full_passes:  # the quiet one's idle snapshot, while the busy one keeps writing
        k += 1
        await busy.apply(put(k))
    assert full_passes == [False]
    assert (tmp_path / "quiet" / "snapshot-000000000001.json").exists()
    await busy.close()
    await quiet.close()


async def test_a_quiet_process_makes_its_full_pass(tmp_path: Path, full_passes: list[bool]) -> None:
    store = WorkshopStore.create(tmp_path / "w")
    await store.apply(put(0))
    await wait_until(lambda: full_passes, what="the idle snapshot")
    assert full_passes == [True]
    await store.close()
