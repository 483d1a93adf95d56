"""SVG snapshots of the home and lobby screens in the projector theme, at 80x24 and 160x45.

Deterministic data: fixed codes, titles and names, a fixed public URL (so the QR code is stable) and
the phase timer left paused. Update with ``pytest tests/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.image import SVGImageSnapshotExtension
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits

from screens.app import WorkshopApp
from screens.lobby import LobbyScreen
from screens.theme import PROJECTOR_NAME
from screens.wall.screen import WallScreen
from tests.helpers.tui import on_screen, running_app, wait_for
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

PUBLIC_URL = "https://workshop.example.org"
SIZES = [(80, 24), (160, 45)]
NAMES = ["Amina", "Bram", "Chiara", "Dawit", "Elif", "Femke", "Goran", "Hana", "Ivo", "Jasmijn"]


async def ten_in_the_lobby(app: WorkshopApp, pilot: Pilot[Any], code: str) -> None:
    """NAMES join the workshop, which opens in the lobby, until its count says 10."""
    for name in NAMES:
        await app.service.join(code, name)
    app.call_later(app.open_workshop, code)
    await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
    await wait_for(pilot, lambda: app.screen.query_one("#count", Digits).value == "10", "the count")
    await pilot.pause()


@pytest.fixture
def svg_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SVGImageSnapshotExtension)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_home(data_dir: Path, size: tuple[int, int], svg_snapshot: SnapshotAssertion) -> None:
    async with running_app(data_dir, serve=True, size=size, public_url=PUBLIC_URL) as (app, pilot):
        assert app.current_theme.name == PROJECTOR_NAME
        await app.service.create_workshop("Bike lanes for the north district", code="BIKE")
        await app.service.create_workshop("Open City Hackathon", code="CITY", template="weekend-hackathon")
        for name in NAMES[:3]:
            await app.service.join("CITY", name)
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "two rows")
        await pilot.pause()
        assert app.export_screenshot() == svg_snapshot


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_lobby(data_dir: Path, size: tuple[int, int], svg_snapshot: SnapshotAssertion) -> None:
    async with running_app(data_dir, serve=True, size=size, public_url=PUBLIC_URL) as (app, pilot):
        await app.service.create_workshop("Open City Hackathon", code="CITY", template="weekend-hackathon")
        await ten_in_the_lobby(app, pilot, "CITY")
        assert app.export_screenshot() == svg_snapshot


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_run_code_draws_the_lobby_the_list_opens(data_dir: Path, size: tuple[int, int]) -> None:
    """``run CODE`` reads the lobby's styles with the app's and builds no list under it: the lobby it
    draws is the one opened from the list, byte for byte."""
    async with WorkshopService(data_dir) as service:
        await service.create_workshop("Open City Hackathon", code="CITY", template="weekend-hackathon")
        for name in NAMES:
            await service.join("CITY", name)
    shots = []
    for code in ("CITY", None):
        async with running_app(data_dir, serve=True, size=size, public_url=PUBLIC_URL, code=code) as (app, pilot):
            if code is None:
                app.call_later(app.open_workshop, "CITY")
            await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
            await wait_for(pilot, lambda: app.screen.query_one("#count", Digits).value == "10", "the count")
            await pilot.pause()
            shots.append(app.export_screenshot())
    assert shots[0] == shots[1]


async def test_run_code_draws_the_wall_the_list_opens(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        await service.create_workshop("Open City Hackathon", code="CITY")
        await service.set_phase("CITY", Phase.IDEATE)
        for text in ("Shade trees on the market square", "A bench at every bus stop"):
            await service.post_idea("CITY", text, source=Source.PAPER)
    shots = []
    for code in ("CITY", None):
        async with running_app(data_dir, size=(120, 30), code=code) as (app, pilot):
            if code is None:
                app.call_later(app.open_workshop, "CITY")
            await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            shots.append(app.export_screenshot())
    assert shots[0] == shots[1]
