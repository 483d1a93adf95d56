"""The room's screens in the workshop's language: the lobby and the vote's results in Finnish, as SVG
snapshots (update with ``--snapshot-update``, then look at them), and no English left of what the room
reads (the facilitator's keys in the footer may stay English)."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.image import SVGImageSnapshotExtension

from screens.voting import VotingScreen
from tests.helpers.tui import on_screen, running_app, wait_for
from tests.tui.test_tui_phase_snapshots import build
from tests.tui.test_tui_snapshots import PUBLIC_URL, ten_in_the_lobby
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

SIZES = [(80, 24), (160, 45)]


def text_of(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector).render())  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_lobby_in_finnish(data_dir: Path, size: tuple[int, int], snapshot: SnapshotAssertion) -> None:
    async with running_app(data_dir, serve=True, size=size, public_url=PUBLIC_URL) as (app, pilot):
        await app.service.create_workshop("Kaupunkipyöräily", code="CITY", language="fi")
        await ten_in_the_lobby(app, pilot, "CITY")
        assert text_of(app, "#scan-hint") == "Skannaa koodi tai avaa"
        assert text_of(app, "#code-hint") == "ja syötä koodi"
        assert text_of(app, "#count-label") == "osallistujaa liittynyt"
        assert "+2 muuta" in text_of(app, "#names")
        bar = text_of(app, "SessionBar > .status")
        assert "TERVETULOA" in bar and "10 osallistujaa · 0 lappua · 0 pistettä" in bar
        svg = app.export_screenshot(title=f"lobby fi {size[0]}x{size[1]}")
    assert svg == snapshot(extension_class=SVGImageSnapshotExtension)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_results_in_finnish(data_dir: Path, size: tuple[int, int], snapshot: SnapshotAssertion) -> None:
    async with WorkshopService(data_dir) as service:
        code = await build(service, Phase.VOTE)
        await service.update_workshop(code, language="fi")
    async with running_app(data_dir, size=size, serve=False) as (app, pilot):
        app.call_later(app.open_workshop, code)
        await wait_for(pilot, lambda: on_screen(app, VotingScreen), "the vote")
        title = "Tulokset: eniten pisteitä ensin"
        await wait_for(pilot, lambda: text_of(app, "#chart-title") == title, "the chart in Finnish")
        await pilot.pause()
        assert "ÄÄNESTYS AUKI" in text_of(app, "#voting-state")
        assert "äänestää vielä" in text_of(app, "#not-voted")
        assert "+ 2 paperipistettä mukana laskussa" in text_of(app, "#paper-line")
        svg = app.export_screenshot(title=f"voting_results fi {size[0]}x{size[1]}")
    assert svg == snapshot(extension_class=SVGImageSnapshotExtension)
