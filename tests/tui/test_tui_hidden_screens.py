"""Screens under an opaque one are not on screen: what they handle meanwhile costs the screen on top no
repaint, and they are laid out again when they come back; a dialog's translucent backdrop still shows
the screen under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.widgets import DataTable, Digits

from screens.confirm import ConfirmScreen
from screens.home import HomeScreen
from screens.lobby import LobbyScreen
from tests.helpers.tui import events_shown, on_screen, running_app, wait_for
from workshop_tui.service import WorkshopService


async def test_events_for_the_list_under_a_session_repaint_nothing_of_the_session(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        await service.create_workshop("Past one", code="PASTA")
        await service.create_workshop("Live one", code="LIVE")
    async with running_app(data_dir, size=(120, 40)) as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "two workshops")
        app.call_later(app.open_workshop, "LIVE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        lobby = app.screen
        await events_shown(pilot, app)
        assert not home.is_current  # the lobby is opaque: the list is not seen through it
        compositor: Any = lobby._compositor
        full_frames: list[int] = []
        render_full_update = compositor.render_full_update

        def counted(*args: Any, **kwargs: Any) -> Any:
            full_frames.append(1)
            return render_full_update(*args, **kwargs)

        compositor.render_full_update = counted
        for k in range(5):
            await app.service.update_workshop("PASTA", title=f"Past one, take {k}")
            await events_shown(pilot, app)
        assert full_frames == [], "a batch for the list under the session repainted the whole session screen"
        await pilot.resize_terminal(100, 30)  # the list gets no resize while hidden
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        await wait_for(pilot, lambda: str(table.get_cell("PASTA", "title")) == "Past one, take 4", "the last title")
        await wait_for(pilot, lambda: home.size.width == 100, "the list laid out at the new size")


async def test_a_dialog_shows_the_session_under_it(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        await service.create_workshop("Live one", code="LIVE")
    async with running_app(data_dir, size=(120, 40)) as (app, pilot):
        home = app.screen
        app.call_later(app.open_workshop, "LIVE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        lobby = app.screen
        app.push_screen(ConfirmScreen("Sure?"))
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the dialog")
        assert lobby.is_current and not home.is_current  # the backdrop is translucent, the lobby opaque
        await app.service.join("LIVE", "Ann")
        await events_shown(pilot, app)
        await wait_for(pilot, lambda: lobby.query_one("#count", Digits).value == "1", "Ann counted under the dialog")


async def test_a_session_screen_hidden_during_a_resize_comes_back_at_the_new_breakpoint(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        await service.create_workshop("Live one", code="LIVE")
    async with running_app(data_dir, size=(140, 40)) as (app, pilot):
        app.call_later(app.open_workshop, "LIVE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        lobby = app.screen
        assert lobby.has_class("-wide")
        app.push_screen(Screen())  # opaque: the lobby is hidden and gets no resize
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        app.pop_screen()
        await wait_for(pilot, lambda: lobby.has_class("-narrow") and not lobby.has_class("-wide"), "the narrow layout")
