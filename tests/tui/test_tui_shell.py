"""The TUI shell under Pilot: home, new workshop, lobby, phase control, timer, quit, info, busy port, safety.

A real service on a tmp data dir; the real ParticipantServer on 127.0.0.1 (port 0) in the tests of what it
changes (join URL, phones over HTTP, quitting while live, info, busy port).
"""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Digits, Input, Static

from screens.app import WorkshopApp
from screens.confirm import ConfirmScreen
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.info import InfoScreen
from screens.lobby import LobbyScreen
from screens.navigation import PHASE_SCREENS
from screens.new_workshop import NewWorkshopScreen
from screens.palette import WorkshopCommands
from screens.port_busy import PortBusyScreen
from screens.wall.screen import WallScreen
from screens.widgets.session_bar import SessionBar
from screens.widgets.timer import PhaseTimer
from tests.helpers.cli import run_cli
from tests.helpers.tui import (
    contrast,
    events_shown,
    on_screen,
    running_app,
    screen_segments,
    search_palette,
    wait_for,
)
from workshop_tui.models import utcnow
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

HOSTILE = ["a [/] b", "[@click=app.quit]x", "[link=https://x]y[/link]", "[on red]z"]


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def table_rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_lobby(app: WorkshopApp, title: str = "Bike lanes", code: str = "TEST") -> str:
    await app.service.create_workshop(title, code=code)
    app.call_later(app.open_workshop, code)  # on the app's own message loop, as a key press would
    return code


# Home


async def test_home_lists_workshops_with_literal_titles(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        assert isinstance(app.screen, HomeScreen)
        await app.service.create_workshop("Bike lanes", code="BIKE")
        await app.service.create_workshop(HOSTILE[1], code="EVIL")
        await app.service.join("BIKE", "Ann")
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2, "two rows")
        rows = {row[0]: row for row in table_rows(table)}
        assert rows["BIKE"][1:6] == ["Bike lanes", "lobby", "1", "0", "0"]
        assert rows["EVIL"][1] == HOSTILE[1]
        assert all(isinstance(cell, Text) for cell in table.get_row_at(0))


async def test_home_empty_state_then_enter_opens_the_lobby(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        empty = app.screen.query_one("#home-empty", Static)
        assert empty.display and "Press n" in plain(empty)
        await app.service.create_workshop("Bike lanes", code="BIKE")
        await wait_for(pilot, lambda: not empty.display, "the table to fill")
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        assert app.code == "BIKE"
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        assert app.code is None


async def test_new_workshop_form_validates_inline_then_creates_and_opens(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        form = app.screen
        error = form.query_one("#form-error", Static)
        assert not error.display
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error.display, "an inline error")
        assert "title" in plain(error) and "at least 1 character" in plain(error)
        assert app.service.workshops() == []
        form.query_one("#title", Input).value = "Bike lanes"
        form.query_one("#dots-per-participant", Input).value = "2"
        form.query_one("#max-dots-per-idea", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "exceed" in plain(error), "the settings error")
        assert app.service.workshops() == []
        form.query_one("#max-dots-per-idea", Input).value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the new workshop's lobby")
        (workshop,) = app.service.workshops()
        assert workshop.title == "Bike lanes" and app.code == workshop.code
        assert (workshop.settings.dots_per_participant, workshop.settings.max_dots_per_idea) == (2, 2)


async def test_new_workshop_escape_cancels(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: on_screen(app, NewWorkshopScreen), "the form")
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
        assert app.service.workshops() == []


async def test_d_adds_the_demo_once_and_opens_it(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("d")
        await wait_for(pilot, lambda: any(w.code == "MAKE" for w in app.service.workshops()), "the demo")
        await wait_for(pilot, lambda: app.code == "MAKE", "the demo to open")
        await events_shown(pilot, app)  # the demo's phase changes handled: no screen swap left to come
        app.action_home()
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")  # d elsewhere is not the demo
        await pilot.press("d")
        await wait_for(pilot, lambda: app.code == "MAKE", "the demo to open again")
        assert [w.code for w in app.service.workshops()].count("MAKE") == 1


# Lobby


async def test_lobby_shows_code_url_and_counts_people_as_they_join(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (app, pilot):
        code = await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        lobby = app.screen
        assert app.server is not None
        url = app.server.join_url(code)
        assert plain(lobby.query_one("#join-url", Static)) == url
        assert url.endswith("/J/TEST")
        assert lobby.query_one("#qr").data == url  # type: ignore[attr-defined]
        count = lobby.query_one("#count", Digits)
        assert count.value == "0"
        for name in ["Ann", "Bo", "Cy"]:
            await app.service.join(code, name)
        await wait_for(pilot, lambda: count.value == "3", "the count to reach 3")
        assert plain(lobby.query_one("#names", Static)).split("  ·  ") == ["Cy", "Bo", "Ann"]
        bar = lobby.query_one(SessionBar)
        assert "3 people" in plain(bar.query_one(".status", Static))


async def test_lobby_shows_only_the_latest_eight_names(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await open_lobby(app)
        for i in range(11):
            await app.service.join(code, f"P{i}")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        names = app.screen.query_one("#names", Static)
        await wait_for(pilot, lambda: "+3 more" in plain(names), "the names")
        assert plain(names).startswith("P10  ·  P9") and "P2" not in plain(names)


async def test_a_phone_joining_over_http_raises_the_count(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (app, pilot):
        code = await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        count = app.screen.query_one("#count", Digits)
        assert app.server is not None
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{app.server.port}") as client:
            response = await client.post(f"/api/v1/w/{code}/join", json={"name": "Phone"})
        assert response.status_code == 201, response.text
        await wait_for(pilot, lambda: count.value == "1", "the count to reach 1")


async def test_hostile_names_appear_literally_and_clicking_them_does_nothing(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await open_lobby(app, title=HOSTILE[2])
        for name in HOSTILE:
            await app.service.join(code, name)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        names = app.screen.query_one("#names", Static)
        await wait_for(pilot, lambda: "[on red]z" in plain(names), "the names")
        assert re.split(r"  ·  |\n", plain(names)) == list(reversed(HOSTILE))  # a line break stands for a dot
        assert plain(app.screen.query_one(SessionBar).query_one(".title", Static)) == HOSTILE[2]
        for offset in range(0, names.size.width, 3):
            await pilot.click("#names", offset=(offset, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LobbyScreen)


# Phase control


async def test_advance_asks_and_y_moves_the_phase(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        assert "lobby to ideate" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("y")
        await wait_for(pilot, lambda: app.service.state(code).workshop.phase == Phase.IDEATE, "ideate")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the ideate screen")


async def test_advance_cancelled_with_escape_or_n(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        for cancel in ["escape", "n"]:
            await pilot.press("ctrl+right")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
            await pilot.press(cancel)
            await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby again")
        assert app.service.state(code).workshop.phase == Phase.LOBBY


async def test_footer_and_palette_follow_what_the_phase_allows(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        code = await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        assert app.check_action("step_back_phase", ()) is False
        assert app.check_action("advance_phase", ()) is True
        shown = {binding.action for _, binding, enabled, _ in app.screen.active_bindings.values() if enabled}
        footer = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert "advance_phase" in footer and "step_back_phase" not in footer
        assert shown == footer
        titles = [c.title for c in WorkshopCommands(app.screen).commands()]
        assert "Next phase: ideate" in titles and not any(t.startswith("Step back") for t in titles)
        await app.service.set_phase(code, Phase.IDEATE)
        await wait_for(pilot, lambda: app.check_action("step_back_phase", ()) is True, "step back allowed")
        for phase in [Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED]:
            await app.service.set_phase(code, phase)
        await wait_for(pilot, lambda: app.check_action("advance_phase", ()) is False, "no advance from closed")
        assert app.step_back_target() == Phase.BACKLOG


async def test_palette_runs_a_workshop_command(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await search_palette(app, pilot, "next phase", "Next phase: ideate")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the phase question")


async def test_pickers_do_not_offer_what_is_already_shown(data_dir: Path) -> None:
    from textual.command import CommandList, CommandPalette

    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        titles = [c.title for c in WorkshopCommands(app.screen).commands()]
        assert "Show the lobby (QR code)" not in titles  # the lobby is on screen
        assert "Show the ideation wall" in titles and "Show the voting" in titles

        await app.run_action("change_theme")  # the palette's Theme command
        await wait_for(pilot, lambda: on_screen(app, CommandPalette), "the theme list")
        palette = app.screen
        await wait_for(pilot, lambda: palette.query_one(CommandList).option_count > 0, "themes listed")
        listed = palette.query_one(CommandList)
        names = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert "projector" not in names and "textual-dark" in names  # the one in use is not a choice
        assert "Theme now: projector" in palette.query_one("#--input Input", Input).placeholder


# Timer


async def test_timer_start_pause_add_minute_reset(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await app.service.create_workshop("T", code="TIME", template="weekend-hackathon")
        app.call_later(app.open_workshop, "TIME")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        timer = app.screen.query_one("#join-side PhaseTimer", PhaseTimer)
        assert timer.duration == 10 * 60  # the template's lobby timebox
        assert timer.query_one(Digits).value == "10:00"
        await pilot.press("space")
        await wait_for(pilot, lambda: timer.running and timer.has_class("-running"), "running")
        await pilot.press("space")
        await wait_for(pilot, lambda: not timer.running, "paused")
        paused = timer.remaining
        await pilot.press("plus")
        await wait_for(pilot, lambda: timer.remaining == paused + 60, "a minute more")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: timer.remaining == timer.duration and not timer.running, "reset")
        await wait_for(pilot, lambda: timer.query_one(Digits).value == "10:00", "10:00 again")


async def test_timer_flashes_at_zero_without_a_bell(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running_app(data_dir) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        bells: list[int] = []
        monkeypatch.setattr(app, "bell", lambda: bells.append(1))
        timer = app.screen.query_one("#join-side PhaseTimer", PhaseTimer)
        await app.service.update_workshop("TEST", settings={"timeboxes": {"lobby": 1}})
        await pilot.press("space")
        await wait_for(pilot, lambda: timer.running, "running")
        later = utcnow() + dt.timedelta(seconds=61)  # a minute is long for a test: the widget's clock jumps ahead
        monkeypatch.setattr("screens.widgets.timer.utcnow", lambda: later)
        timer.sync()
        await wait_for(pilot, lambda: timer.has_class("-expired"), "the timer to expire")
        assert timer.query_one(Digits).value == "00:00"
        await wait_for(pilot, lambda: timer.has_class("-flash"), "a flash")
        assert bells == [], "a gentle signal: no beep in a room of 300"
        await pilot.press("plus")
        await wait_for(pilot, lambda: not timer.expired and not timer.has_class("-expired"), "a minute more")
        assert 55 < timer.remaining <= 60


# Quit


async def test_ctrl_q_asks_while_live_and_quits_on_y(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        assert app.is_live
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby again")
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        server = app.server
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")
    assert app.return_code == 0
    assert server is not None and not server.running
    reopened = WorkshopService(data_dir).open()  # the lock was released and the data is there
    assert reopened.state("TEST").workshop.title == "Bike lanes"
    await reopened.close()


async def test_asking_whether_to_quit_opens_no_past_workshop(data_dir: Path) -> None:
    """Which workshops phones can reach is read from the summaries: quitting with 50 past workshops
    listed must not load them all first."""
    async with WorkshopService(data_dir) as earlier:
        await earlier.create_workshop("Earlier", code="PAST")
    async with running_app(data_dir, serve=True) as (app, pilot):
        assert app.service.open_states() == []
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the question")
        assert "PAST" in plain(app.screen.query_one(".detail", Static))
        assert app.service.open_states() == []


async def test_ctrl_q_quits_at_once_when_no_session_is_open(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (app, pilot):
        assert not app.is_live
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the app to exit")
    assert app.return_code == 0


# Info, help, logs


async def test_info_never_draws_the_admin_token(data_dir: Path) -> None:
    """The info screen may be projected: the token is in an owner-only file, copied only on request."""
    async with running_app(data_dir, serve=True, admin_token="secret-admin-token-123") as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await pilot.press("f2")
        await wait_for(pilot, lambda: on_screen(app, InfoScreen), "the info screen")
        assert app.server is not None
        text = plain(app.screen.query_one("#info-server", Static))
        assert app.server.base_url in text and app.server.join_url("TEST") in text and str(data_dir) in text
        token_file = data_dir / "admin-token"
        assert str(token_file) in text
        assert token_file.read_text().strip() == "secret-admin-token-123"
        assert token_file.stat().st_mode & 0o777 == 0o600
        for key in ("t", "c"):  # t showed it before; c copies it without drawing it
            await pilot.press(key)
            await pilot.pause()
            assert "secret-admin-token-123" not in app.export_screenshot()
        assert app.clipboard == "secret-admin-token-123"
        log_lines = app.log_panel.lines if app.log_panel else []
        assert any("participant server at" in line for line in log_lines)
        assert not any("secret-admin-token-123" in line for line in log_lines)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "back to the lobby")
    log_file = data_dir / "logs" / "workshop-tui.log"
    assert "participant server at" in log_file.read_text()
    assert not token_file.exists(), "the token file goes when the server stops"


async def test_help_lists_keys_of_the_app_and_every_screen(data_dir: Path) -> None:
    async with running_app(data_dir) as (app, pilot):
        await pilot.press("f1")
        await wait_for(pilot, lambda: on_screen(app, HelpScreen), "help")
        rows = app.screen.rows()  # type: ignore[attr-defined]
        assert ("Everywhere", "^q", "Quit") in rows
        assert ("Everywhere", "^→", "Next phase") in rows
        assert ("Home", "n", "New") in rows
        assert ("Confirm", "y", "Yes") in rows
        assert ("NewWorkshop", "^s", "Create") in rows
        assert ("Info", "c", "Copy admin token") in rows
        # only the app's own keys: no framework internals
        keys = {key for _, key, _ in rows}
        whats = {what for _, _, what in rows}
        assert "^c" not in keys and not any(key.startswith("super") for key in keys)
        assert not whats & {"help quit", "Copy selected text", "Focus Next", "Focus Previous"}
        # one key that does two things by state is listed once with both (o opens the ballot, then closes it)
        assert ("Voting", "o", "Open the ballot / Close the ballot") in rows


# Busy port


async def test_busy_port_offers_a_free_port(data_dir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        async with running_app(data_dir, serve=True, port=port) as (app, pilot):
            await wait_for(pilot, lambda: on_screen(app, PortBusyScreen), "the busy-port dialog")
            assert not app.server_running
            await pilot.press("f")
            await wait_for(pilot, lambda: app.server_running, "the server on a free port")
            assert app.server is not None and app.server.port not in (0, port)
            await open_lobby(app)
            await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
            assert plain(app.screen.query_one("#join-url", Static)).endswith(f":{app.server.port}/J/TEST")


async def test_busy_port_can_continue_without_phones(data_dir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        async with running_app(data_dir, serve=True, port=port) as (app, pilot):
            await wait_for(pilot, lambda: on_screen(app, PortBusyScreen), "the busy-port dialog")
            await pilot.press("c")
            await wait_for(pilot, lambda: on_screen(app, HomeScreen), "home")
            await open_lobby(app)
            await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
            assert not app.server_running and not app.is_live
            assert "Phones are off" in plain(app.screen.query_one("#no-server", Static))
            await pilot.press("ctrl+q")  # not live: no question
            await wait_for(pilot, lambda: not app.is_running, "the app to exit")


async def workshops_in(data_dir: Path, codes: list[str]) -> None:
    async with WorkshopService(data_dir) as service:
        for code in codes:
            await service.create_workshop(f"Workshop {code}", code=code)


async def test_run_code_opens_the_lobby_with_its_qr_code_and_lists_the_rest_on_the_way_back(data_dir: Path) -> None:
    await workshops_in(data_dir, ["LIVE", "PASTA", "PASTB", "PASTC"])
    async with running_app(data_dir, code="LIVE", serve=True) as (app, pilot):
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        lobby = app.screen
        assert app.server is not None
        url = app.server.join_url("LIVE")
        assert lobby.query_one("#qr").data == url and plain(lobby.query_one("#join-url", Static)) == url  # type: ignore[attr-defined]
        async with httpx.AsyncClient() as phone:  # the address on screen serves phones
            assert (await phone.get(url, follow_redirects=True)).status_code == 200
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the workshop list")
        table = app.screen.query_one("#workshops", DataTable)
        await wait_for(pilot, lambda: table.row_count == 4, "every workshop listed")
        assert {row[0] for row in table_rows(table)} == {"LIVE", "PASTA", "PASTB", "PASTC"}


async def test_run_code_on_a_busy_port_asks_over_the_lobby(data_dir: Path) -> None:
    await workshops_in(data_dir, ["LIVE"])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        async with running_app(data_dir, serve=True, port=port, code="LIVE") as (app, pilot):
            await wait_for(pilot, lambda: on_screen(app, PortBusyScreen), "the busy-port dialog")
            assert isinstance(app.screen_stack[-2], LobbyScreen)  # the workshop asked for is under it
            await pilot.press("f")
            await wait_for(pilot, lambda: app.server_running, "the server on a free port")
            assert app.server is not None and app.server.port not in (0, port)
            await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
            link = app.screen.query_one("#join-url", Static)
            await wait_for(pilot, lambda: plain(link).endswith(f":{app.server.port}/J/LIVE"), "the new URL")  # type: ignore[union-attr]


# The launcher


async def test_run_with_a_busy_data_dir_is_one_line_and_exit_1(data_dir: Path) -> None:
    holder = WorkshopService(data_dir).open()
    try:
        done = run_cli(data_dir, "run", "--port", "0")
    finally:
        await holder.close()
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "in use" in done.stderr


def test_run_with_an_unknown_code_is_one_line_and_exit_1(data_dir: Path) -> None:
    done = run_cli(data_dir, "run", "NOPE", "--port", "0")
    assert done.returncode == 1
    assert done.stderr.strip() == "workshop-tui: no workshop with code 'NOPE'"


def test_run_is_registered_with_server_options() -> None:
    from workshop_tui.cli import build_parser, launch_tui

    parser = build_parser()
    args = parser.parse_args(["run", "ABCDE", "--host", "127.0.0.1", "--port", "0", "--public-url", "https://x.org"])
    assert (args.code, args.host, args.port, args.public_url) == ("ABCDE", "127.0.0.1", 0, "https://x.org")
    assert getattr(parser, "default_handler", None) is launch_tui


def test_every_phase_has_its_screen() -> None:
    for phase in Phase:
        assert phase in PHASE_SCREENS, phase
        PHASE_SCREENS[phase].load()  # type: ignore[attr-defined]  # imports cleanly


async def test_the_palette_descriptions_are_readable_on_a_projector(data_dir: Path) -> None:
    """Every command's description, on the highlighted row and the others, at least 7:1 against its
    background (WCAG AAA: a projected image loses contrast to the room's light). Textual's default draws
    it dim: dark grey on the light grey highlight, grey on dark grey elsewhere."""
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        await open_lobby(app)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        await pilot.press("ctrl+p")
        await wait_for(
            pilot,
            lambda: on_screen(app, CommandPalette) and app.screen.query_one(CommandList).option_count > 3,
            "the palette's commands",
        )
        await pilot.pause()
        helps = {c.help for c in app.palette_commands() if c.help}
        checked = 0
        for row in screen_segments(app):
            text = "".join(s.text for s in row)
            found = next((h for h in helps if h in text), None)
            if found is None:
                continue
            for segment in row:
                if segment.text.strip() and segment.text.strip() in found:
                    checked += 1
                    assert contrast(segment) >= 7, (found, segment.style)
        assert checked >= 3, "the descriptions of the highlighted row and of others were not found"
