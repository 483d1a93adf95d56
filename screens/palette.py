"""The command palette's workshop commands (ctrl+p): every app action, named for the room.

The list is ``palette_commands`` (through the app, a ``CommandSource``), filtered by the app's
``action_allowed`` (what its ``check_action`` answers, ``screens.allowed_now``) for the screen beneath
the palette, so the palette offers exactly what the footer allows now (no "advance" from closed, no
timer without one on screen).
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple, Protocol, runtime_checkable

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from screens.navigation import PHASE_SCREENS
from screens.phase_control import PHASE_TITLES, advance_target, step_back_target
from workshop_tui.phases import Phase


class PaletteCommand(NamedTuple):
    title: str
    help: str
    action: str  # an app action string, e.g. "advance_phase" or "show_phase('lobby')"


def palette_commands(phase: Phase | None, names_projected: bool = False) -> list[PaletteCommand]:
    """Every command, for the open workshop's ``phase`` (None: the workshop list) and whether it projects
    authors' names now (the toggle says which way it goes; an anonymous workshop is never offered it)."""
    advance = advance_target(phase) if phase is not None else None
    back = step_back_target(phase) if phase is not None else None
    commands = [
        PaletteCommand(
            f"Next phase: {advance.value if advance else '-'}", "Advance the open workshop", "advance_phase"
        ),
        PaletteCommand(f"Step back: {back.value if back else '-'}", "Reopen the previous phase", "step_back_phase"),
    ]
    for shown in PHASE_SCREENS:
        commands.append(
            PaletteCommand(f"Show the {PHASE_TITLES[shown]}", "Without changing the phase", f"show_phase('{shown}')")
        )
    commands += [
        PaletteCommand("Timer: start or pause", "The phase timer, on the phones too (space)", "timer_toggle"),
        PaletteCommand("Timer: add a minute", "(+)", "timer_add_minute"),
        PaletteCommand("Timer: stop", "Back to the phase's timebox (ctrl+r)", "timer_reset"),
        PaletteCommand("Reveal the vote results", "Show the ranking to the room", "reveal_results"),
        PaletteCommand(
            "Authors' names on the projector: " + ("hide" if names_projected else "show"),
            "Shown now" if names_projected else "Hidden now (off unless you turn it on)",
            "toggle_authors",
        ),
        PaletteCommand("Export this workshop", "JSON, CSV or Markdown", "export"),
        PaletteCommand("Backlog of prototypes", "Every workshop's backlog", "backlog"),
        PaletteCommand("New workshop", "From a template", "new_workshop"),
        PaletteCommand("Open the demo workshop", "Adds it first if needed", "open_demo"),
        PaletteCommand("Workshops", "Back to the list (escape)", "home"),
        PaletteCommand("Help: every key", "(f1)", "help"),
        PaletteCommand("Session info", "Server address, admin token, data directory, log (f2)", "info"),
        PaletteCommand("Quit", "Stops the server, saves everything (ctrl+q)", "quit"),
    ]
    return commands


@runtime_checkable
class CommandSource(Protocol):
    """What the palette needs from the app: its commands and whether each is allowed on a screen."""

    def palette_commands(self) -> list[PaletteCommand]: ...

    def action_allowed(self, action: str, parameters: tuple[object, ...], screen: Screen[Any]) -> bool: ...


class WorkshopCommands(Provider):
    def commands(self) -> list[PaletteCommand]:
        app = self.app
        if not isinstance(app, CommandSource):
            return []
        available = []
        for command in app.palette_commands():
            _, name, params = parse(command.action)
            if app.action_allowed(name, params, self.screen):
                available.append(command)
        return available

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, partial(self.app.run_action, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self.app.run_action, command.action),
                    text=command.title,
                    help=command.help,
                )
