"""The big workshop of issue 13, written through the real service (every write durable, as in a room).

At ``scale=1``: 1,000 participants, 5,000 notes, 20,000 dots, 25 themes, 40 teams, 40 backlog
items; ``scale`` shrinks every count alike (0.5 is the half-size workshop the linearity rows use).
It ends in the backlog phase. Run ``python -m bench.big_workshop DIR [SCALE]`` to build one in a
data directory; the benches call ``cached(scale)``, which builds it once per generator version in
the temporary directory and copies it where it is needed.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import Any

from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

VERSION = 2  # bump when the workshop built here (or the files the store writes) changes: the cache is rebuilt
PEOPLE, NOTES_EACH, DOTS_EACH, THEMES, TEAMS = 1000, 5, 20, 25, 40
CONCURRENCY = 200  # writes in flight at once: they share group commits, as a room's phones do
WORDS = (
    "shade trees bike lane market square bus stop benches library hours playground lights crossing "
    "water fountain noise night buses recycling compost murals skate park river path parking toilets"
).split()


async def _gather(calls: Iterable[Awaitable[Any]]) -> list[Any]:
    """Run the calls CONCURRENCY at a time, in order."""
    out: list[Any] = []
    pending = list(calls)
    for start in range(0, len(pending), CONCURRENCY):
        out += await asyncio.gather(*pending[start : start + CONCURRENCY])
    return out


def _text(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return f"Idea {n}: {words}"[:280]


async def build(service: WorkshopService, scale: float = 1.0, *, seed: int = 13) -> str:
    """Fill a new workshop; returns its code."""
    rng = random.Random(seed)
    people, themes, teams = max(2, round(PEOPLE * scale)), max(1, round(THEMES * scale)), max(1, round(TEAMS * scale))
    size = -(-people // teams)  # teams of about this many
    settings = {
        "dots_per_participant": DOTS_EACH,
        "max_dots_per_idea": 3,
        "team_min_size": max(1, size - 3),
        "team_max_size": size + 3,
    }
    w = await service.create_workshop(f"Big workshop x{scale:g}", settings=settings)
    code = w.code
    await service.set_phase(code, Phase.IDEATE)
    joined = await _gather(
        service.join(code, f"Person {k}", skills=[rng.choice(WORDS)] if k % 3 else []) for k in range(people)
    )
    ids = [p.id for p, _token in joined]
    posts = [(pid, k * NOTES_EACH + j) for k, pid in enumerate(ids) for j in range(NOTES_EACH)]
    ideas = await _gather(service.post_idea(code, _text(rng, n), author_id=pid) for pid, n in posts)
    await service.set_phase(code, Phase.GROUP)
    made = [await service.create_theme(code, f"Theme {k}: {rng.choice(WORDS)}") for k in range(themes)]
    await _gather(service.set_idea_theme(code, idea.id, rng.choice(made).id) for idea in ideas)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    note_ids = [i.id for i in ideas]
    await _gather(service.cast_dot(code, pid, idea_id) for pid in ids for idea_id in rng.sample(note_ids, DOTS_EACH))
    await service.set_voting(code, voting_open=False, results_revealed=True)
    await service.set_phase(code, Phase.TEAMS)
    candidates = (await service.set_team_candidates(code, team_count=teams)).team_candidates
    await _gather(service.set_preferences(code, pid, rng.sample(candidates, min(3, len(candidates)))) for pid in ids)
    await service.form_teams(code, team_count=teams)
    await service.set_phase(code, Phase.BACKLOG)
    await service.convert_to_backlog(code)
    return code


def _cache_dir(scale: float) -> Path:
    return Path(tempfile.gettempdir()) / "workshop-tui-bench" / f"big-v{VERSION}-x{scale:g}"


def cached(scale: float = 1.0) -> Path:
    """A data directory holding the workshop at ``scale``, built once (a copy is what benches use)."""
    done = _cache_dir(scale)
    if not (done / "READY").exists():
        shutil.rmtree(done, ignore_errors=True)
        building = done.with_name(done.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        start = time.perf_counter()
        code = asyncio.run(_build_in(building, scale))
        (building / "READY").write_text(code)
        building.rename(done)
        print(f"(built the x{scale:g} workshop {code} in {time.perf_counter() - start:.0f} s)", flush=True)
    return done


def copy_of(scale: float, into: Path) -> str:
    """Copy the cached workshop's data directory to ``into`` (fresh files each time); its code."""
    source = cached(scale)
    shutil.copytree(source, into, dirs_exist_ok=True)
    (into / "READY").unlink()
    return (source / "READY").read_text()


PAST_SCALE = 0.1  # a past workshop: 100 people, 500 notes, 2,000 dots, closed


def cached_past(count: int) -> Path:
    """A data directory of ``count`` closed past workshops (one built through the service, then imported
    again under fresh codes and ids, as ``workshop-tui import --as-new-code`` does)."""
    done = Path(tempfile.gettempdir()) / "workshop-tui-bench" / f"past-v{VERSION}-{count}"
    if not (done / "READY").exists():
        shutil.rmtree(done, ignore_errors=True)
        building = done.with_name(done.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        asyncio.run(_build_past(building, count))
        (building / "READY").write_text(str(count))
        building.rename(done)
    return done


async def _build_past(root: Path, count: int) -> None:
    from workshop_tui.export_json import build_export
    from workshop_tui.importer import with_fresh_ids

    async with WorkshopService(root) as service:
        code = await build(service, PAST_SCALE)
        await service.set_phase(code, Phase.CLOSED)
        doc = build_export(service.view(code))
        for _ in range(count - 1):
            await service.import_export(with_fresh_ids(doc), as_new_code=True)


async def _build_in(root: Path, scale: float) -> str:
    async with WorkshopService(root) as service:
        return await build(service, scale)


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    scale = float(argv[1]) if len(argv) > 1 else 1.0
    code = asyncio.run(_build_in(root, scale))
    print(code)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
