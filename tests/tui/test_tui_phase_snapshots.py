"""SVG snapshots of the session screens at 80x24 and 160x45, with fixed data (code TEST, fixed names
and texts; no ids or times on screen). Update with ``pytest --snapshot-update`` after a deliberate
change, and look at the SVGs before committing them.

They are taken of the real ``WorkshopApp`` (projector theme, session bar, footer) over a data
directory written by the service beforehand, without the participant server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.image import SVGImageSnapshotExtension
from textual.screen import Screen

from screens.teams import TeamsScreen
from screens.voting import VotingScreen
from screens.wall.screen import WallScreen
from tests.helpers.tui import on_screen, running_app, wait_for
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

SIZES = [(80, 24), (160, 45)]
PEOPLE = ["Amina", "Bram", "Chiara", "Dawit", "Elif", "Femke", "Goran", "Hana"]
NOTES = [
    ("Mobility", "Live map of empty bike racks at the station", 0),
    ("Mobility", "Safe school routes: parents mark dangerous crossings on a shared map", 1),
    ("Mobility", "Car-free Sunday once a month on the ring road, with a permit in one form", 2),
    ("Circular economy", "Repair café finder with opening hours and what each one can fix", 3),
    ("Circular economy", "Reusable cups for all events on municipal ground", 4),
    (None, "Pop-up city hall desk in the outer districts every Saturday", 5),
    (None, "a [/] b [@click=app.quit]hostile note stays literal", 6),
]
DOTS = [(0, [0, 0, 3]), (1, [0, 3, 3]), (2, [3, 3, 1]), (3, [0, 1, 1]), (4, [3, 4, 4]), (5, [0, 3]), (6, [6, 6])]


async def build(service: WorkshopService, until: Phase) -> str:
    await service.create_workshop(
        "Open City Hackathon",
        code="TEST",
        settings={"dots_per_participant": 3, "max_dots_per_idea": 2, "team_min_size": 2, "team_max_size": 4},
    )
    await service.set_phase("TEST", Phase.IDEATE)
    people = [(await service.join("TEST", name))[0] for name in PEOPLE]
    themes = {name: (await service.create_theme("TEST", name)).id for name in ("Mobility", "Circular economy")}
    ideas = []
    for theme, text, author in NOTES:
        source = Source.PAPER if author == 5 else Source.PHONE
        ideas.append(
            await service.post_idea(
                "TEST",
                text,
                author_id=None if source == Source.PAPER else people[author].id,
                source=source,
                theme_id=themes[theme] if theme else None,
            )
        )
    if until == Phase.IDEATE:
        return "TEST"
    await service.set_phase("TEST", Phase.GROUP)
    await service.set_phase("TEST", Phase.VOTE)
    await service.set_voting("TEST", voting_open=True)
    for voter, targets in DOTS:
        for target in targets:
            await service.cast_dot("TEST", people[voter].id, ideas[target].id)
    await service.add_paper_dots("TEST", ideas[2].id, 2)
    await service.set_voting("TEST", results_revealed=True)
    if until == Phase.VOTE:
        return "TEST"
    await service.set_phase("TEST", Phase.TEAMS)
    await service.set_team_candidates("TEST", idea_ids=[ideas[4].id, ideas[0].id, ideas[2].id])
    candidates = service.state("TEST").workshop.team_candidates
    for n, person in enumerate(people):  # first choices 3/3/2: one optimal plan, whatever the ids
        await service.set_preferences("TEST", person.id, candidates[n % 3 :] + candidates[: n % 3])
    teams, _ = await service.form_teams("TEST")
    names = {p.id: p.name for p in people}
    for team in teams:  # the solver's champion may depend on random ids: name one for a stable picture
        await service.set_champion("TEST", team.id, min(team.member_ids, key=lambda m: names[m]))
    return "TEST"


SCREENS: dict[str, tuple[Phase, type[Screen[None]]]] = {
    "wall": (Phase.IDEATE, WallScreen),
    "voting_results": (Phase.VOTE, VotingScreen),
    "teams": (Phase.TEAMS, TeamsScreen),
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", list(SCREENS))
async def test_snapshot(data_dir: Path, snapshot: SnapshotAssertion, name: str, size: tuple[int, int]) -> None:
    phase, screen = SCREENS[name]
    async with WorkshopService(data_dir) as service:
        code = await build(service, phase)
    async with running_app(data_dir, size=size, serve=False) as (app, pilot):
        app.call_later(app.open_workshop, code)
        await wait_for(pilot, lambda: on_screen(app, screen), name)
        await pilot.wait_for_scheduled_animations()
        svg = app.export_screenshot(title=f"{name} {size[0]}x{size[1]}")
    assert svg == snapshot(extension_class=SVGImageSnapshotExtension)
