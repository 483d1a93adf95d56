"""How long the command line and the TUI take to start, as ratios to baselines in the same run.

Run: ``python -m bench.bench_startup``. Each command is a fresh interpreter (what a user pays), run
interleaved with the baseline so machine noise hits both alike; the median of the repeats is
reported. ``list`` runs on a data directory with a few small workshops. Goal (issue 13): ``--version``
under 0.3 s. Also prints which heavy packages each command imported (``-X importtime``).

Past workshops (issue 13): the TUI launched headless (``run``: until the home list shows every
workshop; ``run CODE``: until the lobby's QR code of the join URL is laid out, the frame it is drawn
in, and then until the server serves phones, which it starts after that frame) and ``list``,
on a data directory holding one live workshop, with and without 50 closed past workshops (100
people, 500 notes, 2,000 dots each; ``bench/big_workshop.py``). Baseline: the smallest Textual app.
Goals: QR and code on screen < 0.8 s; past workshops cost < 10%, read in CPU seconds (the work they
add: on this shared machine the wall time of two runs in a row differs by more than that), as the
median ratio of back-to-back pairs (with, without; each pair in alternating order); the wall-time
ratio is printed beside it.
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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


class Timing(NamedTuple):
    wall: float
    cpu: float  # CPU seconds of the process: what the work costs, little moved by other processes' load


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


TUI_LAUNCH = r"""
import asyncio, sys, time
from pathlib import Path
async def main():
    from workshop_tui.server.runner import ParticipantServer
    from workshop_tui.service import WorkshopService
    from screens.app import WorkshopApp
    from screens.home import HomeScreen
    from screens.lobby import LobbyScreen
    service = WorkshopService(Path(sys.argv[1])).open()
    code = service.view(sys.argv[2]).code if sys.argv[2] else None  # what `run CODE` does first
    app = WorkshopApp(service, ParticipantServer(service, host="127.0.0.1", port=0), code=code)
    async with app.run_test(size=(120, 40)) as pilot:
        def shown():
            screen = app.screen
            if code is not None:  # the QR code of the join URL laid out on the lobby: in this frame
                if not (isinstance(screen, LobbyScreen) and screen.is_mounted):
                    return False
                qr = screen.query_one("#qr")
                return bool(qr.data) and qr.data == app.join_url(code) and qr.region.area > 0
            return isinstance(screen, HomeScreen) and screen.query_one("#workshops").row_count == int(sys.argv[3])
        while not shown():
            await pilot.pause(0.005)
        print("shown", time.process_time(), flush=True)
        while not app.server_running:
            await pilot.pause(0.005)
        print("served", time.process_time(), flush=True)
    await app.shutdown_session()
asyncio.run(main())
"""

SMALLEST_TEXTUAL = r"""
import asyncio, time
from textual.app import App
from textual.widgets import Static
class Smallest(App):
    def compose(self):
        yield Static("hello")
async def main():
    app = Smallest()
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.screen.query(Static):
            await pilot.pause(0.005)
        print("shown", time.process_time(), flush=True)
asyncio.run(main())
"""

PAST = 50
PAST_REPEATS = 5  # each is a TUI launch: fewer than the commands' repeats


def _until(argv: list[str], words: tuple[str, ...]) -> list[Timing]:
    """From starting ``argv`` until it prints each of ``words`` in turn with its CPU seconds (then it is
    left to finish)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    timings = []
    for expected in words:
        line = proc.stdout.readline()
        seconds = time.perf_counter() - start
        word, _, cpu = line.strip().partition(" ")
        if word != expected:
            proc.kill()
            raise RuntimeError(f"{argv[:3]} did not get to {expected!r}")
        timings.append(Timing(seconds, float(cpu)))
    proc.communicate(timeout=60)
    return timings


def _until_shown(argv: list[str]) -> Timing:
    return _until(argv, ("shown",))[0]


def _run_timed(argv: list[str]) -> Timing:
    """``argv`` to its end: wall and CPU seconds (user + system, from the kernel's accounting)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = _run(argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def _past_dirs() -> tuple[Path, Path]:
    """(one live workshop, the same plus PAST closed past workshops)."""
    from bench.big_workshop import cached_past
    from workshop_tui.service import WorkshopService

    none = Path(tempfile.mkdtemp(prefix="bench-startup-live-"))
    past = Path(tempfile.mkdtemp(prefix="bench-startup-past-"))
    shutil.copytree(cached_past(PAST), past, dirs_exist_ok=True)
    (past / "READY").unlink()

    async def live(root: Path) -> None:
        async with WorkshopService(root) as service:
            await service.create_workshop("Live", code="LIVE")

    for root in (none, past):
        asyncio.run(live(root))
    return none, past


def past_workshops() -> None:
    python = sys.executable
    none, past = _past_dirs()
    try:
        script = Path(python).with_name("workshop-tui")
        cli = [python, str(script)] if script.exists() else [python, "-m", "workshop_tui"]
        lobby = ("`run LIVE` -> lobby and QR", "`run LIVE` -> phones served")  # one launch, two moments
        cases: dict[tuple[str, ...], Callable[[Path, int], list[Timing]]] = {
            ("`run` -> home list",): lambda d, n: _until([python, "-c", TUI_LAUNCH, str(d), "", str(n)], ("shown",)),
            lobby: lambda d, n: _until([python, "-c", TUI_LAUNCH, str(d), "LIVE", "0"], ("shown", "served")),
            ("`list`",): lambda d, n: [_run_timed([*cli, "--data-dir", str(d), "list"])],
        }
        smallest: list[Timing] = []
        times: dict[tuple[str, str], list[Timing]] = {}
        for repeat in range(PAST_REPEATS):
            smallest.append(_until_shown([python, "-c", SMALLEST_TEXTUAL]))
            for names, measure in cases.items():
                pair = [("none", none, 1), ("past", past, PAST + 1)]
                for kind, data, count in pair if repeat % 2 else reversed(pair):  # neither always goes first
                    for name, timing in zip(names, measure(data, count), strict=True):
                        times.setdefault((name, kind), []).append(timing)
        base = statistics.median(t.wall for t in smallest)
        base_cpu = statistics.median(t.cpu for t in smallest)
        print(
            f"\nsmallest Textual app on screen: {base * 1000:.0f} ms, {base_cpu * 1000:.0f} ms CPU "
            f"(median of {PAST_REPEATS})"
        )
        print(
            "past cost: the median ratio of back-to-back pairs, in CPU seconds (the work past workshops add; "
            "wall time on this shared machine swings by more than 10% between two runs) and in wall time"
        )
        print(
            f"| command | 1 live workshop | + {PAST} past workshops | past cost (CPU) | wall | x smallest app "
            "| CPU, 1 live (x smallest app) |"
        )
        print("|---|---|---|---|---|---|---|")
        for name in (name for names in cases for name in names):
            alone, with_past = times[(name, "none")], times[(name, "past")]
            cpu = statistics.median(p.cpu / a.cpu for a, p in zip(alone, with_past, strict=True)) - 1
            wall = statistics.median(p.wall / a.wall for a, p in zip(alone, with_past, strict=True)) - 1
            verdict = "meets" if cpu < 0.10 else "over"
            alone_ms, past_ms = (statistics.median(t.wall for t in ts) * 1000 for ts in (alone, with_past))
            alone_cpu = statistics.median(t.cpu for t in alone)  # the work, whatever the machine's load
            print(
                f"| {name} | {alone_ms:.0f} ms | {past_ms:.0f} ms | {cpu:+.0%} ({verdict} < 10%) | {wall:+.0%} "
                f"| x{past_ms / 1000 / base:.1f} | {alone_cpu * 1000:.0f} ms (x{alone_cpu / base_cpu:.1f}) |"
            )
    finally:
        shutil.rmtree(none, ignore_errors=True)
        shutil.rmtree(past, ignore_errors=True)


def main() -> None:
    commands()
    past_workshops()


def commands() -> None:
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
