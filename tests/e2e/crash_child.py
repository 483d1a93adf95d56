"""Child process of the crash test: writes under load and prints each id once its write returned.

Usage: python -m tests.e2e.crash_child DATA_DIR CODE [SNAPSHOT_FLOOR_BYTES [slow]]
       python -m tests.e2e.crash_child import DATA_DIR FILE

The second form runs the real ``import`` command and stops (for the parent to kill it) when the
workshop's files are complete but not yet renamed into place, printing ``installing`` first.

With a floor, snapshots are small and frequent, so kills also land during snapshot writes and
rotation; with ``slow`` each snapshot says so on stdout, then pauses before it is written, so the
parent can kill it while a snapshot is half written.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from workshop_tui.models import Source
from workshop_tui.service import WorkshopService
from workshop_tui.store import fsync, workshop_store


async def writer(service: WorkshopService, code: str, n: int) -> None:
    people = [await service.join(code, f"w{n}p{k}") for k in range(2)]
    k = 0
    while True:
        k += 1
        idea = await service.post_idea(code, f"writer {n} note {k}", source=Source.PAPER)
        os.write(1, f"idea {idea.id}\n".encode())
        pid = people[k % 2][0].id
        try:
            await service.cast_dot(code, pid, idea.id)
        except Exception:  # a spent budget: the test checks only what was acknowledged
            continue
        os.write(1, f"vote {pid}:{idea.id}\n".encode())


def slow_write_atomic(path: Path, data: bytes) -> None:
    """Snapshots take a while (a big workshop on a slow disk); runs in the snapshot thread."""
    os.write(1, b"snapshotting\n")
    time.sleep(0.05)
    real_write_atomic(path, data)


real_write_atomic = fsync.write_atomic


def stop_before_install(point: str) -> None:
    if point == "install.rename":
        os.write(1, b"installing\n")
        time.sleep(600)  # the parent kills us here


async def main() -> None:
    data_dir, code = Path(sys.argv[1]), sys.argv[2]
    if len(sys.argv) > 3:
        workshop_store.SNAPSHOT_FLOOR_BYTES = int(sys.argv[3])
        workshop_store.SNAPSHOT_FRACTION = 0.05
    if len(sys.argv) > 4 and sys.argv[4] == "slow":
        setattr(workshop_store, "write_atomic", slow_write_atomic)  # noqa: B010 - the name the store calls
    service = WorkshopService(data_dir).open()
    os.write(1, b"ready\n")
    await asyncio.gather(*(writer(service, code, n) for n in range(40)))


if __name__ == "__main__":
    if sys.argv[1] == "import":
        from workshop_tui.cli import main as cli

        fsync.fault_hook = stop_before_install
        sys.exit(cli(["--data-dir", sys.argv[2], "import", sys.argv[3]]))
    asyncio.run(main())
