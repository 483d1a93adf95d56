"""Textual's Footer, rebuilt only when what it shows changes.

Every event the session screens handle refreshes their bindings (what the phase allows can move), and
Textual's Footer answers each refresh by recomposing all its keys, about a quarter of a busy screen's
CPU while a room votes, although most refreshes leave the keys as they were."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

#: What one key of the footer shows: the binding (its key, action, label, group...), enabled, tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    return tuple((b, enabled, tip) for (_, b, enabled, tip) in screen.active_bindings.values() if b.show)


class SteadyFooter(Footer):
    _shown: Shown | None = None  # what the last rebuild showed (None: not built yet)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # The parent rebuilds only when the app has focus and this is the screen's own footer: record
        # what is shown only then, so that a change missed while unfocused is drawn later.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
