"""The phone page in Debian's Chromium (playwright, phone viewport) against a real server on 127.0.0.1.

Join, post notes (hostile ones too: they must appear literally, as text), the facilitator moves to
voting, a dot is placed, the facilitator reveals, and the reveal arrives live over SSE.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from tests.conftest import open_vote, workshop_in
from tests.helpers.api import running, url
from tests.helpers.chromium import require_chromium
from tests.helpers.hostile_text import EMOJI, ESCAPES, INJECTIONS
from tests.helpers.paths import ARTIFACTS
from tests.helpers.waiting import TIMEOUT
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

if TYPE_CHECKING:
    from playwright.async_api import Browser, FloatRect, Locator, Page

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a [/] b",
    "[@click=app.quit]x",
]

# The process's Chromium (tests.helpers.chromium): each test's phone is a fresh browser context, with
# its own cookies, storage and cache. The tests run on that browser's event loop, so the service they
# use is opened in it too.
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

require_chromium()

# Phone screens people really hold: a small Android and a large one. A test runs its story once, on
# the small one (the page has no script or style that depends on the width), and checks the layout and
# takes its pictures at each (``shot``): a second run of the same story at the other width doubled the
# Chromium time of the browser tests for the same behaviour.
PHONES = [(360, 740), (412, 915)]
SHOTS = Path(os.environ.get("WORKSHOP_TUI_PHONE_SHOTS") or ARTIFACTS / "phone")


@pytest_asyncio.fixture(loop_scope="session")
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    async with WorkshopService(data_dir) as svc:
        yield svc


@asynccontextmanager
async def phone(browser: Browser, size: tuple[int, int] = (390, 844), *, scale: int = 2) -> AsyncIterator[Page]:
    """A fresh phone: its own context (no cookie, storage or cache from another test), closed after."""
    width, height = size
    context = await browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale, is_mobile=True, has_touch=True
    )
    try:
        yield await context.new_page()
    finally:
        await context.close()


@asynccontextmanager
async def phone_page(
    browser: Browser, server: ParticipantServer, code: str, size: tuple[int, int] = PHONES[0]
) -> AsyncIterator[Page]:
    """A fresh phone on the join page, failing the test on any script error."""
    from playwright.async_api import expect

    async with phone(browser, size) as page:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{url(server)}/j/{code}")
        await expect(page.locator("#join-view, #end-view").first).to_be_visible()
        yield page
        assert errors == []


async def join_as(page: Page, name: str) -> None:
    from playwright.async_api import expect

    await page.fill("#join-name", name)
    await page.click("#join-button")
    await expect(page.locator("#join-view")).to_be_hidden()


async def each_phone_size(page: Page) -> AsyncIterator[tuple[int, int]]:
    """The page at each of ``PHONES`` in turn (the same document, laid out again), then back at the first."""
    for width, height in PHONES:
        await page.set_viewport_size({"width": width, "height": height})
        yield width, height
    width, height = PHONES[0]
    await page.set_viewport_size({"width": width, "height": height})


async def shot(page: Page, name: str) -> None:
    """At each phone size: nothing is wider than the screen, and screenshots to look at, in the light and
    the dark scheme (phones follow the system setting)."""
    async for width, height in each_phone_size(page):
        scroll_width = await page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} at {width} px is {scroll_width} px wide"
        for scheme in ("light", "dark"):
            await page.emulate_media(color_scheme=scheme)
            suffix = "" if scheme == "light" else "-dark"
            await page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}{suffix}.png"), full_page=True)
        await page.emulate_media(color_scheme="light")


def overlaps(a: FloatRect | None, b: FloatRect | None) -> bool:
    if a is None or b is None:
        return False
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


async def test_join_post_vote_and_live_reveal(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    ARTIFACTS.mkdir(exist_ok=True)
    async with running(service) as server, phone(browser) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        await page.goto(f"{url(server)}/J/{code}")
        await expect(page.locator("#join-view")).to_be_visible()
        await page.fill("#join-name", "Ann")
        await page.click("#join-button")
        await expect(page.locator("#ideate-view")).to_be_visible()

        for text in ["Shade trees on Main Street", *HOSTILE]:
            await page.fill("#idea-text", text)
            await page.click("#post-idea")
            await expect(page.locator("#my-ideas .note-text", has_text=text)).to_have_count(1)
        shown = await page.locator("#my-ideas .note-text").all_text_contents()
        assert shown == ["Shade trees on Main Street", *HOSTILE]
        stored = sorted(i.text for i in service.state(code).ideas.values())
        assert stored == sorted(["Shade trees on Main Street", *HOSTILE])  # verbatim
        injected = await page.evaluate("document.querySelectorAll('main script, main img, main b').length")
        assert injected == 0
        # the cookie is HttpOnly: the page's script cannot read the token from it
        assert "wt_" not in await page.evaluate("document.cookie")

        await service.set_phase(code, Phase.GROUP)
        await service.set_phase(code, Phase.VOTE)  # arrives over SSE: the page has no polling
        await expect(page.locator("#vote-view")).to_be_visible()
        await expect(page.locator("#vote-hint")).to_contain_text("Voting opens soon")
        await service.set_voting(code, voting_open=True)  # the facilitator has explained the rules: o
        await expect(page.locator("#vote-hint")).to_contain_text("Tap + to add a dot")
        await expect(page.locator("#dots-left")).to_have_text("5 dots left")
        texts = await page.locator("#vote-list .note-text").all_text_contents()
        assert texts == ["Shade trees on Main Street", *HOSTILE]
        card = page.locator("#vote-list li", has=page.locator(".note-text", has_text="Shade trees"))
        await card.locator(".add-dot").click()
        await expect(page.locator("#dots-left")).to_have_text("4 dots left")
        await card.locator(".add-dot").click()
        await expect(page.locator("#dots-left")).to_have_text("3 dots left")
        await expect(card.locator(".my-dots")).to_have_text("Your dots: 2")
        await expect(page.locator(".total-dots")).to_have_count(0)  # hidden until revealed

        await service.set_voting(code, results_revealed=True)  # live, over SSE
        await expect(card.locator(".total-dots")).to_have_text("2 dots")
        await page.screenshot(path=str(ARTIFACTS / "phone-vote-revealed.png"), full_page=True)

        assert service.state(code).idea_dots[await card.get_attribute("data-idea-id") or ""] == 2
        assert dialogs == [] and errors == []
        # the only refusal: the first load asks /me with no token yet (the page tries its cookie)
        assert failed == [f"401 {url(server)}/api/v1/w/{code}/me"]


async def test_rank_the_candidate_ideas_and_see_my_team_arrive_live(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    ideas = [(await service.post_idea(code, text, source=Source.PAPER)).id for text in ["Bike parking", "Repair café"]]
    await open_vote(service, code)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=ideas)
    other, _ = await service.join(code, "Cy")
    await service.set_preferences(code, other.id, [ideas[0]])
    ARTIFACTS.mkdir(exist_ok=True)
    async with running(service) as server, phone(browser, scale=1) as page:
        await page.goto(f"{url(server)}/j/{code}")
        await page.fill("#join-name", "Bo [b]x")
        await page.click("#join-button")
        await expect(page.locator("#teams-view")).to_be_visible()
        items = page.locator("#rank-list li.rank-item")
        await expect(items).to_have_count(2)
        assert await items.nth(0).get_attribute("data-idea-id") == ideas[0]
        await items.nth(1).locator(".move-up").click()  # Repair café first
        await page.click("#save-prefs")
        (participant,) = [p for p in service.state(code).participants.values() if p.id != other.id]
        await expect(page.get_by_text("Ranking saved.")).to_be_visible()
        # the PUT is durable before the page hears 200: no waiting for the state
        assert service.state(code).preferences[participant.id].idea_ids == [ideas[1], ideas[0]]

        await service.form_teams(code)  # the facilitator presses f: a draft, the phone keeps ranking
        await expect(page.locator("#rank-panel")).to_be_visible()
        await expect(page.locator("#team-panel")).to_be_hidden()
        await service.publish_teams(code)  # the facilitator presses p; the phone learns it over SSE
        await expect(page.locator("#team-panel")).to_be_visible()
        await expect(page.locator("#team-body .note-text")).to_have_text("Repair café")
        await expect(page.locator("#team-body .members li")).to_have_text(["Bo [b]x"])
        await page.screenshot(path=str(ARTIFACTS / "phone-team.png"), full_page=True)


async def paper_notes(service: WorkshopService, code: str, *texts: str, theme_id: str | None = None) -> list[str]:
    return [(await service.post_idea(code, t, source=Source.PAPER, theme_id=theme_id)).id for t in texts]


async def test_phase_labels_are_plain_words_in_every_phase(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.LOBBY, team_min_size=1)
    labels = {
        Phase.LOBBY: "Welcome",
        Phase.IDEATE: "Share ideas",
        Phase.GROUP: "Sorting ideas",
        Phase.VOTE: "Vote",
        Phase.TEAMS: "Teams",
        Phase.BACKLOG: "What happens next",
        Phase.CLOSED: "Finished",
    }
    async with running(service) as server, phone_page(browser, server, code) as page:
        await shot(page, "join")
        await join_as(page, "Ann")
        for phase, label in labels.items():
            if phase != Phase.LOBBY:
                await service.set_phase(code, phase)
            if phase == Phase.IDEATE:
                await paper_notes(service, code, "Shade trees on Main Street", "A library of things")
            await expect(page.locator("body")).to_have_attribute("data-phase", phase.value)
            # innerText is what a person sees (after CSS text-transform), not just the DOM text
            assert await page.locator("#phase-label").evaluate("n => n.innerText") == label
            await shot(page, f"phase-{phase.value}")


async def test_a_refused_post_says_why_in_plain_words_and_keeps_the_text(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        await page.route("**/events", lambda route: route.abort())  # the live stream drops: the page is stale
        await page.reload()
        await expect(page.locator("#compose-view")).to_be_visible()
        typed = "Benches at every bus stop, please"
        await page.fill("#idea-text", typed)
        await service.set_phase(code, Phase.GROUP)  # the facilitator moves on before the phone knows
        await page.click("#post-idea")

        note = page.locator("#compose-note")
        await expect(note).to_have_text(
            "Posting is closed for now — the facilitator is grouping the notes. Your text is kept here."
        )
        await expect(page.locator("body")).to_have_attribute("data-phase", "group")  # the page caught up
        await expect(page.locator("#idea-text")).to_be_visible()
        await expect(page.locator("#idea-text")).to_have_value(typed)
        await expect(page.locator("#post-idea")).to_be_disabled()
        assert "cannot" not in (await page.locator("main").inner_text())
        await shot(page, "refused-post")
        assert service.state(code).ideas == {}

        await page.reload()  # a reload (or a dead battery) keeps the draft too
        await expect(page.locator("#idea-text")).to_have_value(typed)
        await service.set_phase(code, Phase.IDEATE)  # reopened: the kept text can go up now
        await page.reload()
        await expect(page.locator("#post-idea")).to_be_enabled()
        await expect(page.locator("#compose-note")).to_be_hidden()
        await page.click("#post-idea")
        await expect(page.locator("#my-ideas .note-text")).to_have_text([typed])
        await expect(page.locator("#idea-text")).to_have_value("")


async def test_a_note_being_edited_stays_on_screen_when_the_phase_moves_on(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        await page.fill("#idea-text", "Benches")
        await page.click("#post-idea")
        await page.click("#my-ideas .edit-idea")
        typed = "Benches at every bus stop, with shade"
        await page.fill("#my-ideas .edit-text", typed)
        await service.set_phase(code, Phase.GROUP)  # live, over SSE
        await expect(page.locator("body")).to_have_attribute("data-phase", "group")
        await expect(page.locator("#my-ideas .edit-text")).to_be_visible()
        await expect(page.locator("#my-ideas .edit-text")).to_have_value(typed)
        await expect(page.locator("#my-ideas .edit-note")).to_have_text(
            "Notes cannot be changed now — the facilitator is grouping the notes. Your text is kept here."
        )
        await expect(page.locator("#my-ideas .save-edit")).to_be_disabled()
        await shot(page, "refused-edit")
        await page.click("#my-ideas .cancel-edit")
        await expect(page.locator("#ideate-view")).to_be_hidden()
        assert [i.text for i in service.state(code).ideas.values()] == ["Benches"]


async def test_a_refused_dot_says_why_in_plain_words(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=2, max_dots_per_idea=2)
    await paper_notes(service, code, "Shade trees")
    await open_vote(service, code)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        await page.route("**/events", lambda route: route.abort())
        await page.reload()
        add = page.locator("#vote-list .add-dot")
        await expect(add).to_be_enabled()
        await service.set_voting(code, voting_open=False)
        await add.click()
        await expect(page.locator("#status")).to_have_text("Voting is paused. Wait for the facilitator to open it.")


async def test_after_the_reveal_the_list_shows_results_ranked_with_ties_and_my_dots(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    _, tree, bench, bike = await paper_notes(
        service, code, "A quiet room in the library", "Shade trees", "Benches at bus stops", "Bike lanes"
    )
    await open_vote(service, code)
    others = [(await service.join(code, name))[0].id for name in ("Bo", "Cy")]
    for pid, idea in [(others[0], tree), (others[0], tree), (others[1], tree), (others[1], bench), (others[1], bike)]:
        await service.cast_dot(code, pid, idea)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        await expect(page.locator("#vote-heading")).to_have_text("Place your dots")
        card = page.locator("#vote-list li", has=page.locator(".note-text", has_text="Bike lanes"))
        await card.locator(".add-dot").click()
        await expect(page.locator("#dots-left")).to_have_text("4 dots left")
        await service.set_voting(code, voting_open=False)
        await service.set_voting(code, results_revealed=True)  # live, over SSE

        await expect(page.locator("#vote-heading")).to_have_text("Results")
        cards = page.locator("#vote-list .result-card")
        await expect(cards.locator(".note-text")).to_have_text(
            ["Shade trees", "Bike lanes", "Benches at bus stops", "A quiet room in the library"]
        )
        await expect(cards.locator(".rank-number")).to_have_text(["#1", "#2", "#3", "#4"])
        await expect(cards.locator(".total-dots")).to_have_text(["3 dots", "2 dots", "1 dot", "0 dots"])
        await expect(cards.nth(1).locator(".my-dots")).to_have_text("Your dots: 1")
        await expect(cards.nth(1)).to_have_class(re.compile(r"\bvoted\b"))
        await expect(page.locator("#vote-list .add-dot")).to_have_count(0)  # the ballot is closed
        await expect(page.locator("#dots-left")).to_be_hidden()

        await service.add_paper_dots(code, bench, 1)  # now Benches and Bike lanes tie for 2nd
        await expect(cards.locator(".rank-number")).to_have_text(["#1", "#2", "#2", "#4"])
        tied = page.locator("#vote-list .result-card.tied")
        await expect(tied.locator(".note-text")).to_have_text(["Benches at bus stops", "Bike lanes"])  # wall order
        await expect(tied.locator(".tie")).to_have_text(["tie", "tie"])
        await expect(tied.first.locator(".rank-badge")).to_have_attribute("aria-label", "Tied for place 2")
        await shot(page, "results")


async def covers_no_card(page: Page, note: Locator, cards: Locator) -> None:
    async for width, _ in each_phone_size(page):
        box = await note.bounding_box()
        for k in range(await cards.count()):
            assert not overlaps(box, await cards.nth(k).bounding_box()), f"at {width} px the note covers card {k + 1}"


async def test_the_unsaved_ranking_note_covers_no_card(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    texts = ["Bike parking", "Repair café", "Shade trees", "Benches at bus stops", "A tool library"]
    ideas = await paper_notes(service, code, *texts)
    for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
        await service.set_phase(code, phase)
    await service.set_team_candidates(code, idea_ids=ideas)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        cards = page.locator("#rank-list li.rank-item")
        await expect(cards).to_have_count(5)
        await cards.nth(3).locator(".move-up").click()  # the 4th card goes up to 3rd
        note = page.get_by_text("Unsaved changes")
        await expect(note).to_be_visible()
        await covers_no_card(page, note, cards)
        await shot(page, "ranking-unsaved")
        await page.click("#save-prefs")
        saved = page.get_by_text("Ranking saved.")
        await expect(saved).to_be_visible()
        await expect(note).to_have_count(0)
        await covers_no_card(page, saved, cards)
        (me,) = [p.id for p in service.state(code).participants.values()]
        assert service.state(code).preferences[me].idea_ids == [ideas[0], ideas[1], ideas[3], ideas[2], ideas[4]]


async def test_the_vote_list_is_grouped_by_theme_with_my_dots_per_theme(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    await service.set_phase(code, Phase.GROUP)
    green = await service.create_theme(code, "Green spaces")
    move = await service.create_theme(code, "Getting around")
    await paper_notes(service, code, "Shade trees", "Pocket parks", "A community garden", theme_id=green.id)
    await paper_notes(service, code, "Bike lanes", "Night buses", theme_id=move.id)
    await paper_notes(service, code, "A repair café")
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)  # the facilitator opens the ballot (o)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        groups = page.locator("#vote-list details.theme-group")
        await expect(groups.locator("summary .theme-title")).to_have_text(
            ["Getting around", "Green spaces", "Not grouped yet"]
        )
        await expect(groups.locator("summary .theme-count")).to_have_text(["2 notes", "3 notes", "1 note"])
        for k in range(3):
            assert await groups.nth(k).get_attribute("open") is None  # one screen: every theme folded
        await expect(page.locator("#vote-list .vote-card").first).to_be_hidden()
        await shot(page, "vote-themes-folded")

        green_box = groups.filter(has_text="Green spaces")
        await green_box.locator("summary").click()
        card = green_box.locator(".vote-card", has_text="Pocket parks")
        await card.locator(".add-dot").click()
        await expect(page.locator("#dots-left")).to_have_text("4 dots left")
        await card.locator(".add-dot").click()
        await expect(green_box.locator(".theme-count")).to_have_text("3 notes · 2 of your dots")
        await expect(card).to_be_visible()  # redraws keep the theme open
        await expect(groups.filter(has_text="Getting around").locator(".theme-count")).to_have_text("2 notes")
        await shot(page, "vote-themes-open")


async def test_the_end_screen_says_what_happens_next_and_how_to_come_back(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    ideas = await paper_notes(service, code, "Bike parking", "Repair café", "Shade trees")
    await service.set_phase(code, Phase.GROUP)
    await service.set_phase(code, Phase.VOTE)
    await service.add_paper_dots(code, ideas[1], 3)
    await service.set_voting(code, voting_open=False, results_revealed=True)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=ideas[:2])
    await service.join(code, "Bo")
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        await expect(page.locator("#teams-view")).to_be_visible()
        await service.form_teams(code)
        await service.set_phase(code, Phase.BACKLOG)
        await service.convert_to_backlog(code)
        await expect(page.locator("#end-view")).to_be_visible()
        steps = page.locator("#next-steps")
        await expect(steps.locator("h2")).to_have_text("What happens next")
        await expect(page.locator("#next-prototypes")).to_have_text("2 ideas go on to become prototypes.")
        await expect(steps).to_contain_text(f"workshop code {code}")
        await expect(page.locator("#come-back-link")).to_have_attribute("href", f"{url(server)}/j/{code}")
        await expect(page.locator("#end-results .note-text")).to_have_text(["Repair café"])  # ideas with dots
        await expect(page.locator("#team-panel")).to_be_visible()
        await shot(page, "end-backlog")
        await service.set_phase(code, Phase.CLOSED)
        await expect(page.locator("#phase-label")).to_have_text("Finished")
        await expect(steps).to_contain_text("The workshop is over.")
        await shot(page, "end-closed")


async def test_after_the_session_the_phone_says_where_to_follow_and_when_my_prototypes_are_reviewed(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE)
    ideas = await paper_notes(service, code, "Shade trees", "Bike parking", "Repair café")
    await service.set_phase(code, Phase.GROUP)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await join_as(page, "Ann")
        card = page.locator("#vote-list li", has=page.locator(".note-text", has_text="Shade trees"))
        await card.locator(".add-dot").click()
        await expect(page.locator("#dots-left")).to_have_text("4 dots left")
        await service.set_voting(code, voting_open=False, results_revealed=True)
        await service.set_phase(code, Phase.TEAMS)
        await service.set_phase(code, Phase.BACKLOG)
        items = await service.convert_to_backlog(code, ideas)
        mine = next(i for i in items if i.idea_ids == [ideas[0]])
        review = mine.next_review
        assert review is not None
        await service.update_workshop(code, follow_url="https://city.example/follow/")
        follow = page.locator("#follow")
        await expect(follow).to_be_visible()
        await expect(follow.locator("h3")).to_have_text("Follow what happens next")
        await expect(page.locator("#follow-link")).to_have_attribute("href", "https://city.example/follow/")
        # Only the prototype of the note this phone put a dot on, with its review date in words.
        await expect(page.locator("#followed li")).to_have_count(1)
        in_words = f"{review:%B} {review.day}, {review.year}"  # the page's language, en
        await expect(page.locator("#followed li")).to_have_text(f"Shade trees: next review {in_words}")
        await shot(page, "end-follow")
        await service.update_workshop(code, follow_url="")
        await expect(page.locator("#follow-line")).to_be_hidden()
        await expect(page.locator("#followed li")).to_have_count(1)


async def quiet(page: Page) -> None:
    """The phone's event stream is open and no refresh is pending or on its way: what it shows now stays
    until the server says something new (a late refresh would resync its clock in the middle of a check)."""
    await page.wait_for_function(
        "() => source && source.readyState === EventSource.OPEN && !refreshTimer && !refreshing"
    )


async def seconds_shown(page: Page, state: str = "left") -> int:
    from playwright.async_api import expect

    timer = page.locator("#timer")
    await expect(timer).to_have_text(re.compile(rf"^\d+:\d\d {re.escape(state)}$"))
    minutes, seconds = (await timer.inner_text()).split()[0].split(":")
    return int(minutes) * 60 + int(seconds)


def server_seconds_left(service: WorkshopService, code: str) -> float:
    from workshop_tui.models import utcnow

    timer = service.timer(code)
    assert timer is not None
    return timer.seconds_left(utcnow())


async def test_the_phase_timer_shows_the_time_left_from_the_server_and_ends_gently(
    browser: Browser, service: WorkshopService
) -> None:
    """Conditions, not times: every reading is compared with the server's clock when it is read, and the
    page's clock is moved on only once nothing is on its way that could resync it."""
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, phone_page(browser, server, code) as page:
        await page.clock.install()  # the page's own clock, to move it on without waiting
        await page.reload()
        await join_as(page, "Ann")
        timer = page.locator("#timer")
        await expect(timer).to_be_hidden()  # no timer, no clock on the phone
        await quiet(page)

        await service.set_timer(code, "start", minutes=2)  # the phone hears it over SSE
        await expect(timer).to_be_visible()
        await quiet(page)
        shown = await seconds_shown(page)
        assert server_seconds_left(service, code) - 2 <= shown <= 120  # the server's time, to the second
        await page.clock.fast_forward(30_000)
        await expect(timer).not_to_have_text(re.compile(rf"^{shown // 60}:{shown % 60:02d} "))
        ticked = await seconds_shown(page)
        assert shown - 32 <= ticked <= shown - 29, (shown, ticked)  # it ticks by itself, on its own clock
        await shot(page, "timer")

        await service.set_timer(code, "pause")  # the server's time wins over the phone's
        await expect(timer).to_have_text(re.compile(r" left \(paused\)$"))
        await quiet(page)
        paused = await seconds_shown(page, "left (paused)")
        assert abs(paused - server_seconds_left(service, code)) <= 1
        await service.set_timer(code, "resume")
        await expect(timer).to_have_text(re.compile(r"^\d+:\d\d left$"))
        await quiet(page)
        assert abs(await seconds_shown(page) - server_seconds_left(service, code)) <= 2
        await page.clock.fast_forward(125_000)
        await expect(timer).to_have_text("Time is up")
        await expect(timer).to_have_class(re.compile(r"\bended\b"))
        await expect(page.locator("#status")).to_have_text("Time is up. The facilitator will tell you what comes next.")
        await shot(page, "timer-ended")

        await service.set_timer(code, "stop")
        await expect(timer).to_be_hidden()


async def test_saying_done_shows_the_rooms_counts_live_and_can_be_undone(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, private_writing=True)
    async with (
        running(service) as server,
        phone_page(browser, server, code) as ann,
        phone_page(browser, server, code) as bob,
    ):
        await join_as(ann, "Ann")
        await join_as(bob, "Bob")
        await expect(ann.locator("#private-notice")).to_contain_text("hidden from the wall until the facilitator")
        await expect(bob.locator("#ready-count")).to_have_text("0 of 2 are done writing")
        await ann.fill("#idea-text", "Benches by the river")
        await ann.click("#post-idea")
        mine = ann.locator("#my-ideas .note", has_text="Benches by the river")
        await expect(mine.locator(".private-tag")).to_have_text("Hidden until the facilitator shows all notes")
        await expect(bob.locator("#private-count")).to_have_text("1 note written in private so far.")  # live

        done = ann.locator("#say-done")
        await expect(done).to_have_text("I’m done")
        await done.click()
        await expect(done).to_have_text("Not done yet, keep writing")
        await expect(done).to_have_attribute("aria-pressed", "true")
        await expect(bob.locator("#ready-count")).to_have_text("1 of 2 is done writing")  # live, over SSE
        assert "Ann" not in await bob.locator("#ready-panel").inner_text()  # counts, never names
        said = {p.name: p.done_in for p in service.state(code).participants.values()}
        assert said == {"Ann": [Phase.IDEATE], "Bob": []}
        await shot(ann, "ready-done")  # and nothing wider than the phone, at each size
        await shot(bob, "ready-counts")

        await done.click()  # not done after all
        await expect(done).to_have_text("I’m done")
        await expect(bob.locator("#ready-count")).to_have_text("0 of 2 are done writing")

        await service.reveal_notes(code)
        await service.set_phase(code, Phase.GROUP)
        await service.set_phase(code, Phase.VOTE)
        await service.set_voting(code, voting_open=True)
        await expect(bob.locator("#vote-view")).to_be_visible()
        await expect(ann.locator("#private-notice")).to_be_hidden()
        await bob.click("#say-done")
        await expect(bob.locator("#say-done")).to_have_text("Not done yet, keep voting")
        await expect(ann.locator("#ready-count")).to_have_text("1 of 2 is done voting")
        await shot(ann, "ready-vote")


async def test_placing_every_dot_is_done_and_the_button_says_so(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=2, max_dots_per_idea=1)
    await paper_notes(service, code, "Shade trees", "Bike racks", "Water fountains")
    await open_vote(service, code)
    async with (
        running(service) as server,
        phone_page(browser, server, code) as ann,
        phone_page(browser, server, code) as bob,
    ):
        await join_as(ann, "Ann")
        await join_as(bob, "Bob")
        done = ann.locator("#say-done")
        await expect(done).to_have_text("I’m done")
        for text in ("Shade trees", "Bike racks"):  # both dots: the room counts her done
            await ann.locator("#vote-list .vote-card", has_text=text).locator(".add-dot").click()
        await expect(bob.locator("#ready-count")).to_have_text("1 of 2 is done voting")
        await expect(done).to_have_text("Done ✓ · change my votes")
        await expect(done).to_have_attribute("aria-pressed", "true")
        await shot(ann, "ready-done-by-dots")
        await done.click()  # leads to a dot to take back, and tells the server nothing
        focused = ann.locator("#vote-list .vote-card.voted .remove-dot:focus")
        await expect(focused).to_have_count(1)
        assert [p.done_in for p in service.state(code).participants.values()] == [[], []]
        await focused.click()
        await expect(done).to_have_text("I’m done")
        await expect(bob.locator("#ready-count")).to_have_text("0 of 2 are done voting")
        await done.click()  # said so with a dot to spare: the button takes it back, as before
        await expect(done).to_have_text("Not done yet, keep voting")
        await expect(bob.locator("#ready-count")).to_have_text("1 of 2 is done voting")


async def test_a_team_without_a_champion_draws_no_placeholder(browser: Browser, service: WorkshopService) -> None:
    """The facilitator moved the champion to another team: the card shows the idea and the members, and
    nothing of the missing champion (it used to say ``null``, the DOM's text for a skipped child)."""
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    ideas = [(await service.post_idea(code, text, source=Source.PAPER)).id for text in ["Bike parking", "Repair café"]]
    await open_vote(service, code)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=ideas)
    async with running(service) as server, phone(browser, scale=1) as page:
        await page.goto(f"{url(server)}/j/{code}")
        await join_as(page, "Bo")
        (me,) = service.state(code).participants.values()
        second, _ = await service.join(code, "Cy")
        await service.set_preferences(code, me.id, [ideas[0], ideas[1]])
        await service.set_preferences(code, second.id, [ideas[0], ideas[1]])
        teams, _ = await service.form_teams(code)
        mine = next(t for t in teams if me.id in t.member_ids)
        if mine.champion_id != me.id:
            await service.set_champion(code, mine.id, me.id)
        other = next(t for t in service.state(code).teams.values() if t.id != mine.id)
        await service.move_member(code, second.id, mine.id)  # Cy joins me
        await service.move_member(code, me.id, other.id)  # and I, the champion, leave: Cy's team has none
        await service.move_member(code, me.id, mine.id)  # back again, as a plain member
        assert service.state(code).teams[mine.id].champion_id is None
        await service.publish_teams(code)
        await expect(page.locator("#team-panel")).to_be_visible()
        await expect(page.locator("#team-body .members li")).to_have_count(2)
        body = await page.locator("#team-body").inner_text()
        assert "null" not in body and "undefined" not in body, body


async def test_a_bidi_override_in_someones_text_does_not_reorder_the_page(
    browser: Browser, service: WorkshopService
) -> None:
    """A right-to-left override in a note and a name would make every phone read "evil" as "live": the
    page shows the characters in their own order, the override as U+FFFD, as the projector does."""
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.IDEATE)
    author, _ = await service.join(code, "\u202eNoor")
    await service.post_idea(code, "\u202eevil bidi\u202c and \u2066isolate\u2069", author_id=author.id)
    await open_vote(service, code)
    async with running(service) as server, phone(browser, scale=1) as page:
        await page.goto(f"{url(server)}/j/{code}")
        await join_as(page, "Bo \u202eoB")
        note = page.locator("#vote-view .note-text").first
        await expect(note).to_be_visible()
        text = await note.inner_text()
        assert "\u202e" not in text and "\u2066" not in text and "evil bidi" in text, repr(text)
        box = await note.bounding_box()
        # laid out left to right: the first word starts at the left of the note, not at its right end
        first = await page.evaluate(
            """(node) => { const r = document.createRange(); const t = node.firstChild;
                           r.setStart(t, 1); r.setEnd(t, 5); return r.getBoundingClientRect().x; }""",
            await note.element_handle(),
        )
        assert box is not None and first < box["x"] + box["width"] / 2


#: Short enough for a name (60 characters): an OSC title, a CSI, C1, a bidi override, NUL, DEL, a lone CR.
HOSTILE_NAME = "\x1b]2;T\x07\x1b[2J\x9b0m\u202eR\u2066\x00\x7f\rX\x85"
HOSTILE_TEXT = " ".join(v for k, v in ESCAPES.items() if k != "emoji")

#: Every sink of the page at once: the title, every attribute, every text node (hidden views too).
PROBLEMS = r"""() => {
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)/;
  const found = [];
  if (bad.test(document.title)) found.push(`title ${JSON.stringify(document.title)}`);
  for (const node of document.querySelectorAll('*'))
    for (const a of node.attributes)
      if (bad.test(a.value)) found.push(`${node.tagName}[${a.name}]=${JSON.stringify(a.value)}`);
  const walk = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walk.nextNode())
    if (bad.test(walk.currentNode.data)) found.push(`text ${JSON.stringify(walk.currentNode.data)}`);
  return found;
}"""


async def _no_unsafe_character(page: Page, where: str) -> None:
    problems = await page.evaluate(PROBLEMS)
    assert problems == [], f"{where}: {problems}"


async def test_no_sink_of_the_page_carries_a_control_or_bidi_character(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.LOBBY, team_min_size=1, team_max_size=3, idea_max_length=1000)
    await service.update_workshop(code, title=f"PWNED {HOSTILE_NAME} {EMOJI}", prompt=f"PROMPT {HOSTILE_TEXT}")
    other, _ = await service.join(code, f"Noor {HOSTILE_NAME}")
    async with running(service) as server, phone_page(browser, server, code, (390, 844)) as page:
        await page.fill("#join-name", f"Me {HOSTILE_NAME}")
        await page.click("#join-button")
        await expect(page.locator("#lobby-view")).to_be_visible()
        await expect(page.locator("#welcome")).to_contain_text("Me")
        assert "PWNED" in await page.title() and EMOJI in await page.title()  # the title, emoji and all
        await _no_unsafe_character(page, "lobby")

        await service.set_phase(code, Phase.IDEATE)
        await page.fill("#idea-text", f"MINE {HOSTILE_TEXT}")
        await page.click("#post-idea")
        mine = page.locator("#my-ideas .note .note-text", has_text="MINE")
        await expect(mine).to_be_visible()  # with its edit and delete buttons, labelled with its text
        await _no_unsafe_character(page, "ideate")

        await service.post_idea(code, f"THEIRS {HOSTILE_TEXT}", author_id=other.id)
        paper = await service.post_idea(code, f"PAPER {HOSTILE_NAME}", source=Source.PAPER)
        for injection in ("md-link", "js-link", "markup", "long"):
            await service.post_idea(code, INJECTIONS[injection], source=Source.PAPER)
        await service.set_phase(code, Phase.GROUP)
        for name, idea in ((f"THEME {HOSTILE_NAME}", paper.id), (f"SECOND {HOSTILE_NAME}", None)):
            theme = await service.create_theme(code, name)
            if idea:
                await service.set_idea_theme(code, idea, theme.id)
        await expect(page.locator("#group-view .theme-name").first).to_be_visible()
        await _no_unsafe_character(page, "group")

        await service.set_phase(code, Phase.VOTE)
        await service.set_voting(code, voting_open=True)
        await expect(page.locator("#vote-view details[data-theme]").first).to_be_attached()  # grouped by theme
        await expect(page.locator("#vote-view .add-dot").first).to_be_attached()
        await _no_unsafe_character(page, "vote")
        await expect(page.locator("#vote-view .note-text", has_text="MDLINK")).to_have_text(INJECTIONS["md-link"])
        hrefs = await page.locator("a[href]").evaluate_all("links => links.map((a) => a.href)")
        assert all(href.startswith(url(server)) for href in hrefs), hrefs  # no link from anyone's text
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390  # a 400-letter word wraps

        await service.set_phase(code, Phase.TEAMS)
        await expect(page.locator("#rank-list .move-down").first).to_be_attached()
        await _no_unsafe_character(page, "teams")

        await service.set_phase(code, Phase.BACKLOG)
        await expect(page.locator("#end-view")).to_be_visible()
        await _no_unsafe_character(page, "end")
        assert "PROMPT" in await page.locator("#prompt").inner_text()


async def test_a_note_posted_while_the_phone_refreshes_is_listed_once(
    browser: Browser, service: WorkshopService
) -> None:
    """The phone's own state (``/me``, fetched after the note was stored) can arrive before the POST's
    answer: the answer then appended the note again, and the phone listed it twice until its next refresh."""
    import asyncio

    from playwright.async_api import Route, expect

    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, phone_page(browser, server, code, (360, 740)) as page:
        await join_as(page, "Ann")
        answered, release = False, asyncio.Event()

        async def answer_after_a_refresh(route: Route) -> None:
            nonlocal answered
            if route.request.method == "POST":
                response = await route.fetch()  # the note is stored...
                await page.evaluate("refresh()")  # ...and the phone's refresh, with it, lands first
                answered = True
                await route.fulfill(response=response)
            elif answered:  # the refresh after the post: held until the list is counted
                await asyncio.wait_for(release.wait(), TIMEOUT)
                await route.continue_()
            else:
                await route.continue_()

        await page.route(f"**/api/v1/w/{code}**", answer_after_a_refresh)
        try:
            await page.fill("#idea-text", "Benches by the river")
            await page.click("#post-idea")
            await expect(page.locator("#idea-text")).to_have_value("")  # posted: the box is cleared, redrawn
            assert await page.locator("#my-ideas .note", has_text="Benches by the river").count() == 1
        finally:
            release.set()


async def test_the_join_form_says_where_the_name_goes(browser: Browser, service: WorkshopService) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.LOBBY)
    async with running(service) as server, phone_page(browser, server, code) as page:
        note = page.locator("#name-note")
        await expect(note).to_have_text(
            "The screen shows your notes without your name; the organisers' files keep who wrote what."
        )  # the pictures of this join page, at both sizes: test_phase_labels' "join"
        await service.update_workshop(code, settings={"show_authors": True})  # live, before anyone joins
        await expect(note).to_have_text("The screen at the front of the room shows your name beside your notes.")
        await service.update_workshop(code, settings={"anonymous": True})
        await expect(note).to_contain_text("your name is shown nowhere")
        assert await page.locator("#join-name").get_attribute("aria-describedby") == "name-note"
