"""The lobby on the real app (projector theme, phone server on loopback): what the back row reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Digits, Static

from screens.app import WorkshopApp
from screens.lobby import LobbyScreen
from screens.widgets.qr_code import QRCode
from tests.helpers.tui import events_shown, on_screen, running_app, screen_lines, wait_for
from workshop_tui.models import utcnow

NAMES = ["Amina", "Bram", "Chiara", "Dawit", "Elif", "Femke", "Goran", "Hana", "Ilse", "Jonas", "Kaisa", "Luca"]


async def _lobby(app: WorkshopApp, pilot: Pilot[None], code: str = "ROOM") -> LobbyScreen:
    await app.service.create_workshop("Open City Hackathon", code=code)
    app.open_workshop(code)
    await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
    for name in NAMES:
        await app.service.join(code, name)
    await events_shown(pilot, app)
    screen = app.screen
    assert isinstance(screen, LobbyScreen)
    return screen


async def test_each_line_of_names_starts_with_a_name_at_80x24(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True, size=(80, 24)) as (app, pilot):
        screen = await _lobby(app, pilot)
        await pilot.pause()
        box = screen.query_one("#names", Static).region
        rows = screen_lines(app)[box.y : box.bottom]
        lines = [row[box.x : box.right].strip() for row in rows if row[box.x : box.right].strip()]
        assert len(lines) >= 2  # the newest eight and the count do not fit one line at 80 columns
        for line in lines:
            assert not line.startswith("·") and not line.endswith("·"), lines
        assert lines[0].startswith("Luca") and lines[-1].endswith("+4 more"), lines


async def test_the_join_text_stands_beside_the_qr_code_at_200x60(data_dir: Path) -> None:
    """On a big projector the URL and the code are beside the QR code, not above it in the top corner."""
    async with running_app(data_dir, serve=True, size=(200, 60)) as (app, pilot):
        screen = await _lobby(app, pilot)
        await pilot.pause()
        qr = screen.query_one("#qr", QRCode).region
        url = screen.query_one("#join-url", Static).region
        assert url.x >= qr.right
        assert qr.y <= url.y < qr.bottom, (qr, url)


@pytest.mark.parametrize(("minutes", "ahead", "clock"), [(1440, 0, "24:00:00"), (1, 15, "00:45")])
async def test_the_big_clock_and_the_bar_read_the_same_time(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, minutes: int, ahead: int, clock: str
) -> None:
    """One format for the same timer, a day long or under a minute: the big digits and the session bar agree."""
    async with running_app(data_dir, size=(120, 40)) as (app, pilot):
        screen = await _lobby(app, pilot)
        await app.service.set_timer("ROOM", "start", minutes=minutes)
        monkeypatch.setattr("workshop_tui.service.timer.utcnow", lambda: utcnow() + dt.timedelta(seconds=ahead))
        await app.service.set_timer("ROOM", "pause")  # paused after `ahead` seconds: a fixed time left
        await events_shown(pilot, app)
        big = screen.query_one("#join-side PhaseTimer Digits", Digits)
        bar = screen.query_one("SessionBar PhaseTimer .timer-label", Static)
        await wait_for(pilot, lambda: big.value == clock, f"the big clock at {clock}")
        assert str(bar.render()).split()[0] == clock
