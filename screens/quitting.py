"""Quitting while phones can reach a workshop asks first (``y`` quits, ``n``/escape stays): the server
stops with the app, so phones lose the connection. Nothing to lose, nothing asked."""

from __future__ import annotations

from screens.confirm import ConfirmScreen
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def live_workshops(service: WorkshopService, server_running: bool) -> list[str]:
    """Codes of the workshops phones can reach now: the server listens and they are not closed."""
    if not server_running:
        return []
    return [s.code for s in service.summaries() if s.phase != Phase.CLOSED]  # opens no past workshop


def quit_question(live: list[str], open_code: str | None) -> ConfirmScreen:
    which = open_code if open_code in live else ", ".join(live[:3]) + ("…" if len(live) > 3 else "")
    detail = f"Phones in {which} lose the connection: the server stops. Everything is saved."
    return ConfirmScreen("Quit workshop-tui?", detail, yes="Quit (y)", no="Stay (n)")
