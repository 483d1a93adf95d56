"""The new-workshop form's language: the facilitator's locale by default, a choice of the shipped
languages, and the new workshop's lobby speaks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from screens.lobby import LobbyScreen
from screens.new_workshop import NewWorkshopScreen
from tests.helpers.tui import on_screen, running_app, wait_for


async def test_the_form_sets_the_rooms_language(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "sv_FI.UTF-8")
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        form = app.screen
        language = form.query_one("#language", Select)
        assert language.value == "sv"  # from the facilitator's locale
        form.query_one("#title", Input).value = "Puistot"
        language.value = "fi"
        await pilot.pause()
        template = form.query_one("#template", Select).value
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        (workshop,) = app.service.workshops()
        assert (workshop.language, workshop.template) == ("fi", template)  # the template did not change
        hint = app.screen.query_one("#scan-hint", Static)
        await wait_for(pilot, lambda: str(hint.render()) == "Skannaa koodi tai avaa", "the Finnish lobby")
