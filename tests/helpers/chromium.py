"""Debian's Chromium, driven through Playwright (never ``playwright install``): one path, one set of
flags and one way to launch it for every browser test.

The ``browser`` fixture (registered by tests/conftest.py) is one Chromium per test process, an xdist
worker: starting one (its driver and the browser) costs about a second of CPU, more than most browser
tests. Each test opens its own contexts (their own cookies, storage and cache), closed after it. The
browser lives on pytest-asyncio's session loop, so a test using it runs there too
(``pytest.mark.asyncio(loop_scope="session")``), and so do its async fixtures (a module's own
``service``): objects of one loop cannot be awaited from another.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest_asyncio

if TYPE_CHECKING:
    from playwright.async_api import Browser

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


def require_chromium() -> None:
    """At a browser test module's top: skip it where Chromium is missing, unless CI asks for the browser."""
    import pytest

    if CHROMIUM.exists():
        return
    if os.environ.get("WORKSHOP_TUI_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"{CHROMIUM} is missing but WORKSHOP_TUI_REQUIRE_BROWSER=1 (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser test", allow_module_level=True)


@asynccontextmanager
async def launched() -> AsyncIterator[Browser]:
    """A headless Chromium, closed after."""
    from playwright.async_api import async_playwright, expect

    # expect() returns as soon as its condition holds; its default 5 s bound is what a loaded CI machine
    # (three workers, each with a browser and servers, on two cores) can pass while the page is right.
    expect.set_options(timeout=15_000)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """The test process's Chromium, launched by the first test that needs it."""
    async with launched() as browser:
        yield browser


@pytest_asyncio.fixture(loop_scope="session")
async def browser(chromium: Browser) -> AsyncIterator[Browser]:
    """The process's Chromium for one test: every context the test opened is closed after it."""
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            await context.close()
