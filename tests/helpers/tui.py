"""Helpers for the TUI tests: a real service on a tmp data dir, the app on 127.0.0.1 port 0."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from rich.segment import Segment
from textual.app import App
from textual.pilot import Pilot

from screens.app import WorkshopApp
from tests.helpers.waiting import TIMEOUT, wait_until
from workshop_tui.server.runner import ParticipantServer
from workshop_tui.service import WorkshopService


def on_screen(app: WorkshopApp, screen_type: type[object]) -> bool:
    """``screen_type`` is on top and mounted (its widgets exist)."""
    return isinstance(app.screen, screen_type) and app.screen.is_mounted


#: How often ``wait_for`` checks. The app runs between checks (its messages, layout and paints on its
#: own timers), so a short interval only shortens the wait once the condition holds.
POLL = 0.002


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], what: str = "condition") -> None:
    """Until ``condition`` holds while the app runs, then until the screen has handled what is queued
    and painted: bounded, not timed; an app that crashed meanwhile fails the wait at once with its
    error. The checks do not go through ``pilot.pause``: each of those walks the screen's widgets and
    sleeps 20 ms, so a wait ended up to 20 ms after its condition held, 500 times in a run of the TUI
    tests; one such walk at the end, without the sleep, settles what the change set off."""
    app = pilot.app

    def holds() -> object:
        if app._exception is not None:
            raise AssertionError(f"the app crashed while waiting for {what}") from app._exception
        return condition()

    await wait_until(holds, TIMEOUT, what, interval=POLL)
    if app.is_running:  # and what the change set off is handled and drawn, as a Pilot wait ends
        await pilot.pause(0)


async def events_shown(pilot: Pilot[Any], app: WorkshopApp) -> None:
    """Until the service's events so far have reached the screens and been drawn: the app's bridge
    posts them in batches (at most one a frame), the app forwards each batch to its screens, they repaint."""
    bridge = app.bridge
    await wait_for(pilot, lambda: not bridge._pending and bridge._handle is None, "the events posted")
    await pilot.pause()  # the app handles the batch and forwards it
    await pilot.wait_for_scheduled_animations()  # the screens handle it, animate and repaint


async def search_palette(app: WorkshopApp, pilot: Pilot[Any], typed: str, first: str) -> None:
    """Open the command palette, type ``typed`` and wait until its search has put ``first`` on top."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: on_screen(app, CommandPalette), "the command palette")
    await pilot.press(*("space" if c == " " else c for c in typed))

    def listed() -> bool:
        found = app.screen.query_one(CommandList)
        return bool(found.option_count) and first in str(found.get_option_at_index(0).prompt)

    await wait_for(pilot, listed, f"{first!r} first in the palette")


@asynccontextmanager
async def running_app(
    data_dir: Path, *, size: tuple[int, int] = (100, 30), serve: bool = False, **kwargs: Any
) -> AsyncIterator[tuple[WorkshopApp, Pilot[None]]]:
    """The app on its own service (the app closes it). ``serve=True``: with its participant server on
    127.0.0.1 (port 0 unless given), for the tests of what the server changes (the join URL and QR code,
    phones over HTTP, the quit question, the info screen); the others run without phones, which saves
    building and stopping a uvicorn server each."""
    code = kwargs.pop("code", None)
    if kwargs and not serve:
        raise TypeError(f"server options {sorted(kwargs)} without serve=True")  # else silently no server
    service = WorkshopService(data_dir).open()
    kwargs.setdefault("host", "127.0.0.1")
    kwargs.setdefault("port", 0)
    server = ParticipantServer(service, **kwargs) if serve else None
    app = WorkshopApp(service, server, code=code)
    try:
        async with app.run_test(size=size) as pilot:
            if serve and kwargs["port"] == 0:
                await wait_for(pilot, lambda: app.server_running, "the participant server")
            await pilot.pause()
            yield app, pilot
            await app.settle_screens()  # as quitting does: no screen taken apart mid-mount at exit
    finally:
        await app.shutdown_session()


async def make_service(data_dir: Path) -> WorkshopService:
    return WorkshopService(data_dir).open()


def static_text(app: WorkshopApp, selector: str) -> str:
    from textual.widgets import Static

    widget = app.screen.query_one(selector, Static)
    return str(widget.visual) if not hasattr(widget.content, "plain") else widget.content.plain


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as the room sees it, one string per row (what ``export_screenshot`` draws, as text); a
    screen not laid out yet is blank rows."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    lines = console.export_text().splitlines()
    return lines + [""] * (height - len(lines))


def screen_segments(app: App[Any]) -> list[list[Segment]]:
    """The screen as drawn, one list of styled segments per row (colours and attributes included)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), legacy_windows=False, color_system="truecolor")
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert update is not None
    return list(Segment.split_lines(console.render(update, console.options.update(height=height))))


def contrast(segment: Segment) -> float:
    """The WCAG contrast ratio of a segment's text on its background, a dim text blended halfway to the
    background as terminals draw it (1: invisible, 4.5: the least for body text, 21: black on white)."""
    style = segment.style
    assert style is not None and style.color is not None and style.bgcolor is not None, segment
    fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = fg.__class__(*((f + b) // 2 for f, b in zip(fg, bg, strict=True)))

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
