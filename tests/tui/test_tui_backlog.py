"""The backlog screen and its edit form under Pilot, on the demo workshop in a real data directory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.text import Text
from textual.app import App
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea

from screens.backlog import COLUMNS, BacklogScreen, PoolBars
from screens.backlog_editor import BacklogEditor
from workshop_tui.demo import build_demo
from workshop_tui.models import BacklogStatus
from workshop_tui.service import WorkshopService


class Harness(App[None]):
    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service

    def on_mount(self) -> None:
        self.push_screen(BacklogScreen(self.service))


def table_titles(app: App[None]) -> list[str]:
    table = app.screen.query_one(DataTable)
    titles = []
    for row_key in table.rows:
        cell = table.get_cell(row_key, "title")
        assert isinstance(cell, Text)
        titles.append(cell.plain)
    return titles


def screen_of(app: App[None]) -> BacklogScreen:
    screen = app.screen
    assert isinstance(screen, BacklogScreen)
    return screen


def editor_of(app: App[None]) -> BacklogEditor:
    screen = app.screen
    assert isinstance(screen, BacklogEditor)
    return screen


async def test_the_table_lists_the_demo_items(service: WorkshopService) -> None:
    await build_demo(service)
    items = service.backlog_items()
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert sorted(table_titles(pilot.app)) == sorted(i.title for i in items)
        table = pilot.app.screen.query_one(DataTable)
        assert all(isinstance(table.get_cell(k, "owner"), Text) for k in table.rows)
        # sorted by the next review by default: the overdue item comes first
        first = next(k for k in table.rows if table.get_row_index(k) == 0)
        flags = table.get_cell(first, "flags")
        assert isinstance(flags, Text) and flags.plain == "OVERDUE"
        pools = pilot.app.screen.query_one(PoolBars)
        assert [code for code, _, _ in pools.pools] == ["MAKE"]
        assert pools.pools[0][2].approved == Decimal("1800.00")
        ledger = pilot.app.screen.query_one("#ledger-body", Static)
        assert "overdue now" in str(ledger.render())


async def test_filters_status_overdue_owner_and_sort(service: WorkshopService) -> None:
    await build_demo(service)
    items = service.backlog_items()
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = screen_of(pilot.app)
        screen.query_one("#status-filter", Select).value = "parked"
        await pilot.pause()
        assert table_titles(pilot.app) == [i.title for i in items if i.status == BacklogStatus.PARKED]
        await pilot.press("x")  # clear
        await pilot.pause()
        assert len(table_titles(pilot.app)) == len(items)
        await pilot.press("o")  # overdue only
        await pilot.pause()
        assert screen.query_one("#overdue-filter", Checkbox).value is True
        overdue = [i for i in items if i.next_review and i.next_review < dt.date.today()]
        assert table_titles(pilot.app) == [i.title for i in overdue] and len(overdue) == 1
        await pilot.press("o")
        await pilot.press("f", "f")  # all -> proposed -> approved
        await pilot.pause()
        assert screen.status_filter == BacklogStatus.APPROVED
        assert table_titles(pilot.app) == [i.title for i in items if i.status == BacklogStatus.APPROVED]
        await pilot.press("x", "slash")
        owner = items[0].owner.name
        await pilot.press(*owner[:3])
        await pilot.pause()
        assert isinstance(screen.focused, Input)
        assert items[0].title in table_titles(pilot.app)
        assert all(owner[:3].casefold() in r.item.owner.name.casefold() for r in screen.visible_rows())
        await pilot.press("enter", "x")
        # sort by title with `s` cycling, then reverse with `r`
        while screen.sort_key != "title":
            await pilot.press("s")
        await pilot.pause()
        assert table_titles(pilot.app) == sorted((i.title for i in items), key=str.casefold)
        await pilot.press("r")
        await pilot.pause()
        assert table_titles(pilot.app) == sorted((i.title for i in items), key=str.casefold, reverse=True)


async def _open_editor_on(pilot: object, app: App[None], title: str) -> BacklogEditor:
    screen = screen_of(app)
    index = table_titles(app).index(title)
    screen.query_one(DataTable).move_cursor(row=index)
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return editor_of(app)


async def test_change_status_with_a_note_grows_the_history(service: WorkshopService) -> None:
    await build_demo(service)
    item = next(i for i in service.backlog_items() if i.status == BacklogStatus.APPROVED)
    before = len(item.history)
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        status = editor.query_one("#status", Select)
        offered = {str(value) for _, value in status._options}
        assert offered == {"approved", "prototyping", "parked", "dropped"}  # only allowed steps
        status.value = "prototyping"
        editor.query_one("#note", Input).value = "Landlord said yes [/] [@click=app.quit]x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen)
        _, saved = service.find_backlog_item(item.id)
        assert saved.status == BacklogStatus.PROTOTYPING
        assert len(saved.history) == before + 1
        assert saved.history[-1].note.startswith("Landlord said yes [/] [@click=app.quit]x")
        timeline = pilot.app.screen.query_one("#timeline-body", Static)
        assert "Landlord said yes [/]" in str(timeline.render())
        assert pilot.app.is_running


async def test_invalid_amount_is_shown_inline_and_nothing_is_saved(service: WorkshopService) -> None:
    await build_demo(service)
    item = service.backlog_items()[0]
    async with Harness(service).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        for bad, message in [
            ("12.345 | tape", "budget line 1 (amount): amount has at most 2 decimals"),
            ("-5 | tape", "greater than 0"),
            ("abc | tape", "budget line 1 (amount)"),
            ("| tape", "budget line 1: start with an amount"),
        ]:
            editor.query_one("#budget", TextArea).text = bad
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert pilot.app.screen is editor
            error = editor.query_one("#error", Static)
            assert error.has_class("-shown") and message in str(error.render()), (bad, str(error.render()))
        assert service.find_backlog_item(item.id)[1] == item
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen)
        assert service.find_backlog_item(item.id)[1] == item


async def test_pool_overflow_is_shown_inline(service: WorkshopService) -> None:
    await build_demo(service)
    # an item with no approved money of its own: the demo's 1,800.00 approved are elsewhere
    item = next(i for i in service.backlog_items() if not any(r.status == "approved" for r in i.budget_requests))
    pool = service.state("MAKE").workshop.settings.budget_pool
    await service.update_workshop("MAKE", settings={"budget_pool": "2000", "budget_cap_per_request": "5000"})
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        editor.query_one("#budget", TextArea).text = "# a comment\n300.00 EUR | chairs | approved"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is editor
        shown = str(editor.query_one("#error", Static).render())
        assert "pool" in shown and "(200.00 left)" in shown, shown
        assert service.find_backlog_item(item.id)[1] == item
        # asks line errors name the line too
        editor.query_one("#budget", TextArea).text = ""
        editor.query_one("#asks", TextArea).text = "open-data | Mobility | racks\nnonsense | Parks"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "asks line 2 (kind)" in str(editor.query_one("#error", Static).render())
    assert pool != Decimal("2000")


async def test_p_edits_the_budget_pool_with_inline_errors(service: WorkshopService) -> None:
    from screens.text_prompt import TextPromptScreen

    await build_demo(service)
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPromptScreen)
        field = pilot.app.screen.query_one(Input)
        field.value = "12.345"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPromptScreen)  # refused, still open, reason shown
        assert "budget_pool" in str(pilot.app.screen.query_one("#prompt-error", Static).render())
        assert service.state("MAKE").workshop.settings.budget_pool == Decimal("15000")
        field.value = "30000.50"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen)
        assert service.state("MAKE").workshop.settings.budget_pool == Decimal("30000.50")


def column_layout(app: App[None]) -> tuple[list[str], int]:
    """The table's column keys and the cells they take (each cell is padded by one on either side)."""
    table = app.screen.query_one(DataTable)
    columns = list(table.columns.values())
    return [str(c.key.value) for c in columns], sum(c.get_render_width(table) for c in columns)


async def test_columns_follow_the_width_and_are_recomputed_on_resize(service: WorkshopService) -> None:
    await build_demo(service)
    async with Harness(service).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys, used = column_layout(pilot.app)
        assert {"title", "owner", "budget", "status", "review", "flags"} <= set(keys), keys
        assert used <= 100
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        keys80, used80 = column_layout(pilot.app)
        assert {"title", "owner", "status", "review", "flags"} <= set(keys80), keys80
        assert used80 <= 80, (keys80, used80)  # the title shrank with the screen: nothing runs off
        assert len(keys80) < len(keys)
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        keys200, used200 = column_layout(pilot.app)
        assert set(keys200) == {c.key for c in COLUMNS} and 180 < used200 <= 200  # the title takes the rest
