"""Phase changes that come faster than a screen mounts (a script or a co-facilitator stepping through the
phases): the swaps run in turn, the projector keeps running and shows the latest phase."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import ComposeResult

from screens.backlog.screen import BacklogScreen
from screens.events import DomainEvents
from screens.lobby import LobbyScreen
from screens.wall.screen import WallScreen
from screens.widgets.session_bar import SessionBar
from tests.helpers.tui import on_screen, running_app, wait_for
from tests.tui.test_tui_shell import open_lobby
from workshop_tui.events import PhaseChanged
from workshop_tui.phases import Phase

EVERY_SESSION_PHASE = [Phase.IDEATE, Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG]


async def test_a_phase_change_that_arrives_while_the_new_screen_mounts_waits_for_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each next phase change comes in the middle of the new screen's mount (as its session bar composes,
    before its children mount): the very moment that used to replace a screen whose children then ran
    their handlers after they were gone."""
    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        coming = EVERY_SESSION_PHASE[1:] + EVERY_SESSION_PHASE  # ends on the backlog
        expected_mounts = 1 + len(coming)
        mounted: list[tuple[str, bool]] = []  # each session bar's screen, and whether it was still shown
        real_compose, real_on_mount = SessionBar.compose, SessionBar.on_mount

        def compose_while_the_next_phase_comes(bar: SessionBar) -> ComposeResult:
            if coming:
                app._show_phase(coming.pop(0))
            yield from real_compose(bar)

        def on_mount(bar: SessionBar) -> None:
            real_on_mount(bar)
            mounted.append((type(bar.screen).__name__, bar.screen is app.screen))

        monkeypatch.setattr(SessionBar, "compose", compose_while_the_next_phase_comes)
        monkeypatch.setattr(SessionBar, "on_mount", on_mount)
        app._show_phase(Phase.IDEATE)
        await wait_for(pilot, lambda: not coming and len(mounted) == expected_mounts, "every phase in turn")
        for _ in range(5):
            await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 2  # home and one session screen, no leftovers
        assert len(app.screen.query(SessionBar)) == 1
        # every change was shown in turn, and no screen was replaced before its children had mounted
        assert on_screen(app, BacklogScreen) and len(mounted) == expected_mounts, mounted
        assert all(shown for _, shown in mounted), mounted


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


async def test_a_phase_change_from_before_the_open_keeps_the_screen_it_finds(data_dir: Path) -> None:
    """The phase changes made just before the workshop opened reach the app a frame later: the screen up for
    that phase stays (it used to be replaced by a second one, leaving whoever held the first one stale)."""
    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await app.service.set_phase("TEST", Phase.IDEATE)
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        wall = app.screen
        view = app.service.view("TEST")
        late = PhaseChanged(workshop_id=view.id, code=view.code, phase=Phase.IDEATE, previous=Phase.LOBBY)
        app.post_message(DomainEvents([late]))
        for _ in range(5):
            await pilot.pause()
        assert app.screen is wall and len(app.screen_stack) == 2
        await app.service.set_phase("TEST", Phase.GROUP)  # a real change still swaps
        await wait_for(pilot, lambda: app.screen is not wall and on_screen(app, WallScreen), "the group wall")
