"""The follow-up site of a big workshop (issue 14), against the Markdown report of the same data.

Run: ``python -m bench bench_publish``.

One workshop filled through the service: ``NOTES`` notes from ``PEOPLE`` people, a dot each, and
``ITEMS`` prototypes followed up ``CHANGES`` times each over as many weeks (review dates moved, asks
answered). Measured, interleaved, median of ``REPEATS``: ``build_site`` (every page, feed and calendar,
in memory) and its baseline, the anonymised Markdown report (``export --format md --anonymize``: the
same document, rendered once); then ``write_site`` into a fresh folder, and again into the same folder
(nothing changed: nothing is rewritten).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

REPEATS = 3
PEOPLE = 100
NOTES = 2_000
ITEMS = 40
CHANGES = 8


async def _fill(root: Path) -> None:
    from workshop_tui.phases import Phase
    from workshop_tui.service import WorkshopService

    async with WorkshopService(root) as service:
        w = await service.create_workshop("Big follow-up", settings={"max_ideas_per_participant": 100})
        await service.set_phase(w.code, Phase.IDEATE)
        people = [(await service.join(w.code, f"Person {n}"))[0] for n in range(PEOPLE)]
        ideas = [
            await service.post_idea(w.code, f"Idea {n} about shade, benches and bikes", author_id=people[n % PEOPLE].id)
            for n in range(NOTES)
        ]
        for phase in (Phase.GROUP, Phase.VOTE):
            await service.set_phase(w.code, phase)
        await service.set_voting(w.code, voting_open=True)
        for n, person in enumerate(people):
            await service.cast_dot(w.code, person.id, ideas[n % ITEMS].id)
        await service.set_voting(w.code, voting_open=False, results_revealed=True)
        await service.set_phase(w.code, Phase.TEAMS)
        await service.set_phase(w.code, Phase.BACKLOG)
        items = await service.convert_to_backlog(w.code, [i.id for i in ideas[:ITEMS]])
        start = items[0].created_at
        for item in items:
            for week in range(1, CHANGES + 1):
                await service.update_backlog_item(
                    item.id,
                    {
                        "note": f"review {week}",
                        "next_review": (start + dt.timedelta(weeks=week + 1)).date().isoformat(),
                        "asks": [
                            {
                                "kind": "space",
                                "department": f"Department {week % 5}",
                                "detail": "a place",
                                "due": (start + dt.timedelta(weeks=week)).date().isoformat(),
                            }
                        ],
                    },
                    now=start + dt.timedelta(weeks=week),
                )


def _median(run: list[float]) -> float:
    return statistics.median(run)


def main() -> None:
    from workshop_tui.exports import ExportOptions, export_files
    from workshop_tui.publish import SiteOptions, build_site, write_site
    from workshop_tui.service import WorkshopService

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        asyncio.run(_fill(root / "data"))
        service = WorkshopService(root / "data", read_only=True).open()
        views = service.views()
        options = SiteOptions(as_of=dt.datetime.now(dt.UTC).date() + dt.timedelta(weeks=CHANGES + 2))
        site_runs, md_runs = [], []
        files = build_site(views, options)
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            export_files(views[0], "md", ExportOptions(anonymize=True))
            md_runs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            files = build_site(views, options)
            site_runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        write_site(files, root / "site")
        first_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_site(files, root / "site")
        second_write = time.perf_counter() - t0
    size = sum(len(v) for v in files.values())
    print(f"\n## bench_publish: {NOTES} notes, {PEOPLE} people, {ITEMS} prototypes x {CHANGES} follow-ups\n")
    print("| what | median | ratio |")
    print("|---|---:|---:|")
    print(f"| Markdown report (baseline) | {_median(md_runs) * 1000:.0f} ms | 1.0 |")
    print(
        f"| build_site: {len(files)} files, {size / 1024:.0f} KiB | {_median(site_runs) * 1000:.0f} ms | "
        f"{_median(site_runs) / _median(md_runs):.1f} |"
    )
    print(f"| write_site into an empty folder | {first_write * 1000:.0f} ms | {first_write / _median(md_runs):.1f} |")
    print(
        f"| write_site again, nothing changed | {second_write * 1000:.0f} ms | {second_write / _median(md_runs):.1f} |"
    )


if __name__ == "__main__":
    main()
