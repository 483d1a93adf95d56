"""How long the command line takes to start, as a ratio to a bare ``python -c pass`` in the same run.

Run: ``python -m bench.bench_startup``. Each command is a fresh interpreter (what a user pays), run
interleaved with the baseline so machine noise hits both alike; the median of the repeats is
reported. ``list`` runs on a data directory with a few small workshops. Goal (issue 13): ``--version``
under 0.3 s. Also prints which heavy packages each command imported (``-X importtime``).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 7
HEAVY = ("scipy", "numpy", "fastapi", "uvicorn", "starlette", "textual", "tinydb", "qrcode", "pydantic")
GOAL_VERSION_SECONDS = 0.3


def _data_dir() -> Path:
    from workshop_tui.models import Source
    from workshop_tui.service import WorkshopService

    root = Path(tempfile.mkdtemp(prefix="bench-startup-"))

    async def fill() -> None:
        async with WorkshopService(root) as service:
            for k in range(3):
                w = await service.create_workshop(f"Workshop {k}")
                await service.post_idea(w.code, "a note", source=Source.PAPER)

    asyncio.run(fill())
    return root


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _heavy_imports(argv: list[str]) -> list[str]:
    """Top-level packages from ``HEAVY`` that ``argv`` (a python command) imported."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.decode().splitlines()}
    return [h for h in HEAVY if h in names]


def main() -> None:
    data = _data_dir()
    try:
        python = sys.executable
        script = Path(python).with_name("workshop-tui")  # the console script users run
        cli = [python, str(script)] if script.exists() else [python, "-m", "workshop_tui"]
        cases = {
            "--version": [*cli, "--version"],
            "list": [*cli, "--data-dir", str(data), "list"],
            "--help": [*cli, "--help"],
        }
        baseline: list[float] = []
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(REPEATS):
            baseline.append(_run([python, "-c", "pass"]))
            for name, argv in cases.items():
                times[name].append(_run(argv))
        base = statistics.median(baseline)
        print(f"baseline `python -c pass`: {base * 1000:.0f} ms (median of {REPEATS}, {os.cpu_count()} cores)")
        print(f"{'command':12} {'median':>9} {'x baseline':>10}  heavy imports")
        for name, argv in cases.items():
            median = statistics.median(times[name])
            heavy = ", ".join(_heavy_imports(argv)) or "none"
            print(f"{name:12} {median * 1000:7.0f} ms {median / base:9.1f}x  {heavy}")
        version = statistics.median(times["--version"])
        verdict = "meets" if version < GOAL_VERSION_SECONDS else "misses"
        print(f"--version {verdict} the goal of {GOAL_VERSION_SECONDS} s ({version:.2f} s)")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
