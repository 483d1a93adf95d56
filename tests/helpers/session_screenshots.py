"""Screenshots of every screen of a whole session, to look at as the back row of a room of 300 would.

    python -m tests.helpers.session_screenshots OUTDIR [--size 80x24 --size 200x60] [--no-png]

drives the real ``WorkshopApp`` under Pilot (projector theme, participant server on loopback) through a
session on a fixed workshop of 16 people, from the list of workshops to the closing QR code, with the
presenter view beside it, and saves ``OUTDIR/WxH/NN-name.svg`` for each size. With Debian's
``chromium`` the SVGs are also drawn to PNG (``NN-name.png``) at twice their size, so a file viewer
shows what the projector shows. The data is set up through the service (the same calls the phones'
routes make); the screens are reached with the facilitator's keys. One note carries hostile text (an
escape sequence, Textual markup, a formula, a bidi override, an emoji): it must show as plain text.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select

from screens.presenter import PresenterApp
from tests.helpers.tui import events_shown, on_screen, running_app, wait_for
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

CODE = "ROOM"
SIZES = [(80, 24), (200, 60)]
CHROMIUM = "/usr/bin/chromium"
PEOPLE = [
    "Amina", "Bram", "Chiara", "Dawit", "Elif", "Femke", "Goran", "Hana",
    "Ilse", "Jonas", "Kaisa", "Luca", "Mei", "Noor", "Oskar", "Priya",
]  # fmt: skip
HOSTILE = '\x1b]52;c;aGk=\x07\x1b[2J[b red]x[/] =HYPERLINK("http://x") [x](javascript:alert(1)) \u202eevil\u202c 🚲'
#: (theme, text, author index; None is a paper note)
NOTES: list[tuple[str | None, str, int | None]] = [
    ("Mobility", "Live map of empty bike racks at the station", 0),
    ("Mobility", "Safe school routes: parents mark dangerous crossings on a shared map", 1),
    ("Mobility", "Car-free Sunday once a month on the ring road, with a permit in one form", 2),
    ("Mobility", "Live map of free bike racks near the station", 3),
    ("Circular economy", "Repair café finder with opening hours and what each one can fix", 4),
    ("Circular economy", "Reusable cups for all events on municipal ground", 5),
    ("Circular economy", "A tool library in every branch library", 6),
    ("Green spaces", "Adopt-a-tree: neighbours water street trees in dry summers", 7),
    ("Green spaces", "Turn the parking lot behind the town hall into a pocket park", 8),
    ("Green spaces", "Benches and shade along the river path", 9),
    (None, "Pop-up city hall desk in the outer districts every Saturday", None),
    (None, "Open data on noise levels near schools", 10),
    (None, "One form for every event permit instead of five", 11),
    (None, "Night buses on Friday and Saturday until 3 am", 12),
    (None, HOSTILE, 13),
]
#: dots per note index: notes 0 and 4 tie at the top.
DOTS = {0: 9, 4: 9, 1: 7, 2: 6, 7: 5, 8: 4, 10: 3, 5: 2, 11: 2, 12: 1, 14: 1}
CANDIDATES = [0, 4, 1, 7]


class Shooter:
    """Saves numbered SVGs of whatever app it is given, into one folder."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.count = 0
        self.saved: list[Path] = []

    async def shot(self, app: App[Any], pilot: Pilot[Any], name: str) -> None:
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        self.count += 1
        width, height = app.size
        path = self.folder / f"{self.count:02d}-{name}.svg"
        path.write_text(app.export_screenshot(title=f"{name} {width}x{height}"), encoding="utf-8")
        self.saved.append(path)


async def _setup(service: WorkshopService) -> None:
    """The workshops on the list, and the room's people in the lobby (phones join through the service)."""
    await service.create_workshop(
        "Open City Hackathon",
        code=CODE,
        template="weekend-hackathon",
        follow_url="https://city.example/open-city",
        settings={
            "dots_per_participant": 5,
            "max_dots_per_idea": 3,
            "team_min_size": 3,
            "team_max_size": 5,
            "max_participants": 200,
        },
    )
    await service.create_workshop("Safer streets around schools", code="SAFE", template="policy-workshop")
    await service.create_workshop("Library of things", code="LIBR", template="crowdsourcing-challenge")


async def _join(service: WorkshopService) -> list[str]:
    return [(await service.join(CODE, name))[0].id for name in PEOPLE]


async def _post(service: WorkshopService, people: list[str]) -> list[str]:
    ids = []
    for _, text, author in NOTES:
        source = Source.PAPER if author is None else Source.PHONE
        idea = await service.post_idea(CODE, text, author_id=None if author is None else people[author], source=source)
        ids.append(idea.id)
    return ids


async def _theme(service: WorkshopService, ideas: list[str]) -> None:
    themes: dict[str, str] = {}
    for (theme, _, _), idea_id in zip(NOTES, ideas, strict=True):
        if theme is None:
            continue
        if theme not in themes:
            themes[theme] = (await service.create_theme(CODE, theme)).id
        await service.set_idea_theme(CODE, idea_id, themes[theme])


async def _vote(service: WorkshopService, people: list[str], ideas: list[str]) -> None:
    """Phones' dots, filled round-robin up to each note's total (5 per person, at most 3 on a note)."""
    left = {p: 5 for p in people}
    for note, dots in DOTS.items():
        given = 0
        for person in people * 3:
            if given == dots:
                break
            if left[person] and not service.view(CODE).dots_of(person, ideas[note]):
                await service.cast_dot(CODE, person, ideas[note])
                left[person] -= 1
                given += 1
        if given < dots:
            await service.add_paper_dots(CODE, ideas[note], dots - given)


async def _press_until(pilot: Pilot[Any], app: App[Any], keys: list[str], screen: type[Screen[Any]], what: str) -> None:
    await pilot.press(*keys)
    await wait_for(pilot, lambda: on_screen(app, screen), what)  # type: ignore[arg-type]


async def _presenter(data_dir: Path, size: tuple[int, int], shoot: Shooter, name: str, ready: str) -> None:
    """The presenter view of the running owner, shot once ``ready`` is on its screen."""
    presenter = PresenterApp(data_dir, CODE)
    async with presenter.run_test(size=size) as pilot:

        def shown() -> bool:
            from tests.helpers.tui import screen_lines

            return ready in "\n".join(screen_lines(presenter))

        await wait_for(pilot, shown, f"the presenter showing {ready!r}")
        await shoot.shot(presenter, pilot, name)


async def session(data_dir: Path, folder: Path, size: tuple[int, int]) -> list[Path]:
    """One whole session at ``size``: the SVGs it saved, in order."""
    from textual.command import CommandPalette

    from screens.backlog.editor import BacklogEditor
    from screens.backlog.review import ReviewScreen
    from screens.backlog.screen import BacklogScreen
    from screens.confirm import ConfirmScreen
    from screens.export_dialog import ExportDialog
    from screens.follow import FollowScreen
    from screens.help import HelpScreen
    from screens.home import HomeScreen
    from screens.lobby import LobbyScreen
    from screens.new_workshop import NewWorkshopScreen
    from screens.team_picker import TeamPickerScreen
    from screens.teams import TeamsScreen
    from screens.voting import VotingScreen
    from screens.wall.merge_dialogs import MergeScreen
    from screens.wall.screen import WallScreen
    from screens.widgets.note_wall import NoteWall

    shoot = Shooter(folder)
    async with WorkshopService(data_dir) as service:
        await _setup(service)
    async with running_app(data_dir, serve=True, size=size) as (app, pilot):
        service = app.service
        shot: Callable[[str], Awaitable[None]] = lambda name: shoot.shot(app, pilot, name)  # noqa: E731

        async def shown() -> None:
            await events_shown(pilot, app)

        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the list of workshops")
        await shot("home")
        await _press_until(pilot, app, ["n"], NewWorkshopScreen, "the new-workshop form")
        await shot("new-workshop")
        await _press_until(pilot, app, ["escape"], HomeScreen, "back to the list")

        app.open_workshop(CODE)
        await wait_for(pilot, lambda: on_screen(app, LobbyScreen), "the lobby")
        people = await _join(service)
        await shown()
        await shot("lobby")
        await _presenter(data_dir, size, shoot, "presenter-lobby", CODE)

        await service.set_phase(CODE, Phase.IDEATE)
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall")
        ideas = await _post(service, people)
        await shown()
        await shot("ideate-wall")
        await _presenter(data_dir, size, shoot, "presenter-wall", "Night buses")
        await pilot.press("W")  # private writing on: new notes stay off the wall until revealed
        await wait_for(pilot, lambda: service.view(CODE).settings.private_writing, "private writing on")
        for n, person in enumerate(people[:5]):
            await service.post_idea(CODE, f"A private note from phone {n + 1}", author_id=person)
        await shown()
        await shot("ideate-private-writing-on")
        await pilot.press("R")  # reveal them all at once
        await shown()
        await pilot.press("W")
        await wait_for(pilot, lambda: not service.view(CODE).settings.private_writing, "private writing off")
        await shown()
        await shot("ideate-private-writing-off-revealed")

        for idea_id in list(service.view(CODE).ideas)[len(NOTES) :]:
            await service.delete_idea(CODE, idea_id)  # the private notes go: the rest of the session is fixed
        await service.set_phase(CODE, Phase.GROUP)
        await wait_for(pilot, lambda: on_screen(app, WallScreen), "the wall (group)")
        await _theme(service, ideas)
        await shown()
        await shot("group-themes")
        wall = app.screen.query_one(NoteWall)
        wall.move_cursor(wall.index_of(ideas[0]) or 0)  # as a click on the first bike-rack note would
        await _press_until(pilot, app, ["m"], MergeScreen, "the merge dialog")
        await pilot.press(*"free bike")
        await shot("merge-dialog")
        await _press_until(pilot, app, ["enter"], ConfirmScreen, "the merge confirmation")
        await shot("merge-confirm")
        before = len(list(service.view(CODE).visible_ideas()))
        await _press_until(pilot, app, ["y"], WallScreen, "back to the wall")
        await wait_for(pilot, lambda: len(list(service.view(CODE).visible_ideas())) < before, "the merge")
        ideas = [service.view(CODE).ideas[i].merged_into or i for i in ideas]  # the survivor stands for both
        await shown()
        await shot("group-merged")

        await pilot.press("f1")
        await wait_for(pilot, lambda: on_screen(app, HelpScreen), "help")
        await shot("help")
        await _press_until(pilot, app, ["escape"], WallScreen, "back to the wall")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: on_screen(app, CommandPalette), "the palette")
        await shot("palette")
        await _press_until(pilot, app, ["escape"], WallScreen, "back to the wall")
        await _press_until(pilot, app, ["ctrl+e"], ExportDialog, "the export dialog")
        await shot("export-dialog")
        app.screen.query_one("#format", Select).value = "decidim"  # the format with the most options
        await shot("export-dialog-decidim")
        await _press_until(pilot, app, ["escape"], WallScreen, "back to the wall")
        await _press_until(pilot, app, ["ctrl+q"], ConfirmScreen, "the quit question")
        await shot("quit-confirm")
        await _press_until(pilot, app, ["n"], WallScreen, "back to the wall")
        await _press_until(pilot, app, ["right_square_bracket"], ConfirmScreen, "the next-phase question")
        await shot("next-phase-confirm")
        await pilot.press("y")

        await wait_for(pilot, lambda: on_screen(app, VotingScreen), "the vote")
        await shot("vote-not-open")
        await pilot.press("o")
        await wait_for(pilot, lambda: service.view(CODE).workshop.voting_open, "the ballot open")
        await _vote(service, people[:13], ideas)
        await shown()
        await shot("vote-open")
        await pilot.press("o")
        await wait_for(pilot, lambda: not service.view(CODE).workshop.voting_open, "the ballot closed")
        await shown()
        await shot("vote-closed")
        await _press_until(pilot, app, ["r"], ConfirmScreen, "the reveal question")
        await shot("reveal-confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: service.view(CODE).workshop.results_revealed, "the results revealed")
        await shown()
        await shot("results-tie")
        await _presenter(data_dir, size, shoot, "presenter-results", "Repair")

        await service.set_phase(CODE, Phase.TEAMS)
        await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "the teams")
        await service.set_team_candidates(CODE, idea_ids=[ideas[n] for n in CANDIDATES])
        candidates = service.view(CODE).workshop.team_candidates
        for n, person in enumerate(people[:11]):
            await service.set_preferences(CODE, person, candidates[n % 4 :] + candidates[: n % 4])
        await shown()
        await shot("teams-ranking")
        await _press_until(pilot, app, ["f"], ConfirmScreen, "the few-rankings warning")
        await shot("teams-form-warning")
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(service.view(CODE).teams), "the teams formed")
        await shown()
        await shot("teams-formed")
        await _press_until(pilot, app, ["m"], TeamPickerScreen, "the team picker")
        await shot("teams-move-picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, TeamsScreen), "back to the teams")
        teams = sorted(service.view(CODE).teams.values(), key=lambda t: (len(t.member_ids), t.id))
        smallest, biggest = teams[0], teams[-1]
        for member in smallest.member_ids[: len(smallest.member_ids) - 2]:
            await service.move_member(CODE, member, biggest.id)
        await shown()
        await shot("teams-below-minimum")
        await _presenter(data_dir, size, shoot, "presenter-teams", " TEAMS ")  # the phase as the room calls it

        await service.set_phase(CODE, Phase.BACKLOG)
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        items = await service.convert_to_backlog(CODE)
        await service.update_backlog_item(
            items[0].id,
            {
                "owner": {"name": "Amina", "contact": "amina@example.org"},
                "status": "approved",
                "next_review": dt.date.today().isoformat(),  # due: the review meeting goes through it
                "budget_requests": [{"amount": "800", "purpose": "sensors"}],
                "asks": [{"kind": "open-data", "department": "Mobility office", "detail": "rack counts"}],
            },
        )
        await shown()
        await shot("backlog-table")
        await _press_until(pilot, app, ["e"], BacklogEditor, "the backlog editor")
        await shot("backlog-editor")
        await _press_until(pilot, app, ["escape"], BacklogScreen, "back to the backlog")
        await _press_until(pilot, app, ["m"], ReviewScreen, "the review meeting")
        await shot("backlog-review")
        await pilot.press("escape")  # ends the meeting: its summary
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.ended, "the summary")
        await shot("backlog-review-summary")
        await _press_until(pilot, app, ["escape"], BacklogScreen, "back to the backlog")
        await _press_until(pilot, app, ["u"], FollowScreen, "the follow-up QR")
        await shot("follow-qr")
        await _press_until(pilot, app, ["escape"], BacklogScreen, "back to the backlog")
        await service.set_phase(CODE, Phase.CLOSED)
        await wait_for(pilot, lambda: on_screen(app, FollowScreen), "the closing QR")
        await shot("closing-qr")
        await _presenter(data_dir, size, shoot, "presenter-closed", " FINISHED ")
        app.action_home()
        await wait_for(pilot, lambda: on_screen(app, HomeScreen), "the list again")
        await shot("home-after")
    return shoot.saved


def svg_size(svg: Path) -> tuple[int, int]:
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text(encoding="utf-8"))
    assert found, f"no viewBox in {svg}"
    return round(float(found[1])), round(float(found[2]))


def to_png(svg: Path, scale: int = 2) -> Path:
    """``svg`` drawn by headless Chromium at ``scale`` times its size (the fonts the machine has)."""
    width, height = svg_size(svg)
    png = svg.with_suffix(".png")
    page = svg.with_suffix(".html")
    page.write_text(
        f'<html><body style="margin:0;background:#000"><img src="{svg.name}" '
        f'style="width:{width * scale}px;height:{height * scale}px"></body></html>',
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--user-data-dir={profile}", f"--screenshot={png}",
                f"--window-size={width * scale},{height * scale}", page.as_uri(),
            ],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    page.unlink()
    return png


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


async def _all(out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    saved = []
    for width, height in sizes:
        with tempfile.TemporaryDirectory(prefix="workshop-shots-") as data_dir:
            saved += await session(Path(data_dir), out / f"{width}x{height}", (width, height))
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for WxH/NN-name.svg (and .png)")
    parser.add_argument("--size", type=_size, action="append", help="WIDTHxHEIGHT (default 80x24 and 200x60)")
    parser.add_argument("--no-png", action="store_true", help="SVGs only, even where chromium is installed")
    args = parser.parse_args(argv)
    saved = asyncio.run(_all(args.out, args.size or SIZES))
    png = not args.no_png and shutil.which(CHROMIUM) is not None
    for svg in saved:
        print(to_png(svg) if png else svg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
