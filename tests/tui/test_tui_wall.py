"""The wall under Pilot: live notes, paper notes, edit, hide, delete + undo, themes, merge, duplicates,
hostile text, and 2,000 notes. Real service, real files, real Textual app."""

from __future__ import annotations

from collections.abc import Awaitable

import httpx
import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from screens.confirm import ConfirmScreen
from screens.text_prompt import TextPromptScreen
from screens.wall.merge_dialogs import MergeScreen, UnmergeScreen
from screens.wall.screen import ALL, NO_THEME, WallScreen
from screens.wall.suggestions import SuggestionsScreen
from screens.wall.theme_picker import NO_THEME as PICK_NO_THEME
from screens.wall.theme_picker import ThemePickerScreen
from screens.widgets.note_wall import NoteWall
from screens.widgets.session_bar import SessionBar
from tests.conftest import workshop_in
from tests.helpers.tui import wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

HOSTILE = ["a [/] b", "[@click=app.quit]x", "[link=https://example.com]y[/link]", "[on red]z", "[b]bold"]


def wall_app(service: WorkshopService, code: str) -> HarnessApp:
    return HarnessApp(service, lambda: WallScreen(service, code))


def table(app: HarnessApp) -> NoteWall:
    return app.screen_stack[1].query_one(NoteWall) if len(app.screen_stack) > 1 else app.screen.query_one(NoteWall)


def wall(app: HarnessApp) -> WallScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, WallScreen)
    return screen


def note_texts(app: HarnessApp) -> list[str]:
    t = table(app)
    return [t.card_text(idea_id) for idea_id in t.shown]


async def select_note(pilot: Pilot[None], app: HarnessApp, text: str) -> None:
    t = table(app)
    index = [t.note(i).text for i in t.shown].index(text)
    t.move_cursor(index)
    await pilot.pause()
    assert wall(app).selected() is not None
    assert wall(app).selected().text == text  # type: ignore[union-attr]


async def type_into_prompt(pilot: Pilot[None], text: str) -> None:
    prompt = pilot.app.screen
    inp = prompt.query_one(Input)
    inp.value = text
    inp.focus()
    await pilot.press("enter")
    await pilot.pause()


async def numbered_notes(service: WorkshopService, count: int) -> str:
    """A workshop in ideate with ``count`` paper notes "Note number 00"...: a wall taller than the screen."""
    code = await workshop_in(service, Phase.IDEATE)
    for n in range(count):
        await service.post_idea(code, f"Note number {n:02}", source=Source.PAPER)
    return code


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
        assert note_texts(app)[0] == "Water fountains"  # newest first


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
            await pilot.click(NoteWall, offset=(3, 1))
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

        # hide (off the wall), then show it again from the hidden notes the facilitator asks for
        await pilot.press("h")
        await wait_for(pilot, lambda: note_texts(app) == [])
        assert service.state(code).ideas[idea.id].hidden
        await pilot.press("H")
        await wait_for(pilot, lambda: note_texts(app) == ["(hidden) Edited on the projector"])
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
        assert app.screen.check_action("undo", ()) is None  # nothing to undo yet
        await select_note(pilot, app, "delete me")
        await pilot.press("x")
        await wait_for(pilot, lambda: note_texts(app) == ["keep me"])
        deleted = [i for i in service.state(code).ideas.values() if i.deleted]
        assert [i.text for i in deleted] == ["delete me"]
        await wait_for(pilot, lambda: any(n.message == "Deleted 1 note. u undoes" for n in app._notifications))
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
        assert [o.id for o in themes.options] == [theme.id]  # not "No theme": the note has none
        assert "(now in no theme)" in str(app.screen.query_one("#picker-title", Static).render())
        await pilot.press("enter")  # the first choice is highlighted
        await pilot.pause()
        tram = next(i for i in service.state(code).ideas.values() if i.text == "tram stops")
        assert tram.theme_id == theme.id
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemePickerScreen), "the picker again")
        assert [o.id for o in app.screen.query_one(OptionList).options] == [PICK_NO_THEME]  # its theme is not offered
        assert "(now in Mobility [b])" in str(app.screen.query_one("#picker-title", Static).render())
        await pilot.press("escape")

        # a new theme typed in the picker
        await select_note(pilot, app, "parks")
        await pilot.press("t")
        await pilot.pause()
        await type_into_prompt(pilot, "Green")
        parks = next(i for i in service.state(code).ideas.values() if i.text == "parks")
        green = next(t for t in service.state(code).themes.values() if t.name == "Green")
        assert parks.theme_id == green.id

        # the theme list counts notes, and picking a theme filters the table
        theme_list = wall(app).query_one("#themes", OptionList)

        def prompts() -> dict[str | None, str]:
            return {o.id: str(o.prompt) for o in theme_list.options}

        await wait_for(pilot, lambda: prompts().get(green.id, "").split() == ["1", "Green"], "parks counted in Green")
        shown = prompts()
        assert shown[ALL].split() == ["3", "All", "notes"]
        assert shown[NO_THEME].split() == ["1", "No", "theme"]
        assert shown[theme.id].split() == ["1", "Mobility", "[b]"]
        theme_list.highlighted = theme_list.get_option_index(theme.id)
        await wait_for(pilot, lambda: note_texts(app) == ["tram stops"])
        theme_list.highlighted = theme_list.get_option_index(NO_THEME)
        await wait_for(pilot, lambda: note_texts(app) == ["bike lanes"])


async def open_merge(pilot: Pilot[None], app: HarnessApp, survivor: str) -> MergeScreen:
    await select_note(pilot, app, survivor)
    await pilot.press("m")
    await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen) and app.screen.is_mounted)
    assert isinstance(app.screen, MergeScreen)
    return app.screen


async def test_merge_moves_dots_after_confirming_and_u_undoes_it(service: WorkshopService) -> None:
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
        dialog = await open_merge(pilot, app, survivor.text)
        assert isinstance(app.focused, Input)  # the filter has the keyboard from the start
        merge_list = dialog.query_one(OptionList)
        assert merge_list.get_option_at_index(0).id == duplicate.id  # the most similar comes first
        assert dialog.highlighted() is not None and dialog.highlighted().id == duplicate.id  # type: ignore[union-attr]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = app.screen.query_one(".detail", Static).render()
        assert survivor.text in str(shown) and duplicate.text in str(shown)  # both notes, before anything happens
        assert service.state(code).ideas[duplicate.id].merged_into is None
        await pilot.press("y")
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)
        state = service.state(code)
        assert state.ideas[duplicate.id].merged_into == survivor.id
        assert state.idea_dots[survivor.id] == 3 and state.idea_dots[duplicate.id] == 0

        await pilot.press("u")  # the merge is undoable from the wall
        await wait_for(pilot, lambda: len(note_texts(app)) == 3)
        assert state.ideas[duplicate.id].merged_into is None
        assert state.idea_dots[survivor.id] == 0 and state.idea_dots[duplicate.id] == 3


async def test_merge_filter_typing_and_enter_merges_the_highlighted(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    survivor = await service.post_idea(code, "Shade trees on the square", source=Source.PAPER)
    for text in ["Trees for shade", "Night buses", "Water fountains", "Bike lanes"]:
        await service.post_idea(code, text, source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await open_merge(pilot, app, survivor.text)
        await pilot.press(*"water")  # typing goes to the filter, not the list
        await wait_for(pilot, lambda: [i.text for i in dialog.shown] == ["Water fountains"])
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await wait_for(pilot, lambda: len(dialog.shown) == 4)
        first, second = dialog.shown[0], dialog.shown[1]
        await pilot.press("down")
        assert dialog.highlighted() == second
        await pilot.press("up", "up")  # no wrapping round to the bottom
        assert dialog.highlighted() == first
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert second.text in str(app.screen.query_one(".detail", Static).render())
        await pilot.press("n")  # back to the dialog, nothing merged
        await wait_for(pilot, lambda: app.screen is dialog)
        assert not any(i.merged_into for i in service.state(code).ideas.values())
        await pilot.press("enter", "y")
        await wait_for(pilot, lambda: service.state(code).ideas[second.id].merged_into == survivor.id)
        assert service.state(code).ideas[first.id].merged_into is None  # what was highlighted, not the next


async def test_unmerge_from_the_wall(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    keep = await service.post_idea(code, "Repair café", source=Source.PAPER)
    dup = await service.post_idea(code, "A repair cafe", source=Source.PAPER)
    await service.merge_ideas(code, keep.id, dup.id)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select_note(pilot, app, keep.text)
        assert wall(app).check_action("unmerge", ()) is True
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, UnmergeScreen) and app.screen.is_mounted)
        await pilot.press("enter")
        await wait_for(pilot, lambda: sorted(note_texts(app)) == ["A repair cafe", "Repair café"])
        assert service.state(code).ideas[dup.id].merged_into is None
        await select_note(pilot, app, keep.text)
        assert wall(app).check_action("unmerge", ()) is None  # nothing merged into it any more


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
        await wait_for(pilot, lambda: app.screen is wall(app))  # no pair left: the dialog closes by itself
        assert service.state(code).ideas[b.id].merged_into == a.id
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)
        await pilot.press("u")  # and the wall can undo what it merged
        await wait_for(pilot, lambda: len(note_texts(app)) == 3)


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
        await wait_for(pilot, lambda: note_texts(app) == HOSTILE[::-1])  # literal, newest first
        screenshot = screen_text(app)
        assert "[@click=app.quit]x" in screenshot
        assert "[@click=app.quit]Mallory" in screenshot  # projected names (show_authors) are literal too
        for row in range(6):
            await pilot.click(NoteWall, offset=(4, row * 3 + 1))
            await pilot.click(NoteWall, offset=(30, row * 3 + 2))
        await pilot.click("#themes", offset=(6, 3))
        await pilot.pause()
        assert app.is_running
        assert app.return_value is None


async def test_authors_are_off_the_projector_by_default(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    person, _ = await service.join(code, "Amina")
    await service.post_idea(code, "named idea", author_id=person.id)
    app = wall_app(service, code)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert note_texts(app) == ["named idea"] and "Amina" not in app.export_screenshot()


async def test_anonymous_hides_authors(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, show_authors=True)
    await service.update_workshop(code, settings={"anonymous": True})  # names were projected until now
    person, _ = await service.join(code, "Amina")
    await service.post_idea(code, "secret ballot idea", author_id=person.id)
    app = wall_app(service, code)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert note_texts(app) == ["secret ballot idea"]
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
        await wait_for(pilot, lambda: screen.check_action("merge", ()) is False, "no merging in the lobby")
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
        assert len(t.shown) == 2000
        assert t.note(t.shown[0]).text.startswith("Idea number 1999")  # the newest first
        await pilot.press("end")
        assert t.cursor == 1999 and t.note(t.selected_id() or "").text.startswith("Idea number 0:")
        await service.post_idea(code, "one more, live", source=Source.PAPER)
        await wait_for(pilot, lambda: len(t.shown) == 2001)
        assert t.note(t.selected_id() or "").text.startswith("Idea number 0:")  # the cursor stays on its note
        await pilot.press("home", "right", "right")
        await pilot.pause()
        assert t.cursor == 2
        third = t.shown[2]
        await pilot.press("h")
        await wait_for(pilot, lambda: service.state(code).ideas[third].hidden and third not in t.shown)


def screen_text(app: HarnessApp) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def test_hidden_notes_leave_the_projector(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    for text in ["Keep this one", "Offensive words here"]:
        await service.post_idea(code, text, source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select_note(pilot, app, "Offensive words here")
        await pilot.press("h")
        await wait_for(pilot, lambda: note_texts(app) == ["Keep this one"])
        await wait_for(pilot, lambda: "Offensive" not in screen_text(app), "the hidden note off the screen")
        assert "hidden" not in screen_text(app)
        header = wall(app).query_one("#notes-header", Static)
        bar = wall(app).query_one(SessionBar).query_one(".status", Static)
        assert "1 note" in str(header.render()) and "1 note ·" in str(bar.render())  # the two counts agree
        await pilot.press("H")  # only on request: dimmed and marked, with a count
        await wait_for(pilot, lambda: "(hidden) Offensive words here" in note_texts(app))
        assert "1 hidden shown" in str(header.render())
        await pilot.press("H")
        await wait_for(pilot, lambda: note_texts(app) == ["Keep this one"])
        await pilot.press("u")  # and u brings it back to the wall
        await wait_for(pilot, lambda: len(note_texts(app)) == 2)


async def test_the_wall_follows_new_notes(service: WorkshopService) -> None:
    code = await numbered_notes(service, 30)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await wait_for(pilot, lambda: "Note number 29" in screen_text(app))  # it opens on the newest
        await service.post_idea(code, "Arrived just now", source=Source.PAPER)
        await wait_for(pilot, lambda: "Arrived just now" in screen_text(app))  # seen the moment it arrives
        await pilot.press("end")
        await wait_for(pilot, lambda: "Note number 00" in screen_text(app))
        assert table(app).cursor == 30
        await service.post_idea(code, "Late arrival", source=Source.PAPER)
        await wait_for(pilot, lambda: len(table(app).shown) == 32)
        await pilot.wait_for_scheduled_animations()  # a scroll to the new note would be done by now
        assert "Note number 00" in screen_text(app)  # scrolled away: the view stays where it was
        await pilot.press("home")
        await wait_for(pilot, lambda: "Late arrival" in screen_text(app))
        assert table(app).cursor == 0


async def test_twenty_presses_of_x_delete_twenty_notes_with_one_toast(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    person, _ = await service.join(code, "Burst")
    for n in range(25):
        await service.post_idea(code, f"Spam {n:02}", author_id=person.id)
    app = wall_app(service, code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("home")
        for _ in range(20):  # all at once, as a terminal delivers a burst (Pilot.press waits after each key)
            app.post_message(events.Key("x", "x"))
        await wait_for(pilot, lambda: len(note_texts(app)) == 5)
        assert sum(i.deleted for i in service.state(code).ideas.values()) == 20
        await wait_for(pilot, lambda: any("20 notes" in n.message for n in app._notifications))
        assert len([n for n in app._notifications if "Deleted" in n.message]) == 1  # one combined toast
        await pilot.press("u")  # one undo brings back the burst
        await wait_for(pilot, lambda: len(note_texts(app)) == 25)


async def test_marked_notes_are_hidden_or_deleted_together(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    for n in range(6):
        await service.post_idea(code, f"Note {n}", source=Source.PAPER)
    app = wall_app(service, code)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("home", "space", "space", "right", "space")  # marks the 1st, 2nd and 4th (newest first)
        assert list(wall(app).moderation.marked) == [t for i, t in enumerate(table(app).shown) if i in (0, 1, 3)]
        assert note_texts(app)[:2] == ["✔ Note 5", "✔ Note 4"]
        await pilot.press("x")
        await wait_for(pilot, lambda: note_texts(app) == ["Note 3", "Note 1", "Note 0"])
        await wait_for(pilot, lambda: any(n.message == "Deleted 3 notes. u undoes" for n in app._notifications))
        assert not wall(app).moderation.marked
        await pilot.press("u")
        await wait_for(pilot, lambda: len(note_texts(app)) == 6)
        await pilot.press("home", "space", "space", "h")
        await wait_for(pilot, lambda: note_texts(app) == ["Note 3", "Note 2", "Note 1", "Note 0"])
        await pilot.press("space", "escape")  # escape clears the marks (and stays on the wall)
        assert not wall(app).moderation.marked and app.screen is wall(app)


async def test_hide_everything_from_a_person_and_block_them(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    server = ParticipantServer(service, host="127.0.0.1", port=0)
    await server.start()
    try:
        app = wall_app(service, code)
        async with app.run_test(size=(100, 30)) as pilot, httpx.AsyncClient(base_url=server.base_url) as client:
            phones = []
            for name in ("Spammer", "Neighbour"):
                joined = await client.post(f"/api/v1/w/{code}/join", json={"name": name})
                phones.append({"Authorization": f"Bearer {joined.json()['token']}"})
            for n in range(8):
                await client.post(f"/api/v1/w/{code}/ideas", json={"text": f"buy now {n}"}, headers=phones[0])
            await client.post(f"/api/v1/w/{code}/ideas", json={"text": "A real idea"}, headers=phones[1])
            await wait_for(pilot, lambda: len(note_texts(app)) == 9)
            await select_note(pilot, app, "buy now 3")
            await pilot.press("P")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            question = str(app.screen.query_one(".question", Static).render())
            assert "Hide all 8 notes from this person?" in question  # projected: no name while names are off
            await pilot.press("y")
            await wait_for(pilot, lambda: note_texts(app) == ["A real idea"])
            await pilot.press("u")
            await wait_for(pilot, lambda: len(note_texts(app)) == 9)

            await select_note(pilot, app, "buy now 5")
            await pilot.press("B")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_for(pilot, lambda: note_texts(app) == ["A real idea"])
            refused = await client.post(f"/api/v1/w/{code}/ideas", json={"text": "more spam"}, headers=phones[0])
            assert refused.status_code == 409
            assert refused.json()["error"] == "the facilitator has stopped taking notes from you in this workshop"
            ok = await client.post(f"/api/v1/w/{code}/ideas", json={"text": "Another idea"}, headers=phones[1])
            assert ok.status_code == 201
            await wait_for(pilot, lambda: sorted(note_texts(app)) == ["A real idea", "Another idea"])
            await pilot.press("u")  # unblocks and brings their notes back
            await wait_for(pilot, lambda: len(note_texts(app)) == 10)
            again = await client.post(f"/api/v1/w/{code}/ideas", json={"text": "sorry"}, headers=phones[0])
            assert again.status_code == 201
    finally:
        await server.stop()


async def test_page_down_and_up_move_a_page_of_cards(service: WorkshopService) -> None:
    code = await numbered_notes(service, 100)
    app = wall_app(service, code)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t = table(app)
        page = t.scrollable_content_region.height // t.row_height  # the rows of cards in view
        assert page >= 2 and t.columns >= 2
        await pilot.press("right")  # a card in the second column: the page keeps its column
        await pilot.press("pagedown")
        await pilot.pause()
        # A page of cards further, and the view a page further with it: the card is where it was on screen.
        assert t.cursor == 1 + page * t.columns
        assert t.scroll_y == page * t.row_height
        assert "Note number " + f"{99 - t.cursor:02}" in screen_text(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert t.cursor == 1 + 2 * page * t.columns and t.scroll_y == 2 * page * t.row_height
        await pilot.press("pageup")
        await pilot.pause()
        assert t.cursor == 1 + page * t.columns and t.scroll_y == page * t.row_height
        for _ in range(100 // (page * t.columns) + 1):  # down to the last page, then the last card
            await pilot.press("pagedown")
        await pilot.press("pagedown")
        await pilot.pause()
        assert t.cursor == 99
        for _ in range(100 // (page * t.columns) + 2):
            await pilot.press("pageup")
        await pilot.pause()
        assert t.cursor == 0 and t.scroll_y == 0


async def test_a_page_down_the_grouped_wall_crosses_theme_headings(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    await service.set_phase(code, Phase.GROUP)
    themes = [await service.create_theme(code, f"Theme {k}") for k in range(3)]
    for n in range(42):  # 14 a theme: 5 rows of 3 at 120 columns, a page at 120x40
        await service.post_idea(code, f"Note {n}", source=Source.PAPER, theme_id=themes[n % 3].id)
    app = wall_app(service, code)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t = table(app)
        assert t.grouped and t.columns == 3 and t.scrollable_content_region.height // t.row_height == 5
        first = t.note(t.shown[0]).theme_id
        await pilot.press("pagedown")
        await pilot.pause()
        assert t.cursor == 14 and t.note(t.shown[14]).theme_id != first  # the next theme's newest note
        assert t.scroll_y > 0 and t.note(t.shown[14]).text in screen_text(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert t.cursor == 0 and t.scroll_y == 0
