"""Wait for a condition, never for a fixed time: the bound only turns a hang into a clear failure."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

TIMEOUT = 30.0  # generous: a passing test never waits it out, and a loaded CI machine (xdist, 2 cores) is slow
INTERVAL = 0.02


async def wait_until(
    condition: Callable[[], object],
    timeout: float = TIMEOUT,  # noqa: ASYNC109 - the bound turns a hang into a named failure
    what: str = "",
    *,
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
    interval: float = INTERVAL,
) -> None:
    """Poll ``condition`` every ``interval`` seconds while the event loop runs (a server, a store's
    committer, an app). A costly check (a whole screen as text) runs less often: what it waits for runs
    on this loop too, and gets at least ten times as long as a check took."""
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        if condition():
            return
        checked = time.monotonic()
        if checked > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or 'the condition'}")
        await pause(max(interval, 10 * (checked - started)))


def wait_until_sync(condition: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> None:
    """The same for a condition met by another process or thread (tmux, a server subprocess)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or 'the condition'}")
        time.sleep(INTERVAL)
