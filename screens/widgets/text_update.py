"""Updating a ``Static`` that an event batch redraws (the top bar, a screen's counts), at the cost of what changed.

``Static.update`` asks for a layout of the whole screen each time (its size may follow its text): on a
session screen that is most of a frame (20-50 ms with the wall, the footer and the lists), paid for
every event batch because the top bar and its timer are refreshed on each. Unchanged text costs
nothing here, and text with lines of the same widths only repaints them.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


def update_text(widget: Static, text: Text) -> None:
    shown = widget.content
    if isinstance(shown, Text) and shown == text:
        return
    same_size = isinstance(shown, Text) and _line_widths(shown) == _line_widths(text)
    widget.update(text, layout=not same_size)


def _line_widths(text: Text) -> list[int]:
    return [cell_len(line) for line in text.plain.split("\n")]
