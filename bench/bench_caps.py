"""Floods against the caps (issue 11 item 14), each against a baseline measured in the same run.

Run: ``python -m bench bench_caps``.

- A workshop at its note cap: one workshop is filled through the service to the default caps
  (``max_ideas`` notes, ``max_ideas_per_participant`` each, so a flood stops there). Restart = a
  real ``workshop-tui serve`` from its start to its first answer about the workshop (it listens,
  prints its ready line, then loads it); memory = that process's RSS then (``VmRSS``) and its peak
  (``VmHWM``) from ``/proc/<pid>/status``. Baseline: the same on an
  empty data directory; interleaved, medians of ``REPEATS``.
- Joins behind one address: 300 phones (each its own connection: load the page, then join, and on
  a 429 wait ``Retry-After`` and try again) arrive over ``ARRIVAL_SECONDS`` at a real ``serve``,
  while scripts on the same address flood joins (three loops keeping no cookies and opening a
  connection per join, one keeping cookies on a keep-alive connection and reloading the page
  before each join). Baseline: the same phones with no flood.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.serve_child import Serve
from workshop_tui.server.join_pass import PASS_COOKIE

REPEATS = 3
TEXT = "A note as long as phones usually write them, about shade trees on the market square {}"
PHONES = 300
ARRIVAL_SECONDS = 20.0
GIVE_UP_SECONDS = 60.0
COOKIELESS_FLOODERS = 3  # concurrent loops of the script that keeps no cookies (one more keeps them)
_TLS = ssl.create_default_context()  # one for all clients: building one per client would stall the loop


async def _fill(root: Path) -> tuple[int, str]:
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
            notes = [TEXT.format(posted + k) for k in range(caps.max_ideas_per_participant)]
            await asyncio.gather(*(service.post_idea(w.code, t, author_id=person.id) for t in notes))
            posted += len(notes)
        return posted, w.code


def caps_rows() -> None:
    empty = Path(tempfile.mkdtemp(prefix="bench-caps-empty-"))
    full = Path(tempfile.mkdtemp(prefix="bench-caps-full-"))
    try:
        notes, code = asyncio.run(_fill(full))
        runs: dict[str, list[Serve]] = {"empty": [], "full": []}
        for _ in range(REPEATS):
            # serve loads the workshop right after its ready line: the full one's row waits for its first answer
            for name, data, asked in (("empty", empty, None), ("full", full, code)):
                child = Serve(data, asked)
                child.stop()
                runs[name].append(child)
        disk = sum(p.stat().st_size for p in full.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(empty, ignore_errors=True)
        shutil.rmtree(full, ignore_errors=True)

    def med(name: str, attr: str) -> float:
        return float(statistics.median(getattr(s, attr) for s in runs[name]))

    print(f"workshop at the caps: {notes} notes; {disk / 1e6:.1f} MB on disk; `serve` child, medians of {REPEATS}")
    print("| data dir | restart (empty: -> ready; full: -> first answer) | RSS then | peak | x empty | RSS +empty |")
    print("|---|---|---|---|---|---|")
    base_s, base_rss = med("empty", "answer_seconds"), med("empty", "rss_kib")
    for k in ("empty", "full"):
        s, rss, hwm = med(k, "answer_seconds"), med(k, "rss_kib"), med(k, "hwm_kib")
        print(
            f"| {k} | {s:.2f} s | {rss / 1024:.0f} MiB | {hwm / 1024:.0f} MiB | x{s / base_s:.2f} "
            f"| {(rss - base_rss) / 1024:+.0f} MiB |"
        )


async def _phone(base: str, code: str, k: int, start: float, latencies: list[float]) -> bool:
    import httpx

    await asyncio.sleep(max(0.0, start + k * ARRIVAL_SECONDS / PHONES - time.monotonic()))
    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=30, verify=_TLS) as phone:  # own connection and cookies
        while time.monotonic() - t0 < GIVE_UP_SECONDS:
            try:
                if PASS_COOKIE not in phone.cookies:
                    (await phone.get(f"/j/{code}")).raise_for_status()
                r = await phone.post(f"/api/v1/w/{code}/join", json={"name": f"Phone {k}"})
            except httpx.TransportError:  # what a phone does on a network error: try again
                await asyncio.sleep(1.0)
                continue
            if r.status_code == 201:
                latencies.append(time.monotonic() - t0)
                return True
            if r.status_code != 429:
                return False
            await asyncio.sleep(float(r.headers.get("retry-after", "1")))
    return False


async def _flood(base: str, code: str, stop: asyncio.Event, *, keep_cookies: bool) -> dict[str, int]:
    import httpx

    counts: dict[str, int] = {}
    limits = httpx.Limits(max_keepalive_connections=1 if keep_cookies else 0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits, verify=_TLS) as script:
        while not stop.is_set():
            try:
                if keep_cookies:
                    await script.get(f"/j/{code}")
                else:
                    script.cookies.clear()
                status = str((await script.post(f"/api/v1/w/{code}/join", json={})).status_code)
            except httpx.TransportError as exc:
                status = type(exc).__name__
            counts[status] = counts.get(status, 0) + 1
    return counts


async def _room(base: str, token: str, flood: bool) -> dict[str, Any]:
    import httpx

    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=30) as facilitator:
        r = await facilitator.post("/api/v1/admin/workshops", json={"title": "Room behind one NAT"})
        r.raise_for_status()
        code = r.json()["code"]
    stop = asyncio.Event()
    kinds = [False] * COOKIELESS_FLOODERS + [True]
    floods = [asyncio.create_task(_flood(base, code, stop, keep_cookies=kc)) for kc in kinds] if flood else []
    latencies: list[float] = []
    start = time.monotonic() + 0.2
    joined = await asyncio.gather(*(_phone(base, code, k, start, latencies) for k in range(PHONES)))
    stop.set()
    scripts = await asyncio.gather(*floods)
    merged: list[dict[str, int]] = [{}, scripts[-1]] if scripts else []
    for counts in scripts[:-1]:
        for status, n in counts.items():
            merged[0][status] = merged[0].get(status, 0) + n
    return {"in": sum(joined), "latencies": latencies, "scripts": merged, "seconds": time.monotonic() - start}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def join_rows() -> None:
    data = Path(tempfile.mkdtemp(prefix="bench-caps-joins-"))
    try:
        child = Serve(data)
        try:
            quiet = asyncio.run(_room(child.url, child.token, flood=False))
            flooded = asyncio.run(_room(child.url, child.token, flood=True))
        finally:
            child.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"\n{PHONES} phones from 127.0.0.1 arriving over {ARRIVAL_SECONDS:.0f} s (a real `serve`):")
    print("| run | phones in | all in after | join p50 | join p99 | script joins (statuses) |")
    print("|---|---|---|---|---|---|")
    for name, run in (("no flood (baseline)", quiet), ("scripts flooding", flooded)):
        lat = run["latencies"]
        kinds = (f"no cookies x{COOKIELESS_FLOODERS}", "cookies, keep-alive")
        scripts = "; ".join(f"{kind}: {s}" for kind, s in zip(kinds, run["scripts"], strict=False))
        print(
            f"| {name} | {run['in']}/{PHONES} | {run['seconds']:.1f} s | {statistics.median(lat) * 1000:.0f} ms "
            f"| {_pct(lat, 0.99) * 1000:.0f} ms | {scripts or '-'} |"
        )
    ratio = _pct(flooded["latencies"], 0.99) / _pct(quiet["latencies"], 0.99)
    print(f"join p99 while flooded: x{ratio:.2f} of the quiet run; goal: all {PHONES} in within a minute")


def main() -> None:
    caps_rows()
    join_rows()


if __name__ == "__main__":
    main()
