"""The vote reveal in the real app (issue 12 item 2): it opens at #1 whatever was scrolled before, the
cursor does not wrap, the highlighted row's bar stays visible, ties share a rank, and the chart fits its
area at 80, 100 and 200 columns (no bar wrapped or drawn under the scrollbar)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

from screens.app import WorkshopApp
from screens.confirm import ConfirmScreen
from screens.voting import VotingScreen
from screens.widgets.bar_chart import BarChart, LazyEntry, rank_labels
from tests.helpers.tui import on_screen, running_app, wait_for
from workshop_tui.phases import Phase

# 14 ideas; idea 9 and idea 4 tie for first (4 dots each), 2 and 7 tie for third.
DOTS = {9: 4, 4: 4, 2: 3, 7: 3, 0: 2, 11: 1}


async def vote_room(app: WorkshopApp, *, ideas: int = 14) -> list[str]:
    service = app.service
    await service.create_workshop("Reveal", code="TEST", settings={"dots_per_participant": 4, "max_dots_per_idea": 4})
    await service.set_phase("TEST", Phase.IDEATE)
    ids = [(await service.post_idea("TEST", f"Idea number {n} for the square")).id for n in range(ideas)]
    await service.set_phase("TEST", Phase.GROUP)
    await service.set_phase("TEST", Phase.VOTE)
    for n, dots in DOTS.items():
        await service.add_paper_dots("TEST", ids[n], dots)
    return ids


async def open_voting(app: WorkshopApp, pilot: Pilot[None]) -> BarChart:
    app.call_later(app.open_workshop, "TEST")
    await wait_for(pilot, lambda: on_screen(app, VotingScreen), "the voting screen")
    await pilot.pause()
    return app.screen.query_one(BarChart)


async def reveal(app: WorkshopApp, pilot: Pilot[None], chart: BarChart) -> None:
    await pilot.press("r")
    await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the reveal confirmation")
    await pilot.press("y")
    await wait_for(pilot, lambda: chart.revealed and on_screen(app, VotingScreen), "the revealed chart")
    await pilot.pause()


def test_rank_labels_share_a_rank_on_ties() -> None:
    assert rank_labels([4, 4, 3, 3, 2, 0]) == ["=1", "=1", "=3", "=3", "5", "6"]
    assert rank_labels([5, 4]) == ["1", "2"]
    assert rank_labels([]) == []


async def test_reveal_opens_at_the_winner_after_scrolling(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        ids = await vote_room(app, ideas=30)
        chart = await open_voting(app, pilot)
        await pilot.press("end")  # the facilitator scrolled down to add paper dots
        await wait_for(pilot, lambda: chart.scroll_offset.y > 0, "the chart scrolled")
        await reveal(app, pilot, chart)
        assert chart.highlighted == 0
        assert chart.scroll_offset.y == 0
        assert chart.rows[0].idea_id in (ids[4], ids[9])
        first, second, third = (str(chart.get_option_at_index(i).prompt) for i in range(3))
        assert first.startswith("=1. ") and second.startswith("=1. ") and third.startswith("=3. ")
        # up from the winner stays on the winner (no wrap to the last idea)
        await pilot.press("up")
        await pilot.pause()
        assert chart.highlighted == 0 and chart.scroll_offset.y == 0
        await pilot.press("end", "down")
        await pilot.pause()
        assert chart.highlighted == len(ids) - 1


def bar_segments(chart: BarChart, y: int) -> list[Segment]:
    return [s for s in chart.render_line(y) if "█" in s.text]


async def test_the_highlighted_row_keeps_its_bar_visible(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await vote_room(app)
        chart = await open_voting(app, pilot)
        await reveal(app, pilot, chart)
        assert chart.has_focus and chart.highlighted == 0
        bars = bar_segments(chart, 1)  # the winner's bar line
        assert bars, "the highlighted winner has a bar"
        for segment in bars:
            assert segment.style is not None
            assert segment.style.color != segment.style.bgcolor, "the bar disappears into the highlight"


@pytest.mark.parametrize("width", [80, 100, 200])
async def test_the_chart_fits_its_area(data_dir: Path, width: int) -> None:
    async with running_app(data_dir, size=(width, 30)) as (app, pilot):
        # 14 ideas fit unrevealed (one line each); revealed (two lines each) they need a scrollbar
        await vote_room(app, ideas=14)
        chart = await open_voting(app, pilot)
        await reveal(app, pilot, chart)
        await pilot.pause()
        assert chart.show_vertical_scrollbar, "14 revealed ideas need a scrollbar"
        room = chart.scrollable_content_region.width
        assert room <= chart.size.width - chart.styles.scrollbar_size_vertical
        for index in range(chart.option_count):
            prompt = chart.get_option_at_index(index).prompt
            lines = str(prompt).split("\n")
            assert len(lines) == 2
            assert max(len(line) for line in lines) <= room, f"row {index} runs past {room} columns"
        # drawn rows are two lines each: nothing wrapped into a third line
        assert chart.virtual_size.height == 2 * chart.option_count
        # the longest bar uses most of the room
        longest = max(len(s.text) for y in range(2) for s in bar_segments(chart, y))
        assert longest >= room // 2


async def test_the_reveal_builds_the_entries_on_screen_not_every_idea(data_dir: Path) -> None:
    """A big wall's reveal costs what the screen shows: entries off screen are counted (two lines each),
    not built, until the cursor or the scroll brings them in."""
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await vote_room(app, ideas=300)
        chart = await open_voting(app, pilot)
        await reveal(app, pilot, chart)

        def built() -> list[int]:
            entries = (chart.get_option_at_index(i).prompt for i in range(chart.option_count))
            return [i for i, entry in enumerate(entries) if isinstance(entry, LazyEntry) and entry.built]

        assert chart.virtual_size.height == 2 * 300  # every idea is in the layout
        shown = built()
        assert shown and len(shown) <= chart.size.height, f"{len(shown)} entries built for {chart.size.height} rows"
        await pilot.press("end")
        await wait_for(pilot, lambda: 299 in built(), "the last entry drawn once scrolled to")
        assert len(built()) <= 2 * chart.size.height
