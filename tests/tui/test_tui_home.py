"""The home list under Pilot as events arrive: only the workshops an event batch names are redrawn, each
from its own summary; the other rows (past workshops listed from summary.json) are not read again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from screens.home import HomeScreen
from screens.lobby import LobbyScreen
from tests.helpers.tui import events_shown, on_screen, running_app, screen_lines, wait_for
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.service.registry import Registry


async def _past(data_dir: Path, codes: list[str]) -> dict[str, str]:
    """Workshops of an earlier session, listed from their summaries at the next start; their ids by code."""
    ids = {}
    async with WorkshopService(data_dir) as service:
        for code in codes:
            ids[code] = (await service.create_workshop(f"Workshop {code}", code=code)).id
    return ids


def _spy(calls: list[Any], method: Callable[..., Any]) -> Callable[..., Any]:
    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return method(*args, **kwargs)

    return recorded


def _rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_an_event_batch_redraws_only_the_workshops_it_names(data_dir: Path) -> None:
    ids = await _past(data_dir, ["PASTA", "PASTB", "PASTC"])
    async with running_app(data_dir) as (app, pilot):
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, "three past workshops")
        service = app.service
        one: list[Any] = []
        every: list[Any] = []
        service.summary = _spy(one, service.summary)
        service.summaries = _spy(every, service.summaries)
        cells: list[Any] = []
        table.update_cell = _spy(cells, table.update_cell)  # type: ignore[method-assign]
        await service.update_workshop("PASTB", title="Renamed")
        await service.create_workshop("Live one", code="LIVE")
        await events_shown(pilot, app)
        await wait_for(pilot, lambda: table.row_count == 4, "the new workshop's row")
        assert every == [], "an event batch must not read every workshop's summary again"
        assert {args[0] for args in one} == {ids["PASTB"], service.view("LIVE").id}
        assert {args[0] for args in cells} == {"PASTB"}  # LIVE is a new row; the others are not touched
        assert {args[1] for args in cells} <= {"title", "activity"}  # of PASTB, only what changed
        assert sorted(s.code for s in service.open_states()) == ["LIVE", "PASTB"]  # PASTA, PASTC unopened
        rows = _rows(table)
        assert [r[0] for r in rows][:2] == ["LIVE", "PASTB"]  # newest activity first
        assert rows[1][1:3] == ["Renamed", "lobby"]


async def test_a_dot_or_a_team_move_is_the_latest_activity_on_the_list(data_dir: Path) -> None:
    """A dot cast (no document of it carries a time) moves its workshop to the top of the list, and
    the list says "just now"; after a restart the past workshop is listed (from its summary file) in
    the same place."""
    async with WorkshopService(data_dir) as service:
        voting = (await service.create_workshop("Voting", code="VOTE")).code
        await service.set_phase(voting, Phase.IDEATE)
        note = await service.post_idea(voting, "Benches", source=Source.PAPER)
        for phase in (Phase.GROUP, Phase.VOTE):
            await service.set_phase(voting, phase)
        await service.create_workshop("Newer", code="NEWER")
    async with running_app(data_dir) as (app, pilot):
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: [r[0] for r in _rows(table)] == ["NEWER", "VOTE"], "newest first")
        await app.service.add_paper_dots("VOTE", note.id, 2)
        await events_shown(pilot, app)
        await wait_for(pilot, lambda: [r[0] for r in _rows(table)] == ["VOTE", "NEWER"], "the ballot on top")
    async with running_app(data_dir) as (app, pilot):
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "both listed")
        assert [r[0] for r in _rows(table)] == ["VOTE", "NEWER"]
        assert not app.service.open_states()  # from the summaries: no store opened


async def test_the_cursor_stays_on_its_workshop_when_another_moves_to_the_top(data_dir: Path) -> None:
    await _past(data_dir, ["PASTA", "PASTB", "PASTC"])
    async with running_app(data_dir) as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, "three past workshops")
        table.move_cursor(row=table.get_row_index("PASTB"))
        await app.service.update_workshop("PASTA", title="Touched")
        await events_shown(pilot, app)
        await wait_for(pilot, lambda: _rows(table)[0][0] == "PASTA", "PASTA on top")
        assert home.selected_code == "PASTB"


async def test_changes_made_while_a_session_ran_on_top_are_drawn_on_the_way_back(data_dir: Path) -> None:
    await _past(data_dir, ["PASTA"])
    async with running_app(data_dir) as (app, pilot):
        await app.service.create_workshop("Live one", code="LIVE")
        app.call_later(app.open_workshop, "LIVE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await app.service.join("LIVE", "Ann")
        await app.service.join("LIVE", "Bo")
        await events_shown(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: _rows(table)[0][:4] == ["LIVE", "Live one", "lobby", "2"], "two people in LIVE")
        assert [r[0] for r in _rows(table)] == ["LIVE", "PASTA"]


async def test_a_session_on_top_costs_the_list_nothing(data_dir: Path) -> None:
    """The list under a session is a background screen (Textual counts it as current): were it to redraw a
    row on each batch, the session's screen would repaint those cells on every frame of a voting storm."""
    await _past(data_dir, ["PASTA"])
    async with running_app(data_dir) as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, "the past workshop")
        await app.service.create_workshop("Live one", code="LIVE")
        app.call_later(app.open_workshop, "LIVE")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await events_shown(pilot, app)
        summarised: list[Any] = []
        cells: list[Any] = []
        app.service.summary = _spy(summarised, app.service.summary)
        table.update_cell = _spy(cells, table.update_cell)  # type: ignore[method-assign]
        table.add_row = _spy(cells, table.add_row)  # type: ignore[method-assign]
        for name in ("Ann", "Bo", "Cy"):
            await app.service.join("LIVE", name)
            await app.service.update_workshop("PASTA", title=f"Touched by {name}")
            await events_shown(pilot, app)
        assert summarised == [] and cells == [], "the list under the session was redrawn"
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        await wait_for(
            pilot, lambda: [r[:4] for r in _rows(table)][1] == ["LIVE", "Live one", "lobby", "3"], "3 in LIVE"
        )
        assert _rows(table)[0][:2] == ["PASTA", "Touched by Cy"]  # its last change came after the last join


LONG_TITLE = "Safer streets around the new tram line: a co-design workshop with the residents of Kalasatama"


def _fits(table: DataTable[Any]) -> bool:
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_the_list_fits_an_80x24_projector_and_follows_a_resize(data_dir: Path) -> None:
    """No horizontal scrollbar at 80 columns: a long title ends in an ellipsis, whole again when wide."""
    await _past(data_dir, ["PASTA"])
    async with WorkshopService(data_dir) as service:
        await service.create_workshop(LONG_TITLE, code="TRAM")
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "two workshops")
        await wait_for(pilot, lambda: _fits(table), "the list as wide as the screen")
        assert not table.scrollbars_enabled[1], "a horizontal scrollbar at 80x24"
        title = str(table.get_cell("TRAM", "title"))
        assert title.endswith("…") and LONG_TITLE.startswith(title[:-1])
        assert "Last activity" in "\n".join(screen_lines(app))  # every column is on screen
        await pilot.resize_terminal(200, 60)
        await wait_for(pilot, lambda: str(table.get_cell("TRAM", "title")) == LONG_TITLE, "the whole title")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: str(table.get_cell("TRAM", "title")).endswith("…"), "the title cut again")
        await wait_for(pilot, lambda: _fits(table), "the list as wide as the screen again")


async def test_an_empty_list_says_what_to_do_under_its_title(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        screen = app.screen
        hint = screen.query_one("#home-empty")
        await pilot.pause()
        assert hint.display and hint.region.y <= 5, hint.region  # not at the foot of an empty frame
        assert "No workshops yet" in "\n".join(screen_lines(app)[:7])
        await app.service.create_workshop("First", code="ONE")
        table = screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1 and not hint.display, "the list")
        await wait_for(pilot, lambda: table.region.bottom >= 20, "the list as high as the screen")
        await wait_for(pilot, lambda: table.has_focus, "the list focused (Enter opens)")


async def test_the_first_workshop_made_from_the_form_is_listed_and_focused_on_the_way_back(data_dir: Path) -> None:
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        home = app.screen
        await pilot.press("n")
        await wait_for(pilot, lambda: not on_screen(app, HomeScreen), "the form")
        await pilot.press(*"First")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "its lobby")
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the list again")
        table = home.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1 and table.display and table.has_focus, "listed, focused")


async def test_a_long_list_scrolls_inside_its_frame_above_the_keys(data_dir: Path) -> None:
    """More workshops than rows: the table scrolls within the screen (its bottom border above the key
    bar), the screen itself does not scroll (a second scrollbar, the last row under the keys)."""
    await _past(data_dir, [f"P{n:02d}" for n in range(30)])
    async with running_app(data_dir, size=(80, 24)) as (app, pilot):
        screen = app.screen
        table = screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 30, "thirty workshops")
        await pilot.pause()
        footer = screen.query_one("SteadyFooter")
        assert not screen.show_vertical_scrollbar, "the home screen scrolls as a whole"
        assert table.region.bottom <= footer.region.y, (table.region, footer.region)
        assert table.show_vertical_scrollbar
        assert table.region.width == 80


async def test_opening_the_list_summarises_each_workshop_once(data_dir: Path, monkeypatch: Any) -> None:
    await _past(data_dir, ["PASTA", "PASTB", "PASTC"])
    summarised: list[str] = []
    one, every = Registry.summary, Registry.summaries  # the service hands out the registry's methods

    def summary(self: Registry, workshop_id: str) -> Any:
        summarised.append(workshop_id)
        return one(self, workshop_id)

    def summaries(self: Registry) -> Any:
        found = every(self)
        summarised.extend(s.id for s in found)
        return found

    monkeypatch.setattr(Registry, "summary", summary)
    monkeypatch.setattr(Registry, "summaries", summaries)
    async with running_app(data_dir) as (app, pilot):
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, "three past workshops")
        assert sorted(summarised) == sorted(set(summarised)) and len(summarised) == 3


async def test_the_list_under_run_code_comes_on_screen_as_a_launch_shows_it(data_dir: Path) -> None:
    """`run CODE` draws the workshop's first frame without building the list under it (its table, the
    table's styles, its rows); the list comes on screen the first time the facilitator goes back to it,
    the same as a launch without a code shows it."""
    await _past(data_dir, ["PASTA", "PASTB"])
    async with running_app(data_dir) as (app, pilot):
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "two past workshops")
        launched = screen_lines(app)
    async with running_app(data_dir, code="PASTA") as (app, pilot):
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        assert not app.screen_stack[0].query("#workshops"), "the list was built for the workshop's first frame"
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        await wait_for(pilot, lambda: screen_lines(app) == launched, "the list as a launch shows it")
        assert app.focused is app.screen.query_one("#workshops", DataTable)
