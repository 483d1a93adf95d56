"""The backlog screen and its edit form under Pilot, on the demo workshop in a real data directory."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static
from textual.widgets.data_table import ColumnKey

from screens.backlog.editor import BacklogEditor, friendly
from screens.backlog.form import AskRow, BudgetRow, DateInput
from screens.backlog.panels import PoolBars
from screens.backlog.screen import BacklogScreen
from screens.backlog.table import COLUMNS
from screens.widgets.safe_input import SafeInput
from tests.conftest import workshop_in
from tests.helpers.tui import wait_for
from tests.helpers.tui_harness import HarnessApp
from tests.tui.test_tui_teams import room
from workshop_tui.demo import build_demo
from workshop_tui.models import BacklogStatus
from workshop_tui.phases import Phase
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


def error_text(editor: BacklogEditor) -> str:
    error = editor.query_one("#error", Static)
    return str(error.render()) if error.has_class("-shown") else ""


async def refused_on_save(
    pilot: Pilot[None], editor: BacklogEditor, field: SafeInput, cases: list[tuple[str, str]]
) -> None:
    """Each bad value is refused by ctrl+s: the editor stays open, says why in words (no pydantic
    wording) and keeps the focus on the field."""
    for bad, message in cases:
        field.value = bad
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is editor and message in error_text(editor), (bad, error_text(editor))
        assert editor.focused is field and "Input should" not in error_text(editor)


def screen_text(app: App[None]) -> str:
    """What the terminal shows, as plain text (the SVG screenshot without its markup)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_budget_requests_are_rows_added_checked_and_removed(service: WorkshopService) -> None:
    await build_demo(service)
    item = next(i for i in service.backlog_items() if len(i.budget_requests) == 2)
    async with Harness(service).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        rows = list(editor.query(BudgetRow))
        assert [r.values()["amount"] for r in rows] == [format(r.amount, "f") for r in item.budget_requests]
        editor.query_one("#add-budget", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        new = list(editor.query(BudgetRow))[-1]
        amount = new.query_one(".amount", SafeInput)
        assert editor.focused is amount
        await pilot.press(*"12a.345")  # letters cannot be typed into an amount
        assert amount.value == "12.345"
        await refused_on_save(
            pilot,
            editor,
            amount,
            [
                ("12.345", "Budget request 3, amount: 12.345 has more than 2 decimals"),
                ("0", "Budget request 3, amount: an amount is more than 0"),
                ("", "Budget request 3, amount: write an amount, such as 120.50"),
                ("1.2.3", "Budget request 3, amount: '1.2.3' is not an amount"),
            ],
        )
        assert service.find_backlog_item(item.id)[1] == item
        amount.value = "120.50"
        new.query_one(".purpose", SafeInput).value = "tape [/] [@click=app.quit]x"
        new.query_one(".status", Select).value = "rejected"
        assert [v for _, v in new.query_one(".currency", Select)._options] == ["EUR"]  # what the pool is in
        # the first row goes: its remove button takes it away
        rows[0].query_one(".remove", Button).press()
        await pilot.pause()
        assert len(editor.query(BudgetRow)) == 2
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen), error_text(editor)
        saved = service.find_backlog_item(item.id)[1].budget_requests
        assert [(format(r.amount, "f"), r.purpose, r.status.value) for r in saved] == [
            (format(item.budget_requests[1].amount, "f"), item.budget_requests[1].purpose, "requested"),
            ("120.50", "tape [/] [@click=app.quit]x", "rejected"),
        ]
        assert pilot.app.is_running


async def test_pool_overflow_is_shown_inline(service: WorkshopService) -> None:
    await build_demo(service)
    # an item with no approved money of its own: the demo's 1,800.00 approved are elsewhere
    item = next(i for i in service.backlog_items() if not any(r.status == "approved" for r in i.budget_requests))
    await service.update_workshop("MAKE", settings={"budget_pool": "2000", "budget_cap_per_request": "5000"})
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        await editor.add_budget_row()
        row = list(editor.query(BudgetRow))[-1]
        row.query_one(".amount", SafeInput).value = "300.00"
        row.query_one(".status", Select).value = "approved"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is editor
        assert "pool" in error_text(editor) and "(200.00 left)" in error_text(editor), error_text(editor)
        assert service.find_backlog_item(item.id)[1] == item


async def test_dates_are_checked_with_a_human_message(service: WorkshopService) -> None:
    await build_demo(service)
    item = service.backlog_items()[0]
    async with Harness(service).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        review = editor.query_one("#next-review", DateInput)
        review.value = ""
        review.focus()
        await pilot.press(*"2026-O2-30x")  # letters cannot be typed into a date
        assert review.value == "2026-2-30"
        await refused_on_save(
            pilot,
            editor,
            review,
            [
                ("2026-2-30", "Next review: '2026-2-30' is not a date: write it as YYYY-MM-DD, such as 2026-03-15"),
                ("2026-02-30", "Next review: 2026-02-30 is not a day of the calendar: write it as YYYY-MM-DD"),
            ],
        )
        assert service.find_backlog_item(item.id)[1] == item
        review.value = ""  # empty: no review planned
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert service.find_backlog_item(item.id)[1].next_review is None


async def test_help_labels_wrap_instead_of_being_cut(service: WorkshopService) -> None:
    await build_demo(service)
    item = service.backlog_items()[0]
    async with Harness(service).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        form = editor.query_one("#form")
        labels = list(form.query("#form > Label"))
        assert len(labels) >= 6
        for label in labels:
            text = str(label.render())
            assert label.region.right <= form.content_region.right, text
            assert label.size.width * label.size.height >= len(text), text  # every word has a cell


async def test_the_owners_contact_is_masked_on_the_projector(service: WorkshopService) -> None:
    await build_demo(service)
    item = service.backlog_items()[0]
    owner = {"name": "Dana", "contact": "dana@example.org", "public": False}
    await service.update_backlog_item(item.id, {"owner": owner})
    async with Harness(service).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        contact = editor.query_one("#owner-contact", SafeInput)
        contact.scroll_visible(animate=False)
        await pilot.pause()
        assert "Dana" in screen_text(pilot.app) and "example" not in screen_text(pilot.app)
        contact.focus()  # the facilitator is typing it: shown
        await pilot.pause()
        assert "example" in screen_text(pilot.app)
        editor.query_one("#owner-name", SafeInput).focus()
        await pilot.pause()
        assert "example" not in screen_text(pilot.app)
        await pilot.press("ctrl+o")  # on request
        await pilot.pause()
        assert "example" in screen_text(pilot.app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "example" not in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert service.find_backlog_item(item.id)[1].owner.contact == "dana@example.org"  # untouched, kept


async def test_asks_are_rows_with_their_commitment(service: WorkshopService) -> None:
    await build_demo(service)
    item = next(i for i in service.backlog_items() if not i.asks or len(i.asks) == 1)
    frozen = dt.datetime(2030, 1, 15, 10, tzinfo=dt.UTC)

    class Frozen(App[None]):
        def on_mount(self) -> None:
            self.push_screen(BacklogScreen(service, now=lambda: frozen))

    async with Frozen().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = await _open_editor_on(pilot, pilot.app, item.title)
        before = len(editor.query(AskRow))
        await editor.add_ask_row()
        await pilot.pause()
        row = list(editor.query(AskRow))[-1]
        assert editor.focused is row.query_one(".department")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"Ask {before + 1}, department: name the department it is asked of" in error_text(editor)
        row.query_one(".department", SafeInput).value = "Parks [b]"
        row.query_one(".kind", Select).value = "space"
        row.query_one(".due", DateInput).value = "2030-13-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"Ask {before + 1}, due: 2030-13-01 is not a day of the calendar" in error_text(editor)
        row.query_one(".due", DateInput).value = "2030-01-10"
        row.query_one(".answer", SafeInput).value = "yes [/] [@click=app.quit]x"
        await pilot.pause()
        assert row.query_one(".answered-at", DateInput).value == "2030-01-15"  # an answer came in today
        row.query_one(".answered-at", DateInput).value = ""
        row.query_one(".status", Select).value = "granted"
        await pilot.pause()
        assert row.query_one(".answered-at", DateInput).value == "2030-01-15"  # a decision dates itself today
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen), error_text(editor)
        saved = service.find_backlog_item(item.id)[1]
        ask = saved.asks[-1]
        assert (ask.kind.value, ask.department, ask.status.value) == ("space", "Parks [b]", "granted")
        assert (ask.due, ask.answered_at, ask.answer) == (
            dt.date(2030, 1, 10),
            dt.date(2030, 1, 15),
            "yes [/] [@click=app.quit]x",
        )
        assert saved.history[-1].at == frozen and "Parks [b] answered (granted)" in saved.history[-1].note
        # removing an ask
        editor = await _open_editor_on(pilot, pilot.app, saved.title)
        list(editor.query(AskRow))[-1].query_one(".remove", Button).press()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(service.find_backlog_item(item.id)[1].asks) == before
        assert pilot.app.is_running


async def test_p_edits_the_budget_pool_with_inline_errors(service: WorkshopService) -> None:
    from screens.text_prompt import TextPromptScreen

    await build_demo(service)
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPromptScreen)
        field = pilot.app.screen.query_one(Input)
        for bad, message in [
            ("12.345", "Budget pool: 12.345 has more than 2 decimals"),
            ("abc", "Budget pool: 'abc' is not a pool: digits and at most one point"),
            ("-5", "Budget pool: '-5' is not a pool"),
        ]:
            field.value = bad
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(pilot.app.screen, TextPromptScreen)  # refused, still open, reason shown in words
            shown = str(pilot.app.screen.query_one("#prompt-error", Static).render())
            assert message in shown and "Input should" not in shown and "budget_pool" not in shown, shown
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
        table = pilot.app.screen.query_one(DataTable)
        owner = table.columns[ColumnKey("owner")].width
        assert owner > 12, owner  # a wide screen gives the owner's name room too, not only the title
        assert table.columns[ColumnKey("title")].width >= 80


async def test_overdue_asks_are_flagged_and_counted_per_department(service: WorkshopService) -> None:
    await build_demo(service)
    late = next(i for i in service.backlog_items() if any(a.department == "Economic Affairs" for a in i.asks))
    # its review is now planned: only the ask to Economic Affairs is late
    await service.update_backlog_item(late.id, {"next_review": dt.date.today() + dt.timedelta(days=30)})
    async with Harness(service).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = screen_of(pilot.app)
        table = screen.query_one(DataTable)
        flags = table.get_cell(late.id, "flags")
        assert isinstance(flags, Text) and flags.plain == "ASK LATE"
        await pilot.press("o")  # overdue only: a late ask counts
        await pilot.pause()
        assert table_titles(pilot.app) == [late.title]
        assert "1 overdue" in str(screen.query_one("#summary", Static).render())
        ledger = " ".join(str(screen.query_one("#ledger-body", Static).render()).split())
        assert "1 ask overdue" in ledger and "0 reviews late" in ledger  # a count column, in the singular for one
        assert "Economic Affairs asked 1 · answered 0 · 1 overdue" in ledger
        assert "Mobility asked 1 · answered 1 · median 0 d to answer" in ledger
        timeline = str(screen.query_one("#timeline-body", Static).render())
        assert "ask to Economic Affairs was due" in timeline


def test_service_messages_name_the_forms_rows() -> None:
    assert friendly("asks.1.answered_at: bad; budget_requests.0: x") == "ask 2 (answered at): bad; budget request 1: x"


async def test_an_empty_backlog_after_teams_says_that_c_creates_it(service: WorkshopService) -> None:
    code, _people, _ideas = await room(service)
    teams, _ = await service.form_teams(code)
    await service.set_phase(code, Phase.BACKLOG)
    app = HarnessApp(service, lambda: BacklogScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        hint = screen.query_one("#empty-hint", Static)
        assert hint.display and f"Press c to create it from the {len(teams)} teams" in str(hint.render())
        assert screen.check_action("convert", ())
        assert screen.query_one("#empty-hint").region.bottom <= 23, "the hint is cut off at 80x24"
        assert screen.max_scroll_y == 0 and not screen.query_one("#details").display
        said: list[str] = []
        screen.notify = lambda message, *args, **kwargs: said.append(message)  # type: ignore[method-assign]
        await pilot.press("c")
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count == len(teams), "the teams' items")
        assert not hint.display and screen.query_one(DataTable).display and screen.query_one("#details").display
        assert not screen.check_action("convert", ()), "nothing is left to convert: c is not offered"
        assert said == [f"{len(teams)} ideas added to the backlog"]


async def test_an_empty_backlog_without_teams_says_to_form_them_first(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.BACKLOG)
    app = HarnessApp(service, lambda: BacklogScreen(service, code))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#empty-hint", Static)
        assert hint.display and "no teams were formed" in str(hint.render())
        assert not app.screen.check_action("convert", ())
