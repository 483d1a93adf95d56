"""The demo workshop: a whole weekend hackathon, built through the service like a real session.

A city's four themes (mobility, balanced development, circular economy, government as lead user),
twenty people, their notes and dots, a duplicate merged, teams formed from preferences and a
prototype backlog with owners, budgets and asks to departments.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from workshop_tui.models import Participant, Source, Team, Workshop
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

DEMO_CODE = "MAKE"
DEMO_TITLE = "Open City Hackathon (demo)"

PEOPLE = [
    ("Amina", ["civil servant"]),
    ("Bram", ["maker"]),
    ("Chiara", ["designer"]),
    ("Dawit", ["developer"]),
    ("Elif", ["resident"]),
    ("Femke", ["civil servant"]),
    ("Goran", ["maker"]),
    ("Hana", ["data"]),
    ("Ivo", ["resident"]),
    ("Jasmijn", ["designer"]),
    ("Kwame", ["developer"]),
    ("Lotte", ["civil servant"]),
    ("Mateo", ["maker"]),
    ("Noor", ["resident"]),
    ("Oskar", ["data"]),
    ("Priya", ["developer"]),
    ("Quinten", ["resident"]),
    ("Rosa", ["maker"]),
]

THEMES = {
    "Mobility": [
        "Live map of free bike parking near the station, fed by simple sensors",
        "Safe school routes: parents mark dangerous crossings on a shared map",
        "Car-free Sunday once a month on the ring road, with a permit in one form",
        "Live map of empty bike racks at the station",
    ],
    "Balanced development": [
        "Empty shop windows become rotating studios for local makers",
        "A neighbourhood budget that residents allocate with dots, like today",
        "Pop-up city hall desk in the outer districts every Saturday",
    ],
    "Circular economy": [
        "Repair café finder with opening hours and what each one can fix",
        "Construction leftovers marketplace between contractors and residents",
        "Reusable cups for all events on municipal ground",
        "Open data on bulky waste pick-ups so reuse shops can collect first",
    ],
    "Government as lead user": [
        "City buys prototypes from this hackathon through a small-value procedure",
        "Civil servants test one resident-made tool per quarter in their own work",
        "Publish the procurement calendar as open data",
    ],
}


async def build_demo(service: WorkshopService) -> Workshop:
    rnd = random.Random(20261129)  # the same demo every time
    workshop = await service.create_workshop(
        DEMO_TITLE,
        template="weekend-hackathon",
        prompt="What small prototype could we build this weekend to make our city easier to live in?",
        code=DEMO_CODE,
        settings={"team_min_size": 3, "team_max_size": 5},
        language="en",  # its notes are English, whatever the facilitator's locale
    )
    code = workshop.code
    await service.set_phase(code, Phase.IDEATE)
    people = [(await service.join(code, name, skills))[0] for name, skills in PEOPLE]
    ideas = await _ideate(service, code, people)
    open_ids = await _group(service, code, ideas)
    await _vote(service, code, people, open_ids, workshop.settings.dots_per_participant, rnd)
    teams = await _teams(service, code, people, rnd)
    await service.set_phase(code, Phase.BACKLOG)
    items = await service.convert_to_backlog(code)
    for item, plan in zip(items, _plans(items[0].owner.name, dt.datetime.now(dt.UTC).date()), strict=False):
        await service.update_backlog_item(item.id, plan)
    if len(teams) > 0 and len(items) > 0:
        await service.update_backlog_item(items[0].id, {"status": "prototyping", "note": "sensors ordered"})
    return service.view(code).workshop


async def _ideate(service: WorkshopService, code: str, people: list[Participant]) -> dict[str, list[str]]:
    """Every theme's notes, by theme: from phones, and every third one from paper."""
    ideas: dict[str, list[str]] = {}
    for n, (theme, texts) in enumerate(THEMES.items()):
        ideas[theme] = []
        for k, text in enumerate(texts):
            author = people[(n * 4 + k) % len(people)]
            source = Source.PAPER if k == 2 else Source.PHONE
            idea = await service.post_idea(
                code, text, author_id=author.id if source == Source.PHONE else None, source=source
            )
            ideas[theme].append(idea.id)
    return ideas


async def _group(service: WorkshopService, code: str, ideas: dict[str, list[str]]) -> list[str]:
    """The notes into their themes, one duplicate merged; returns the notes left on the wall."""
    await service.set_phase(code, Phase.GROUP)
    for theme, ids in ideas.items():
        created = await service.create_theme(code, theme)
        for idea_id in ids:
            await service.set_idea_theme(code, idea_id, created.id)
    # The second bike-parking note is a duplicate of the first.
    await service.merge_ideas(code, ideas["Mobility"][0], ideas["Mobility"][3])
    return [i for ids in ideas.values() for i in ids if i != ideas["Mobility"][3]]


async def _vote(
    service: WorkshopService, code: str, people: list[Participant], open_ids: list[str], budget: int, rnd: random.Random
) -> None:
    """Most dots on a few favourites, a few paper dots, then the results revealed."""
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    favourites = open_ids[:1] + open_ids[4:5] + open_ids[7:8] + open_ids[11:12] + open_ids[5:6]
    for participant in people:
        for _ in range(budget):
            pick = rnd.choice(favourites if rnd.random() < 0.7 else open_ids)
            try:
                await service.cast_dot(code, participant.id, pick)
            except Exception:  # the per-idea limit: a real person would pick another note
                continue
    await service.add_paper_dots(code, open_ids[7], 3)
    await service.set_voting(code, voting_open=False, results_revealed=True)


async def _teams(service: WorkshopService, code: str, people: list[Participant], rnd: random.Random) -> list[Team]:
    """Teams around the top four ideas, from everyone's rankings (two people rank nothing)."""
    await service.set_phase(code, Phase.TEAMS)
    top = [idea.id for idea, _ in service.ranking(code)[:4]]
    await service.set_team_candidates(code, idea_ids=top)
    for participant in people[:-2]:  # two people rank nothing: they are placed too
        ranking = top[:]
        rnd.shuffle(ranking)
        await service.set_preferences(code, participant.id, ranking[:3])
    teams, _ = await service.form_teams(code)
    return teams


def _plans(owner: str, today: dt.date) -> list[dict[str, Any]]:
    """What the city made of the first three prototypes: owners, budgets, asks, review dates."""
    return [
        {
            "owner": {
                "name": owner,
                "contact": "via the city's innovation team",
                "public": True,
            },
            "status": "approved",
            "note": "Mobility department sponsors a three-month pilot",
            "budget_requests": [
                {
                    "amount": "1800.00",
                    "currency": "EUR",
                    "purpose": "20 parking sensors",
                    "status": "approved",
                },
                {"amount": "450", "currency": "EUR", "purpose": "signage", "status": "requested"},
            ],
            "asks": [
                {
                    "kind": "open-data",
                    "department": "Mobility",
                    "detail": "bike rack locations",
                    "status": "granted",
                    "due": (today + dt.timedelta(days=7)).isoformat(),
                    "answer": "Published on the open data portal, updated weekly",
                    "answered_at": today.isoformat(),
                },
                {
                    "kind": "space",
                    "department": "Facilities",
                    "detail": "mounting on station poles",
                    "due": (today + dt.timedelta(days=10)).isoformat(),
                },
            ],
            "next_review": (today + dt.timedelta(days=14)).isoformat(),
        },
        {
            "status": "approved",
            "note": "Economic affairs likes it; needs a landlord agreement",
            "budget_requests": [
                {"amount": "1200", "currency": "EUR", "purpose": "insurance and keys", "status": "requested"}
            ],
            "asks": [
                {
                    "kind": "procedure",
                    "department": "Economic Affairs",
                    "detail": "temporary use permit for empty shops",
                    "due": (today - dt.timedelta(days=2)).isoformat(),
                }
            ],
            "next_review": (today - dt.timedelta(days=3)).isoformat(),
        },
        {
            "status": "parked",
            "note": "Waits for the waste contract renewal in spring",
            "asks": [
                {
                    "kind": "open-data",
                    "department": "Waste Management",
                    "detail": "pick-up schedule as open data",
                    "due": (today + dt.timedelta(days=30)).isoformat(),
                }
            ],
        },
    ]
