"""The wall as sticky notes: cards in a grid, coloured by theme, newest first, grouped by theme on request.

A Line API widget (``ScrollView`` + ``render_line``, as toolong draws its log): only the lines on
screen are drawn, each from cards rendered once and cached, so 2,000 notes cost what the visible
ones cost. The wall is a few sections (one, or one per theme when grouped), each a list of note ids
kept oldest first, so a note from a phone is appended; the layout is arithmetic within a section
(row = line // row height) and a list of section tops across them. A note arriving, changing or
leaving therefore costs O(sections) plus a bisect, whatever the number of notes, and nothing off
screen is rendered.

Participant text enters as ``rich.text.Text`` after ``terminal_safe``: never markup, never an escape.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, overload

from rich.cells import cell_len, set_cell_size
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
HEADING = 2  # lines of a theme's heading: its name, then a blank line


def _fit(line: str, cells: int) -> str:
    """``line`` padded to ``cells``, or cut with an ellipsis."""
    if cell_len(line) <= cells:
        return set_cell_size(line, cells)
    cut = Text(line)
    cut.truncate(cells, overflow="ellipsis", pad=True)
    return cut.plain


def _order(idea: Idea) -> tuple[object, ...]:
    return (idea.created_at, idea.id)


@dataclass
class Section:
    """The notes of one theme (grouped), or of the whole wall: ids oldest first, shown newest first."""

    theme_id: str | None
    ids: list[str] = field(default_factory=list)
    top: int = 0  # its first line
    start: int = 0  # the display index of its first (newest) card


class Shown(Sequence[str]):
    """The ids on the wall in display order (newest first, section by section), read from the sections
    without copying them: ``len``, indexing and ``in`` cost O(log sections)."""

    def __init__(self, wall: NoteWall) -> None:
        self._wall = wall

    def __len__(self) -> int:
        return self._wall._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        section, k = self._wall._locate(index)
        return section.ids[len(section.ids) - 1 - k]

    def __iter__(self) -> Iterator[str]:
        for section in self._wall._sections:
            yield from reversed(section.ids)

    def __contains__(self, idea_id: object) -> bool:
        return idea_id in self._wall._ideas

    def index(self, idea_id: object, start: int = 0, stop: int | None = None) -> int:
        found = self._wall.index_of(str(idea_id))
        if found is None or found < start or (stop is not None and found >= stop):
            raise ValueError(f"{idea_id!r} is not on the wall")
        return found


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
        self.shown = Shown(self)
        self.cursor = 0
        self.marked: set[str] = set()
        self.grouped = False
        self.dots = False
        self._ideas: dict[str, Idea] = {}  # the notes on the wall
        self._sections: list[Section] = []
        self._by_theme: dict[str | None, Section] = {}  # grouped: the section of each theme
        self._tops: list[int] = []
        self._starts: list[int] = []
        self._count = 0
        self._dots: dict[str, int] = {}
        self._colours: dict[str | None, str] = {}
        self._theme_names: dict[str | None, str] = {}
        self._theme_keys: dict[str | None, tuple[bool, str]] = {None: (False, "")}  # sections' order
        self._authors: dict[str, str] = {}  # participant id -> name, only while the facilitator projects names
        self._newest: str | None = None
        self._cards: dict[tuple[object, ...], list[Strip]] = {}  # rendered cards, by what they show
        self._bodies: dict[tuple[str, int, int], list[str]] = {}  # wrapped texts, by text and width
        self._columns = 1
        self._card_width = MIN_CARD
        self._text_lines = 3
        self._frame: tuple[int, Style] = (0, Style())  # width and background of the frame being drawn
        self._basis = (-1, -1)  # the content width and height the layout was made for

    # ------------------------------------------------------------------ geometry

    @property
    def card_height(self) -> int:
        return self._text_lines + 2  # a line for marks, the text, a line for dots

    @property
    def row_height(self) -> int:
        return self.card_height + 1

    def on_resize(self, event: events.Resize) -> None:
        if self._basis != (self.scrollable_content_region.width, self.size.height):
            self._layout()

    def _geometry(self) -> None:
        width = max(MIN_CARD, self.scrollable_content_region.width or self.size.width or 80)
        self._columns = max(1, (width + GAP) // (MIN_CARD + GAP))
        self._card_width = (width - GAP * (self._columns - 1)) // self._columns
        self._text_lines = 4 if (self.size.height or 20) >= 36 else 3

    def _layout(self, repaint: bool = True) -> None:
        """Each section's first line and first display index: O(sections), nothing is rendered here."""
        self._geometry()
        self._basis = (self.scrollable_content_region.width, self.size.height)
        top = start = 0
        heading = HEADING if self.grouped else 0
        for section in self._sections:
            section.top, section.start = top, start
            top += heading + -(-len(section.ids) // self._columns) * self.row_height
            start += len(section.ids)
        self._tops = [s.top for s in self._sections]
        self._starts = [s.start for s in self._sections]
        self._count = start
        self.virtual_size = Size(self.scrollable_content_region.width or self.size.width, top)
        if repaint:
            self.refresh()

    def _locate(self, index: int) -> tuple[Section, int]:
        """The section holding display index ``index`` and the card's place in it (0: its newest)."""
        at = bisect_right(self._starts, index) - 1
        section = self._sections[at]
        return section, index - section.start

    # ------------------------------------------------------------------ data

    def show(self, state: WorkshopView, ideas: Sequence[Idea]) -> None:
        """Show ``ideas``, newest first (section by section when grouped): the one full rebuild, for a
        new filter, phase or theme; single notes come and go with ``put`` and ``discard``."""
        keep = self.selected_id()
        was_at_top = self.scroll_y <= 0
        self._ideas = {i.id: i for i in ideas}
        self._dots = {i.id: state.dots_on(i.id) for i in ideas} if self.dots else {}
        themes = sorted(state.themes.values(), key=lambda t: t.name.casefold())
        self._colours = {t.id: PAPER[n % len(PAPER)] for n, t in enumerate(themes)}
        self._colours[None] = NO_THEME_PAPER
        self._theme_names = {t.id: terminal_safe(t.name) for t in themes}
        self._theme_keys = {None: (False, ""), **{t.id: (True, t.name.casefold()) for t in themes}}
        settings = state.workshop.settings
        names = settings.show_authors and not settings.anonymous
        self._authors = {p.id: terminal_safe(p.name) for p in state.participants.values()} if names else {}
        ordered = sorted(ideas, key=_order)
        if self.grouped:
            self._by_theme = {}
            for idea in ordered:
                self._section(idea.theme_id).ids.append(idea.id)
        else:
            self._by_theme = {}
            self._sections = [Section(None, [i.id for i in ordered])]
        self._sections = self._sorted_sections()
        self._newest = ordered[-1].id if ordered else None
        self._layout()
        self._keep_cursor(keep)
        if was_at_top:
            self.scroll_to(y=0, animate=False, immediate=True)  # following: the newest stays in view

    def _sorted_sections(self) -> list[Section]:
        if not self.grouped:
            return self._sections or [Section(None)]
        return sorted(self._by_theme.values(), key=lambda s: self._theme_keys.get(s.theme_id, (True, "")))

    def _section(self, theme_id: str | None) -> Section:
        """The section a note of ``theme_id`` goes to (made when grouped and missing)."""
        if not self.grouped:
            if not self._sections:
                self._sections = [Section(None)]
            return self._sections[0]
        section = self._by_theme.get(theme_id)
        if section is None:
            section = self._by_theme[theme_id] = Section(theme_id)
        return section

    def _slot(self, section: Section, idea: Idea) -> int:
        return bisect_left(section.ids, _order(idea), key=lambda i: _order(self._ideas[i]))

    def put(self, idea: Idea, dots: int = 0) -> None:
        """Add a note, or update one already on the wall, in its place (a new one on top of its section)."""
        keep = self.selected_id()
        was_at_top = self.scroll_y <= 0
        old = self._ideas.get(idea.id)
        if self.dots:
            self._dots[idea.id] = dots
        if old is not None and (old.theme_id == idea.theme_id or not self.grouped):
            self._ideas[idea.id] = idea  # same place (created_at and id never change): redraw its card only
            self._refresh_card(self.index_of(idea.id))
            return
        if old is not None:
            self._take(old)
        self._ideas[idea.id] = idea
        section = self._section(idea.theme_id)
        if not section.ids and self.grouped:
            self._sections = self._sorted_sections()
        section.ids.insert(self._slot(section, idea), idea.id)
        newest = self._ideas.get(self._newest or "")
        if newest is None or _order(idea) > _order(newest):
            self._newest = idea.id
        self._layout()
        self._keep_cursor(keep)
        if was_at_top:
            self.scroll_to(y=0, animate=False, immediate=True)

    def discard(self, idea_id: str) -> None:
        """Take a note off the wall (hidden, deleted, merged, or out of the filter)."""
        idea = self._ideas.get(idea_id)
        if idea is None:
            return
        keep = self.selected_id()
        self._take(idea)
        del self._ideas[idea_id]
        self._dots.pop(idea_id, None)
        if self._newest == idea_id:
            lasts = [self._ideas[s.ids[-1]] for s in self._sections if s.ids]
            self._newest = max(lasts, key=_order).id if lasts else None
        self._layout()
        self._keep_cursor(keep if keep != idea_id else None)

    def _take(self, idea: Idea) -> None:
        section = self._section(idea.theme_id)
        del section.ids[self._slot(section, idea)]
        if not section.ids and self.grouped:
            del self._by_theme[section.theme_id]
            self._sections = self._sorted_sections()

    def set_dots(self, idea_id: str, dots: int) -> None:
        if self.dots and idea_id in self._ideas:
            self._dots[idea_id] = dots
            self._refresh_card(self.index_of(idea_id))

    def set_author(self, participant_id: str, name: str) -> None:
        """A new participant's name, while names are projected (their notes arrive after they join)."""
        if self._authors:
            self._authors[participant_id] = terminal_safe(name)

    def _keep_cursor(self, keep: str | None) -> None:
        found = self.index_of(keep) if keep is not None else None
        self.cursor = found if found is not None else min(self.cursor, max(0, self._count - 1))

    def index_of(self, idea_id: str) -> int | None:
        """The display index of a note on the wall: a bisect in its section."""
        idea = self._ideas.get(idea_id)
        if idea is None:
            return None
        section = self._section(idea.theme_id)
        return section.start + len(section.ids) - 1 - self._slot(section, idea)

    def selected_id(self) -> str | None:
        return self.shown[self.cursor] if 0 <= self.cursor < self._count else None

    def note(self, idea_id: str) -> Idea:
        return self._ideas[idea_id]

    def hidden_shown(self) -> int:
        """How many hidden notes are on the wall (only while the facilitator shows them)."""
        return sum(1 for i in self._ideas.values() if i.hidden)

    def card_text(self, idea_id: str) -> str:
        """The note's text as its card shows it, with the card's marks ("✔ ", "(hidden) ")."""
        idea = self._ideas[idea_id]
        marks = ("✔ " if idea_id in self.marked else "") + ("(hidden) " if idea.hidden else "")
        return marks + terminal_safe(idea.text)

    # ------------------------------------------------------------------ drawing

    def _cards_at(self, line: int) -> tuple[Section | None, int, range]:
        """What line ``line`` of the wall shows: (section, line within the band, display indexes of its
        cards); an empty range is a blank line, offset -1 in a grouped section is its heading."""
        at = bisect_right(self._tops, line) - 1
        if line < 0 or at < 0:
            return None, 0, range(0)
        section = self._sections[at]
        offset = line - section.top
        if self.grouped:
            if offset < HEADING:
                return section, -1 if offset == 0 else 0, range(0)
            offset -= HEADING
        row, within = divmod(offset, self.row_height)
        first = row * self._columns
        if first >= len(section.ids):
            return None, 0, range(0)
        last = min(first + self._columns, len(section.ids))
        return section, within, range(section.start + first, section.start + last)

    def _position(self, index: int) -> tuple[int, int]:
        """The first line and the column of card ``index``."""
        if not self._sections or index >= self._count:
            return 0, 0
        section, k = self._locate(index)
        row, column = divmod(k, self._columns)
        return section.top + (HEADING if self.grouped else 0) + row * self.row_height, column

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per frame, not once per line: both walk the DOM (a third of a frame's cost otherwise).
        width = self.scrollable_content_region.width
        if self._basis != (width, self.size.height):
            # Laid out for the size this frame has: the resize event comes later, and cards drawn
            # at a stale width would all be drawn again (the screen's layout settles over 2-3 frames).
            self._layout(repaint=False)  # this frame draws it
        self._frame = (width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, background = self._frame
        section, offset, cards = self._cards_at(y + int(self.scroll_offset.y))
        if section is not None and offset == -1:
            heading = self._heading(section)
            return Strip(heading.render(self.app.console), heading.cell_len).extend_cell_length(width)
        if not cards or offset >= self.card_height:
            return Strip.blank(width, background)
        pieces: list[Strip] = []
        gap = Strip.blank(GAP, background)
        for column, index in enumerate(cards):
            if column:
                pieces.append(gap)
            pieces.append(self._card(index)[offset])
        return Strip.join(pieces).extend_cell_length(width, background)

    def _heading(self, section: Section) -> Text:
        paper = self._colours.get(section.theme_id, NO_THEME_PAPER)
        name = self._theme_names.get(section.theme_id, "No theme")
        heading = Text(f" {name} ", style=f"bold {INK} on {paper}")
        count = len(section.ids)
        heading.append(f"  {count} {'note' if count == 1 else 'notes'}", style="bold")
        return heading

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
        width = self._card_width
        paper = HIDDEN_PAPER if idea.hidden else self._colours.get(idea.theme_id, NO_THEME_PAPER)
        ink = "#e0e0e0" if idea.hidden else INK
        base = Style.parse(f"{ink} on {paper}")
        if focused:
            base = Style.parse(f"bold {paper} on {INK}")  # the highlighted card, inverted: seen from afar
        elif cursor:
            base = base + Style(bold=True)
        inner = width - 2
        console = self.app.console
        edge = Segment(" ", base)

        def strip(text: Text) -> Strip:  # a line of several styles
            text.truncate(inner, overflow="ellipsis", pad=True)
            segments = [edge, *text.render(console, ""), edge]
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
        # The text in the card's own style: only the highlighted card is bold, so it stands out.
        body = [Strip([edge, Segment(line, base), edge], width) for line in self._wrapped(idea.text, inner)]
        blank = Strip([edge, Segment(" " * inner, base), edge], width)
        label = f"● {dots}" if dots is not None else ""
        foot = Text(author or "", style=base)
        foot.truncate(max(0, inner - len(label) - 1), overflow="ellipsis")
        foot.append(" " * max(0, inner - foot.cell_len - len(label)))
        foot.append(label, style="bold")
        return [strip(tags), *body, *[blank] * (self._text_lines - len(body)), strip(foot)]

    def _wrapped(self, text: str, inner: int) -> list[str]:
        """The note's text as the lines of its card, each ``inner`` cells wide (an ellipsis ends a
        cut text): kept by text and width, as wrapping is most of a card's cost and a card is drawn
        again whenever its marks change."""
        key = (text, inner, self._text_lines)
        found = self._bodies.get(key)
        if found is not None:
            return found
        lines = self._text_lines
        wrapped = [t.plain for t in Text(terminal_safe(text)).wrap(self.app.console, inner, overflow="fold")]
        shown = wrapped[:lines]
        if len(wrapped) > lines:
            shown[-1] = (set_cell_size(shown[-1], inner - 1) if cell_len(shown[-1]) > inner - 1 else shown[-1]) + "…"
        if len(self._bodies) > 4096:  # a bound, as for the cards
            self._bodies.clear()
        found = self._bodies[key] = [_fit(line, inner) for line in shown]
        return found

    # ------------------------------------------------------------------ moving

    def move_cursor(self, index: int) -> None:
        if not self._count:
            return
        self._refresh_card(self.cursor)
        self.cursor = max(0, min(self._count - 1, index))
        self._refresh_card(self.cursor)
        self._scroll_to_cursor()  # a scroll repaints it all
        self.post_message(self.Highlighted())

    def _scroll_to_cursor(self) -> None:
        top, column = self._position(self.cursor)
        x = column * (self._card_width + GAP)
        region = Region(x, max(0, top - (HEADING if self.grouped else 0)), self._card_width, self.row_height)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def action_move(self, dx: int, dy: int) -> None:
        if not self._count:
            return
        if dx:
            self.move_cursor(self.cursor + dx)
            return
        section, k = self._locate(self.cursor)
        row, column = divmod(k, self._columns)
        rows = -(-len(section.ids) // self._columns)
        if 0 <= row + dy < rows:  # within the section (the last row may be shorter)
            self.move_cursor(section.start + min((row + dy) * self._columns + column, len(section.ids) - 1))
            return
        at = self._sections.index(section) + dy  # over a theme heading, to the next section
        if 0 <= at < len(self._sections) and self._sections[at].ids:
            target = self._sections[at]
            row = 0 if dy > 0 else (len(target.ids) - 1) // self._columns
            self.move_cursor(target.start + min(row * self._columns + column, len(target.ids) - 1))

    def action_page(self, direction: int) -> None:
        rows = max(1, self.size.height // self.row_height)
        for _ in range(rows):
            self.action_move(0, direction)

    def _refresh_card(self, index: int | None) -> None:
        """Repaint the lines of one card (all of the wall's width: cheaper to find than its cells)."""
        if index is not None and 0 <= index < self._count:
            top, _ = self._position(index)
            self.refresh_lines(top, self.card_height)

    def on_click(self, event: events.Click) -> None:
        _, _, cards = self._cards_at(event.y + int(self.scroll_offset.y))
        column = (event.x + int(self.scroll_offset.x)) // (self._card_width + GAP)
        if column < len(cards):
            self.move_cursor(cards[column])
