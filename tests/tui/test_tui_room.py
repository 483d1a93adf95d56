"""Room-ready behaviour of the real app (issue 12): quitting from the list, screenshots in the data dir.

A real service on a tmp data dir; the real ParticipantServer on 127.0.0.1 (port 0) where phones take part.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from textual.widgets import DataTable, Input, Select, Static, Switch, TextArea

from screens.app import WorkshopApp
from screens.confirm import ConfirmScreen
from screens.home import HomeScreen
from screens.lobby import LobbyScreen
from screens.new_workshop import NewWorkshopScreen
from screens.teams import TeamsScreen
from screens.voting import VotingScreen
from screens.wall.screen import WallScreen
from screens.widgets.timer import PhaseTimer, format_clock
from tests.helpers.tui import on_screen, running_app, search_palette, wait_for
from workshop_tui.phases import Phase
from workshop_tui.service import TimerCommand
from workshop_tui.templates import templates


async def test_quit_from_the_workshop_list_asks_while_phones_can_reach_a_workshop(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (app, pilot):
        await app.service.create_workshop("Bike lanes", code="TEST")
        assert on_screen(app, HomeScreen) and app.code is None
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        assert isinstance(app.screen, ConfirmScreen) and "TEST" in app.screen.detail
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the list again")
        assert app.is_running and app.server_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")


async def test_quit_without_a_server_does_not_ask(data_dir: Path) -> None:
    async with running_app(data_dir, serve=False) as (app, pilot):
        await app.service.create_workshop("Bike lanes", code="TEST")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")


async def test_palette_screenshot_saves_under_the_data_dir(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"  # a projector laptop's account without ~/Downloads
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    async with running_app(data_dir) as (app, pilot):
        await search_palette(app, pilot, "screenshot", "Screenshot")
        await pilot.press("enter")
        shots = data_dir / "screenshots"
        await wait_for(pilot, lambda: shots.is_dir() and any(shots.glob("*.svg")), "the screenshot file")
        svg = next(shots.glob("*.svg")).read_text()
        assert svg.startswith("<svg") and "workshops" in svg.replace("&#160;", " ")
    assert not (home / "Downloads").exists()


# Teams: a draft until published, a warning when few have ranked, numbers that follow moves


async def teams_room(app: WorkshopApp, people: int = 10, ranked: int = 3) -> tuple[list[str], list[str]]:
    service = app.service
    await service.create_workshop("Teams", code="TEST", settings={"team_min_size": 2, "team_max_size": 6})
    await service.set_phase("TEST", Phase.IDEATE)
    ideas = [(await service.post_idea("TEST", text)).id for text in ("Repair café", "Bike racks", "Shade trees")]
    for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
        await service.set_phase("TEST", phase)
    await service.set_team_candidates("TEST", idea_ids=ideas[:2])
    pids = [(await service.join("TEST", f"P{n}"))[0].id for n in range(people)]
    for pid in pids[:ranked]:
        await service.set_preferences("TEST", pid, ideas[:2])
    return ideas, pids


async def test_forming_teams_warns_when_few_have_ranked_and_phones_rank_until_published(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True, size=(100, 30)) as (app, pilot):
        ideas, _ = await teams_room(app)
        assert app.server is not None
        base = f"http://127.0.0.1:{app.server.port}/api/v1/w/TEST"
        async with httpx.AsyncClient() as http:
            phone = (await http.post(f"{base}/join", json={"name": "Late phone"})).json()
            auth = {"Authorization": f"Bearer {phone['token']}"}
            app.call_later(app.open_workshop, "TEST")
            await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "the teams screen")
            await pilot.press("f")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the warning")
            assert isinstance(app.screen, ConfirmScreen)
            assert app.screen.question.startswith("3 of 11 have ranked") and "anyway" in app.screen.question
            await pilot.press("n")
            await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "the teams screen again")
            assert not app.service.state("TEST").teams
            await pilot.press("f")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the warning")
            await pilot.press("y")
            await wait_for(pilot, lambda: bool(app.service.state("TEST").teams), "the draft teams")
            # a draft: the phone still ranks and sees no team
            me = (await http.get(f"{base}/me", headers=auth)).json()
            assert me["team"] is None
            r = await http.put(f"{base}/preferences", headers=auth, json={"idea_ids": [ideas[1], ideas[0]]})
            assert r.status_code == 200
            explain = str(app.screen.query_one("#explain", Static).render())
            assert "Draft" in explain and "p publishes" in explain
            await pilot.press("p")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the publish question")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.service.state("TEST").workshop.teams_published, "published")
            me = (await http.get(f"{base}/me", headers=auth)).json()
            assert me["team"] is not None
            await wait_for(pilot, lambda: "Published" in str(app.screen.query_one("#explain", Static).render()))
            assert app.screen.check_action("publish_teams", ()) is None  # nothing more to publish


async def test_team_numbers_follow_manual_moves(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await teams_room(app, people=4, ranked=4)
        teams, _ = await app.service.form_teams("TEST")
        app.call_later(app.open_workshop, "TEST")
        await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "the teams screen")
        explain = app.screen.query_one("#explain", Static)
        assert "4 people in 2 teams of 2" in str(explain.render())
        small = teams[0]
        await app.service.move_member("TEST", small.member_ids[0], teams[1].id)
        await wait_for(pilot, lambda: "below the minimum of 2" in str(explain.render()), "the flag")
        assert "in 2 teams of 1 to 3" in str(explain.render())
        table = app.screen.query_one("#teams-table", DataTable)
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert any(name.startswith("! ") for name in names)


# Voting: the ballot opens only with o, once the rules are explained


async def test_the_ballot_opens_only_with_o(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await app.service.create_workshop("Vote", code="TEST")
        await app.service.set_phase("TEST", Phase.IDEATE)
        await app.service.post_idea("TEST", "Shade trees")
        await app.service.set_phase("TEST", Phase.GROUP)
        app.call_later(app.open_workshop, "TEST")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the phase question")
        await pilot.press("y")
        await wait_for(pilot, lambda: on_screen(app, VotingScreen), "the voting screen")
        assert not app.service.state("TEST").workshop.voting_open
        state = app.screen.query_one("#voting-state", Static)
        assert "NOT OPEN YET" in str(state.render())

        def footer() -> str:
            return app.export_screenshot().replace("&#160;", " ")

        await wait_for(pilot, lambda: "Open the ballot" in footer(), "the footer to offer opening the ballot")
        assert "Close the ballot" not in footer()
        await pilot.press("o")
        await wait_for(pilot, lambda: app.service.state("TEST").workshop.voting_open, "the ballot open")
        await wait_for(pilot, lambda: "VOTING OPEN" in str(state.render()), "the open label")
        await wait_for(pilot, lambda: "Close the ballot" in footer(), "the footer to offer closing the ballot")
        assert "Open the ballot" not in footer()


# New workshop: a real template and its prompt first; authors stay off the projector


async def test_new_workshop_form_opens_on_a_template_with_its_prompt_and_an_anonymous_switch(data_dir: Path) -> None:
    first, second = list(templates().values())[:2]
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        form = app.screen
        assert form.query_one("#template", Select).value == first.id
        prompt = form.query_one("#prompt", TextArea)
        assert prompt.text == first.prompt
        form.query_one("#template", Select).value = second.id  # not edited: the prompt follows
        await wait_for(pilot, lambda: prompt.text == second.prompt, "the second template's prompt")
        prompt.load_text("How can the north district feel safe at night?")
        form.query_one("#template", Select).value = first.id  # edited: the facilitator's text stays
        await pilot.pause()
        assert prompt.text == "How can the north district feel safe at night?"
        assert form.query_one("#show-authors", Switch).value is False
        form.query_one("#anonymous", Switch).value = True
        form.query_one("#title", Input).value = "Safety walk"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the new lobby")
        (workshop,) = app.service.workshops()
        assert workshop.template == first.id
        assert workshop.prompt == "How can the north district feel safe at night?"
        assert workshop.settings.anonymous and not workshop.settings.show_authors


async def test_authors_stay_off_the_projector_until_turned_on(data_dir: Path) -> None:
    async with running_app(data_dir, size=(160, 40)) as (app, pilot):
        await app.service.create_workshop("Names", code="TEST")
        await app.service.set_phase("TEST", Phase.IDEATE)
        person, _ = await app.service.join("TEST", "Amina Zed")
        await app.service.post_idea("TEST", "Benches by the river", author_id=person.id)
        app.call_later(app.open_workshop, "TEST")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        await pilot.pause()
        shot = app.export_screenshot().replace("&#160;", " ")
        assert "Benches by the river" in shot and "Amina Zed" not in shot
        await app.run_action("toggle_authors")
        await wait_for(pilot, lambda: app.service.state("TEST").workshop.settings.show_authors, "the setting")
        await wait_for(pilot, lambda: "Amina Zed" in app.export_screenshot().replace("&#160;", " "), "the name")


async def test_an_anonymous_workshop_offers_no_names_anywhere(data_dir: Path) -> None:
    async with running_app(data_dir, size=(160, 40)) as (app, pilot):
        await app.service.create_workshop("Named", code="OPEN")
        await app.service.create_workshop("Secret", code="ANON", settings={"anonymous": True})
        app.call_later(app.open_workshop, "OPEN")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen) and app.code == "OPEN", "the open lobby")
        await search_palette(app, pilot, "authors", "Authors' names on the projector: show")
        await pilot.press("escape")
        await app.run_action("toggle_authors")
        await wait_for(pilot, lambda: app.service.state("OPEN").workshop.settings.show_authors, "names on")
        await wait_for(pilot, lambda: any(n.message == "Authors' names are projected." for n in app._notifications))
        titles = [c.title for c in app.palette_commands()]
        assert "Authors' names on the projector: hide" in titles  # says which way it goes

        app.call_later(app.open_workshop, "ANON")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen) and app.code == "ANON", "the anonymous lobby")
        assert not app.action_allowed("toggle_authors", (), app.screen)  # neither in the palette nor the footer
        await pilot.press("ctrl+p")
        await pilot.press(*"authors")
        await pilot.pause()
        from textual.command import CommandList

        listed = app.screen.query_one(CommandList)
        assert not any("Authors" in str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))
        await pilot.press("escape")
        app.clear_notifications()
        await app.action_toggle_authors()  # run anyway: the service refuses, the toast says why
        await wait_for(pilot, lambda: list(app._notifications), "a toast")
        (said,) = list(app._notifications)
        assert said.message.startswith("this workshop is anonymous: authors' names are shown nowhere")
        assert not app.service.state("ANON").workshop.settings.show_authors


async def test_the_new_workshop_form_turns_names_off_when_anonymous(data_dir: Path) -> None:
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        form = app.screen
        await pilot.press(*"Quiet")
        assert form.query_one("#show-authors", Switch).disabled  # the first template is anonymous
        form.query_one("#anonymous", Switch).value = False
        await wait_for(pilot, lambda: not form.query_one("#show-authors", Switch).disabled, "the projector switch")
        form.query_one("#show-authors", Switch).value = True
        form.query_one("#anonymous", Switch).value = True
        await wait_for(pilot, lambda: form.query_one("#show-authors", Switch).disabled, "the projector switch off")
        assert not form.query_one("#show-authors", Switch).value
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the new lobby")
        (workshop,) = app.service.workshops()
        assert workshop.settings.anonymous and not workshop.settings.show_authors


# The phase timer: on every session screen, the same clock as the phones


async def test_every_session_screen_has_the_phase_timer_and_phones_see_it(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True, size=(100, 30)) as (app, pilot):
        service = app.service
        await service.create_workshop("Timed", code="TEST", template="weekend-hackathon")
        await service.set_phase("TEST", Phase.IDEATE)
        await service.post_idea("TEST", "Shade trees")
        app.call_later(app.open_workshop, "TEST")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")

        def shown() -> PhaseTimer:  # the one on screen now (the events of the set-up may rebuild the wall)
            return app.screen.query_one(PhaseTimer)

        assert shown().duration == 25 * 60  # the template's ideate timebox
        await pilot.press("ctrl+t")  # on the wall space marks notes; ctrl+t runs the timer everywhere
        await wait_for(pilot, lambda: service.timer("TEST") is not None and shown().has_class("-running"), "running")
        assert app.server is not None
        async with httpx.AsyncClient() as http:
            view = (await http.get(f"http://127.0.0.1:{app.server.port}/api/v1/w/TEST")).json()
        assert view["timer"]["running"] and 24 * 60 < view["timer"]["seconds_left"] <= 25 * 60
        await pilot.press("plus")
        await wait_for(pilot, lambda: shown().duration == 26 * 60 and shown().remaining > 25 * 60, "a minute more")
        # a phone or a script changes it: the projector follows
        await service.set_timer("TEST", TimerCommand.PAUSE)
        await wait_for(pilot, lambda: not shown().has_class("-running"), "paused on the projector")
        for phase, screen in ((Phase.GROUP, WallScreen), (Phase.VOTE, VotingScreen), (Phase.TEAMS, TeamsScreen)):
            before = app.screen

            def arrived(want: type[object] = screen, old: object = before) -> bool:
                return on_screen(app, want) and app.screen is not old

            await service.set_phase("TEST", phase)
            await wait_for(pilot, arrived, phase.value)
            await pilot.pause()
            timer = app.screen.query_one(PhaseTimer)
            minutes = service.state("TEST").workshop.settings.timeboxes[phase]
            assert timer.duration == minutes * 60 and not timer.running  # each phase starts from its timebox
            assert format_clock(minutes * 60) in str(timer.query_one(".timer-label", Static).render())
            assert app.check_action("timer_toggle", ()) is True
