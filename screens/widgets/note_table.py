"""The wall's notes as a virtualised ``DataTable`` (flat at 2,000 rows; design.md section 8).

Every cell is a ``rich.text.Text``: participant text is never parsed as markup. Rows are keyed by
idea id. ``show`` is cheap when notes were only appended or changed in place (the common case
while phones post); anything else rebuilds the rows, keeping the cursor on the same note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from workshop_tui.models import Idea, Source
from workshop_tui.state import WorkshopState
from workshop_tui.text_safety import terminal_safe

MAX_LINES = 3
SOURCE_LABEL = {Source.PHONE: "phone", Source.PAPER: "paper", Source.FACILITATOR: "facilitator"}


@dataclass(frozen=True)
class Layout:
    """Which columns fit, and how wide the note text may be."""

    note_width: int
    theme_width: int
    source: bool
    author: bool
    dots: bool

    @classmethod
    def for_width(cls, width: int, dots: bool) -> Layout:
        usable = max(20, width - 2)  # the vertical scrollbar
        source = width >= 100
        author = width >= 120
        theme_width = 24 if width >= 140 else 14 if width >= 50 else 0
        fixed = (theme_width + 2 if theme_width else 0) + (13 if source else 0) + (18 if author else 0)
        fixed += 7 if dots else 0
        return cls(max(12, usable - fixed - 2), theme_width, source, author, dots)


class NoteTable(DataTable[Text]):
    class WidthChanged(Message):
        """The table's width changed: its owner should choose the columns again (``set_layout``)."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.columns_layout: Layout | None = None
        self.shown: list[str] = []
        self._rendered: dict[str, tuple[Text, ...]] = {}
        self._keep: str | None = None  # the selected note across a change of columns
        self.marked: set[str] = set()  # notes marked for a bulk action (drawn with a mark)

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.WidthChanged(event.size.width))

    # ------------------------------------------------------------------ cells

    def _cells(self, state: WorkshopState, idea: Idea) -> tuple[Text, ...]:
        assert self.columns_layout is not None
        lay = self.columns_layout
        text = Text(terminal_safe(idea.text))
        if idea.hidden:
            text = Text.assemble(("(hidden) ", "italic"), terminal_safe(idea.text), style="dim")
        if idea.id in self.marked:
            text = Text.assemble(("✔ ", "bold reverse"), text)
        cells: list[Text] = [text]
        if lay.theme_width:
            theme = state.themes.get(idea.theme_id) if idea.theme_id else None
            cells.append(
                Text(terminal_safe(theme.name), overflow="ellipsis", no_wrap=True)
                if theme
                else Text("no theme", style="dim italic", no_wrap=True)
            )
        if lay.source:
            cells.append(Text(SOURCE_LABEL[idea.source]))
        if lay.author:
            author = state.participants.get(idea.author_id) if idea.author_id else None
            if state.workshop.settings.anonymous:
                cells.append(Text("anonymous", style="italic"))
            elif author is not None:
                cells.append(Text(terminal_safe(author.name) or "guest", overflow="ellipsis", no_wrap=True))
            else:
                cells.append(Text("—", style="dim"))
        if lay.dots:
            cells.append(Text(str(state.idea_dots[idea.id]), style="bold", justify="right"))
        return tuple(cells)

    def _height(self, cells: tuple[Text, ...]) -> int:
        assert self.columns_layout is not None
        lines = cells[0].wrap(self.app.console, self.columns_layout.note_width)
        return max(1, min(MAX_LINES, len(lines)))

    # ------------------------------------------------------------------ rows

    def set_layout(self, layout: Layout) -> bool:
        """Rebuild the columns if ``layout`` differs; returns whether it did (rows then need ``show``)."""
        if layout == self.columns_layout:
            return False
        self._keep = self.selected_id() or self._keep
        self.columns_layout = layout
        self.clear(columns=True)
        self.shown = []
        self._rendered = {}
        self.add_column(Text("Note", style="bold"), width=layout.note_width, key="note")
        if layout.theme_width:
            self.add_column(Text("Theme", style="bold"), width=layout.theme_width, key="theme")
        if layout.source:
            self.add_column(Text("Source", style="bold"), width=11, key="source")
        if layout.author:
            self.add_column(Text("Author", style="bold"), width=16, key="author")
        if layout.dots:
            self.add_column(Text("Dots", style="bold", justify="right"), width=5, key="dots")
        return True

    def selected_id(self) -> str | None:
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return self.shown[row]

    def show(self, state: WorkshopState, ideas: Sequence[Idea], changed: set[str] | None = None) -> None:
        """Show ``ideas`` in this order. ``changed`` limits re-rendering to those ids (None: all)."""
        if self.columns_layout is None:
            return
        wanted = [i.id for i in ideas]
        n = len(self.shown)
        if n and wanted[:n] == self.shown:
            column_keys = list(self.columns)
            for idea in ideas[:n]:
                if changed is not None and idea.id not in changed:
                    continue
                cells = self._cells(state, idea)
                old = self._rendered.get(idea.id)
                if old is not None and old == cells:
                    continue
                if old is not None and self._height(old) != self._height(cells):
                    self._rebuild(state, ideas)
                    return
                for key, cell in zip(column_keys, cells, strict=True):
                    self.update_cell(idea.id, key, cell)
                self._rendered[idea.id] = cells
            if len(ideas) > n:
                following = self.scroll_y >= self.max_scroll_y  # at the bottom: the view follows new notes
                for idea in ideas[n:]:
                    self._add(state, idea)
                if following:
                    self.call_after_refresh(self.scroll_end, animate=False, immediate=True, x_axis=False)
            return
        self._rebuild(state, ideas)

    def _add(self, state: WorkshopState, idea: Idea) -> None:
        cells = self._cells(state, idea)
        self.add_row(*cells, key=idea.id, height=self._height(cells))
        self._rendered[idea.id] = cells
        self.shown.append(idea.id)

    def _rebuild(self, state: WorkshopState, ideas: Sequence[Idea]) -> None:
        keep = self.selected_id() or self._keep
        self._keep = None
        old_row = self.cursor_row
        self.clear()
        self.shown = []
        self._rendered = {}
        for idea in ideas:
            self._add(state, idea)
        if not self.shown:
            return
        # A note that is no longer shown (hidden, filtered out): its neighbour; nothing chosen yet: the newest.
        if keep in self.shown:
            target = self.shown.index(keep)
        else:
            target = min(old_row, len(self.shown) - 1) if keep else len(self.shown) - 1
        self.move_cursor(row=target, animate=False, scroll=True)
