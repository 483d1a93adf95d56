"""Quitting while a phase's screen mounts: the app waits for the mount, then closes with no crash.

Textual tears the screens down at exit; a screen taken apart in the middle of its mount runs its own
``on_mount`` after its children are gone (``NoMatches``), a traceback instead of a clean quit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.widget import Widget

from screens import navigation
from screens.wall import screen as wall_module
from screens.wall.screen import WallScreen
from tests.conftest import workshop_in
from tests.helpers.tui import on_screen, running_app, wait_for
from tests.helpers.waiting import TIMEOUT
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


class Held(Widget):
    """Mounts once the test lets it: the wall's mount is held open."""

    entered = asyncio.Event()
    release = asyncio.Event()

    async def on_mount(self) -> None:
        Held.entered.set()
        await asyncio.wait_for(Held.release.wait(), TIMEOUT)  # bounded: a failing test must not hang the app


class SlowWall(WallScreen):
    CSS_PATH = str(Path(wall_module.__file__).parent / "wall.tcss")  # beside the real screen, not this test

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Held()


async def test_quit_during_a_phase_screens_mount_waits_for_it(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Held.entered, Held.release = asyncio.Event(), asyncio.Event()
    real = navigation.screen_for

    def screen_for(phase: Phase, service: WorkshopService, code: str) -> object:
        return SlowWall(service, code) if phase is Phase.GROUP else real(phase, service, code)

    monkeypatch.setattr("screens.app.screen_for", screen_for)
    async with running_app(data_dir) as (app, pilot):
        code = await workshop_in(app.service, Phase.IDEATE)
        app.open_workshop(code)
        await wait_for(pilot, lambda: app.screen.is_mounted and app.code == code, "the workshop")
        await app.service.set_phase(code, Phase.GROUP)
        await asyncio.wait_for(Held.entered.wait(), TIMEOUT)  # the wall is mounting, held open
        quitting = asyncio.ensure_future(app.shutdown_and_exit())
        try:
            for _ in range(20):  # many turns of the loop: the quit waits for the mount, it does not exit
                await asyncio.sleep(0)
            assert not quitting.done(), "quit while the wall was mounting"
        finally:
            Held.release.set()  # never leave the app held (the test would hang, not fail)
        await asyncio.wait_for(quitting, TIMEOUT)
        assert on_screen(app, SlowWall)
    assert app.return_code == 0
