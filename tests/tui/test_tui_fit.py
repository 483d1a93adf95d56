"""What the room sees fits the projector: at 80x24 and at 200x60 nothing important is cut off.

The real ``WorkshopApp`` without the participant server, over workshops written by the service; the
checks read the rendered screen rows (``screen_lines``), as a person at the back of the room would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Button

from screens.backlog.screen import BacklogScreen
from screens.new_workshop import NewWorkshopScreen
from screens.teams import TeamsScreen
from screens.wall.screen import WallScreen
from screens.widgets.timer import MAX_SECONDS, PhaseTimer, format_clock
from tests.helpers.tui import on_screen, running_app, screen_lines, wait_for
from workshop_tui.phases import Phase
from workshop_tui.service import TimerCommand

LONG_TITLE = "Crowdsourcing the future of the north district library, together"
SIZES = [(80, 24), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_long_title_ends_in_an_ellipsis_beside_a_timer_of_days(data_dir: Path, size: tuple[int, int]) -> None:
    async with running_app(data_dir, size=size, serve=False) as (app, pilot):
        # the crowdsourcing template's ideate timebox is six weeks
        await app.service.create_workshop(LONG_TITLE, code="CROW", template="crowdsourcing-challenge")
        await app.service.set_phase("CROW", Phase.IDEATE)
        app.open_workshop("CROW")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "CROW" in top and "SHARE IDEAS" in top and "24:00:00 paused" in top
        if size[0] < cell_len(LONG_TITLE) + 60:
            assert top.lstrip().startswith("Crowdsourcing the") and "…" in top  # cut, and visibly so
        else:
            assert LONG_TITLE in top


def test_the_compact_clock_never_takes_more_than_eight_cells() -> None:
    for seconds in (0, 59, 300, 3599, 3600, 86399, MAX_SECONDS):
        assert cell_len(format_clock(seconds)) <= 8
    assert format_clock(86400) == "24:00:00" and format_clock(3600) == "1:00:00" and format_clock(299.2) == "05:00"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_new_workshop_form_fits_without_scrolling(data_dir: Path, size: tuple[int, int]) -> None:
    async with running_app(data_dir, size=size, serve=False) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        await pilot.pause()
        form = app.screen.query_one("#form")
        assert form.max_scroll_y == 0, "the form scrolls"
        create = app.screen.query_one("#create", Button)
        assert create.region.bottom <= size[1] and create.region.height > 0
        assert any("Create" in line for line in screen_lines(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_ranked_count_is_drawn_whole_on_the_teams_screen(data_dir: Path, size: tuple[int, int]) -> None:
    async with running_app(data_dir, size=size, serve=False) as (app, pilot):
        service = app.service
        await service.create_workshop("Teams", code="TEAM")
        await service.set_phase("TEAM", Phase.IDEATE)
        people = [(await service.join("TEAM", f"Person {n}"))[0] for n in range(12)]
        ideas = [await service.post_idea("TEAM", f"Idea number {n} " * 6, author_id=people[0].id) for n in range(6)]
        for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
            await service.set_phase("TEAM", phase)
        await service.set_team_candidates("TEAM", idea_ids=[i.id for i in ideas])
        for person in people[:7]:
            await service.set_preferences("TEAM", person.id, [i.id for i in ideas[:3]])
        app.open_workshop("TEAM")
        await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "the teams screen")
        await pilot.pause()
        screen = app.screen
        count = next(w for w in screen.query("#prefs-count, #prefs-big") if w.display)
        box = screen.query_one("#teams-top")
        assert box.region.contains_region(count.region) and count.region.height >= 3  # no row of it cut off
        if size == (200, 60):
            assert count.region.height >= 5  # a projector's big number, readable from the back
        lines = screen_lines(app)
        assert any("of 12 ranked their choices" in line for line in lines)
        assert any(" 6. Idea" in line for line in lines) or any("+2 more" in line for line in lines)  # none lost
        assert not any(line.lstrip().startswith("Idea number") for line in lines)  # no wrapped half-lines


async def test_no_timer_after_the_session_or_where_the_phase_has_no_timebox(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30), serve=False) as (app, pilot):
        service = app.service
        await service.create_workshop("Demo-like", code="BACK", template="weekend-hackathon")
        for phase in (Phase.IDEATE, Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG):
            await service.set_phase("BACK", phase)
        app.open_workshop("BACK")
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        await pilot.pause()
        timer = app.screen.query_one(PhaseTimer)
        assert not timer.display and "paused" not in screen_lines(app)[0]
        await service.set_timer("BACK", TimerCommand.START, 3)  # the facilitator started one: it shows
        await wait_for(pilot, lambda: timer.display, "the timer")
        await pilot.pause()
        assert "03:00" in screen_lines(app)[0] or "02:5" in screen_lines(app)[0]
        await service.set_phase("BACK", Phase.CLOSED)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen) and app.screen is not None, "closed")
        await wait_for(pilot, lambda: not app.screen.query_one(PhaseTimer).display, "no timer when closed")


async def test_a_blank_workshop_shows_no_timer_until_one_is_started(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24), serve=False) as (app, pilot):
        await app.service.create_workshop("Blank", code="BLNK")
        await app.service.set_phase("BLNK", Phase.IDEATE)
        app.open_workshop("BLNK")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        await pilot.pause()
        assert "paused" not in screen_lines(app)[0]
        await pilot.press("ctrl+t")  # the wall's timer key: starts the default five minutes
        await wait_for(pilot, lambda: app.screen.query_one(PhaseTimer).display, "the timer")
