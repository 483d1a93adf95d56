"""Textual's Footer, rebuilt only when what it shows changes, showing only the keys that fit whole.

Every event the session screens handle refreshes their bindings (what the phase allows can move), and
Textual's Footer answers each refresh by recomposing all its keys, about a quarter of a busy screen's
CPU while a room votes, although most refreshes leave the keys as they were.

At 80 columns a screen has more keys than room: Textual clips the row, which leaves a key without its
label ("k", "^") or a label cut in half under the palette key. The keys that do not fit are left out
whole (the order of the bindings is their priority; the palette and f1 list them all)."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: What one key of the footer shows: the binding (its key, action, label, group...), enabled, tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]

# The cells FooterKey's default CSS puts around a key and its label (key padding 0 1, label 0 1 0 0),
# and what the palette key adds (its left border and right padding).
KEY_PADDING = 3
PALETTE_EXTRA = 2


def shown_keys(screen: Screen[object]) -> Shown:
    return tuple((b, enabled, tip) for (_, b, enabled, tip) in screen.active_bindings.values() if b.show)


def key_width(key: FooterKey) -> int:
    extra = PALETTE_EXTRA if key.has_class("-command-palette") else 0
    return cell_len(key.key_display) + cell_len(key.description) + KEY_PADDING + extra


class SteadyFooter(Footer):
    _shown: Shown | None = None  # what the last rebuild showed (None: not built yet)
    _width = 0  # the width the last rebuild fitted the keys to

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Each key but the palette's is data-bound to the footer's ``compact``, whose default is the
                # opposite of the key's own: mounted as is, each key restyled twice (its default's class
                # added, then removed by the binding), a sixth of an app's start. Given the footer's value
                # first, it restyles never.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
        self._width = width = self.size.width
        if not width:  # not laid out yet: the first resize fits them
            yield from widgets
            return
        room = width - sum(
            key_width(w) for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")
        )
        for widget in widgets:
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                needs = key_width(widget)
                if needs > room:
                    continue  # left out whole; a later, shorter key may still fit
                room -= needs
            yield widget

    _refit_pending = False  # a rebuild is on its way: a resize or a change meanwhile is drawn by it

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self._shown is not None:
            self._refit()

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual's Footer rebuilds only when the app has focus and this is the screen's own footer: record
        # what is shown only then, so that a change missed while unfocused is drawn later.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = shown_keys(screen)
            if shown != self._shown:
                self._shown = shown
                self._refit()

    def _refit(self) -> None:
        """One rebuild for what arrives before it: a screen's first keys came with its first layout (the
        resize), and each was a rebuild of every key, twice per screen shown."""
        if not self._refit_pending:
            self._refit_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._refit_pending = False
        await self.recompose()
