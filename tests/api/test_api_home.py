"""``GET /`` is a small page where a join code can be typed (issue 12 item 12), in a real Chromium too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from tests.conftest import workshop_in
from tests.helpers.api import client, in_process, running, url
from tests.helpers.chromium import CHROMIUM
from workshop_tui.phases import Phase
from workshop_tui.server.http import CSP
from workshop_tui.service import WorkshopService

if TYPE_CHECKING:
    from playwright.async_api import Browser

# The browser test runs on the process's Chromium and its event loop (tests.helpers.chromium), the
# service too.
pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    async with WorkshopService(data_dir) as svc:
        yield svc


async def test_start_page_form_and_redirect(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server, client(server) as c:
        r = await c.get("/")
        assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["content-security-policy"] == CSP
        assert "<script" not in r.text and re.search(r"\son[a-z]+=", r.text) is None  # no script, no handler
        assert '<form id="code-form" class="card form" method="get" action="/j">' in r.text
        assert 'name="code"' in r.text
        for typed in (code, code.lower(), f"  {code} "):
            r = await c.get("/j", params={"code": typed})
            assert r.status_code == 303 and r.headers["location"] == f"/j/{code}", typed
        for typed in ("NOPE9", "", "x" * 64, "\u0085\x00" * 400):
            missing = await c.get("/j", params={"code": typed})
            assert missing.status_code == 404 and "not found" in missing.text.lower()
            assert missing.headers["content-security-policy"] == CSP
        assert (await c.get("/j")).status_code == 404


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
async def test_typing_the_code_opens_the_phone_page(service: WorkshopService, browser: Browser) -> None:
    from playwright.async_api import expect

    code = await workshop_in(service, Phase.LOBBY)
    async with running(service) as server:
        page = await browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        await page.goto(f"{url(server)}/")
        await page.fill("#code", code.lower())
        await page.press("#code", "Enter")
        await page.wait_for_url(f"{url(server)}/j/{code}")
        await expect(page.locator("#join-view")).to_be_visible()
        await page.goto(f"{url(server)}/")
        await page.fill("#code", "NOPE9")
        await page.click("button[type=submit]")
        await expect(page.locator("h1")).to_have_text("Workshop not found")
        assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
