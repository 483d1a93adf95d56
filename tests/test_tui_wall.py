"""The wall under Pilot: live notes, paper notes, edit, hide, delete + undo, themes, merge, duplicates,
hostile text, and 2,000 notes. Real service, real files, real Textual app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from screens.merge import MergeScreen
from screens.suggestions import SuggestionsScreen
from screens.text_prompt import TextPromptScreen
from screens.theme_picker import ThemePickerScreen
from screens.wall import ALL, NO_THEME, WallScreen
from screens.widgets.note_table import NoteTable
from tests.conftest import workshop_in
from tests.tui_harness import HarnessApp
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

HOSTILE = ["a [/] b", "[@click=app.quit]x", "[link=https://example.com]y[/link]", "[on red]z", "[b]bold"]


def wall_app(service: WorkshopService, code: str) -> HarnessApp:
    return HarnessApp(service, lambda: WallScreen(service, code))


def table(app: HarnessApp) -> NoteTable:
    return app.screen_stack[1].query_one(NoteTable) if len(app.screen_stack) > 1 else app.screen.query_one(NoteTable)


def wall(app: HarnessApp) -> WallScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, WallScreen)
    return screen


def note_texts(app: HarnessApp) -> list[str]:
    t = table(app)
    return [t.get_cell(row_key, "note").plain for row_key in t.shown]


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 50) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "condition not met after waiting"


async def select_note(pilot: Pilot[None], app: HarnessApp, text: str) -> None:
    t = table(app)
    index = note_texts(app).index(text)
    t.move_cursor(row=index)
    await pilot.pause()
    assert wall(app)._selected() is not None
    assert wall(app)._selected().text == text  # type: ignore[union-attr]


async def type_into_prompt(pilot: Pilot[None], text: str) -> None:
    prompt = pilot.app.screen
    inp = prompt.query_one(Input)
    inp.value = text
    inp.focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_phone_note_appears_live(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    person, _ = await service.join(code, "Amina")
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert note_texts(app) == []
        await service.post_idea(code, "Shade trees on the school square", author_id=person.id)
        await wait_for(pilot, lambda: note_texts(app) == ["Shade trees on the school square"])
        await service.post_idea(code, "Water fountains", author_id=person.id)
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)
        assert note_texts(app)[1] == "Water fountains"


async def test_note_posted_over_http_appears(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    server = ParticipantServer(service, host="127.0.0.1", port=0)
    await server.start()
    try:
        app = wall_app(service, code)
        async with app.run_test(size=(80, 24)) as pilot, httpx.AsyncClient(base_url=server.base_url) as client:
            joined = await client.post(f"/api/v1/w/{code}/join", json={"name": "Phone person"})
            assert joined.status_code == 201, joined.text
            token = joined.json()["token"]
            posted = await client.post(
                f"/api/v1/w/{code}/ideas",
                json={"text": "[@click=app.quit]Posted from a phone"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert posted.status_code == 201, posted.text
            await wait_for(pilot, lambda: note_texts(app) == ["[@click=app.quit]Posted from a phone"])
            await pilot.click(NoteTable, offset=(3, 1))
            await pilot.pause()
            assert app.is_running
    finally:
        await server.stop()


async def test_add_paper_note_edit_hide(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        await type_into_prompt(pilot, "From the paper wall")
        assert not isinstance(app.screen, TextPromptScreen)
        (idea,) = service.state(code).ideas.values()
        assert idea.source == Source.PAPER and idea.text == "From the paper wall"
        await wait_for(pilot, lambda: note_texts(app) == ["From the paper wall"])

        # edit
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        assert app.screen.query_one(Input).value == "From the paper wall"
        await type_into_prompt(pilot, "Edited on the projector")
        assert service.state(code).ideas[idea.id].text == "Edited on the projector"
        await wait_for(pilot, lambda: note_texts(app) == ["Edited on the projector"])

        # an invalid edit is refused inline, the prompt stays open
        await pilot.press("e")
        await pilot.pause()
        await type_into_prompt(pilot, "x" * 300)
        assert isinstance(app.screen, TextPromptScreen)
        error = app.screen.query_one("#prompt-error")
        assert "at most" in str(error.render())
        await pilot.press("escape")
        await pilot.pause()

        # hide, then show
        await pilot.press("h")
        await wait_for(pilot, lambda: note_texts(app) == ["(hidden) Edited on the projector"])
        assert service.state(code).ideas[idea.id].hidden
        await pilot.press("h")
        await wait_for(pilot, lambda: note_texts(app) == ["Edited on the projector"])
        assert not service.state(code).ideas[idea.id].hidden


async def test_delete_and_undo(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    for text in ["keep me", "delete me"]:
        await service.post_idea(code, text, source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.check_action("undo_delete", ()) is None  # nothing to undo yet
        await select_note(pilot, app, "delete me")
        await pilot.press("x")
        await wait_for(pilot, lambda: note_texts(app) == ["keep me"])
        deleted = [i for i in service.state(code).ideas.values() if i.deleted]
        assert [i.text for i in deleted] == ["delete me"]
        assert any(n.message == "Deleted. Press u to undo" for n in app._notifications)
        await pilot.press("u")
        await wait_for(pilot, lambda: sorted(note_texts(app)) == ["delete me", "keep me"])
        assert not any(i.deleted for i in service.state(code).ideas.values())


async def test_theme_create_move_and_filter(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    for text in ["bike lanes", "tram stops", "parks"]:
        await service.post_idea(code, text, source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_into_prompt(pilot, "Mobility [b]")
        (theme,) = service.state(code).themes.values()
        assert theme.name == "Mobility [b]"

        await select_note(pilot, app, "tram stops")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ThemePickerScreen)
        themes = app.screen.query_one(OptionList)
        themes.highlighted = themes.get_option_index(theme.id)
        await pilot.press("enter")
        await pilot.pause()
        tram = next(i for i in service.state(code).ideas.values() if i.text == "tram stops")
        assert tram.theme_id == theme.id

        # a new theme typed in the picker
        await select_note(pilot, app, "parks")
        await pilot.press("t")
        await pilot.pause()
        await type_into_prompt(pilot, "Green")
        parks = next(i for i in service.state(code).ideas.values() if i.text == "parks")
        green = next(t for t in service.state(code).themes.values() if t.name == "Green")
        assert parks.theme_id == green.id

        # the theme list counts notes, and picking a theme filters the table
        await pilot.pause(0.2)
        theme_list = wall(app).query_one("#themes", OptionList)
        prompts = {o.id: str(o.prompt) for o in theme_list.options}
        assert prompts[ALL].split() == ["3", "All", "notes"]
        assert prompts[NO_THEME].split() == ["1", "No", "theme"]
        assert prompts[theme.id].split() == ["1", "Mobility", "[b]"]
        theme_list.highlighted = theme_list.get_option_index(theme.id)
        await wait_for(pilot, lambda: note_texts(app) == ["tram stops"])
        theme_list.highlighted = theme_list.get_option_index(NO_THEME)
        await wait_for(pilot, lambda: note_texts(app) == ["bike lanes"])


async def test_merge_moves_dots(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    survivor = await service.post_idea(code, "More bike parking at the station", source=Source.PAPER)
    duplicate = await service.post_idea(code, "Bike parking near the station", source=Source.PAPER)
    await service.post_idea(code, "Something else entirely", source=Source.PAPER)
    await service.set_phase(code, Phase.VOTE)
    await service.add_paper_dots(code, duplicate.id, 3)
    await service.set_phase(code, Phase.GROUP)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select_note(pilot, app, survivor.text)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MergeScreen)
        merge_list = app.screen.query_one(OptionList)
        assert merge_list.get_option_at_index(0).id == duplicate.id  # the most similar comes first
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)
        state = service.state(code)
        assert state.ideas[duplicate.id].merged_into == survivor.id
        assert state.idea_dots[survivor.id] == 3
        assert state.idea_dots[duplicate.id] == 0


async def test_duplicate_suggestions_list_and_merge(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    a = await service.post_idea(code, "Repair café finder with opening hours", source=Source.PAPER)
    await service.post_idea(code, "Reusable cups at all city events", source=Source.PAPER)
    b = await service.post_idea(code, "A repair cafe finder, with the opening hours!", source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SuggestionsScreen)
        pairs = list(app.screen.pairs.values())
        assert [(p.first, p.second) for p in pairs] == [(a.id, b.id)]
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Repair café finder" in prompt and "repair cafe finder" in prompt
        await pilot.press("enter")
        await pilot.pause()
        assert service.state(code).ideas[b.id].merged_into == a.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_hostile_notes_are_literal_and_inert(service: WorkshopService, size: tuple[int, int]) -> None:
    code = await workshop_in(service, Phase.IDEATE, show_authors=True)  # names are off the projector by default
    person, _ = await service.join(code, "[@click=app.quit]Mallory")
    app = wall_app(service, code)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for text in HOSTILE:
            await service.post_idea(code, text, author_id=person.id)
        await service.create_theme(code, "[@click=app.quit]theme")
        await wait_for(pilot, lambda: note_texts(app) == HOSTILE)
        t = table(app)
        for row_key in t.shown:
            cell = t.get_cell(row_key, "note")
            assert isinstance(cell, Text) and not cell.spans  # no markup was interpreted
        if size[0] >= 120:
            authors = [t.get_cell(k, "author").plain for k in t.shown]
            assert authors == ["[@click=app.quit]Mallory"] * len(HOSTILE)
        screenshot = app.export_screenshot()
        assert "[@click=app.quit]x" in screenshot.replace("&#160;", " ")
        for row in range(len(HOSTILE)):
            await pilot.click(NoteTable, offset=(4, row + 1))
            await pilot.click(NoteTable, offset=(2, row + 1))
        await pilot.click("#themes", offset=(6, 3))
        await pilot.pause()
        assert app.is_running
        assert app.return_value is None


async def test_anonymous_hides_authors(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, anonymous=True, show_authors=True)
    person, _ = await service.join(code, "Amina")
    await service.post_idea(code, "secret ballot idea", author_id=person.id)
    app = wall_app(service, code)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        t = table(app)
        assert [t.get_cell(k, "author").plain for k in t.shown] == ["anonymous"]
        assert "Amina" not in app.export_screenshot()


async def test_actions_follow_the_phase(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    await service.post_idea(code, "a note", source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = wall(app)
        assert screen.check_action("merge", ()) is True
        await service.set_phase(code, Phase.LOBBY)
        await pilot.pause(0.2)
        assert screen.check_action("merge", ()) is False
        assert screen.check_action("add_note", ()) is True
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is screen  # no merge dialog in the lobby


async def test_two_thousand_notes_stay_usable(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    state = service.state(code)
    # Fill through the service in one batch of posts (each durable); 2,000 notes like a big room.
    posts: list[Awaitable[object]] = [
        service.post_idea(code, f"Idea number {n}: {'more trees ' * (n % 7)}", source=Source.PAPER) for n in range(2000)
    ]
    for post in posts:
        await post
    assert len(state.ideas) == 2000
    app = wall_app(service, code)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t = table(app)
        assert t.row_count == 2000
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert t.cursor_row == 1999
        assert wall(app)._selected() is not None
        assert wall(app)._selected().text.startswith("Idea number 1999")  # type: ignore[union-attr]
        await service.post_idea(code, "one more, live", source=Source.PAPER)
        await wait_for(pilot, lambda: t.row_count == 2001)
        assert t.cursor_row == 1999  # appending did not move the facilitator's cursor
        await pilot.press("ctrl+home", "down", "down")
        await pilot.pause()
        assert t.cursor_row == 2
        await pilot.press("h")
        await wait_for(pilot, lambda: service.state(code).ideas[t.shown[2]].hidden)
