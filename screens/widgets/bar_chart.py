"""A ranked horizontal bar chart of ideas for the projector, built on ``OptionList`` (virtualised).

Each entry is two lines: the rank and the idea's text, then a bar and the dot count. The idea text
is participant text, so it enters as plain ``Content`` (never markup); bars use theme variables so
they follow the projector theme. An entry can be highlighted (the "selected idea" for paper dots).
With ``revealed`` False the same list shows the ideas without any count, in posting order.

For the room: the reveal opens at #1 (highlight and scroll reset), the cursor stops at both ends
instead of wrapping, ties share a rank ("=1"), and the highlighted row keeps its bar visible.

Entries are built when first drawn (``LazyEntry``): their height is known beforehand (entries never
wrap), so revealing 2,000 ideas lays out the few on screen, not all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workshop_tui.text_safety import terminal_safe

BAR = "█"


@dataclass(frozen=True)
class ChartRow:
    idea_id: str
    text: str
    dots: int


def rank_labels(dots: list[int]) -> list[str]:
    """Competition ranks for counts sorted most first; a shared rank is marked "=" (4, 4, 3 -> =1, =1, 3)."""
    first: dict[int, int] = {}
    for index, count in enumerate(dots):
        first.setdefault(count, index + 1)
    shared = Counter(dots)
    return [f"{'=' if shared[count] > 1 else ''}{first[count]}" for count in dots]


class LazyEntry(Visual):
    """One entry of the chart, built the first time it is drawn or read; its height (``lines``: one,
    or two with a bar) is known without building it, which is all the option list's layout asks of
    the entries off screen."""

    def __init__(self, build: Callable[[], Content], lines: int) -> None:
        self._build: Callable[[], Content] | None = build
        self._content: Content | None = None
        self.lines = lines

    @property
    def built(self) -> bool:
        return self._content is not None

    @property
    def content(self) -> Content:
        if self._content is None:
            assert self._build is not None
            self._content, self._build = self._build(), None
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines

    def __str__(self) -> str:
        return str(self.content)


class BarChart(OptionList):
    DEFAULT_CSS = """
    /* A stable gutter: the bars are measured once for the width left beside the scrollbar. */
    /* Entries are cut to the width (and their bar fits it): measuring them needs no wrapping. */
    BarChart { height: 1fr; border: none; padding: 0 1; scrollbar-gutter: stable; text-wrap: nowrap; }
    BarChart > .option-list--option { padding: 0 0; }
    /* The bar is drawn in $accent: a highlight in that colour would hide it. */
    BarChart > .option-list--option-highlighted,
    BarChart:focus > .option-list--option-highlighted {
        color: $accent; background: $boost; text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ChartRow] = []
        self.revealed = False
        self._drawn_for: tuple[int, bool, tuple[ChartRow, ...]] | None = None
        self._entries: dict[tuple[object, ...], LazyEntry] = {}  # the last draw's, by what they show

    def show(self, rows: list[ChartRow], revealed: bool) -> None:
        opening = revealed and not self.revealed
        self.rows = rows
        self.revealed = revealed
        self._draw(top=opening)

    def action_cursor_up(self) -> None:
        if self.highlighted != 0:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    @staticmethod
    def _entry(rank: str, row: ChartRow, width: int, most: int, rank_width: int, revealed: bool) -> Content:
        label = " ".join(terminal_safe(row.text).split())
        room = max(8, width - rank_width - 3)
        if len(label) > room:
            label = label[: room - 1].rstrip() + "…"
        if not revealed:
            return Content.assemble(("• ", "bold"), Content(label))
        # The bar shares its line with the rank's indent and the largest count: never wrap it.
        indent = rank_width + 2
        bar_room = max(4, width - indent - len(f" {most}") - 1)
        length = round(bar_room * row.dots / most) if most else 0
        bar = BAR * max(length, 1 if row.dots else 0)
        first = row.dots == most and most > 0
        return Content.assemble(
            (f"{rank:>{rank_width}}. ", "bold"),
            Content(label).stylize("bold") if first else Content(label),
            "\n" + " " * indent,
            (bar, "$accent"),
            (f" {row.dots}", "bold"),
        )

    def _draw(self, *, top: bool = False) -> None:
        width = self.scrollable_content_region.width or self.size.width
        key = (width, self.revealed, tuple(self.rows))
        if key == self._drawn_for and not top:
            return
        self._drawn_for = key
        keep = None if top else self.selected_id()
        most = max((r.dots for r in self.rows), default=0)
        ranks = rank_labels([r.dots for r in self.rows])
        rank_width = max([2, *(len(r) for r in ranks)])
        # An entry kept from the last draw keeps its measured height: a dot redraws the rows it moved.
        entries: dict[tuple[object, ...], LazyEntry] = {}
        options: list[Option] = []
        lines = 2 if self.revealed else 1
        for rank, row in zip(ranks, self.rows, strict=True):
            shows = (rank, row, width, most, rank_width, self.revealed)
            entry = self._entries.get(shows) or LazyEntry(partial(self._entry, *shows), lines)
            entries[shows] = entry
            options.append(Option(entry, id=row.idea_id))
        self._entries = entries
        self.set_options(options)
        if not self.rows:
            return
        ids = [r.idea_id for r in self.rows]
        self.highlighted = ids.index(keep) if keep in ids else 0
        if top:
            self.scroll_home(animate=False, immediate=True)
