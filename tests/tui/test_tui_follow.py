"""The room leaves with a way to come back (issue 14): the follow-up URL in the new-workshop form, and as a
big QR code on the closing screen that decodes from the TUI's own screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from screens.backlog.screen import BacklogScreen
from screens.follow import FollowScreen
from screens.lobby import LobbyScreen
from screens.new_workshop import NewWorkshopScreen
from screens.widgets.qr_code import QRCode
from tests.conftest import workshop_in
from tests.helpers.qr_image import decode, rasterize
from tests.helpers.tui import on_screen, running_app, static_text, wait_for
from workshop_tui.phases import Phase

FOLLOW = "https://city.example/follow/w/BIKE/index.html"


async def test_the_new_workshop_form_takes_a_follow_up_url(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        form = app.screen
        form.query_one("#title", Input).value = "Bike lanes"
        form.query_one("#follow-url", Input).value = "city.example/follow"
        await pilot.press("ctrl+s")
        error = form.query_one("#form-error", Static)
        await wait_for(pilot, lambda: error.display, "an inline error")
        assert "http:// or https://" in static_text(app, "#form-error")
        assert app.service.workshops() == []
        form.query_one("#follow-url", Input).value = FOLLOW
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        (workshop,) = app.service.workshops()
        assert workshop.follow_url == FOLLOW


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_closing_the_workshop_shows_the_follow_url_as_a_qr_code_that_decodes(
    data_dir: Path, size: tuple[int, int]
) -> None:
    async with running_app(data_dir, size=size) as (app, pilot):
        code = await workshop_in(app.service, Phase.BACKLOG)
        await app.service.update_workshop(code, follow_url=FOLLOW)
        app.call_later(app.open_workshop, code)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        await app.service.set_phase(code, Phase.CLOSED)
        await wait_for(pilot, lambda: on_screen(app, FollowScreen), "the closing screen")
        await pilot.pause()
        assert FOLLOW in static_text(app, "#follow-text")
        assert app.focused is None  # no hidden field takes the keys
        assert app.screen.query_one(QRCode).current_scale == (2 if size == (200, 60) else 1)
        svg = app.export_screenshot()
        assert decode(rasterize(svg, "blocks")) == [FOLLOW]
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "back to the backlog")


async def test_u_on_the_backlog_sets_changes_and_removes_the_follow_url(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        code = await workshop_in(app.service, Phase.BACKLOG)
        app.call_later(app.open_workshop, code)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        await pilot.press("u")
        await wait_for(pilot, lambda: on_screen(app, FollowScreen), "the follow screen")
        screen = app.screen
        assert not screen.query_one(QRCode).display and "No follow-up URL yet" in static_text(app, "#follow-text")
        field = screen.query_one("#follow-input", Input)
        assert field.has_focus
        field.value = "javascript:alert(1)"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#follow-error", Static).display, "the error")
        assert app.service.state(code).workshop.follow_url is None
        field.value = FOLLOW
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.service.state(code).workshop.follow_url == FOLLOW, "the URL saved")
        await wait_for(pilot, lambda: screen.query_one(QRCode).display, "the QR code")
        await wait_for(pilot, lambda: not field.display, "the field put away")
        await pilot.press("e")
        await wait_for(pilot, lambda: field.has_focus, "the field again")
        field.value = ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.service.state(code).workshop.follow_url is None, "the URL removed")


async def test_the_closing_screen_speaks_the_rooms_language(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        code = await workshop_in(app.service, Phase.BACKLOG)
        await app.service.update_workshop(code, follow_url=FOLLOW, language="fi")
        app.call_later(app.open_workshop, code)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        await app.service.set_phase(code, Phase.CLOSED)
        await wait_for(pilot, lambda: on_screen(app, FollowScreen), "the closing screen")
        assert static_text(app, "#follow-heading") == "Seuraa, mitä seuraavaksi tapahtuu"
        assert "Workshop" not in static_text(app, "#follow-text")
