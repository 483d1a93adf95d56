"""The TUI when the store fails: a banner says nothing is being saved; the wall keeps only what was."""

from __future__ import annotations

import shutil
from pathlib import Path

from screens.app import STORE_FAILED_BANNER_SECONDS
from tests.helpers.tui import running_app, wait_for
from workshop_tui.errors import StoreFailed
from workshop_tui.phases import Phase


async def test_a_failed_store_shows_a_lasting_banner_and_drops_the_refused_note(data_dir: Path) -> None:
    async with running_app(data_dir, serve=False) as (app, pilot):
        w = await app.service.create_workshop("Gone", code="GONE")
        await app.service.set_phase(w.code, Phase.IDEATE)
        await app.service.post_idea(w.code, "kept")
        await app.service.flush()
        state = app.service.state(w.code)
        directory = data_dir / "workshops" / w.id

        def removed() -> bool:  # tried again while the phase-change snapshot still writes in it
            shutil.rmtree(directory, ignore_errors=True)
            return not directory.exists()

        await wait_for(pilot, removed, "the workshop's directory removed")
        try:
            await app.service.post_idea(w.code, "refused")
        except StoreFailed:
            pass
        else:
            raise AssertionError("a write after the directory vanished was acknowledged")
        assert [i.text for i in state.ideas.values()] == ["kept"]
        await wait_for(pilot, lambda: any(n.title == "NOT SAVING" for n in app._notifications), "the banner")
        (banner,) = [n for n in app._notifications if n.title == "NOT SAVING"]
        assert banner.severity == "error" and banner.timeout == STORE_FAILED_BANNER_SECONDS
        assert "GONE is no longer being saved" in banner.message
