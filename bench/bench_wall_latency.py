"""Phone note -> visible on the projected wall, against a minimal Textual app in the same run.

Run: ``python -m bench bench_wall_latency``. A real service on a temporary data directory, the real
participant server on 127.0.0.1 and httpx as the phone. "Visible" is the first frame whose terminal
output (the bytes a real terminal would get, rendered from the compositor's update) holds the note's
text: the time runs from sending the POST to that frame.

- wall: the real ``WorkshopApp`` on the wall screen of a workshop in ideate with ``NOTES`` notes
  already on it (events through the service's bus and the app's ``EventBridge``);
- baseline: a minimal Textual app with one ``Static``, updated straight from the bus, with the same
  server and the same phone requests.

Both idle, then both while ``PHONES`` simulated phones vote in another workshop of the same process
(``bench_tui.voting_room``: ~300 durable writes a second on the same event loop, each event crossing
the bridge). Reports p50/p95 and their ratios to the baseline. Goal (issue 13): p95 < 100 ms under load.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
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
from bench.bench_tui import PHONES, voting_room
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


async def measure(kind: str, load: bool) -> list[float]:
    """One app on its own data directory (the workshop app closes its service when it stops)."""
    with tempfile.TemporaryDirectory() as tmp:
        service = WorkshopService(Path(tmp)).open()
        code = await workshop(service)
        server = ParticipantServer(service, host="127.0.0.1", port=0)
        watch = FrameWatch()
        app: App[Any] = WatchedWorkshopApp(service, server) if kind == "wall" else MinimalApp(service, server)
        app.frames = watch  # type: ignore[attr-defined]
        stop = asyncio.Event()
        room: asyncio.Task[int] | None = None
        async with app.run_test(size=SIZE) as pilot:
            while not server.running:
                await pilot.pause(0.02)
            if isinstance(app, WorkshopApp):
                app.call_later(app.open_workshop, code)
                while not (isinstance(app.screen, WallScreen) and app.screen.is_mounted):
                    await pilot.pause(0.02)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
                if load:
                    room = asyncio.create_task(voting_room(service, stop))
                    await asyncio.sleep(3)  # the room fills and starts voting
                out = await post_and_see(client, code, watch, NOTES)
            stop.set()
            if room is not None:
                await room
            await server.stop()
        if isinstance(app, WorkshopApp):
            await app.shutdown_session()  # closes the service
        else:
            await service.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run() -> None:
    results: dict[tuple[str, bool], list[float]] = {}
    for load in (False, True):
        for kind in ("minimal", "wall"):
            results[kind, load] = await measure(kind, load)
    print(f"phone note -> visible, {SIZE[0]}x{SIZE[1]}, {POSTS} notes each, wall holding {NOTES}+ notes")
    print(f"{'':24} {'minimal p50':>11} {'p95':>7} {'wall p50':>9} {'p95':>7} {'ratio p50':>9} {'p95':>6}")
    for load in (False, True):
        base, wall = results["minimal", load], results["wall", load]
        b50, b95, w50, w95 = pct(base, 0.5), pct(base, 0.95), pct(wall, 0.5), pct(wall, 0.95)
        label = f"{PHONES} phones voting" if load else "idle"
        print(f"{label:24} {b50:9.1f}ms {b95:5.1f}ms {w50:7.1f}ms {w95:5.1f}ms {w50 / b50:9.2f} {w95 / b95:6.2f}")
    print(f"(median of the wall under load: {statistics.median(results['wall', True]):.1f} ms; goal p95 < 100 ms)")


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
