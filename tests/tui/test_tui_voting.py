"""The voting screen under Pilot: live progress, still-voting count, reveal with confirmation, paper dots,
open/close. Real service and files."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Digits, Input, ProgressBar, Static

from screens.confirm import ConfirmScreen
from screens.text_prompt import TextPromptScreen
from screens.voting import VotingScreen
from screens.widgets.bar_chart import BarChart, ChartRow
from screens.widgets.session_bar import SessionBar
from tests.conftest import open_vote, workshop_in
from tests.helpers.tui import contrast, screen_lines, screen_segments, wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import Idea, Participant, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def room(service: WorkshopService) -> tuple[str, list[Participant], list[Idea]]:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3, max_dots_per_idea=2)
    people = [(await service.join(code, name))[0] for name in ["Amina", "Bram", "Chiara", "Dawit"]]
    ideas = [
        await service.post_idea(code, text, author_id=people[0].id)
        for text in ["Shade trees", "[@click=app.quit]Water fountains", "Bike racks"]
    ]
    await open_vote(service, code)
    return code, people, ideas


def screen(app: HarnessApp) -> VotingScreen:
    s = app.screen_stack[1]
    assert isinstance(s, VotingScreen)
    return s


def text_of(app: HarnessApp, selector: str) -> str:
    return str(screen(app).query_one(selector, Static).render())


async def test_progress_and_still_voting_update_live(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        bar = screen(app).query_one(ProgressBar)
        status = screen(app).query_one(SessionBar).query_one(".status", Static)

        def still(count: int) -> bool:
            """The panel and the session bar say the same count in the same words."""
            return text_of(app, "#not-voted").startswith(f"{count} of 4 still voting") and (
                f"{count} still voting" in str(status.render())
            )

        assert bar.total == 12 and bar.progress == 0
        assert screen(app).query_one("#dots-cast", Digits).value == "0"
        assert still(4) and "VOTING OPEN" in text_of(app, "#voting-state")
        for idea in ideas:  # every dot placed: done
            await service.cast_dot(code, people[0].id, idea.id)
        await service.cast_dot(code, people[1].id, ideas[1].id)  # one of three: still voting
        await wait_for(pilot, lambda: bar.progress == 4 and still(3), "three still voting")
        assert screen(app).query_one("#dots-cast", Digits).value == "4"
        await service.say_done(code, people[1].id)  # done with dots to spare
        await wait_for(pilot, lambda: still(2), "two still voting")
        await service.withdraw_dot(code, people[0].id, ideas[2].id)
        await wait_for(pilot, lambda: bar.progress == 3 and still(3), "a dot taken back")
        for person in people[2:]:
            await service.say_done(code, person.id)
        await service.say_done(code, people[0].id)
        await wait_for(pilot, lambda: text_of(app, "#not-voted") == "all 4 done", "all done")


async def test_once_the_ballot_is_closed_nobody_is_still_voting(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    await service.cast_dot(code, people[0].id, ideas[0].id)  # 1 of 3 dots: not done
    for idea in ideas:
        await service.cast_dot(code, people[1].id, idea.id)  # all 3: done
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert text_of(app, "#not-voted").startswith("3 of 4 still voting")
        await pilot.press("o")
        await wait_for(pilot, lambda: "VOTING CLOSED" in text_of(app, "#voting-state"), "closed on screen")
        assert text_of(app, "#not-voted").startswith("3 of 4 did not finish voting")
        assert "still voting" not in screen_lines(app)[0]  # nor the top bar


async def test_before_the_ballot_opens_nobody_is_counted(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.VOTE)
    await service.set_voting(code, voting_open=False)
    await service.join(code, "Amina")
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "BALLOT NOT OPEN YET" in text_of(app, "#voting-state") and text_of(app, "#not-voted") == ""


async def test_results_hidden_until_revealed_then_ranked(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    for person in people[:3]:
        await service.cast_dot(code, person.id, ideas[1].id)
    await service.cast_dot(code, people[3].id, ideas[2].id)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = screen(app).query_one(BarChart)
        assert not chart.revealed
        hidden = app.export_screenshot()
        assert "Results hidden" in hidden.replace("&#160;", " ")
        # in hidden mode the counts are nowhere: every row has 0 dots and no bar is drawn
        assert "█" not in hidden
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not service.state(code).workshop.results_revealed
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: chart.revealed)
        assert service.state(code).workshop.results_revealed
        assert [r.idea_id for r in chart.rows] == [ideas[1].id, ideas[2].id, ideas[0].id]
        assert [r.dots for r in chart.rows] == [3, 1, 0]
        first = str(chart.get_option_at_index(0).prompt)
        assert first.startswith(" 1. [@click=app.quit]Water fountains")
        assert "█" in first and first.rstrip().endswith("3")
        # the chart follows new dots live once revealed
        await service.cast_dot(code, people[3].id, ideas[0].id)
        await service.cast_dot(code, people[2].id, ideas[0].id)
        await wait_for(pilot, lambda: [r.dots for r in chart.rows] == [3, 2, 1])
        await pilot.click(BarChart, offset=(6, 0))
        await pilot.pause()
        assert app.is_running
        # hiding needs no confirmation
        await pilot.press("r")
        await wait_for(pilot, lambda: not chart.revealed)


async def test_paper_dots_count_in_the_same_tally(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    await service.cast_dot(code, people[0].id, ideas[0].id)
    await service.set_voting(code, results_revealed=True)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = screen(app).query_one(BarChart)
        chart.highlighted = [r.idea_id for r in chart.rows].index(ideas[2].id)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        prompt_input = app.screen.query_one(Input)
        prompt_input.value = "4"
        await pilot.press("enter")
        await pilot.pause()
        assert service.state(code).idea_dots[ideas[2].id] == 4
        await wait_for(pilot, lambda: chart.rows[0].idea_id == ideas[2].id)
        assert chart.rows[0].dots == 4
        assert "4 paper dots" in text_of(app, "#paper-line")
        # a correction below zero is refused inline
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(Input).value = "-9"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        assert "cannot remove more paper dots" in str(app.screen.query_one("#prompt-error", Static).render())


async def test_open_and_close_voting(service: WorkshopService) -> None:
    code, _people, _ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert service.state(code).workshop.voting_open
        await pilot.press("o")
        await wait_for(pilot, lambda: "VOTING OPEN" not in text_of(app, "#voting-state"))
        assert not service.state(code).workshop.voting_open
        await pilot.press("o")
        await wait_for(pilot, lambda: "VOTING OPEN" in text_of(app, "#voting-state"))
        assert service.state(code).workshop.voting_open
        await service.set_phase(code, Phase.TEAMS)
        await wait_for(pilot, lambda: screen(app).check_action("open_voting", ()) is False, "the ballot closed to o")
        assert screen(app).check_action("close_voting", ()) is False
        assert screen(app).check_action("toggle_results", ()) is True
        assert screen(app).check_action("paper_dots", ()) is False


async def test_paper_note_source_is_irrelevant_to_progress(service: WorkshopService) -> None:
    """Progress counts phone dots against what phones may cast; paper dots are shown apart."""
    code, _people, _ideas = await room(service)
    paper = await service.post_idea(code, "from the paper wall", source=Source.PAPER)
    await service.add_paper_dots(code, paper.id, 5)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen(app).query_one(ProgressBar).progress == 0
        assert "5 paper dots" in text_of(app, "#paper-line")


async def test_the_empty_progress_bar_is_seen_on_a_projector(service: WorkshopService) -> None:
    """At 0 % the bar's track is drawn in the background's own colour by default (an invisible bar): on the
    projector it stands out from the background at least 3:1, as a graphic must."""
    code, _people, _ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        region = screen(app).query_one("#progress Bar").region
        row = screen_segments(app)[region.y]
        cells, x = [], 0
        for segment in row:
            if region.x <= x < region.right and segment.text.strip():
                cells.append(segment)
            x += segment.cell_length
        assert cells, "no bar drawn"
        assert min(contrast(s) for s in cells) >= 3, [s.style for s in cells]


async def test_dots_cast_behind_hidden_results_count_up_without_redrawing_the_chart(service: WorkshopService) -> None:
    """While the ballot is open, hundreds of dots a second arrive: each moves the counts, not the chart
    (one row per idea), until an idea changes or the results are revealed."""
    code, people, ideas = await room(service)
    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        chart = screen(app).query_one(BarChart)
        shown: list[bool] = []
        draw = chart.show

        def counted(rows: list[ChartRow], revealed: bool) -> None:
            shown.append(revealed)
            draw(rows, revealed)

        chart.show = counted  # type: ignore[method-assign]
        for person in people:
            await service.cast_dot(code, person.id, ideas[0].id)
        await wait_for(pilot, lambda: screen(app).query_one("#dots-cast", Digits).value == "4", "the dots counted")
        assert shown == []
        await service.hide_idea(code, ideas[2].id)  # an idea leaves the ballot: the chart follows
        await wait_for(pilot, lambda: [r.idea_id for r in chart.rows] == [ideas[0].id, ideas[1].id], "the chart")
        await service.set_voting(code, results_revealed=True)
        await wait_for(pilot, lambda: chart.revealed and chart.rows[0].dots == 4, "the results")
        await service.cast_dot(code, people[1].id, ideas[1].id)  # revealed, a dot moves its bar
        await wait_for(pilot, lambda: [r.dots for r in chart.rows] == [4, 1], "the bar moved")


async def test_a_dot_cast_while_results_are_hidden_lays_out_nothing(service: WorkshopService, monkeypatch: Any) -> None:
    """The counts change in place: a layout of the whole screen for each dot (each text updated as if its
    size could change) was most of a frame, every frame of a voting storm."""
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3, max_dots_per_idea=2)
    people = [(await service.join(code, f"Person {k}"))[0] for k in range(12)]
    ideas = [await service.post_idea(code, f"Idea {k}", source=Source.PAPER) for k in range(3)]
    await open_vote(service, code)
    for person in people[:3]:
        for idea in ideas:
            await service.cast_dot(code, person.id, idea.id)
    await service.cast_dot(code, people[3].id, ideas[0].id)  # 10 dots: the counts keep their widths below
    layouts: list[object] = []
    refresh_layout = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(self)
        refresh_layout(self, *args, **kwargs)

    app = HarnessApp(service, lambda: VotingScreen(service, code))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        voting = screen(app)
        assert text_of(app, "#not-voted").startswith("9 of 12 still voting")
        await service.cast_dot(code, people[3].id, ideas[1].id)  # one batch before counting: the first frames settled
        cast = voting.query_one("#dots-cast", Digits)
        await wait_for(pilot, lambda: cast.value == "11", "11 dots")
        await pilot.wait_for_scheduled_animations()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for k, person in enumerate(people[4:7], start=12):
            await service.cast_dot(code, person.id, ideas[1].id)
            shown = str(k)
            await wait_for(pilot, lambda: cast.value == shown, f"{k} dots")  # noqa: B023 (awaited in this turn)
            await pilot.pause()
        assert voting.query_one(ProgressBar).progress == 14
        assert layouts == [], "a dot cast laid the voting screen out again"
