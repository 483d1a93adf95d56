"""Child process of the crash test: writes under load and prints each id once its write returned.

Usage: python -m tests.crash_child DATA_DIR CODE [SNAPSHOT_AFTER_BYTES]
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from workshop_tui.models import Source
from workshop_tui.service import WorkshopService
from workshop_tui.store import workshop_store


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


async def main() -> None:
    data_dir, code = Path(sys.argv[1]), sys.argv[2]
    if len(sys.argv) > 3:  # small snapshots, so kills also land during snapshot writes and rotation
        workshop_store.SNAPSHOT_AFTER_BYTES = int(sys.argv[3])
    service = WorkshopService(data_dir).open()
    os.write(1, b"ready\n")
    await asyncio.gather(*(writer(service, code, n) for n in range(40)))


if __name__ == "__main__":
    asyncio.run(main())
