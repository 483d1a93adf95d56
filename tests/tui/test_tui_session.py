"""A whole session through the real app: phones over HTTP, every phase's screen, keys as a facilitator types.

The app runs its own participant server on 127.0.0.1; phones are httpx clients with their own tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Digits, Static

from screens.backlog.screen import BacklogScreen
from screens.confirm import ConfirmScreen
from screens.export_dialog import ExportDialog
from screens.lobby import LobbyScreen
from screens.teams import TeamsScreen
from screens.voting import VotingScreen
from screens.wall.screen import WallScreen
from screens.widgets.bar_chart import BarChart
from screens.widgets.note_wall import NoteWall
from screens.widgets.session_bar import SessionBar
from tests.helpers.tui import on_screen, running_app, wait_for
from workshop_tui.phases import Phase

HOSTILE = "a [/] b [@click=app.quit]x [on red]z"


async def advance(app: Any, pilot: Pilot[Any], to: Phase, screen: type[Any]) -> None:
    """``]`` then ``y``, as the facilitator would; returns once the new phase's screen is up."""
    before = app.screen
    await pilot.press("right_square_bracket")
    await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the confirmation")
    await pilot.press("y")
    await wait_for(pilot, lambda: app.service.state("TEST").workshop.phase == to, to.value)
    await wait_for(
        pilot,
        lambda: on_screen(app, screen) and app.screen is not before and app.screen.query_one("SessionBar").is_mounted,
        f"the {to.value} screen",
    )
    await pilot.pause()


@pytest.mark.slow
async def test_a_whole_session_from_lobby_to_closed(data_dir: Path, tmp_path: Path) -> None:
    async with running_app(data_dir, serve=True, size=(120, 40)) as (app, pilot):
        await app.service.create_workshop(
            "Session", code="TEST", settings={"dots_per_participant": 3, "max_dots_per_idea": 2, "team_min_size": 1}
        )
        app.call_later(app.open_workshop, "TEST")
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        assert app.server is not None
        base = f"http://127.0.0.1:{app.server.port}/api/v1/w/TEST"
        async with httpx.AsyncClient() as http:
            tokens = []
            for n in range(4):
                r = await http.post(f"{base}/join", json={"name": f"Phone {n}"})
                assert r.status_code == 201, r.text
                tokens.append({"Authorization": f"Bearer {r.json()['token']}"})
            await wait_for(pilot, lambda: app.screen.query_one("#count", Digits).value == "4", "4 people in the lobby")

            await advance(app, pilot, Phase.IDEATE, WallScreen)
            ids = []
            for n, text in enumerate(["Shade trees", "Bike parking", HOSTILE]):
                r = await http.post(f"{base}/ideas", json={"text": text}, headers=tokens[n])
                assert r.status_code == 201, r.text
                ids.append(r.json()["id"])
            wall = app.screen.query_one(NoteWall)
            await wait_for(pilot, lambda: len(wall.shown) == 3, "three notes on the wall")
            shown = [wall.card_text(key) for key in wall.shown]
            assert HOSTILE in shown and app.is_running
            status = app.screen.query_one(SessionBar).query_one(".status", Static)
            counts = "4 people · 4 still writing"  # the ready count goes before notes when room is short
            await wait_for(pilot, lambda: counts in str(status.render()), "the session bar's counts")

            await advance(app, pilot, Phase.GROUP, WallScreen)
            await advance(app, pilot, Phase.VOTE, VotingScreen)
            assert not app.service.state("TEST").workshop.voting_open  # the rules first, then o
            await pilot.press("o")
            await wait_for(pilot, lambda: app.service.state("TEST").workshop.voting_open, "the ballot open")
            for headers in tokens:
                assert (await http.post(f"{base}/votes", json={"idea_id": ids[1]}, headers=headers)).status_code == 201
            assert (await http.post(f"{base}/votes", json={"idea_id": ids[0]}, headers=tokens[0])).status_code == 201
            cast = app.screen.query_one("#dots-cast", Digits)
            await wait_for(pilot, lambda: cast.value == "5", "five dots on the progress")
            await pilot.press("r")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the reveal question")
            await pilot.press("y")
            chart = app.screen_stack[-1].query_one(BarChart)
            await wait_for(
                pilot, lambda: chart.revealed and chart.rows[:1] and chart.rows[0].idea_id == ids[1], "chart"
            )

            await advance(app, pilot, Phase.TEAMS, TeamsScreen)
            candidates = app.service.state("TEST").workshop.team_candidates
            for headers in tokens[:3]:  # three of four phones rank: f warns before forming
                r = await http.put(f"{base}/preferences", json={"idea_ids": candidates}, headers=headers)
                assert r.status_code == 200, r.text
            await pilot.press("f")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the few-ranked warning")
            assert "3 of 4 have ranked" in app.screen.question  # type: ignore[attr-defined]
            await pilot.press("y")
            await wait_for(pilot, lambda: bool(app.service.state("TEST").teams), "teams formed")
            members = [m for t in app.service.state("TEST").teams.values() for m in t.member_ids]
            assert len(members) == 4 and len(set(members)) == 4
            me = await http.get(f"{base}/me", headers=tokens[0])
            assert me.json()["team"] is None  # a draft until published
            await pilot.press("p")
            await wait_for(pilot, lambda: on_screen(app, ConfirmScreen), "the publish question")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.service.state("TEST").workshop.teams_published, "teams published")
            me = await http.get(f"{base}/me", headers=tokens[0])
            assert me.json()["team"] is not None  # each phone sees its team

            await advance(app, pilot, Phase.BACKLOG, BacklogScreen)
            await pilot.press("c")
            await wait_for(pilot, lambda: bool(app.service.state("TEST").backlog), "backlog items")

            await pilot.press("ctrl+e")
            await wait_for(pilot, lambda: on_screen(app, ExportDialog), "the export dialog")
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            target = tmp_path / "report.md"
            dialog.query_one("#destination").value = str(target)  # type: ignore[attr-defined]
            dialog.query_one("#export", Button).press()
            await wait_for(pilot, lambda: target.is_file(), "the report on disk")
            assert "## Prototype backlog" in target.read_text()

            await advance(app, pilot, Phase.CLOSED, BacklogScreen)
            assert (await http.post(f"{base}/join", json={})).status_code == 409
        assert app.is_running
