"""The command palette's workshop commands (ctrl+p): every app action, named for the room.

The list comes from ``WorkshopApp.palette_commands()``, filtered by ``WorkshopApp.action_allowed`` (what its
``check_action`` answers) for the screen beneath the palette, so the palette offers exactly what the
footer allows now (no "advance" from closed, no timer without one on screen).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple, cast

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from screens.app import WorkshopApp


class PaletteCommand(NamedTuple):
    title: str
    help: str
    action: str  # an app action string, e.g. "advance_phase" or "show_phase('lobby')"


class WorkshopCommands(Provider):
    def commands(self) -> list[PaletteCommand]:
        app = cast("WorkshopApp", self.app)
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
