"""Debian's Chromium, driven through Playwright (never ``playwright install``): one path, one set of
flags and one way to launch it for every browser test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

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
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()
