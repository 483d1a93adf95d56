"""The phone page in each shipped language, in Debian's Chromium at 360 px, through a whole session against
the real server: every phase shows no English left (every English message of the catalog, in pieces
around its placeholders, must be absent unless the language says the same), and nothing is wider than
the screen. Screenshots land in artifacts/phone-languages/ to look at. The picker and Accept-Language
choose the page's language as docs/http.md says."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from tests.helpers.api import running, url
from tests.helpers.chromium import require_chromium
from tests.helpers.paths import ARTIFACTS
from workshop_tui import phone_catalog
from workshop_tui.locales import SHIPPED
from workshop_tui.phases import Phase
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

# On the process's Chromium and its event loop (tests.helpers.chromium), the service too.
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]
require_chromium()


@pytest_asyncio.fixture(loop_scope="session")
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    async with WorkshopService(data_dir) as svc:
        yield svc


SHOTS = ARTIFACTS / "phone-languages"
WIDTH, HEIGHT = 360, 740
PLACEHOLDER = re.compile(r"\{\w+\}")

# What the page shows of people's own words (never a catalog's): a title, notes, names.
PAGE_TEXT = """() => {
  const out = [document.title, document.body.innerText];
  for (const n of document.querySelectorAll('[aria-label]')) {
    if (n.getClientRects().length) out.push(n.getAttribute('aria-label'));
  }
  return out.join('\\n');
}"""
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')]
  .filter((n) => n.getClientRects().length && n.getBoundingClientRect().right > width + 0.5)
  .map((n) => `${n.tagName}#${n.id}.${n.className}: ${Math.round(n.getBoundingClientRect().right)}`)"""


# Words a language writes as English does (reviewed): everything else English on a page is a miss.
SAME_AS_ENGLISH = {"fi": set(), "sv": {"Workshop"}, "nl": {"Workshop", "Teams"}}


def english_pieces(lang: str) -> set[str]:
    """Each English message's words between its placeholders (a missing translation shows these)."""
    pieces: set[str] = set()
    for value in phone_catalog.catalog("en")["messages"].values():
        for form in [value] if isinstance(value, str) else value.values():
            for piece in PLACEHOLDER.split(form):
                piece = piece.strip(" .,:;!?…—–-“”#/()+−")
                if len(piece) >= 4 and re.search(r"[A-Za-z]{3}", piece) and piece not in SAME_AS_ENGLISH[lang]:
                    pieces.add(piece)
    return pieces


async def check(page: Page, lang: str, name: str) -> None:
    assert await page.evaluate("document.documentElement.lang") == lang
    text = await page.evaluate(PAGE_TEXT)
    if lang != "en":
        left = sorted(p for p in english_pieces(lang) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
        assert not left, f"{lang} {name}: English left on the page: {left}"
    assert await page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{lang} {name}: scrolls sideways"
    assert await page.evaluate(TOO_WIDE, WIDTH) == [], f"{lang} {name}: wider than the screen"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{lang}-{name}.png"), full_page=True)


async def phone(b: Browser, server: ParticipantServer, code: str, locale: str) -> Page:
    context = await b.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{url(server)}/j/{code}")
    assert errors == []
    return page


async def in_phase(page: Page, phase: Phase) -> None:
    from playwright.async_api import expect

    await expect(page.locator("body")).to_have_attribute("data-phase", phase.value)


@pytest.mark.parametrize("lang", SHIPPED)
async def test_every_phase_in_the_workshops_language(service: WorkshopService, browser: Browser, lang: str) -> None:
    from playwright.async_api import expect

    w = await service.create_workshop("★ 2026", language=lang, follow_url="https://example.org/follow")
    code = w.code
    (bo, _), (cy, _) = await service.join(code, "Bo"), await service.join(code, "Cy")
    async with running(service) as server:
        page = await phone(browser, server, code, locale="en-US")  # the browser's English does not matter here
        await expect(page.locator("#join-view")).to_be_visible()
        await check(page, lang, "0-join")
        await page.fill("#join-name", "Ann")
        await page.click("#join-button")
        await expect(page.locator("#lobby-view")).to_be_visible()
        await check(page, lang, "1-lobby")

        await service.set_phase(code, Phase.IDEATE)
        await in_phase(page, Phase.IDEATE)
        await page.fill("#idea-text", "★ 1")
        await page.click("#post-idea")
        await expect(page.locator("#my-ideas .note")).to_have_count(1)
        ideas = [await service.post_idea(code, f"★ {n}", author_id=who.id) for n, who in ((2, bo), (3, cy))]
        await service.set_timer(code, "start", minutes=5)
        await expect(page.locator("#timer")).to_be_visible()
        await check(page, lang, "2-ideate")

        await service.set_phase(code, Phase.GROUP)
        theme = await service.create_theme(code, "▲")
        await service.set_idea_theme(code, ideas[0].id, theme.id)
        await in_phase(page, Phase.GROUP)
        await expect(page.locator("#themes .theme")).to_have_count(2)
        await check(page, lang, "3-group")

        await service.set_phase(code, Phase.VOTE)
        await in_phase(page, Phase.VOTE)
        await check(page, lang, "4-vote-soon")
        await service.set_voting(code, voting_open=True)
        await expect(page.locator("#dots-left")).to_be_visible()
        await page.locator("details.theme-group summary").first.click()
        await page.locator(".add-dot").first.click()
        await expect(page.locator(".my-dots").first).to_contain_text("1")
        await service.cast_dot(code, bo.id, ideas[0].id)
        await check(page, lang, "5-vote")
        await service.set_voting(code, voting_open=False, results_revealed=True)
        await expect(page.locator(".result-card").first).to_be_visible()
        await check(page, lang, "6-results")

        await service.set_phase(code, Phase.TEAMS)
        await service.set_team_candidates(code, idea_ids=[ideas[0].id, ideas[1].id])
        await in_phase(page, Phase.TEAMS)
        await expect(page.locator("#rank-list .rank-item")).to_have_count(2)
        await page.locator(".move-down").first.click()  # unsaved: the note names the button
        await expect(page.locator("#rank-note")).to_be_visible()
        await check(page, lang, "7-rank")
        await service.form_teams(code, team_count=1, min_size=1)
        await service.publish_teams(code)
        await expect(page.locator("#team-panel")).to_be_visible()
        await check(page, lang, "8-team")

        await service.set_phase(code, Phase.BACKLOG)
        await service.convert_to_backlog(code)
        await in_phase(page, Phase.BACKLOG)
        await expect(page.locator("#next-prototypes")).to_be_visible()
        await expect(page.locator("#follow")).to_be_visible()  # "Follow what happens next" and my prototype's review
        await check(page, lang, "9-backlog")
        await service.set_phase(code, Phase.CLOSED)
        await in_phase(page, Phase.CLOSED)
        await check(page, lang, "10-closed")

        late = await phone(browser, server, code, locale="en-US")  # someone who never joined, after the end
        await expect(late.locator("#end-view")).to_be_visible()
        await check(late, lang, "11-closed-not-joined")


async def test_accept_language_and_the_picker_choose_the_language(service: WorkshopService, browser: Browser) -> None:
    from playwright.async_api import expect

    w = await service.create_workshop("★", language="fi", languages=["sv", "en"])
    async with running(service) as server:
        swedish = await phone(browser, server, w.code, locale="sv-FI")  # the browser's language, as it is allowed
        await expect(swedish.locator("#join-button")).to_have_text("Gå med")
        picker = swedish.locator("#lang-picker")
        await expect(picker).to_be_visible()
        await expect(picker).to_have_attribute("aria-label", "Språk")
        assert await picker.locator("option").all_text_contents() == ["Suomi", "Svenska", "English"]
        await check(swedish, "sv", "picker-sv")

        await picker.select_option("en")  # the phone's own choice wins and is kept
        await expect(swedish.locator("#join-button")).to_have_text("Join")
        assert await swedish.evaluate("localStorage.getItem('wt.lang')") == "en"
        await swedish.reload()
        await expect(swedish.locator("#join-button")).to_have_text("Join")
        assert await swedish.evaluate("document.documentElement.lang") == "en"

        german = await phone(browser, server, w.code, locale="de-DE")  # not allowed: the room's language
        await expect(german.locator("#join-button")).to_have_text("Liity")

        await service.update_workshop(w.code, languages=[])  # the facilitator narrows it to Finnish only
        await swedish.reload()
        await expect(swedish.locator("#join-button")).to_have_text("Liity")  # a stale choice gives way
        await expect(swedish.locator("#lang-picker")).to_be_hidden()


async def test_a_refusal_reaches_the_phone_in_its_language(service: WorkshopService, browser: Browser) -> None:
    from playwright.async_api import expect

    w = await service.create_workshop("★", language="nl")
    await service.set_phase(w.code, Phase.IDEATE)
    async with running(service) as server:
        page = await phone(browser, server, w.code, locale="nl-NL")
        await page.fill("#join-name", "Ann")
        await page.click("#join-button")
        await expect(page.locator("#compose-view")).to_be_visible()
        await page.fill("#idea-text", "★")
        await service.set_phase(w.code, Phase.GROUP)  # the room moves on while the note is being typed
        await expect(page.locator("#compose-note")).to_have_text(
            "Ideeën versturen kan nu niet: de begeleider deelt de briefjes in. Je tekst blijft hier bewaard."
        )
