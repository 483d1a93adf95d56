"""Phone note -> visible on the projected wall, against a minimal Textual app in the same run.

Run: ``python -m bench bench_wall_latency``. A real service on a temporary data directory, the real
participant server on 127.0.0.1 and httpx as the phone. "Visible" is the first frame whose terminal
output (the bytes a real terminal would get, rendered from the compositor's update) holds the note's
text: the time runs from sending the POST to that frame.

- wall: the real ``WorkshopApp`` on the wall screen of a workshop in ideate with ``NOTES`` notes
  already on it (events through the service's bus and the app's ``EventBridge``);
- baseline: a minimal Textual app with one ``Static``, updated straight from the bus, with the same
  server and the same phone requests.

Both idle, then both while ``PHONES`` phones vote in another workshop of the same room: a separate
process (``PHONES_CLIENT``, so the phones' own CPU is not on the app's event loop) holds one keep-alive
connection per phone to the same participant server and has each cast a dot and take it back in turn,
one request a second (~300 durable writes a second through the real HTTP routes and the vote fast
path, each event crossing the bridge). Reports p50/p95, their ratios to the baseline, the phones'
answered requests and the load average. Goal (issue 13): p95 < 100 ms under load.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import RenderableType
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

import screens.app
from bench.bench_server import READ_RESPONSE
from bench.bench_wall import note_text
from screens.app import WorkshopApp
from screens.wall.screen import WallScreen
from workshop_tui import events as ev
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

NOTES = 500
POSTS = 30
SIZE = (120, 40)
PHONES = 300
VOTE_IDEAS = 30
WARMUP_SECONDS = 3.0  # the phones connect and start voting before the first note

#: The phones: one connection each; each casts a dot on a note, then takes it back, one request about
#: every second (spread at random), until its stdin closes; then prints what the server answered.
PHONES_CLIENT = (
    READ_RESPONSE
    + r"""
import asyncio, json, random, sys, time
host, port, code = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tokens = open(sys.argv[4]).read().split()
ideas = open(sys.argv[5]).read().split()
status, done = {}, asyncio.Event()
async def phone(n):
    rnd = random.Random(n)
    r, w = await asyncio.open_connection(host, port)
    await asyncio.sleep(rnd.uniform(0, 1))
    while not done.is_set():
        idea = rnd.choice(ideas)
        for method, path, body in (("POST", f"/api/v1/w/{code}/votes", json.dumps({"idea_id": idea})),
                                   ("DELETE", f"/api/v1/w/{code}/votes/{idea}", "")):
            w.write((f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {tokens[n]}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
            got = await read_response(r)
            status[got] = status.get(got, 0) + 1
            await asyncio.sleep(rnd.uniform(0.5, 1.5))
            if done.is_set():
                break
    w.close()
async def main():
    start = time.monotonic()
    phones = [asyncio.create_task(phone(n)) for n in range(len(tokens))]
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    done.set()
    await asyncio.gather(*phones)
    print(json.dumps({"status": status, "seconds": time.monotonic() - start}), flush=True)
asyncio.run(main())
"""
)


class FrameWatch:
    """Renders each frame's update as a terminal would and notes when ``token`` first shows."""

    def __init__(self) -> None:
        self.token = ""
        self.seen_at: float | None = None
        self.seen = asyncio.Event()

    def expect(self, token: str) -> None:
        self.token, self.seen_at = token, None
        self.seen.clear()

    def display(self, app: App[Any], renderable: RenderableType | None) -> None:
        if renderable is None or not self.token or self.seen_at is not None:
            return
        render = getattr(renderable, "render_segments", None)
        output = render(app.console) if render is not None else ""
        if self.token in output:
            self.seen_at = time.perf_counter()
            self.seen.set()


class WatchedWorkshopApp(WorkshopApp):
    CSS_PATH = screens.app.APP_CSS  # relative paths would resolve from here
    frames: FrameWatch

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        self.frames.display(self, renderable)


class MinimalApp(App[None]):
    """The least a Textual app can do to show a note: one Static, updated from the bus."""

    frames: FrameWatch

    def __init__(self, service: WorkshopService, server: ParticipantServer) -> None:
        super().__init__()
        self.service = service
        self.server = server

    def compose(self) -> ComposeResult:
        yield Static("waiting", id="note", markup=False)

    async def on_mount(self) -> None:
        self.service.bus.subscribe(self._on_event)
        await self.server.start()

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.IdeaPosted):
            self.query_one("#note", Static).update(event.idea.text)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        self.frames.display(self, renderable)


async def post_and_see(client: httpx.AsyncClient, code: str, watch: FrameWatch, n: int) -> list[float]:
    out = []
    token = ""
    for i in range(POSTS):
        if i % 10 == 0:  # a phone posts at most a burst of 20 notes (the rate limit): one per ten
            joined = await client.post(f"/api/v1/w/{code}/join", json={"name": f"phone {n}-{i}"})
            token = joined.json()["token"]
        mark = f"zq{n}x{i}k"
        watch.expect(mark)
        t0 = time.perf_counter()
        response = await client.post(
            f"/api/v1/w/{code}/ideas", json={"text": f"new {mark}"}, headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(watch.seen.wait(), 5)
        out.append(((watch.seen_at or time.perf_counter()) - t0) * 1000)
        await asyncio.sleep(random.uniform(0.05, 0.15))  # a quiet moment, as between two phones' notes
    return out


async def workshop(service: WorkshopService) -> str:
    w = await service.create_workshop("Latency", code="LAT", settings={"max_ideas": 5000})
    await service.set_phase(w.code, Phase.IDEATE)
    rng = random.Random(1)
    texts = [note_text(rng, k) for k in range(NOTES)]
    await asyncio.gather(*(service.post_idea(w.code, t, source=Source.PAPER) for t in texts))
    return w.code


async def voting_room(service: WorkshopService, tmp: Path) -> tuple[str, Path, Path]:
    """A second workshop in the vote phase: PHONES people (their tokens) and VOTE_IDEAS notes, in files."""
    w = await service.create_workshop("Voting room", code="VOTE", settings={"dots_per_participant": 5})
    await service.set_phase(w.code, Phase.IDEATE)
    ideas = [await service.post_idea(w.code, f"Idea {j}", source=Source.FACILITATOR) for j in range(VOTE_IDEAS)]
    await service.set_phase(w.code, Phase.GROUP)
    await service.set_phase(w.code, Phase.VOTE)
    await service.set_voting(w.code, voting_open=True)
    joined = await asyncio.gather(*(service.join(w.code, f"V{i}") for i in range(PHONES)))
    tokens, idea_ids = tmp / "tokens.txt", tmp / "ideas.txt"
    tokens.write_text("\n".join(token for _, token in joined) + "\n")
    idea_ids.write_text("\n".join(i.id for i in ideas) + "\n")
    return w.code, tokens, idea_ids


class Run:
    """One app's latencies, and what the phones' server answered meanwhile."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.status: dict[str, int] = {}
        self.phone_seconds = 0.0


async def measure(kind: str, load: bool) -> Run:
    """One app on its own data directory (the workshop app closes its service when it stops)."""
    run = Run()
    with tempfile.TemporaryDirectory() as tmp:
        service = WorkshopService(Path(tmp)).open()
        code = await workshop(service)
        room = await voting_room(service, Path(tmp)) if load else None
        server = ParticipantServer(service, host="127.0.0.1", port=0)
        watch = FrameWatch()
        app: App[Any] = WatchedWorkshopApp(service, server) if kind == "wall" else MinimalApp(service, server)
        app.frames = watch  # type: ignore[attr-defined]
        async with app.run_test(size=SIZE) as pilot:
            while not server.running:
                await pilot.pause(0.02)
            if isinstance(app, WorkshopApp):
                app.call_later(app.open_workshop, code)
                while not (isinstance(app.screen, WallScreen) and app.screen.is_mounted):
                    await pilot.pause(0.02)
            phones = None
            if room is not None:
                vote_code, tokens, ideas = room
                phones = await asyncio.create_subprocess_exec(
                    sys.executable, "-c", PHONES_CLIENT, "127.0.0.1", str(server.port), vote_code,
                    str(tokens), str(ideas), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                )  # fmt: skip
                await asyncio.sleep(WARMUP_SECONDS)
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
                    run.latencies = await post_and_see(client, code, watch, NOTES)
            finally:
                if phones is not None:
                    out, _ = await phones.communicate(b"")
                    answered = json.loads(out)
                    run.status, run.phone_seconds = answered["status"], answered["seconds"]
            await server.stop()
        if isinstance(app, WorkshopApp):
            await app.shutdown_session()  # closes the service
        else:
            await service.close()
    return run


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run() -> None:
    start_load = os.getloadavg()
    results: dict[tuple[str, bool], Run] = {}
    for load in (False, True):
        for kind in ("minimal", "wall"):
            results[kind, load] = await measure(kind, load)
    end_load = os.getloadavg()
    print(f"phone note -> visible, {SIZE[0]}x{SIZE[1]}, {POSTS} notes each, wall holding {NOTES}+ notes")
    print(f"{'':24} {'minimal p50':>11} {'p95':>7} {'wall p50':>9} {'p95':>7} {'ratio p50':>9} {'p95':>6}")
    for load in (False, True):
        base, wall = results["minimal", load].latencies, results["wall", load].latencies
        b50, b95, w50, w95 = pct(base, 0.5), pct(base, 0.95), pct(wall, 0.5), pct(wall, 0.95)
        label = f"{PHONES} phones voting" if load else "idle"
        print(f"{label:24} {b50:9.1f}ms {b95:5.1f}ms {w50:7.1f}ms {w95:5.1f}ms {w50 / b50:9.2f} {w95 / b95:6.2f}")
    for kind in ("minimal", "wall"):
        r = results[kind, True]
        rate = sum(r.status.values()) / r.phone_seconds if r.phone_seconds else 0.0
        answers = ", ".join(f"{n} x {code}" for code, n in sorted(r.status.items()))
        print(f"phones beside the {kind} app: {rate:.0f} requests/s over HTTP ({answers})")
    median = statistics.median(results["wall", True].latencies)
    print(f"(median of the wall under load: {median:.1f} ms; goal p95 < 100 ms)")
    (s1, s5, _), (e1, e5, _) = start_load, end_load
    print(f"load average (1 / 5 min) at start {s1:.1f} / {s5:.1f}, at the end {e1:.1f} / {e5:.1f}")


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
