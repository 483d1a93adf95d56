"""Phase changes that come faster than a screen mounts (a script or a co-facilitator stepping through the
phases): the swaps run in turn, the projector keeps running and shows the latest phase."""

from __future__ import annotations

from pathlib import Path

from screens.backlog.screen import BacklogScreen
from screens.lobby import LobbyScreen
from screens.widgets.session_bar import SessionBar
from tests.helpers.tui import on_screen, running_app, wait_for
from tests.tui.test_tui_shell import open_lobby
from workshop_tui.phases import Phase

EVERY_SESSION_PHASE = [Phase.IDEATE, Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG]


async def test_phase_changes_faster_than_screens_mount_end_on_the_latest(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        for phase in EVERY_SESSION_PHASE * 3:
            app._show_phase(phase)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the latest phase's screen")
        for _ in range(5):
            await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 2  # home and one session screen, no leftovers
        assert len(app.screen.query(SessionBar)) == 1
