"""The follow-up site in headless Chromium, opened from disk as a city's web server would serve the files:
no request leaves the folder, nothing runs, nothing overflows a phone, and screenshots for a human to look at
(artifacts/site/)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from tests.helpers.chromium import require_chromium
from tests.helpers.followup import HOSTILE_HTML, followed_workshop
from tests.helpers.paths import ARTIFACTS
from workshop_tui.demo import build_demo
from workshop_tui.publish import SiteOptions, build_site, write_site
from workshop_tui.service import WorkshopService

if TYPE_CHECKING:
    from playwright.async_api import Browser

# On the process's Chromium and its event loop (tests.helpers.chromium), the service too.
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]
require_chromium()

SHOTS = Path(os.environ.get("WORKSHOP_TUI_SITE_SHOTS") or ARTIFACTS / "site")
SIZES = [pytest.param((390, 844), id="phone"), pytest.param((1280, 900), id="desktop")]


@pytest.fixture(autouse=True, scope="module")
def shots_folder() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest_asyncio.fixture(loop_scope="session")
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    async with WorkshopService(data_dir) as svc:
        yield svc


@pytest.mark.parametrize("size", SIZES)
async def test_the_site_in_a_browser_at_phone_and_desktop_widths(
    service: WorkshopService, browser: Browser, tmp_path: Path, size: tuple[int, int]
) -> None:
    from playwright.async_api import expect

    await build_demo(service)
    f = await followed_workshop(service)
    root = tmp_path / "site"
    write_site(build_site(service.views(), SiteOptions(as_of=f.day(40).date())), root)
    width, height = size
    async with await browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=True
    ) as context:
        page = await context.new_page()
        requests: list[str] = []
        problems: list[Any] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text))  # a CSP violation would be reported here
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: problems.append(f"dialog {d.message}"))
        pages = {"index.html": "index", f"w/{f.code}/index.html": "followed", "w/MAKE/index.html": "demo"}
        for name, label in pages.items():
            await page.goto((root / name).as_uri())
            await expect(page.locator("header.site")).to_be_visible()
            # The stylesheet applied (the page's own CSP lets it in), and the page fits the screen's width.
            border = await page.evaluate("getComputedStyle(document.querySelector('header.site')).borderBottomStyle")
            assert border == "solid", name
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (name, overflow)
            shot = SHOTS / f"{label}-{size[0]}x{size[1]}.png"
            await page.screenshot(path=str(shot), full_page=True)
        await page.goto((root / f"w/{f.code}/index.html").as_uri())
        assert await page.locator("script, img, iframe, object").count() == 0
        await expect(page.locator("#prototypes")).to_contain_text(HOSTILE_HTML[0])
        # The department link leads to its page, which names the workshop's feed.
        await page.locator("#departments a", has_text="Parks & Green <Space>").click()
        await expect(page.locator("h1")).to_have_text("Parks & Green <Space>")
        await expect(page.locator("nav.follow a", has_text=f"News of workshop {f.code}")).to_be_visible()
        await page.screenshot(path=str(SHOTS / f"department-{size[0]}x{size[1]}.png"), full_page=True)
    assert problems == []
    assert all(url.startswith(root.as_uri()) for url in requests), [u for u in requests if "file:" not in u]
