"""The footer is rebuilt when the keys it shows change, not at every refresh of the bindings."""

from __future__ import annotations

from screens.voting import VotingScreen
from screens.widgets.steady_footer import SteadyFooter
from tests.helpers.tui import screen_lines, wait_for
from tests.helpers.tui_harness import HarnessApp
from tests.tui.test_tui_voting import room, screen
from workshop_tui.service import WorkshopService


async def test_refreshes_that_change_no_key_leave_the_footer_alone(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(120, 24)) as pilot:
        footer = screen(app).query_one(SteadyFooter)
        await wait_for(pilot, lambda: "Close the ballot" in screen_lines(app)[-1], "the footer's keys")
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
