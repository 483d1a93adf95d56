"""The wall as sticky notes: cards in a grid, coloured by theme, newest first, grouped by theme on request.

A Line API widget (``ScrollView`` + ``render_line``, as toolong draws its log): only the lines on
screen are drawn, each from cards rendered once and cached, so 2,000 notes cost what the visible
ones cost. Ungrouped, the layout is arithmetic (row = line // row height) and a note arriving from
a phone is ``add``-ed at the top without touching the others: its cost does not grow with the wall.
Grouped by theme (the group phase, where only the facilitator adds notes), the layout is a list of
bands (a theme heading, or a row of cards), planned in one pass over the rows.

Participant text enters as ``rich.text.Text`` after ``terminal_safe``: never markup, never an escape.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workshop_tui.models import Idea
from workshop_tui.service.view import WorkshopView
from workshop_tui.text_safety import terminal_safe

#: Sticky-note colours (dark text on light paper), one per theme in name order; notes without a
#: theme are the classic yellow.
PAPER = ["#ffd6a5", "#a0c4ff", "#b9fbc0", "#ffadad", "#cdb4db", "#9bf6ff", "#caffbf", "#fdffb6", "#bdb2ff"]
NO_THEME_PAPER = "#ffe066"
HIDDEN_PAPER = "#5c5c5c"
INK = "#111111"
MIN_CARD = 26  # cells: a short sentence per line, readable from the back of a room
GAP = 2


@dataclass(frozen=True)
class Band:
    """One horizontal slice of the wall: a theme heading, or a row of cards (indexes into ``shown``)."""

    top: int
    height: int
    heading: Text | None = None
    cards: tuple[int, ...] = ()


class NoteWall(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]
    DEFAULT_CSS = """
    NoteWall { background: $background; }
    """

    class Highlighted(Message):
        """The highlighted card changed (the screen re-checks which actions apply)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[str] = []
        self.cursor = 0
        self.marked: set[str] = set()
        self.grouped = False
        self.dots = False
        self._ideas: dict[str, Idea] = {}
        self._dots: dict[str, int] = {}
        self._colours: dict[str | None, str] = {}
        self._theme_names: dict[str | None, str] = {}
        self._authors: dict[str, str] = {}  # participant id -> name, only while the facilitator projects names
        self._newest: str | None = None
        self._bands: list[Band] = []
        self._tops: list[int] = []
        self._where: dict[int, tuple[int, int]] = {}  # card index -> (band index, column)
        self._cards: dict[tuple[object, ...], list[Strip]] = {}  # rendered cards, by what they show
        self._columns = 1
        self._card_width = MIN_CARD
        self._text_lines = 3
        self._frame: tuple[int, Style] = (0, Style())  # width and background of the frame being drawn

    # ------------------------------------------------------------------ geometry

    @property
    def card_height(self) -> int:
        return self._text_lines + 2  # a line for marks, the text, a line for dots

    def on_resize(self, event: events.Resize) -> None:
        self._plan()

    def _geometry(self) -> None:
        width = max(MIN_CARD, self.scrollable_content_region.width or self.size.width or 80)
        self._columns = max(1, (width + GAP) // (MIN_CARD + GAP))
        self._card_width = (width - GAP * (self._columns - 1)) // self._columns
        self._text_lines = 4 if (self.size.height or 20) >= 36 else 3

    # ------------------------------------------------------------------ data

    def show(self, state: WorkshopView, ideas: Sequence[Idea], changed: set[str] | None = None) -> None:
        """Show ``ideas`` in this order (``changed`` is a hint only: cards are cached by content)."""
        keep = self.selected_id()
        was_at_top = self.scroll_y <= 0
        self._ideas = {i.id: i for i in ideas}
        self.shown = [i.id for i in ideas]
        self._dots = {i.id: state.dots_on(i.id) for i in ideas} if self.dots else {}
        themes = sorted(state.themes.values(), key=lambda t: t.name.casefold())
        self._colours = {t.id: PAPER[n % len(PAPER)] for n, t in enumerate(themes)}
        self._colours[None] = NO_THEME_PAPER
        self._theme_names = {t.id: terminal_safe(t.name) for t in themes}
        settings = state.workshop.settings
        names = settings.show_authors and not settings.anonymous
        self._authors = {p.id: terminal_safe(p.name) for p in state.participants.values()} if names else {}
        self._newest = max(ideas, key=lambda i: (i.created_at, i.id)).id if ideas else None
        if keep in self._ideas:
            self.cursor = self.shown.index(keep)
        else:
            self.cursor = min(self.cursor, max(0, len(self.shown) - 1))
        self._plan()
        if was_at_top:
            self.scroll_to(y=0, animate=False, immediate=True)  # following: the newest stays in view

    def add(self, idea: Idea, dots: int = 0) -> None:
        """A new note, on top (newest first, ungrouped): no other card is re-planned or redrawn."""
        assert not self.grouped
        keep = self.selected_id()
        self._ideas[idea.id] = idea
        self.shown.insert(0, idea.id)
        if self.dots:
            self._dots[idea.id] = dots
        self._newest = idea.id
        if keep is not None:
            self.cursor += 1  # the facilitator's note keeps the cursor
        self._plan()
        if self.scroll_y <= 0:
            self.scroll_to(y=0, animate=False, immediate=True)

    def _plan(self) -> None:
        """The layout for the current width and order; nothing is rendered here."""
        self._geometry()
        if not self.grouped:  # rows of cards, nothing to plan: row = line // row height
            self._bands, self._tops, self._where = [], [], {}
            height = -(-len(self.shown) // self._columns) * (self.card_height + 1)
            self.virtual_size = Size(self.scrollable_content_region.width or self.size.width, height)
            self.refresh()
            return
        bands: list[Band] = []
        where: dict[int, tuple[int, int]] = {}
        top = 0
        row_height = self.card_height + 1

        def rows(indexes: list[int]) -> None:
            nonlocal top
            for start in range(0, len(indexes), self._columns):
                cards = tuple(indexes[start : start + self._columns])
                for column, index in enumerate(cards):
                    where[index] = (len(bands), column)
                bands.append(Band(top, row_height, cards=cards))
                top += row_height

        sections: dict[str | None, list[int]] = {}
        for index, idea_id in enumerate(self.shown):
            sections.setdefault(self._ideas[idea_id].theme_id, []).append(index)
        for theme_id, indexes in sections.items():
            paper = self._colours.get(theme_id, NO_THEME_PAPER)
            heading = Text(f" {self._theme_names.get(theme_id, 'No theme')} ", style=f"bold {INK} on {paper}")
            heading.append(f"  {len(indexes)} {'note' if len(indexes) == 1 else 'notes'}", style="bold")
            bands.append(Band(top, 2, heading=heading))
            top += 2
            rows(indexes)
        self._bands, self._where = bands, where
        self._tops = [b.top for b in bands]
        self.virtual_size = Size(self.scrollable_content_region.width or self.size.width, top)
        self.refresh()

    def selected_id(self) -> str | None:
        return self.shown[self.cursor] if self.shown and self.cursor < len(self.shown) else None

    def note(self, idea_id: str) -> Idea:
        return self._ideas[idea_id]

    def card_text(self, idea_id: str) -> str:
        """The note's text as its card shows it, with the card's marks ("✔ ", "(hidden) ")."""
        idea = self._ideas[idea_id]
        marks = ("✔ " if idea_id in self.marked else "") + ("(hidden) " if idea.hidden else "")
        return marks + terminal_safe(idea.text)

    # ------------------------------------------------------------------ drawing

    def _band_at(self, line: int) -> Band | None:
        if not self.grouped:
            height = self.card_height + 1
            first = (line // height) * self._columns
            if line < 0 or first >= len(self.shown):
                return None
            return Band(
                line - line % height, height, cards=tuple(range(first, min(first + self._columns, len(self.shown))))
            )
        at = bisect_right(self._tops, line) - 1
        return self._bands[at] if 0 <= at < len(self._bands) else None

    def _position(self, index: int) -> tuple[int, int]:
        """The first line and the column of card ``index``."""
        if not self.grouped:
            return (index // self._columns) * (self.card_height + 1), index % self._columns
        band, column = self._where.get(index, (0, 0))
        return (self._bands[band].top if self._bands else 0), column

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per frame, not once per line: both walk the DOM (a third of a frame's cost otherwise).
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, background = self._frame
        line = y + int(self.scroll_offset.y)
        band = self._band_at(line)
        if band is None:
            return Strip.blank(width, background)
        offset = line - band.top
        if band.heading is not None:
            if offset:
                return Strip.blank(width, background)
            return Strip(band.heading.render(self.app.console), band.heading.cell_len).extend_cell_length(width)
        if offset >= self.card_height:
            return Strip.blank(width, background)
        pieces: list[Strip] = []
        gap = Strip.blank(GAP, background)
        for column, index in enumerate(band.cards):
            if column:
                pieces.append(gap)
            pieces.append(self._card(index)[offset])
        return Strip.join(pieces).extend_cell_length(width, background)

    def _card(self, index: int) -> list[Strip]:
        idea = self._ideas[self.shown[index]]
        selected = index == self.cursor and self.has_focus
        flags = (idea.id in self.marked, idea.id == self._newest, selected, index == self.cursor)
        dots = self._dots.get(idea.id)
        author = self._authors.get(idea.author_id or "")
        key = (idea.id, idea.text, idea.theme_id, idea.hidden, dots, author, flags, self._card_width, self._text_lines)
        cached = self._cards.get(key)
        if cached is None:
            if len(self._cards) > 4096:  # a bound, not a policy: cards are cheap to draw again
                self._cards.clear()
            cached = self._cards[key] = self._draw(idea, dots, author, *flags)
        return cached

    def _draw(
        self,
        idea: Idea,
        dots: int | None,
        author: str | None,
        marked: bool,
        newest: bool,
        focused: bool,
        cursor: bool,
    ) -> list[Strip]:
        width, lines = self._card_width, self._text_lines
        paper = HIDDEN_PAPER if idea.hidden else self._colours.get(idea.theme_id, NO_THEME_PAPER)
        ink = "#e0e0e0" if idea.hidden else INK
        base = Style.parse(f"{ink} on {paper}")
        if focused:
            base = Style.parse(f"bold {paper} on {INK}")  # the highlighted card, inverted: seen from afar
        elif cursor:
            base = base + Style(bold=True)
        inner = width - 2
        console = self.app.console

        def strip(text: Text) -> Strip:
            text.truncate(inner, overflow="ellipsis", pad=True)
            segments = [Segment(" ", base), *text.render(console, ""), Segment(" ", base)]
            return Strip(Segment.apply_style(segments, base), width)

        tags = Text(style=base)
        if marked:
            tags.append("✔ marked ", style="bold reverse")
        if newest:
            tags.append("★ NEW ", style="bold")
        if idea.hidden:
            tags.append("hidden ", style="italic")
        if self.grouped is False and idea.theme_id is not None:
            tags.append(self._theme_names.get(idea.theme_id, ""), style="italic")
        body = Text(terminal_safe(idea.text), style=base + Style(bold=True))
        wrapped = body.wrap(console, inner, overflow="fold")
        shown = list(wrapped)[:lines]
        if len(wrapped) > lines:
            last = shown[-1]
            last.truncate(inner - 1)
            last.append("…")
        shown += [Text(style=base)] * (lines - len(shown))
        label = f"● {dots}" if dots is not None else ""
        foot = Text(author or "", style=base + Style(italic=True))
        foot.truncate(max(0, inner - len(label) - 1), overflow="ellipsis")
        foot.append(" " * max(0, inner - foot.cell_len - len(label)))
        foot.append(label, style="bold")
        return [strip(tags), *(strip(t) for t in shown), strip(foot)]

    # ------------------------------------------------------------------ moving

    def move_cursor(self, index: int) -> None:
        if not self.shown:
            return
        self.cursor = max(0, min(len(self.shown) - 1, index))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted())

    def _scroll_to_cursor(self) -> None:
        top, column = self._position(self.cursor)
        x = column * (self._card_width + GAP)
        region = Region(x, max(0, top - (2 if self.grouped else 0)), self._card_width, self.card_height + 1)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def action_move(self, dx: int, dy: int) -> None:
        if not self.shown:
            return
        if dx:
            self.move_cursor(self.cursor + dx)
            return
        if not self.grouped:
            target = self.cursor + dy * self._columns
            if 0 <= target < len(self.shown):
                self.move_cursor(target)
            elif dy > 0 and self.cursor // self._columns < (len(self.shown) - 1) // self._columns:
                self.move_cursor(len(self.shown) - 1)  # the last, shorter row
            return
        band, column = self._where.get(self.cursor, (0, 0))
        step = band + dy
        while 0 <= step < len(self._bands) and not self._bands[step].cards:
            step += dy  # over a theme heading
        if 0 <= step < len(self._bands):
            cards = self._bands[step].cards
            self.move_cursor(cards[min(column, len(cards) - 1)])

    def action_page(self, direction: int) -> None:
        rows = max(1, self.size.height // (self.card_height + 1))
        for _ in range(rows):
            self.action_move(0, direction)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        band = self._band_at(event.y + int(self.scroll_offset.y))
        if band is not None and band.cards:
            column = (event.x + int(self.scroll_offset.x)) // (self._card_width + GAP)
            if column < len(band.cards):
                self.move_cursor(band.cards[column])
