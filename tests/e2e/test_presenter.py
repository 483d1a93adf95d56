"""The presenter view (``workshop-tui present CODE``) against a real owner: ``workshop-tui serve`` in a
subprocess (real uvicorn on loopback, real store on disk) and the presenter app under Pilot here.

It follows the owner through ``<data dir>/server.json``, the public event stream and read routes:
a phone's note appears, a phase change follows, nothing secret or facilitator-only is drawn, and it
says so when the owner is not running and reconnects when it restarts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from screens import presenter
from screens.lobby import LobbyScreen
from screens.presenter import PresenterApp
from screens.widgets.note_cards import PAPER
from screens.widgets.note_wall import NoteWall
from screens.widgets.qr_code import QRCode
from tests.helpers.cli import run_cli
from tests.helpers.serve import Served, start_serve
from tests.helpers.tui import on_screen, running_app, screen_lines, wait_for
from workshop_tui.phases import Phase
from workshop_tui.server.runtime_file import RUNTIME_FILE, read_runtime
from workshop_tui.service import WorkshopService

CODE = "ROOM"


def text_of(app: PresenterApp) -> str:
    return "\n".join(screen_lines(app))


def flat_text(app: PresenterApp) -> str:
    """The screen's words in one line: a message wrapped inside its border reads as one sentence."""
    return " ".join(word for line in screen_lines(app) for word in line.split() if word not in "┃│")


def stop(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=20) == 0


async def workshop_on_disk(data_dir: Path, title: str) -> None:
    """Written before the owner starts (the owner holds the data directory's lock while it runs)."""
    service = WorkshopService(data_dir).open()
    try:
        await service.create_workshop(title, code=CODE)
        await service.set_phase(CODE, Phase.IDEATE)
    finally:
        await service.close()


@pytest.fixture
async def owner(data_dir: Path) -> AsyncIterator[Served]:
    await workshop_on_disk(data_dir, "Bike lanes for the north")
    served = start_serve(data_dir, "--port", "0")
    try:
        yield served
    finally:
        if served.process.poll() is None:
            stop(served)


class Phone:
    """One participant's phone against the owner's server."""

    def __init__(self, served: Served, name: str) -> None:
        self.http = httpx.Client(base_url=served.url, timeout=10)
        joined = self.http.post(f"/api/v1/w/{CODE}/join", json={"name": name})
        assert joined.status_code == 201, joined.text
        self.http.headers["Authorization"] = f"Bearer {joined.json()['token']}"

    def posts(self, text: str) -> str:
        posted = self.http.post(f"/api/v1/w/{CODE}/ideas", json={"text": text})
        assert posted.status_code == 201, posted.text
        return str(posted.json()["id"])

    def ranks(self, *idea_ids: str) -> None:
        answer = self.http.put(f"/api/v1/w/{CODE}/preferences", json={"idea_ids": list(idea_ids)})
        assert answer.status_code == 200, answer.text

    def says_done(self) -> None:
        answer = self.http.put(f"/api/v1/w/{CODE}/done", json={"done": True})
        assert answer.status_code == 200, answer.text


def admin(served: Served, method: str, path: str, body: dict[str, object]) -> Any:
    headers = {"Authorization": f"Bearer {served.admin_token}"}
    with httpx.Client(base_url=served.url, headers=headers, timeout=10) as client:
        response = client.request(method, f"/api/v1/admin/w/{CODE}{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json()


def cards(app: PresenterApp) -> list[str]:
    """The notes on the presenter's wall, in the order its cards show them."""
    wall = app.query_one(NoteWall)
    return [wall.note(i).text for i in wall.shown] if wall.display else []


def test_the_owner_writes_its_server_file_owner_only_and_removes_it_on_a_clean_stop(
    owner: Served, data_dir: Path
) -> None:
    path = data_dir / RUNTIME_FILE
    found = read_runtime(data_dir).runtime
    assert found is not None and found.local_url == owner.url and found.admin_token == owner.admin_token
    assert found.pid == owner.process.pid and path.stat().st_mode & 0o777 == 0o600
    stop(owner)
    assert not path.exists()


def test_a_file_left_by_a_dead_owner_is_reported_stale(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen(["true"])
    child.wait()  # reaped: its pid belongs to no process (pids are handed out in turn, not reused at once)
    dead = child.pid
    (data_dir / RUNTIME_FILE).write_text(
        json.dumps(
            {
                "local_url": "http://127.0.0.1:9",
                "public_url": "http://127.0.0.1:9",
                "admin_token": "t",
                "pid": dead,
                "started_at": "2026-01-01T00:00:00Z",
            }
        )
    )
    found = read_runtime(data_dir)
    assert found.runtime is None and found.problem is not None and str(dead) in found.problem


async def test_the_presenter_follows_the_room_and_draws_no_secret(owner: Served, data_dir: Path) -> None:
    app = PresenterApp(data_dir, CODE.lower())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Bike lanes for the north" in text_of(app), "the workshop")
        await wait_for(pilot, lambda: f"/j/{CODE.lower()}" in text_of(app).lower(), "the join URL")
        sam = Phone(owner, "Secret Sam")
        first = sam.posts("Protected lanes")
        await wait_for(
            pilot, lambda: cards(app) == ["Protected lanes"] and "Protected lanes" in text_of(app), "the note"
        )
        assert "1 person joined" in text_of(app) and "0 of 1 are done writing" in text_of(app)  # counts, no names
        sam.says_done()
        await wait_for(pilot, lambda: "1 of 1 is done writing" in text_of(app), "the ready count")
        second = sam.posts("Bike parking at the station")
        newest = ["Bike parking at the station", "Protected lanes"]
        await wait_for(pilot, lambda: cards(app) == newest and "2 notes" in text_of(app), "newest first, drawn")
        assert "★ NEW" in text_of(app)
        admin(owner, "PUT", f"/ideas/{second}/hidden", {"hidden": True})  # a hidden note leaves the room's wall
        await wait_for(
            pilot,
            lambda: cards(app) == ["Protected lanes"] and "Bike parking" not in text_of(app),
            "the hidden note gone",
        )
        admin(owner, "PATCH", "", {"settings": {"private_writing": True}})
        sam.posts("Written in private")
        await wait_for(pilot, lambda: "1 note written in private so far." in text_of(app), "the private count")
        assert cards(app) == ["Protected lanes"] and "Written in private" not in text_of(app)
        admin(owner, "POST", "/phase", {"phase": "group"})  # moving on reveals the private notes
        await wait_for(pilot, lambda: "SORTING IDEAS" in text_of(app) and len(cards(app)) == 2, "the phase")
        streets = admin(owner, "POST", "/themes", {"name": "Streets"})
        admin(owner, "PUT", f"/ideas/{first}/theme", {"theme_id": streets["id"]})
        await wait_for(pilot, lambda: "Streets" in text_of(app) and "No theme" in text_of(app), "grouped by theme")
        wall = app.query_one(NoteWall)
        assert wall.grouped and wall._colours[streets["id"]] == PAPER[0]  # coloured as on the facilitator's wall
        admin(owner, "PUT", "/timer", {"command": "start", "minutes": 3})
        await wait_for(pilot, lambda: "02:5" in text_of(app) or "03:00" in text_of(app), "the timer")
        admin(owner, "POST", "/phase", {"phase": "vote"})
        admin(owner, "POST", "/voting", {"results_revealed": True})
        await wait_for(pilot, lambda: "Results: most dots first" in text_of(app), "the results")
        results = app.query_one("#p-results")
        assert results.scrollbar_size_vertical == 0  # nobody scrolls the room's copy: no bar beside the chart
        shown = text_of(app) + app.export_screenshot()
        assert owner.admin_token not in shown and "Secret Sam" not in shown  # no token, no author's name
        assert not any(word in shown for word in ("Next phase", "Step back", "Info", "palette"))


async def test_the_presenter_speaks_the_rooms_language(owner: Served, data_dir: Path) -> None:
    admin(owner, "PATCH", "", {"language": "fi"})
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(120, 40)) as pilot:
        Phone(owner, "Sanna").posts("Pyöräkaistat")
        await wait_for(pilot, lambda: "0/1 on kirjoittanut valmiiksi" in text_of(app), "the ready count in Finnish")
        assert "1 osallistuja liittynyt" in text_of(app) and "1 lappu" in text_of(app)


async def test_in_the_teams_phase_the_room_sees_the_ranking_progress_then_the_published_teams(
    owner: Served, data_dir: Path
) -> None:
    phones = [Phone(owner, name) for name in ("Ann Ranker", "Bo Ranker", "Cy Ranker")]
    lanes, parking = phones[0].posts("Protected lanes"), phones[1].posts("Bike parking")
    phones[2].posts("Slower cars")
    for phase in ("group", "vote"):
        admin(owner, "POST", "/phase", {"phase": phase})
    admin(owner, "POST", "/voting", {"results_revealed": True})
    admin(owner, "POST", "/phase", {"phase": "teams"})
    admin(owner, "PUT", "/candidates", {"idea_ids": [lanes, parking]})
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "0 of 3 have saved a ranking" in text_of(app), "the ranking progress")
        assert "Which idea would you like to work on?" in text_of(app) and "2 notes" not in text_of(app)
        assert "Results: most dots first" not in text_of(app)  # the vote is over: its results make way
        assert sorted(cards(app)) == ["Bike parking", "Protected lanes"]  # what the room ranks
        phones[0].ranks(lanes, parking)
        await wait_for(pilot, lambda: "1 of 3 has saved a ranking" in text_of(app), "one ranking saved")
        admin(owner, "POST", "/teams", {"team_count": 2, "min_size": 1})
        phones[1].ranks(parking)  # ranking stays open while the teams are a draft
        await wait_for(pilot, lambda: "2 of 3 have saved a ranking" in text_of(app), "two rankings saved")
        assert "Team 1" not in text_of(app)  # a draft stays off the room's screen, as off the phones
        admin(owner, "POST", "/teams/publish", {})
        await wait_for(pilot, lambda: "Team 2:" in text_of(app), "the published teams")
        shown = text_of(app)
        assert "Team 1:" in shown and "Protected lanes" in shown and "Bike parking" in shown
        assert "2 people" in shown and "1 person" in shown and "saved a ranking" not in shown
        assert "Ranker" not in shown + app.export_screenshot()  # sizes, never names


async def test_the_closed_workshop_shows_its_follow_up_qr_code_in_the_rooms_language(
    owner: Served, data_dir: Path
) -> None:
    url = "https://city.example/bike-lanes"
    admin(owner, "PATCH", "", {"language": "fi", "follow_url": url})
    for phase in ("group", "vote", "teams", "backlog", "closed"):
        admin(owner, "POST", "/phase", {"phase": phase})
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: url in text_of(app), "the follow-up URL")
        qr = app.query_one("#p-qr", QRCode)
        assert qr.data == url and qr.display and qr.region.width > 0  # the closing screen's QR code, drawn
        shown = text_of(app)
        assert "Seuraa, mitä seuraavaksi tapahtuu" in shown and "PÄÄTTYNYT" in shown  # the audience's words
        assert "/J/" not in shown.upper() and "closed workshop" not in shown


@pytest.mark.slow
async def test_the_presenter_says_the_owner_is_not_running_and_reconnects(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenter, "RETRY_SECONDS", 0.1)  # it looks again sooner: each step waits for a reconnection
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "no workshop-tui serves" in text_of(app), "the message")
        await workshop_on_disk(data_dir, "Back again")
        served = start_serve(data_dir, "--port", "0")
        try:
            await wait_for(pilot, lambda: "Back again" in text_of(app), "connected")
            stop(served)
            await wait_for(pilot, lambda: "no workshop-tui serves" in text_of(app), "gone again")
            served = start_serve(data_dir, "--port", "0")  # another port: found through server.json again
            await wait_for(pilot, lambda: "Back again" in text_of(app) and app.offline is None, "reconnected")
            served.process.kill()  # a crash leaves server.json behind: it is stale, and said so
            served.process.wait(timeout=10)
            await wait_for(pilot, lambda: "no longer running" in (app.offline or ""), "the stale file")
            assert "server.json is left from process" in flat_text(app)
            served = start_serve(data_dir, "--port", "0")
            await wait_for(pilot, lambda: app.offline is None and "Back again" in text_of(app), "back after a crash")
        finally:
            if served.process.poll() is None:
                stop(served)


def test_present_refuses_what_is_not_a_join_code(data_dir: Path) -> None:
    done = run_cli(data_dir, "present", "no/such code")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a join code" in done.stderr


async def test_the_tui_announces_its_server_too_and_the_presenter_follows_it(data_dir: Path) -> None:
    async with running_app(data_dir, serve=True) as (owner_app, _owner_pilot):
        await owner_app.service.create_workshop("From the TUI", code=CODE)
        found = read_runtime(data_dir).runtime
        assert owner_app.server is not None and found is not None
        assert found.local_url == f"http://127.0.0.1:{owner_app.server.port}" and found.pid == os.getpid()
        presenter = PresenterApp(data_dir, CODE)
        async with presenter.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: "From the TUI" in text_of(presenter), "the TUI's workshop")
    assert not (data_dir / RUNTIME_FILE).exists()


async def test_authors_names_are_projected_only_while_the_facilitator_shows_them(owner: Served, data_dir: Path) -> None:
    """The facilitator's wall and the presenter agree: names on the cards with `show_authors`, gone when it
    is turned off, and never in an anonymous workshop."""
    Phone(owner, "Ann Author").posts("Protected lanes")
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: cards(app) == ["Protected lanes"], "the note")
        assert "Ann Author" not in text_of(app)  # off unless the facilitator turns it on
        admin(owner, "PATCH", "", {"settings": {"show_authors": True}})
        await wait_for(pilot, lambda: "Ann Author" in text_of(app), "the author's name on the card")
        Phone(owner, "Bo Later").posts("Bike parking")
        await wait_for(pilot, lambda: "Bo Later" in text_of(app), "a new note's author")
        admin(owner, "PATCH", "", {"settings": {"anonymous": True}})
        await wait_for(pilot, lambda: "Ann Author" not in text_of(app), "no names in an anonymous workshop")
        admin(owner, "PATCH", "", {"settings": {"anonymous": False, "show_authors": False}})
        await wait_for(pilot, lambda: app.snapshot is not None and app.snapshot.authors is None, "names off")
        assert "Ann Author" not in text_of(app) and "Bo Later" not in text_of(app)


async def test_in_the_backlog_the_room_sees_the_follow_up_qr_code(owner: Served, data_dir: Path) -> None:
    """While the ideas become next steps the room is shown where to follow them, not the wall."""
    url = "https://city.example/bike-lanes"
    Phone(owner, "Ann").posts("Protected lanes")
    admin(owner, "PATCH", "", {"follow_url": url})
    for phase in ("group", "vote", "teams", "backlog"):
        admin(owner, "POST", "/phase", {"phase": phase})
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Follow what happens next" in text_of(app), "the follow-up heading")
        qr = app.query_one("#p-qr", QRCode)
        assert qr.data == url and qr.display and qr.region.width > 0 and url in text_of(app)
        assert not app.query_one("#p-main").display and "Protected lanes" not in text_of(app)  # the wall makes way
        assert qr.region.right <= 80 and qr.region.bottom <= 24  # the whole symbol, at 80x24 too


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_presenters_join_qr_code_is_as_big_as_the_lobbys(data_dir: Path, size: tuple[int, int]) -> None:
    """One rule for both screens (``QRCode.fit_beside_text``): at 200x60 the presenter's code is drawn at 3, as
    the lobby's, for the back of a big room, and whole."""
    async with running_app(data_dir, size=size, serve=True) as (owner_app, owner_pilot):
        await owner_app.service.create_workshop("From the TUI", code=CODE)
        owner_app.open_workshop(CODE)
        await wait_for(owner_pilot, lambda: on_screen(owner_app, LobbyScreen), "the lobby")
        lobby_qr = owner_app.screen.query_one("#qr", QRCode)
        await wait_for(owner_pilot, lambda: lobby_qr.region.width > 0, "the lobby's QR code")
        presenter = PresenterApp(data_dir, CODE)
        async with presenter.run_test(size=size) as pilot:
            qr = presenter.query_one("#p-qr", QRCode)
            await wait_for(pilot, lambda: qr.data == lobby_qr.data and qr.region.width > 0, "the presenter's code")
            assert qr.current_scale == lobby_qr.current_scale == (3 if size == (200, 60) else 1)
            assert qr.region.right <= size[0] and qr.region.bottom <= size[1]


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_latecomers_can_join_and_the_wall_keeps_the_width(
    owner: Served, data_dir: Path, size: tuple[int, int]
) -> None:
    """At 80x24 the join corner would take half the screen from the wall: the URL and code are one line
    above it instead; at 200x60 the corner has the QR code."""
    Phone(owner, "Ann").posts("Protected lanes")
    app = PresenterApp(data_dir, CODE)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: cards(app) == ["Protected lanes"], "the note")
        await pilot.pause()
        wall = app.query_one(NoteWall)
        url = app.snapshot.join_url if app.snapshot else "?"
        corner = size == (200, 60)
        assert app.query_one("#p-qr", QRCode).display is corner
        assert app.query_one("#p-join-line").display is not corner
        if corner:
            assert app.query_one("#p-qr", QRCode).region.width > 0
        else:
            assert wall.region.width >= size[0] - 4, "the join corner took the wall's width"
            top = "\n".join(screen_lines(app)[:3])
            assert url in top and CODE in top
