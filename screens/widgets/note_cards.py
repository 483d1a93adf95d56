"""How a sticky note looks: its paper, its marks, its text wrapped to the card and its foot (author, dots).

A card is a list of ``Strip`` lines, drawn once per what it shows (and its size) and cached: the wall
only joins cached lines. Wrapping is most of a card's cost and a card is drawn again whenever its
marks change, so the wrapped text is cached on its own, by text and width.

Participant text enters as ``rich.text.Text`` after ``terminal_safe``: never markup, never an escape.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from workshop_tui.text_safety import terminal_safe

#: Sticky-note colours (dark text on light paper), one per theme in name order; notes without a
#: theme are the classic yellow.
PAPER = ["#ffd6a5", "#a0c4ff", "#b9fbc0", "#ffadad", "#cdb4db", "#9bf6ff", "#caffbf", "#fdffb6", "#bdb2ff"]
NO_THEME_PAPER = "#ffe066"
HIDDEN_PAPER = "#5c5c5c"
INK = "#111111"
CACHE_BOUND = 4096  # a bound, not a policy: cards are cheap to draw again


@dataclass(frozen=True)
class Card:
    """What one card shows: the cache key of its drawing."""

    idea_id: str  # two notes alike are still two cards
    text: str
    hidden: bool
    paper: str
    theme: str  # the theme's name as a tag ("" when the wall is grouped by theme, or none)
    dots: int | None
    author: str | None
    marked: bool
    newest: bool
    focused: bool  # the highlighted card while the wall has focus: inverted, seen from afar
    cursor: bool  # the highlighted card of a wall without focus: bold


def _fit(line: str, cells: int) -> str:
    """``line`` padded to ``cells``, or cut with an ellipsis."""
    if cell_len(line) <= cells:
        return set_cell_size(line, cells)
    cut = Text(line)
    cut.truncate(cells, overflow="ellipsis", pad=True)
    return cut.plain


class CardPainter:
    """Draws cards ``width`` cells wide with ``text_lines`` lines of text, each once."""

    def __init__(self) -> None:
        self.width = 26
        self.text_lines = 3
        self._cards: dict[tuple[Card, int, int], list[Strip]] = {}
        self._bodies: dict[tuple[str, int, int], list[str]] = {}

    def card(self, card: Card, console: Console) -> list[Strip]:
        key = (card, self.width, self.text_lines)
        cached = self._cards.get(key)
        if cached is None:
            if len(self._cards) > CACHE_BOUND:
                self._cards.clear()
            cached = self._cards[key] = self.draw(card, console)
        return cached

    def draw(self, card: Card, console: Console) -> list[Strip]:
        width = self.width
        paper = HIDDEN_PAPER if card.hidden else card.paper
        ink = "#e0e0e0" if card.hidden else INK
        base = Style.parse(f"{ink} on {paper}")
        if card.focused:
            base = Style.parse(f"bold {paper} on {INK}")
        elif card.cursor:
            base = base + Style(bold=True)
        inner = width - 2
        edge = Segment(" ", base)

        def strip(text: Text) -> Strip:  # a line of several styles
            text.truncate(inner, overflow="ellipsis", pad=True)
            segments = [edge, *text.render(console, ""), edge]
            return Strip(Segment.apply_style(segments, base), width)

        tags = Text(style=base)
        if card.marked:
            tags.append("✔ marked ", style="bold reverse")
        if card.newest:
            tags.append("★ NEW ", style="bold")
        if card.hidden:
            tags.append("hidden ", style="italic")
        if card.theme:
            tags.append(card.theme, style="italic")
        # The text in the card's own style: only the highlighted card is bold, so it stands out.
        body = [Strip([edge, Segment(line, base), edge], width) for line in self.wrapped(card.text, inner, console)]
        blank = Strip([edge, Segment(" " * inner, base), edge], width)
        label = f"● {card.dots}" if card.dots is not None else ""
        foot = Text(card.author or "", style=base)
        foot.truncate(max(0, inner - len(label) - 1), overflow="ellipsis")
        foot.append(" " * max(0, inner - foot.cell_len - len(label)))
        foot.append(label, style="bold")
        return [strip(tags), *body, *[blank] * (self.text_lines - len(body)), strip(foot)]

    def wrapped(self, text: str, inner: int, console: Console) -> list[str]:
        """The note's text as the lines of its card, each ``inner`` cells wide (an ellipsis ends a
        cut text)."""
        key = (text, inner, self.text_lines)
        found = self._bodies.get(key)
        if found is not None:
            return found
        lines = self.text_lines
        wrapped = [t.plain for t in Text(terminal_safe(text)).wrap(console, inner, overflow="fold")]
        shown = wrapped[:lines]
        if len(wrapped) > lines:
            shown[-1] = (set_cell_size(shown[-1], inner - 1) if cell_len(shown[-1]) > inner - 1 else shown[-1]) + "…"
        if len(self._bodies) > CACHE_BOUND:
            self._bodies.clear()
        found = self._bodies[key] = [_fit(line, inner) for line in shown]
        return found
