"""Quitting while a phase's screen mounts: the app waits for the mount, then closes with no crash.

Textual tears the screens down at exit; a screen taken apart in the middle of its mount runs its own
``on_mount`` after its children are gone (``NoMatches``), a traceback instead of a clean quit. The quit
here starts in the same turn of the loop as the swap, so it always lands on a screen still mounting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from screens.wall.screen import WallScreen
from tests.conftest import workshop_in
from tests.helpers.tui import on_screen, running_app, wait_for
from tests.helpers.waiting import TIMEOUT
from workshop_tui.phases import Phase


async def test_quit_during_a_phase_screens_mount_waits_for_it(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await workshop_in(app.service, Phase.IDEATE)
        app.open_workshop(code)
        await wait_for(pilot, lambda: app.screen.is_mounted and app.code == code, "the workshop")
        app.action_show_phase(Phase.GROUP.value)  # the wall starts to mount...
        await asyncio.wait_for(app.shutdown_and_exit(), TIMEOUT)  # ...and the facilitator quits at once
        assert on_screen(app, WallScreen) and app.screen.is_mounted, "quit took the wall apart mid-mount"
    assert app.return_code == 0
