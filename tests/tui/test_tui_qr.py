"""The lobby's QR code decodes from the TUI's own SVG screenshot to the join URL, in three themes.

The rasterising and decoding helpers are in tests/helpers/qr_image.py (``▀`` drawn as exact upper-half
rects, as a terminal draws block elements; zxing without inverted-symbol fallback).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.lobby import LobbyScreen
from screens.theme import PROJECTOR_NAME
from screens.widgets.qr_code import QRCode
from tests.helpers.qr_image import decode, rasterize
from tests.helpers.tui import on_screen, running_app, wait_for

THEMES = [PROJECTOR_NAME, "textual-dark", "textual-light"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    ("size", "scale"), [((80, 24), 1), ((160, 45), 2), ((200, 60), 3)], ids=["80x24", "160x45", "200x60"]
)
async def test_lobby_qr_decodes_to_the_join_url(data_dir: Path, theme: str, size: tuple[int, int], scale: int) -> None:
    async with running_app(data_dir, serve=True, size=size) as (app, pilot):
        app.theme = theme
        await app.service.create_workshop("Bike lanes", code="BIKE")
        app.call_later(app.open_workshop, "BIKE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await pilot.pause()
        assert app.server is not None
        url = app.server.join_url("BIKE")
        assert url == f"HTTP://127.0.0.1:{app.server.port}/J/BIKE"
        assert app.screen.query_one(QRCode).current_scale == scale
        svg = app.export_screenshot()
    assert decode(rasterize(svg, "blocks")) == [url]


async def test_public_url_in_the_qr_code(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True, size=(80, 24), public_url="https://workshop.example.org/civic") as (
        app,
        pilot,
    ):
        await app.service.create_workshop("Bike lanes", code="BIKE")
        app.call_later(app.open_workshop, "BIKE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await pilot.pause()
        svg = app.export_screenshot()
    assert decode(rasterize(svg, "blocks")) == ["https://workshop.example.org/civic/j/BIKE"]
