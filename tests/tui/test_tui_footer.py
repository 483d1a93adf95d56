"""The footer is rebuilt when the keys it shows change (not at every refresh of the bindings), and shows
only the keys that fit whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets._footer import FooterKey

from screens.voting import VotingScreen
from screens.widgets.steady_footer import SteadyFooter, shown_keys
from tests.conftest import workshop_in
from tests.helpers.tui import on_screen, running_app, screen_lines, wait_for
from tests.helpers.tui_harness import HarnessApp
from tests.tui.test_tui_voting import room, screen
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def shows_what_is_offered(footer: SteadyFooter) -> bool:
    """The footer is built for the keys its screen offers now, and no rebuild is on its way."""
    return footer._shown == shown_keys(footer.screen) and not footer._refit_pending


async def test_refreshes_that_change_no_key_leave_the_footer_alone(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(120, 24)) as pilot:
        footer = screen(app).query_one(SteadyFooter)
        # The first frame's keys, then the keys as they settle (the highlighted note enables "Paper dots").
        await wait_for(pilot, lambda: "Close the ballot" in screen_lines(app)[-1], "the footer's keys")
        await wait_for(pilot, lambda: shows_what_is_offered(footer), "the footer's keys as offered now")
        rebuilt = 0
        recompose = footer.recompose

        async def counted() -> None:
            nonlocal rebuilt
            rebuilt += 1
            await recompose()

        footer.recompose = counted  # type: ignore[method-assign]
        for person in people:  # the room votes: every dot refreshes the screen, no key changes
            await service.cast_dot(code, person.id, ideas[0].id)
            screen(app).refresh_bindings()
            await pilot.pause()
        assert rebuilt == 0
        await service.set_voting(code, voting_open=False)  # the ballot closes: its key says so
        await wait_for(pilot, lambda: "Open the ballot" in screen_lines(app)[-1], "the new key")
        assert rebuilt == 1


def keys_drawn(app: App[Any]) -> list[FooterKey]:
    return [k for k in app.screen.query_one(SteadyFooter).query(FooterKey) if not k.has_class("-command-palette")]


def fits_whole(app: App[Any]) -> bool:
    palette = app.screen.query_one(SteadyFooter).query_one("FooterKey.-command-palette", FooterKey)
    return all(k.region.right <= palette.region.x for k in keys_drawn(app))


async def test_keys_that_do_not_fit_are_left_out_whole_and_come_back_when_there_is_room(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        code = await workshop_in(app.service, Phase.VOTE)
        app.open_workshop(code)
        await wait_for(pilot, lambda: on_screen(app, VotingScreen) and "Close the ballot" in screen_lines(app)[-1])
        await pilot.pause()
        narrow = len(keys_drawn(app))
        assert fits_whole(app), "a key is cut under the palette key"
        await pilot.resize_terminal(200, 24)
        await wait_for(pilot, lambda: len(keys_drawn(app)) > narrow, "more keys at 200 columns")
        assert fits_whole(app)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: len(keys_drawn(app)) == narrow, "the same keys at 80 columns again")
        assert fits_whole(app)
