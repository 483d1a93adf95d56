"""The phone page in Debian's Chromium (playwright, phone viewport) against a real server on 127.0.0.1.

Join, post notes (hostile ones too: they must appear literally, as text), the facilitator moves to
voting, a dot is placed, the facilitator reveals, and the reveal arrives live over SSE.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.api_helpers import running, url
from tests.conftest import workshop_in
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a [/] b",
    "[@click=app.quit]x",
]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("WORKSHOP_TUI_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"{CHROMIUM} is missing but WORKSHOP_TUI_REQUIRE_BROWSER=1 (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser test", allow_module_level=True)


async def test_join_post_vote_and_live_reveal(service: WorkshopService) -> None:
    from playwright.async_api import async_playwright, expect

    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    ARTIFACTS.mkdir(exist_ok=True)
    async with running(service) as server, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = await browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
            )
            page = await context.new_page()
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
            await expect(card.locator(".total-dots")).to_have_text("2 dots in total")
            await page.screenshot(path=str(ARTIFACTS / "phone-vote-revealed.png"), full_page=True)

            assert service.state(code).idea_dots[await card.get_attribute("data-idea-id") or ""] == 2
            assert dialogs == [] and errors == []
            # the only refusal: the first load asks /me with no token yet (the page tries its cookie)
            assert failed == [f"401 {url(server)}/api/v1/w/{code}/me"]
        finally:
            await browser.close()


async def test_rank_the_candidate_ideas_and_see_my_team_arrive_live(service: WorkshopService) -> None:
    from playwright.async_api import async_playwright, expect

    from workshop_tui.models import Source

    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    ideas = [(await service.post_idea(code, text, source=Source.PAPER)).id for text in ["Bike parking", "Repair café"]]
    await service.set_phase(code, Phase.GROUP)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=ideas)
    other, _ = await service.join(code, "Cy")
    await service.set_preferences(code, other.id, [ideas[0]])
    ARTIFACTS.mkdir(exist_ok=True)
    async with running(service) as server, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page = await context.new_page()
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
            for _ in range(100):  # the PUT is durable before the page hears 200
                if participant.id in service.state(code).preferences:
                    break
                await page.wait_for_timeout(50)
            assert service.state(code).preferences[participant.id].idea_ids == [ideas[1], ideas[0]]

            await service.form_teams(code)  # the facilitator presses f: a draft, the phone keeps ranking
            await expect(page.locator("#rank-panel")).to_be_visible()
            await expect(page.locator("#team-panel")).to_be_hidden()
            await service.publish_teams(code)  # the facilitator presses p; the phone learns it over SSE
            await expect(page.locator("#team-panel")).to_be_visible()
            await expect(page.locator("#team-body .note-text")).to_have_text("Repair café")
            await expect(page.locator("#team-body .members li")).to_have_text(["Bo [b]x"])
            await page.screenshot(path=str(ARTIFACTS / "phone-team.png"), full_page=True)
        finally:
            await browser.close()


async def test_the_phase_timer_counts_down_on_the_phone(service: WorkshopService) -> None:
    from playwright.async_api import async_playwright, expect

    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            await page.goto(f"{url(server)}/J/{code}")
            await expect(page.locator("#timer")).to_have_text("10:00 (paused)")
            await service.reset_timer(code, seconds=3)
            await service.start_timer(code)  # the facilitator presses space; the phone hears timer_changed
            await expect(page.locator("#timer")).to_have_class("timer running")
            await expect(page.locator("#timer")).to_have_text("Time's up", timeout=10_000)
            await expect(page.locator("#timer")).to_have_class("timer up")
            assert errors == []
        finally:
            await browser.close()
