"""The teams screen under Pilot: candidates, preferences arriving, forming teams (and the infeasible
case), moving a person and naming the champion. Real service and solver."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Digits, OptionList, SelectionList, Static

from screens.candidates import CandidatesScreen
from screens.confirm import ConfirmScreen
from screens.team_picker import TeamPickerScreen
from screens.teams import TeamsScreen, team_stats
from tests.conftest import open_vote, workshop_in
from tests.helpers.tui import screen_lines, wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import Idea, Participant, Team
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

NAMES = ["Amina", "Bram", "[b]Chiara", "Dawit", "Elif", "[@click=app.quit]Femke"]


async def room(service: WorkshopService, **settings: object) -> tuple[str, list[Participant], list[Idea]]:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=4, **settings)
    people = [(await service.join(code, name))[0] for name in NAMES]
    ideas = [
        await service.post_idea(code, text, author_id=people[0].id)
        for text in ["Repair café finder", "Safe school routes", "Car-free Sunday", "Reusable cups"]
    ]
    await open_vote(service, code)
    for n, person in enumerate(people):
        await service.cast_dot(code, person.id, ideas[n % 2].id)
    await service.cast_dot(code, people[0].id, ideas[2].id)
    await service.set_phase(code, Phase.TEAMS)
    return code, people, ideas


def screen(app: HarnessApp) -> TeamsScreen:
    s = app.screen_stack[1]
    assert isinstance(s, TeamsScreen)
    return s


def rows(app: HarnessApp) -> list[tuple[str, ...]]:
    table: DataTable[Text] = screen(app).query_one("#teams-table", DataTable)
    return [tuple(cell.plain for cell in table.get_row_at(n)) for n in range(table.row_count)]


def explain_text(app: HarnessApp) -> str:
    return str(screen(app).query_one("#explain", Static).render())


async def test_candidates_and_preferences_count(service: WorkshopService) -> None:
    code, people, ideas = await room(service)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        candidates = service.state(code).workshop.team_candidates
        assert candidates  # chosen on entering the phase
        shown = str(screen(app).query_one("#candidates", Static).render())
        assert "Repair café finder" in shown
        assert screen(app).query_one("#prefs-count", Digits).value == "0"
        await service.set_preferences(code, people[0].id, candidates)
        await service.set_preferences(code, people[1].id, list(reversed(candidates)))
        await wait_for(pilot, lambda: screen(app).query_one("#prefs-count", Digits).value == "2")
        assert "4 still to rank" in str(screen(app).query_one("#prefs-line", Static).render())

        # choose other candidates in the dialog
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CandidatesScreen)
        selection = app.screen.query_one(SelectionList)
        selection.deselect_all()
        selection.select(ideas[2].id)
        selection.select(ideas[3].id)
        await pilot.press("s")
        await wait_for(pilot, lambda: service.state(code).workshop.team_candidates == [ideas[2].id, ideas[3].id])
        await wait_for(pilot, lambda: "Car-free Sunday" in str(screen(app).query_one("#candidates", Static).render()))


async def test_form_teams_shows_teams_and_explanation(service: WorkshopService) -> None:
    code, people, _ideas = await room(service)
    candidates = service.state(code).workshop.team_candidates
    for person in people:
        await service.set_preferences(code, person.id, candidates)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "No teams yet" in explain_text(app)
        await pilot.press("f")
        await wait_for(pilot, lambda: len(service.state(code).teams) == len(candidates))
        await wait_for(pilot, lambda: "people" in explain_text(app) and "choice" in explain_text(app))
        table_rows = rows(app)
        members = sorted(r[1] for r in table_rows)
        assert members == sorted(NAMES)  # names literally, markup and all
        champions = [r for r in table_rows if r[2] == "★ champion"]
        assert len(champions) == len(candidates)
        # forming again asks first
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_infeasible_reason_shown_inline(service: WorkshopService) -> None:
    code, _people, _ideas = await room(service)
    await service.update_workshop(code, settings={"team_min_size": 5, "team_max_size": 5})
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")  # nobody has ranked yet: it asks first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: explain_text(app).startswith("Could not form teams"))
        assert screen(app).query_one("#explain").has_class("-error")
        assert not service.state(code).teams
        assert len(explain_text(app)) > len("Could not form teams: ")


async def test_move_member_and_set_champion(service: WorkshopService) -> None:
    code, _people, _ideas = await room(service)
    teams, _ = await service.form_teams(code)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = screen(app)
        table = s.query_one("#teams-table", DataTable)
        # pick a person who is not their team's champion
        state = service.state(code)
        index = next(
            n
            for n, seat in enumerate(s.seats)
            if seat.participant_id and state.teams[seat.team_id or ""].champion_id != seat.participant_id
        )
        table.move_cursor(row=index)
        await pilot.pause()
        seat = s.seats[index]
        assert seat.participant_id is not None and seat.team_id is not None

        await pilot.press("k")
        await wait_for(pilot, lambda: service.state(code).teams[seat.team_id or ""].champion_id == seat.participant_id)
        name = service.state(code).participants[seat.participant_id].name
        await wait_for(pilot, lambda: (name, "★ champion") in [(r[1], r[2]) for r in rows(app)])

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TeamPickerScreen)
        picker = app.screen.query_one(OptionList)
        target = next(t for t in teams if t.id != seat.team_id)
        picker.highlighted = picker.get_option_index(target.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: seat.participant_id in service.state(code).teams[target.id].member_ids)
        old = service.state(code).teams[seat.team_id]
        assert seat.participant_id not in old.member_ids
        assert old.champion_id is None  # the champion left
        # the cursor follows the person who moved
        moved = seat.participant_id
        await wait_for(pilot, lambda: getattr(s.selected(), "participant_id", None) == moved, "the cursor on them")
        chosen = s.selected()
        assert chosen is not None and chosen.team_id == target.id


async def test_every_team_outside_the_bounds_is_flagged_on_a_projector_at_80x24(service: WorkshopService) -> None:
    """After manual moves one team is below the minimum and one above the maximum: at 80x24 both flags
    show whole (long idea titles used to wrap the first flag and push the second off the screen)."""

    code = await workshop_in(service, Phase.IDEATE, team_min_size=2, team_max_size=3)
    for name in NAMES:
        await service.join(code, name)
    long = "with opening hours, what each one can fix and who to ask at the city for a permit"
    ideas = [await service.post_idea(code, f"{n}. Repair café finder {long}") for n in range(1, 4)]
    await open_vote(service, code)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=[i.id for i in ideas])
    teams, _ = await service.form_teams(code)
    small, big, third = teams  # 2, 2 and 2: two people join the second, one from each of the others
    await service.move_member(code, small.member_ids[0], big.id)
    await service.move_member(code, third.member_ids[0], big.id)
    sizes = sorted(len(t.member_ids) for t in service.view(code).teams.values())
    assert sizes[0] < 2 and sizes[-1] > 3
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "below the minimum of 2" in shown, shown
        assert "above 3" in shown, shown
        assert "p publishes" in shown, shown
    stats = team_stats(service.view(code))
    flagged = {stats.plain[span.start : span.end] for span in stats.spans if "red" in str(span.style)}
    assert any(f.startswith("! below the minimum") for f in flagged), flagged  # a warning, not the box's green
    assert any(f.startswith("! above 3") for f in flagged), flagged


async def test_a_team_whose_champion_moved_away_is_flagged(service: WorkshopService) -> None:
    """Moving the champion leaves the team without one (its backlog item would have no owner): the screen says so."""
    code, people, _ideas = await room(service)
    candidates = service.state(code).workshop.team_candidates
    for person in people:
        await service.set_preferences(code, person.id, candidates)
    teams, _ = await service.form_teams(code)
    team = next(t for t in teams if t.champion_id is not None)
    other = next(t for t in teams if t.id != team.id)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no champion" not in explain_text(app)
        assert team.champion_id is not None
        await service.move_member(code, team.champion_id, other.id)
        await wait_for(pilot, lambda: "no champion (k names one)" in explain_text(app), "the flag")


async def test_once_the_teams_are_published_nobody_is_said_to_be_still_ranking(service: WorkshopService) -> None:
    """Phones stop ranking when the teams are published: the top bar and the count stop saying anyone still ranks."""
    from screens.widgets.session_bar import SessionBar

    code, people, _ideas = await room(service)
    candidates = service.state(code).workshop.team_candidates
    await service.set_preferences(code, people[0].id, candidates)  # 1 of 6 ranked
    await service.form_teams(code)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()

        def bar() -> str:
            return str(screen(app).query_one(SessionBar).query_one(".status", Static).render())

        assert "5 still ranking" in bar()
        assert "still to rank" in str(screen(app).query_one("#prefs-line", Static).render())
        await service.publish_teams(code)
        await wait_for(pilot, lambda: "still ranking" not in bar(), "the bar without the ranking count")
        assert "still to rank" not in str(screen(app).query_one("#prefs-line", Static).render())


async def test_the_move_dialog_offers_only_the_other_teams(service: WorkshopService) -> None:
    code, _people, _ideas = await room(service)
    teams, _ = await service.form_teams(code)
    assert len(teams) >= 2
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = screen(app)
        index = next(n for n, seat in enumerate(s.seats) if seat.participant_id and seat.team_id)
        s.query_one("#teams-table", DataTable).move_cursor(row=index)
        await pilot.pause()
        seat = s.seats[index]
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, TeamPickerScreen), "the move dialog")
        picker = app.screen.query_one(OptionList)
        offered = [picker.get_option_at_index(n).id for n in range(picker.option_count)]
        assert seat.team_id not in offered
        assert set(offered) == {t.id for t in teams if t.id != seat.team_id}
        current = service.state(code).teams[seat.team_id or ""].name
        assert f"(now in {current})" in str(app.screen.query_one(Static).render())


async def test_the_stats_say_one_team_and_who_ranked(service: WorkshopService) -> None:
    """Singular and plural as the room reads them, and the choices met counted among those who ranked
    (before anyone ranks, "0 of 6 got their 1st choice" would blame the solver)."""
    code, people, ideas = await room(service)
    await service.set_team_candidates(code, idea_ids=[ideas[0].id])
    await service.form_teams(code, max_size=6)
    stats = team_stats(service.view(code)).plain
    assert "6 people in 1 team of 6 (allowed 1 to 4)" in stats and "1 teams" not in stats
    assert "Nobody has ranked yet" in stats and "got their 1st choice" not in stats
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "Publish the team to the phones?" in "\n".join(screen_lines(app))
    await service.set_preferences(code, people[0].id, [ideas[0].id])
    await service.form_teams(code, max_size=6)
    assert "1 of 1 who ranked got their 1st choice" in team_stats(service.view(code)).plain


async def test_each_team_is_one_line_of_the_move_dialog_at_80x24() -> None:
    long = "Safe school routes: parents mark dangerous crossings on a shared map with the police"
    teams = [Team(id=f"t{n}", workshop_id="w", idea_id=f"i{n}", name=f"{long} {n}") for n in range(3)]
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TeamPickerScreen("Ilse", teams, "t0"))
        await pilot.pause()
        listed = app.screen.query_one(OptionList)
        assert listed.option_count == 2 and listed.virtual_size.height == 2, "a team's name wrapped"
        cut = [line for line in screen_lines(app) if long[:20] in line and "now in" not in line]
        assert len(cut) == 2 and all("…" in line for line in cut), cut


async def test_rankings_arriving_count_up_without_rebuilding_the_teams_table(service: WorkshopService) -> None:
    """A thousand phones ranking send a thousand events: each moves the count, not the table (one row per
    person, rebuilt whole), which follows the teams and the people."""
    code, people, _ideas = await room(service)
    await service.form_teams(code)
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table: DataTable[Text] = screen(app).query_one("#teams-table", DataTable)
        before = rows(app)
        clears = 0
        clear = table.clear

        def counted(columns: bool = False) -> DataTable[Text]:
            nonlocal clears
            clears += 1
            return clear(columns)

        table.clear = counted  # type: ignore[method-assign]
        candidates = service.state(code).workshop.team_candidates
        for person in people[:3]:
            await service.set_preferences(code, person.id, candidates)
        await wait_for(pilot, lambda: screen(app).query_one("#prefs-count", Digits).value == "3", "the count")
        assert clears == 0 and rows(app) == before
        await service.join(code, "Gustav")  # a newcomer is listed, not in a team yet
        await wait_for(pilot, lambda: ("Not in a team", "Gustav", "") in rows(app), "the newcomer")


async def test_the_candidates_say_when_their_cut_falls_inside_a_tie(service: WorkshopService) -> None:
    code, _, ideas = await room(service)  # the first two ideas have 3 dots each
    await service.set_team_candidates(code, idea_ids=[ideas[0].id])
    app = HarnessApp(service, lambda: TeamsScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = str(screen(app).query_one("#candidates", Static).render())
        assert "! 1 left out ties on dots: posted later (c)" in lines  # dots still hidden
        await service.set_voting(code, results_revealed=True)
        await wait_for(pilot, lambda: "ties at 3 dots" in str(screen(app).query_one("#candidates", Static).render()))
        await service.set_team_candidates(code, idea_ids=[ideas[0].id, ideas[1].id])
        await wait_for(pilot, lambda: "ties" not in str(screen(app).query_one("#candidates", Static).render()))
