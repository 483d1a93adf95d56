"""Where the wall's cards go: columns from the width, a few sections (one, or one per theme when
grouped, each under a heading) and rows of cards in each.

The layout is arithmetic within a section (row = line // row height) and a list of section tops
and first display indexes across them: placing everything costs O(sections), finding what a line
shows or where a card is a bisect, whatever the number of notes.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

MIN_CARD = 26  # cells: a short sentence per line, readable from the back of a room
GAP = 2
HEADING = 2  # lines of a theme's heading: its name, then a blank line


@dataclass
class Section:
    """The notes of one theme (grouped), or of the whole wall: ids oldest first, shown newest first."""

    theme_id: str | None
    ids: list[str] = field(default_factory=list)
    top: int = 0  # its first line
    start: int = 0  # the display index of its first (newest) card


class Grid:
    """The sections in display order and the geometry they are laid out with."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.grouped = False
        self.columns = 1
        self.card_width = MIN_CARD
        self.text_lines = 3
        self.count = 0  # cards on the wall
        self.height = 0  # lines
        self._tops: list[int] = []
        self._starts: list[int] = []

    @property
    def card_height(self) -> int:
        return self.text_lines + 2  # a line for marks, the text, a line for dots

    @property
    def row_height(self) -> int:
        return self.card_height + 1

    @property
    def heading(self) -> int:
        return HEADING if self.grouped else 0

    def fit(self, width: int, height: int) -> None:
        """Columns and card size for a content area of ``width`` x ``height`` cells."""
        width = max(MIN_CARD, width)
        self.columns = max(1, (width + GAP) // (MIN_CARD + GAP))
        self.card_width = (width - GAP * (self.columns - 1)) // self.columns
        self.text_lines = 4 if height >= 36 else 3

    def place(self) -> None:
        """Each section's first line and first display index: O(sections), nothing is drawn here."""
        top = start = 0
        for section in self.sections:
            section.top, section.start = top, start
            top += self.heading + self.rows_of(section) * self.row_height
            start += len(section.ids)
        self._tops = [s.top for s in self.sections]
        self._starts = [s.start for s in self.sections]
        self.count, self.height = start, top

    def rows_of(self, section: Section) -> int:
        return -(-len(section.ids) // self.columns)

    def locate(self, index: int) -> tuple[Section, int]:
        """The section holding display index ``index`` and the card's place in it (0: its newest)."""
        section = self.sections[bisect_right(self._starts, index) - 1]
        return section, index - section.start

    def cards_at(self, line: int) -> tuple[Section | None, int, range]:
        """What line ``line`` of the wall shows: (section, line within the band, display indexes of its
        cards); an empty range is a blank line, offset -1 in a grouped section is its heading."""
        at = bisect_right(self._tops, line) - 1
        if line < 0 or at < 0:
            return None, 0, range(0)
        section = self.sections[at]
        offset = line - section.top
        if self.grouped:
            if offset < HEADING:
                return section, -1 if offset == 0 else 0, range(0)
            offset -= HEADING
        row, within = divmod(offset, self.row_height)
        first = row * self.columns
        if first >= len(section.ids):
            return None, 0, range(0)
        last = min(first + self.columns, len(section.ids))
        return section, within, range(section.start + first, section.start + last)

    def position(self, index: int) -> tuple[int, int]:
        """The first line and the column of card ``index``."""
        if not self.sections or index >= self.count:
            return 0, 0
        section, k = self.locate(index)
        row, column = divmod(k, self.columns)
        return section.top + self.heading + row * self.row_height, column

    def column_x(self, column: int) -> int:
        return column * (self.card_width + GAP)

    def column_at(self, x: int) -> int:
        return x // (self.card_width + GAP)

    def step(self, index: int, rows: int) -> int:
        """The card ``rows`` rows of cards below ``index`` (above if negative), in its column or the
        last card of a shorter row; across theme headings, and at most to the first or last row."""
        section, k = self.locate(index)
        row, column = divmod(k, self.columns)
        at = self.sections.index(section)
        row += rows
        while row < 0 and at > 0:  # up over headings, into the sections above
            at -= 1
            row += self.rows_of(self.sections[at])
        while row >= self.rows_of(self.sections[at]) and at < len(self.sections) - 1:
            row -= self.rows_of(self.sections[at])
            at += 1
        target = self.sections[at]
        row = max(0, min(row, self.rows_of(target) - 1))
        return target.start + min(row * self.columns + column, len(target.ids) - 1)
