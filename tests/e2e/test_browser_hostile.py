"""Hostile text on the phone page, in Debian's Chromium against the real server: no control, escape or
bidi character from a title, a prompt, a name, a note or a theme reaches the document's title, an
attribute (aria-label, data-*) or a text node, in any view; the words themselves are shown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from tests.conftest import workshop_in
from tests.helpers.api import running, url
from tests.helpers.chromium import launched, require_chromium
from tests.helpers.hostile_text import EMOJI, ESCAPES
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

require_chromium()

#: Short enough for a name (60 characters): an OSC title, a CSI, C1, a bidi override, NUL, DEL, a lone CR.
SHORT = "\x1b]2;T\x07\x1b[2J\x9b0m\u202eR\u2066\x00\x7f\rX\x85"
LONG = " ".join(v for k, v in ESCAPES.items() if k != "emoji")

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


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launched() as chromium:
        yield chromium


@pytest_asyncio.fixture(loop_scope="module")
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    async with WorkshopService(data_dir) as svc:
        yield svc


async def _clean(page: Page, where: str) -> None:
    problems = await page.evaluate(PROBLEMS)
    assert problems == [], f"{where}: {problems}"


async def test_no_sink_of_the_page_carries_a_control_or_bidi_character(
    browser: Browser, service: WorkshopService
) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.LOBBY, team_min_size=1, team_max_size=3)
    await service.update_workshop(code, title=f"PWNED {SHORT} {EMOJI}", prompt=f"PROMPT {LONG}")
    other, _ = await service.join(code, f"Noor {SHORT}")
    async with running(service) as server:
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{url(server)}/j/{code}")
        await page.fill("#join-name", f"Me {SHORT}")
        await page.click("#join-button")
        await expect(page.locator("#lobby-view")).to_be_visible()
        await expect(page.locator("#welcome")).to_contain_text("Me")
        assert "PWNED" in await page.title() and EMOJI in await page.title()  # the title, emoji and all
        await _clean(page, "lobby")

        await service.set_phase(code, Phase.IDEATE)
        await page.fill("#idea-text", f"MINE {LONG}")
        await page.click("#post-idea")
        mine = page.locator("#my-ideas .note .note-text", has_text="MINE")
        await expect(mine).to_be_visible()  # with its edit and delete buttons, labelled with its text
        await _clean(page, "ideate")

        await service.post_idea(code, f"THEIRS {LONG}", author_id=other.id)
        paper = await service.post_idea(code, f"PAPER {SHORT}", source=Source.PAPER)
        await service.set_phase(code, Phase.GROUP)
        for name, idea in ((f"THEME {SHORT}", paper.id), (f"SECOND {SHORT}", None)):
            theme = await service.create_theme(code, name)
            if idea:
                await service.set_idea_theme(code, idea, theme.id)
        await expect(page.locator("#group-view .theme-name").first).to_be_visible()
        await _clean(page, "group")

        await service.set_phase(code, Phase.VOTE)
        await service.set_voting(code, voting_open=True)
        await expect(page.locator("#vote-view details[data-theme]").first).to_be_attached()  # grouped by theme
        await expect(page.locator("#vote-view .add-dot").first).to_be_attached()
        await _clean(page, "vote")

        await service.set_phase(code, Phase.TEAMS)
        await expect(page.locator("#rank-list .move-down").first).to_be_attached()
        await _clean(page, "teams")

        await service.set_phase(code, Phase.BACKLOG)
        await expect(page.locator("#end-view")).to_be_visible()
        await _clean(page, "end")
        assert "PROMPT" in await page.locator("#prompt").inner_text()
        assert errors == []
        await context.close()
