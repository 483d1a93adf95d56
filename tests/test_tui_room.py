"""Room-ready behaviour of the real app (issue 12): quitting from the list, screenshots in the data dir.

A real service on a tmp data dir, the real ParticipantServer on 127.0.0.1 (port 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.confirm import ConfirmScreen
from screens.home import HomeScreen
from tests.tui_support import on_screen, running_app, wait_for


async def test_quit_from_the_workshop_list_asks_while_phones_can_reach_a_workshop(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await app.service.create_workshop("Bike lanes", code="TEST")
        assert on_screen(app, HomeScreen) and app.code is None
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        assert isinstance(app.screen, ConfirmScreen) and "TEST" in app.screen.detail
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the list again")
        assert app.is_running and app.server_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")


async def test_quit_without_a_server_does_not_ask(data_dir: Path) -> None:
    async with running_app(data_dir, serve=False) as (app, pilot):
        await app.service.create_workshop("Bike lanes", code="TEST")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")


async def test_palette_screenshot_saves_under_the_data_dir(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"  # a projector laptop's account without ~/Downloads
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    async with running_app(data_dir) as (_app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)
        await pilot.press("enter")
        shots = data_dir / "screenshots"
        await wait_for(pilot, lambda: shots.is_dir() and any(shots.glob("*.svg")), "the screenshot file")
        svg = next(shots.glob("*.svg")).read_text()
        assert svg.startswith("<svg") and "workshops" in svg.replace("&#160;", " ")
    assert not (home / "Downloads").exists()
