"""No participant text reaches the facilitator's terminal raw (issue 11, item 8).

Phones post every kind of escape over HTTP to the real app's own server; the facilitator walks
through the wall, its dialogs, voting, teams, the backlog, the workshop list and the info screen.
The check reads the BYTES Textual writes to the terminal (a driver that records them), not the
screen's text: a control character is invisible in a screenshot but acts on a real terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.drivers import headless_driver
from textual.pilot import Pilot

from screens.app import WorkshopApp
from screens.backlog.editor import BacklogEditor
from screens.backlog.review import ReviewScreen
from screens.backlog.screen import BacklogScreen
from screens.home import HomeScreen
from screens.info import InfoScreen
from screens.teams import TeamsScreen
from screens.text_prompt import TextPromptScreen
from screens.voting import VotingScreen
from screens.wall.merge_dialogs import MergeScreen
from screens.wall.screen import WallScreen
from screens.wall.theme_picker import ThemePickerScreen
from tests.helpers.hostile_text import ESCAPES, WORDS, terminal_problems
from tests.helpers.tui import events_shown, on_screen, running_app, wait_for
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

ALL = " ".join(ESCAPES.values())


class RecordingDriver(headless_driver.HeadlessDriver):
    """Headless input, but the app renders as for a real terminal and we keep every byte written."""

    written: list[str]

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        RecordingDriver.written.append(data)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    RecordingDriver.written = []
    monkeypatch.setattr(headless_driver, "HeadlessDriver", RecordingDriver)
    yield RecordingDriver.written


async def seed(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        w = await service.create_workshop(f"Title {ESCAPES['osc2']}", code="EVIL", prompt=f"Prompt {ALL}")
        await service.create_theme(w.code, f"Theme {ESCAPES['csi']}")
        await service.set_phase(w.code, Phase.IDEATE)


async def press_and_wait(app: WorkshopApp, pilot: Pilot[Any], key: str, screen: type[Any]) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: on_screen(app, screen), screen.__name__)
    await pilot.pause()  # and drawn: a pause ends by painting what is pending


def drawn(terminal: list[str]) -> str:
    return "".join(terminal)


@pytest.mark.slow
async def test_no_escape_reaches_the_terminal(data_dir: Path, terminal: list[str]) -> None:
    await seed(data_dir)
    async with running_app(data_dir, serve=True, size=(160, 50), code="EVIL") as (app, pilot):
        assert app.server is not None
        base = f"http://127.0.0.1:{app.server.port}/api/v1/w/EVIL"
        async with httpx.AsyncClient() as http:
            ids = []
            for kind, text in ESCAPES.items():
                joined = await http.post(f"{base}/join", json={"name": f"{kind} {text}"[:60]})
                assert joined.status_code == 201, joined.text
                headers = {"Authorization": f"Bearer {joined.json()['token']}"}
                posted = await http.post(f"{base}/ideas", json={"text": f"note {text}"}, headers=headers)
                assert posted.status_code == 201, posted.text
                ids.append(posted.json()["id"])
            # Lone surrogates never get in: the JSON boundary refuses them with a clear 422.
            refused = await http.post(
                f"{base}/ideas",
                content=b'{"text": "x\\ud800y"}',
                headers={**headers, "Content-Type": "application/json"},
            )
            assert refused.status_code == 422 and "error" in refused.json()

        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        await wait_for(pilot, lambda: all(w in drawn(terminal) for w in WORDS), "every note drawn")

        # The wall's dialogs quote notes, themes and the service's messages.
        await press_and_wait(app, pilot, "m", MergeScreen)
        await pilot.press("escape")
        await press_and_wait(app, pilot, "t", ThemePickerScreen)
        await pilot.press("escape")
        await press_and_wait(app, pilot, "n", TextPromptScreen)
        app.screen.query_one("Input").value = f"Pasted {ESCAPES['c1']}"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the prompt closed")

        service = app.service
        for phase in (Phase.GROUP, Phase.VOTE):
            await service.set_phase("EVIL", phase)
        await wait_for(pilot, lambda: on_screen(app, VotingScreen), "voting")
        await service.add_paper_dots("EVIL", ids[0], 2)
        await service.set_voting("EVIL", results_revealed=True)
        await events_shown(pilot, app)
        await service.set_phase("EVIL", Phase.TEAMS)
        await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "teams")
        await service.form_teams("EVIL", idea_ids=ids[:3], min_size=1)
        await events_shown(pilot, app)
        await service.set_phase("EVIL", Phase.BACKLOG)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        items = await service.convert_to_backlog("EVIL")
        await service.update_backlog_item(
            items[0].id,
            {
                "owner": {"name": f"Owner {ESCAPES['bidi']}", "public": True},
                "asks": [
                    {
                        "kind": "space",
                        "department": f"Dept {ESCAPES['osc52']}",
                        "answer": f"Answer {ESCAPES['csi']}",
                        "due": "2020-01-01",  # overdue: the review meeting takes the item
                    }
                ],
            },
        )
        await events_shown(pilot, app)
        # The edit form's rows and the review meeting quote the item, the ask and its answer.
        await press_and_wait(app, pilot, "e", BacklogEditor)
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the form closed")
        await press_and_wait(app, pilot, "m", ReviewScreen)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the meeting closed")
        await press_and_wait(app, pilot, "f2", InfoScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.action_home()
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the workshop list")
        await pilot.pause()

    output = drawn(terminal)
    assert "PWNED-TITLE" in output and "EVIL-PAINT" in output and "C1-TITLE" in output
    assert "␛]2;PWNED-TITLE" in output  # shown, as a visible placeholder
    assert terminal_problems(output) == []


async def test_every_toast_is_terminal_safe_whoever_raises_it(data_dir: Path) -> None:
    """A toast quotes an error, which may quote a name or a file's value: the app's one notify makes any
    message and title terminal-safe, from the app or any screen, markup or not."""
    await seed(data_dir)
    async with running_app(data_dir, size=(160, 50), code="EVIL") as (app, pilot):
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        app.notify(f"app {ESCAPES['osc2']}", title=f"TITLE {ESCAPES['osc52']}", markup=False)
        app.screen.notify(f"screen {ESCAPES['csi']} {ESCAPES['c1']}", severity="error", markup=False)
        app.screen.notify(f"marked {ESCAPES['bidi']} {ESCAPES['del']}")
        await wait_for(pilot, lambda: len(app._notifications) >= 3, "the toasts")
        toasts = [(n.title, n.message) for n in app._notifications]
    told = " ".join(f"{title} {message}" for title, message in toasts)
    assert all(word in told for word in WORDS[:6]), told  # every message is there, made visible
    for title, message in toasts:
        assert terminal_problems(title) == [] and terminal_problems(message) == [], (title, message)


async def test_a_toast_is_plain_text_unless_markup_is_asked_for(data_dir: Path) -> None:
    """A toast that quotes a participant's name or note (an error echoing it) is never parsed as markup,
    whichever screen raises it: the link and the style stay literal text."""
    async with running_app(data_dir, size=(100, 30)) as (app, pilot):
        app.screen.notify("Cannot merge [@click=app.quit]QUIT[/] [b]bold[/b]", severity="warning")
        await wait_for(pilot, lambda: len(app._notifications) >= 1, "the toast")
        (toast,) = list(app._notifications)
        assert toast.markup is False and toast.message == "Cannot merge [@click=app.quit]QUIT[/] [b]bold[/b]"
