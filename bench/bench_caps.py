"""A workshop filled to its caps: memory and restart time, as ratios to an empty data directory.

Run: ``python -m bench.bench_caps``. One workshop is filled through the service to the default caps
(issue 11 item 14: ``max_ideas`` notes, ``max_ideas_per_participant`` each, so a flood stops there)
and closed; then a fresh interpreter opens the data directory (what a restart pays) and reports its
peak RSS and the time to open. The same is done on an empty data directory in the same run,
interleaved, and the medians are compared.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPEATS = 3
TEXT = "A note as long as phones usually write them, about shade trees on the market square {}"

_OPEN = """
import asyncio, resource, sys, time
from pathlib import Path
from workshop_tui.service import WorkshopService
start = time.perf_counter()
service = WorkshopService(Path(sys.argv[1])).open()
opened = time.perf_counter() - start
asyncio.run(service.close())
print(opened, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


async def _fill(root: Path) -> int:
    from workshop_tui.models import Settings
    from workshop_tui.phases import Phase
    from workshop_tui.service import WorkshopService

    caps = Settings()
    async with WorkshopService(root) as service:
        w = await service.create_workshop("Caps")
        await service.set_phase(w.code, Phase.IDEATE)
        people = caps.max_ideas // caps.max_ideas_per_participant
        posted = 0
        for n in range(people):
            person, _token = await service.join(w.code, name=f"Person {n}")
            for _ in range(caps.max_ideas_per_participant):
                await service.post_idea(w.code, TEXT.format(posted), author_id=person.id)
                posted += 1
        return posted


def _open(root: Path) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", _OPEN, str(root)], capture_output=True, text=True, check=True)
    seconds, rss_kib = out.stdout.split()
    return float(seconds), int(rss_kib)


def main() -> None:
    empty = Path(tempfile.mkdtemp(prefix="bench-caps-empty-"))
    full = Path(tempfile.mkdtemp(prefix="bench-caps-full-"))
    notes = asyncio.run(_fill(full))
    runs: dict[str, list[tuple[float, int]]] = {"empty": [], "full": []}
    for _ in range(REPEATS):
        runs["empty"].append(_open(empty))
        runs["full"].append(_open(full))
    med = {k: (statistics.median(s for s, _ in v), statistics.median(r for _, r in v)) for k, v in runs.items()}
    disk = sum(p.stat().st_size for p in full.rglob("*") if p.is_file())
    print(f"workshop at the caps: {notes} notes; {disk / 1e6:.1f} MB on disk")
    # An empty directory opens in well under a millisecond, so the open time is given as it is and
    # the memory as the difference the workshop makes (the interpreter and imports are the baseline).
    print("| data dir | open (restart) | peak RSS | RSS over the empty one |")
    print("|---|---|---|---|")
    for k in ("empty", "full"):
        s, r = med[k]
        print(f"| {k} | {s * 1000:.1f} ms | {r / 1024:.0f} MiB | {(r - med['empty'][1]) / 1024:+.1f} MiB |")


if __name__ == "__main__":
    main()
