"""Updating a one-line ``Static`` that sits on every session screen, at the cost of what changed.

``Static.update`` asks for a layout of the whole screen each time (its size may follow its text): on a
session screen that is most of a frame (20-50 ms with the wall, the footer and the lists), paid for
every event batch because the top bar and its timer are refreshed on each. Unchanged text costs
nothing here, and text of the same width only repaints its line.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


def update_text(widget: Static, text: Text) -> None:
    shown = widget.content
    if isinstance(shown, Text) and shown == text:
        return
    same_width = isinstance(shown, Text) and cell_len(shown.plain) == cell_len(text.plain)
    widget.update(text, layout=not same_width)
