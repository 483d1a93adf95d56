"""A ranked horizontal bar chart of ideas for the projector, built on ``OptionList`` (virtualised).

Each entry is two lines: the rank and the idea's text, then a bar and the dot count. The idea text
is participant text, so it enters as plain ``Content`` (never markup); bars use theme variables so
they follow the projector theme. An entry can be highlighted (the "selected idea" for paper dots).
With ``revealed`` False the same list shows the ideas without any count, in posting order.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workshop_tui.text_safety import terminal_safe

BAR = "█"


@dataclass(frozen=True)
class ChartRow:
    idea_id: str
    text: str
    dots: int


class BarChart(OptionList):
    DEFAULT_CSS = """
    BarChart { height: 1fr; border: none; padding: 0 1; }
    BarChart > .option-list--option { padding: 0 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ChartRow] = []
        self.revealed = False
        self._drawn_for: tuple[int, bool, tuple[ChartRow, ...]] | None = None

    def show(self, rows: list[ChartRow], revealed: bool) -> None:
        self.rows = rows
        self.revealed = revealed
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def _entry(self, rank: int, row: ChartRow, width: int, most: int) -> Content:
        label = " ".join(terminal_safe(row.text).split())
        room = max(8, width - 5)
        if len(label) > room:
            label = label[: room - 1].rstrip() + "…"
        if not self.revealed:
            return Content.assemble(("• ", "bold"), Content(label))
        # The bar shares its line with the 4-column indent and the largest count: never wrap it.
        bar_room = max(4, width - 4 - len(f" {most}") - 2)
        length = round(bar_room * row.dots / most) if most else 0
        bar = BAR * max(length, 1 if row.dots else 0)
        return Content.assemble(
            (f"{rank:>2}. ", "bold"),
            Content(label).stylize("bold") if rank == 1 else Content(label),
            "\n    ",
            (bar, "$accent"),
            (f" {row.dots}", "bold"),
        )

    def _draw(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        key = (width, self.revealed, tuple(self.rows))
        if key == self._drawn_for:
            return
        self._drawn_for = key
        keep = self.selected_id()
        most = max((r.dots for r in self.rows), default=0)
        self.set_options(
            Option(self._entry(rank, row, width, most), id=row.idea_id) for rank, row in enumerate(self.rows, 1)
        )
        if not self.rows:
            return
        ids = [r.idea_id for r in self.rows]
        self.highlighted = ids.index(keep) if keep in ids else 0
