"""The virtualised wall draws what is on screen, once: mounting a big wall draws the visible cards at
the width of the frame they are in (not again when the screen's layout settles), and a moved cursor
repaints the lines of its two cards, not the wall. Real service, real files, real Textual app."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rich.console import Console
from textual.strip import Strip
from textual.widgets import Static

from screens.wall.screen import WallScreen
from screens.widgets.note_cards import Card, CardPainter
from screens.widgets.note_wall import NoteWall
from tests.conftest import workshop_in
from tests.helpers.tui import wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

SIZE = (160, 45)  # a wide screen: the breakpoint's wider theme list, a scroll bar, 4 columns of cards


class Spy:
    """Every card ``NoteWall`` draws (the note and the card's width) and every line it renders."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cards: list[tuple[str, int]] = []
        self.lines = 0
        draw, render_line = CardPainter.draw, NoteWall.render_line

        def spied_draw(painter: CardPainter, card: Card, console: Console) -> list[Strip]:
            self.cards.append((card.idea_id, painter.width))
            return draw(painter, card, console)

        def spied_line(wall: NoteWall, y: int) -> object:
            self.lines += 1
            return render_line(wall, y)

        monkeypatch.setattr(CardPainter, "draw", spied_draw)
        monkeypatch.setattr(NoteWall, "render_line", spied_line)


async def big_wall(service: WorkshopService, notes: int = 600) -> str:
    code = await workshop_in(service, Phase.IDEATE)
    for start in range(0, notes, 200):  # concurrently: one group commit per chunk
        await asyncio.gather(
            *(
                service.post_idea(code, f"Note {n}: {'shade and benches ' * (n % 5)}", source=Source.PAPER)
                for n in range(start, min(notes, start + 200))
            )
        )
    return code


async def test_mounting_a_big_wall_draws_each_visible_card_once_at_its_final_width(
    service: WorkshopService, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await big_wall(service)
    spy = Spy(monkeypatch)
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        wall = app.screen.query_one(NoteWall)
        assert wall.has_focus and len(wall.shown) == 600
        rows = -(-wall.size.height // wall.row_height)
        visible = wall.shown[: rows * wall.columns]
        assert {idea for idea, _ in spy.cards} == set(visible)  # nothing off screen
        assert {width for _, width in spy.cards} == {wall.card_width}  # never at a stale width
        highlighted = wall.shown[0]
        again = [idea for idea, _ in spy.cards if idea != highlighted]
        assert len(again) == len(set(again))  # each once; the highlighted one again when focused


async def test_moving_the_cursor_repaints_two_cards_not_the_wall(
    service: WorkshopService, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await big_wall(service, notes=60)
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        wall = app.screen.query_one(NoteWall)
        spy = Spy(monkeypatch)
        await pilot.press("right")
        await pilot.pause()
        assert wall.cursor == 1
        assert sorted(idea for idea, _ in spy.cards) == sorted(wall.shown[:2])  # the old and the new cursor
        assert 0 < spy.lines <= wall.card_height  # the lines of that row of cards only


async def test_a_name_projected_on_a_wall_opened_before_anyone_joined(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, show_authors=True)
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the wall is up with nobody in the room yet
        person, _ = await service.join(code, "Amina Zed")
        await service.post_idea(code, "Benches by the river", author_id=person.id)
        wall = app.screen.query_one(NoteWall)
        await wait_for(pilot, lambda: len(wall.shown) == 1, "the note")
        await wait_for(pilot, lambda: "Amina Zed" in app.export_screenshot().replace("&#160;", " "), "the name")


async def test_the_count_of_hidden_notes_shown_follows_each_note(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    first, second = [(await service.post_idea(code, t, source=Source.PAPER)).id for t in ("Keep", "Offensive")]
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")  # the facilitator shows hidden notes to themself
        header = app.screen.query_one("#notes-header", Static)
        await wait_for(pilot, lambda: "0 hidden shown" in str(header.render()), "none hidden")
        await service.hide_ideas(code, [second])  # one note at a time, not a rebuild of the wall
        await wait_for(pilot, lambda: "1 hidden shown" in str(header.render()), "one hidden")
        await service.hide_ideas(code, [second], False)
        await service.delete_ideas(code, [first])
        wall = app.screen.query_one(NoteWall)
        await wait_for(pilot, lambda: len(wall.shown) == 1 and "0 hidden shown" in str(header.render()), "none again")


async def test_notes_arriving_on_a_full_wall_repaint_without_laying_out_the_screen(
    service: WorkshopService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout of the whole screen is most of a frame: a note from a phone moves the cards, the counts
    and the scrollbar, none of which changes a widget's size once the wall overflows."""
    code = await big_wall(service, notes=60)
    app = HarnessApp(service, lambda: WallScreen(service, code))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        wall = app.screen.query_one(NoteWall)
        assert wall.virtual_size.height > wall.container_size.height  # it overflows: a scrollbar
        await service.post_idea(code, "Note 100: a first note of three digits", source=Source.PAPER)
        await wait_for(pilot, lambda: len(wall.shown) == 61, "the counts one digit wider")
        await pilot.pause()
        layouts: list[object] = []
        refresh_layout = WallScreen._refresh_layout

        def counted(screen: WallScreen, *args: Any, **kwargs: Any) -> None:
            layouts.append(args)
            refresh_layout(screen, *args, **kwargs)

        monkeypatch.setattr(WallScreen, "_refresh_layout", counted)
        height = wall.virtual_size.height
        for n in range(2 * wall.columns):  # two more rows of cards
            await service.post_idea(code, f"Note {101 + n}: benches", source=Source.PAPER)
        await wait_for(pilot, lambda: len(wall.shown) == 61 + 2 * wall.columns, "the notes")
        await pilot.wait_for_scheduled_animations()
        assert wall.virtual_size.height == height + 2 * wall.row_height  # the scrollbar follows
        assert "Note 102" in app.export_screenshot().replace("&#160;", " ") and layouts == []
