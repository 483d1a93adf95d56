"""The wall follows the service note by note: each change lands in its place (the right theme's
section, newest first) without the wall being rebuilt, and the result is always what a rebuild from
the service would show. Real service on disk, real Textual app under Pilot."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from screens.wall.screen import WallScreen
from screens.widgets.note_wall import NoteWall
from screens.widgets.session_bar import SessionBar
from tests.conftest import workshop_in
from tests.helpers.tui import wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import Idea, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def expected_order(service: WorkshopService, code: str, grouped: bool) -> list[str]:
    """The wall built from scratch: unthemed first, then themes by name; newest first in each."""
    state = service.state(code)
    names = {t.id: t.name.casefold() for t in state.themes.values()}
    notes = sorted((i for i in state.ideas.values() if i.visible), key=lambda i: (i.created_at, i.id), reverse=True)
    if grouped:
        notes.sort(key=lambda i: (i.theme_id is not None, names.get(i.theme_id or "", "")))
    return [i.id for i in notes]


class CountingWall:
    """Counts full rebuilds of the wall (``NoteWall.show``) from the moment it is installed."""

    def __init__(self, wall: NoteWall) -> None:
        self.rebuilds = 0
        original = wall.show

        def show(*args: Any, **kwargs: Any) -> None:
            self.rebuilds += 1
            original(*args, **kwargs)

        wall.show = show  # type: ignore[method-assign]


async def test_grouped_wall_places_each_change_without_a_rebuild(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    person, _ = await service.join(code, "Amina")
    first = await service.post_idea(code, "Shade trees", author_id=person.id)
    await service.post_idea(code, "Water fountains", author_id=person.id)
    await service.set_phase(code, Phase.GROUP)
    green = await service.create_theme(code, "Green")
    access = await service.create_theme(code, "Access")
    await service.set_idea_theme(code, first.id, green.id)
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wall = app.screen.query_one(NoteWall)
        assert wall.grouped
        assert list(wall.shown) == expected_order(service, code, grouped=True)
        counter = CountingWall(wall)

        async def settled(what: str) -> None:
            await wait_for(pilot, lambda: list(wall.shown) == expected_order(service, code, True), what)

        ramp = await service.post_idea(code, "Ramps at the library", source=Source.PAPER, theme_id=access.id)
        await settled("a note in a new section")
        assert wall.index_of(ramp.id) == 1  # after the unthemed note, in Access, before Green
        await service.post_idea(code, "Benches", source=Source.PAPER, theme_id=green.id)
        await settled("a note on top of its theme")
        await service.post_idea(code, "Unsorted thought", source=Source.PAPER)
        await settled("a note without a theme, first")
        await service.set_idea_theme(code, ramp.id, green.id)
        await settled("a note moved to another theme (its old section empties)")
        await service.edit_idea(code, first.id, "Shade trees on the square")
        await wait_for(pilot, lambda: wall.note(first.id).text == "Shade trees on the square", "an edit")
        await service.hide_idea(code, first.id)
        await settled("a hidden note leaves")
        await service.hide_idea(code, first.id, hidden=False)
        await settled("a shown note comes back in its place")
        assert counter.rebuilds == 0


async def test_the_cursor_stays_on_its_note_as_notes_arrive_and_leave(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    notes: list[Idea] = [await service.post_idea(code, f"Note {n}", source=Source.PAPER) for n in range(6)]
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        wall = app.screen.query_one(NoteWall)
        wall.move_cursor(wall.index_of(notes[2].id) or 0)
        counter = CountingWall(wall)
        await service.post_idea(code, "Newest", source=Source.PAPER)
        await wait_for(pilot, lambda: len(wall.shown) == 7, "the new note")
        assert wall.selected_id() == notes[2].id
        await service.delete_idea(code, notes[4].id)  # above the cursor: the cursor's note stays selected
        await wait_for(pilot, lambda: notes[4].id not in wall.shown, "the deleted note gone")
        assert wall.selected_id() == notes[2].id
        assert list(wall.shown) == expected_order(service, code, grouped=False)
        assert counter.rebuilds == 0


async def test_private_writing_on_the_wall_counts_then_reveals_at_once(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    people = [(await service.join(code, name))[0] for name in ("Amina", "Ben")]
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        wall = screen.query_one(NoteWall)
        header = screen.query_one("#notes-header", Static)
        bar = screen.query_one(SessionBar)
        assert screen.check_action("reveal_notes", ()) is None  # nothing to reveal yet: greyed out
        await pilot.press("W")  # private writing on, from the wall
        await wait_for(pilot, lambda: service.state(code).workshop.settings.private_writing, "the setting on")
        for person in people:
            await service.post_idea(code, f"Secret idea of {person.name}", author_id=person.id)
        await wait_for(pilot, lambda: "2 hidden until revealed" in screen_text(app), "the count, on screen at 80x24")
        assert len(wall.shown) == 0  # nothing of their text on the room's screen
        assert "Secret" not in screen_text(app)
        await service.say_done(code, people[0].id)
        await wait_for(pilot, lambda: "1 still writing" in str(bar._status.render()), "the ready count")
        await pilot.press("R")
        await wait_for(pilot, lambda: len(wall.shown) == 2, "both notes revealed at once")
        assert service.state(code).private_notes == 0
        assert "hidden until revealed" not in str(header.render())


def screen_text(app: HarnessApp) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def test_the_session_bar_counts_follow_a_block(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    people = [(await service.join(code, f"Phone {n}"))[0] for n in range(3)]
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=(160, 40)) as pilot:
        status = app.screen.query_one(SessionBar).query_one(".status", Static)
        await wait_for(pilot, lambda: "3 still writing" in str(status.render()), "three writing")
        await service.block_participant(code, people[2].id)  # from the admin API, say: not this screen
        await wait_for(pilot, lambda: "2 still writing" in str(status.render()), "the blocked one not counted")
