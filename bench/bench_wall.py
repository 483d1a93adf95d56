"""The wall at scale: mount and update time at 500 and 2,000 notes, and duplicate suggestions for
2,000 notes, each reported as a ratio against a baseline measured in the same run.

Run: ``python -m bench bench_wall``. Baselines: mounting an empty wall (the app, the screen, the
event bridge: everything but the notes) and, for duplicates, one linear pass that only normalises
the 2,000 texts. Updates are timed as the screen's own refresh after a real service write: an
appended note (the common case while phones post) and a full rebuild (switching the theme filter).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from screens.wall import ALL, NO_THEME, WallScreen
from screens.widgets.note_table import NoteTable
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.duplicates import _prepare, suggest_duplicates
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

WORDS = (
    "bike lane tree park bench school route repair cafe water tram bus data open map shade square market "
    "library youth elderly noise light safety parking sensor garden compost festival street crossing"
).split()
SIZES = [0, 500, 2000]
REPEAT = 3


def note_text(rng: random.Random, n: int) -> str:
    return f"{' '.join(rng.choices(WORDS, k=rng.randint(4, 30)))} #{n}"


async def fill(service: WorkshopService, code: str, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    await asyncio.gather(*(service.post_idea(code, note_text(rng, n), source=Source.PAPER) for n in range(count)))


async def measure(notes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        service = WorkshopService(Path(tmp)).open()
        try:
            w = await service.create_workshop("Bench", code="BNCH")
            await service.set_phase(w.code, Phase.IDEATE)
            await fill(service, w.code, notes)
            mounts, appends, rebuilds = [], [], []
            for _ in range(REPEAT):
                app = HarnessApp(service, lambda: WallScreen(service, w.code))
                start = time.perf_counter()
                async with app.run_test(size=(160, 45)) as pilot:
                    await pilot.pause()
                    screen = app.screen
                    assert isinstance(screen, WallScreen)
                    table = screen.query_one(NoteTable)
                    assert table.row_count == len(service.state(w.code).ideas)
                    mounts.append(time.perf_counter() - start)
                    idea = await service.post_idea(w.code, "one more note", source=Source.PAPER)
                    t0 = time.perf_counter()
                    screen._refresh_notes({idea.id})
                    appends.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    screen.filter = NO_THEME
                    table._rebuild(service.state(w.code), screen._visible_notes())
                    screen.filter = ALL
                    table._rebuild(service.state(w.code), screen._visible_notes())
                    rebuilds.append((time.perf_counter() - t0) / 2)
                    await pilot.pause()
            return {
                "mount": statistics.median(mounts),
                "append": statistics.median(appends),
                "rebuild": statistics.median(rebuilds),
            }
        finally:
            await service.close()


def bench_duplicates(count: int = 2000) -> tuple[float, float, int]:
    rng = random.Random(3)
    notes = {f"n{i}": note_text(rng, i) for i in range(count)}
    for i in range(0, count, 50):  # plant near-duplicates
        notes[f"d{i}"] = notes[f"n{i}"].upper() + "!"
    t0 = time.perf_counter()
    for text in notes.values():
        _prepare(text)
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs = suggest_duplicates(notes)
    elapsed = time.perf_counter() - t0
    return baseline, elapsed, len(pairs)


def main() -> None:
    results = {n: asyncio.run(measure(n)) for n in SIZES}
    base = results[0]["mount"]
    print(f"wall mount, empty (baseline): {base * 1000:.0f} ms")
    for n in SIZES[1:]:
        r = results[n]
        print(
            f"wall with {n:>5} notes: mount {r['mount'] * 1000:.0f} ms ({r['mount'] / base:.2f}x empty), "
            f"append one note {r['append'] * 1000:.1f} ms, full rebuild {r['rebuild'] * 1000:.0f} ms"
        )
    baseline, elapsed, pairs = bench_duplicates()
    print(
        f"duplicate suggestions, 2,040 notes: {elapsed * 1000:.0f} ms ({elapsed / baseline:.1f}x a normalising pass "
        f"of {baseline * 1000:.0f} ms), {pairs} pairs"
    )


if __name__ == "__main__":
    main()
