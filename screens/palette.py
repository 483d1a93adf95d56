"""The command palette's workshop commands (ctrl+p): every app action, named for the room.

The list comes from ``WorkshopApp.palette_commands()``, filtered by ``WorkshopApp.action_allowed`` (what its
``check_action`` answers) for the screen beneath the palette, so the palette offers exactly what the
footer allows now (no "advance" from closed, no timer without one on screen).
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple, Protocol, runtime_checkable

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen


class PaletteCommand(NamedTuple):
    title: str
    help: str
    action: str  # an app action string, e.g. "advance_phase" or "show_phase('lobby')"


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
