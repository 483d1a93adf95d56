"""The wall as sticky notes: cards in a grid, coloured by theme, newest first, grouped by theme on request.

A Line API widget (``ScrollView`` + ``render_line``, as toolong draws its log): only the lines on
screen are drawn, each from cards rendered once and cached (``note_cards``), so 2,000 notes cost what
the visible ones cost. The wall is a few sections (one, or one per theme when grouped), each a list
of note ids kept oldest first, so a note from a phone is appended; where they go is arithmetic
(``wall_grid``). A note arriving, changing or leaving therefore costs O(sections) plus a bisect,
whatever the number of notes, and nothing off screen is rendered.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar, overload

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.widgets.note_cards import INK, NO_THEME_PAPER, PAPER, Card, CardPainter
from screens.widgets.wall_grid import GAP, Grid, Section
from workshop_tui.models import Idea
from workshop_tui.service.view import WorkshopView
from workshop_tui.text_safety import terminal_safe


def _order(idea: Idea) -> tuple[object, ...]:
    return (idea.created_at, idea.id)


class Shown(Sequence[str]):
    """The ids on the wall in display order (newest first, section by section), read from the sections
    without copying them: ``len``, indexing and ``in`` cost O(log sections)."""

    def __init__(self, wall: NoteWall) -> None:
        self._wall = wall

    def __len__(self) -> int:
        return self._wall._grid.count

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
        section, k = self._wall._grid.locate(index)
        return section.ids[len(section.ids) - 1 - k]

    def __iter__(self) -> Iterator[str]:
        for section in self._wall._grid.sections:
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
        self.dots = False
        self._grid = Grid()
        self._painter = CardPainter()
        self._ideas: dict[str, Idea] = {}  # the notes on the wall
        self._hidden = 0  # how many of them are hidden (shown only while the facilitator asks)
        self._by_theme: dict[str | None, Section] = {}  # grouped: the section of each theme
        self._dots: dict[str, int] = {}
        self._colours: dict[str | None, str] = {}
        self._theme_names: dict[str | None, str] = {}
        self._theme_keys: dict[str | None, tuple[bool, str]] = {None: (False, "")}  # sections' order
        self._authors: dict[str, str] = {}  # participant id -> name, only while the facilitator projects names
        self._names = False  # whether names are projected
        self._newest: str | None = None
        self._frame: tuple[int, Style] = (0, Style())  # width and background of the frame being drawn
        self._basis = (-1, -1)  # the content width and height the layout was made for

    # ------------------------------------------------------------------ geometry

    @property
    def grouped(self) -> bool:
        return self._grid.grouped

    @grouped.setter
    def grouped(self, grouped: bool) -> None:
        self._grid.grouped = grouped

    @property
    def columns(self) -> int:
        return self._grid.columns

    @property
    def card_width(self) -> int:
        return self._grid.card_width

    @property
    def card_height(self) -> int:
        return self._grid.card_height

    @property
    def row_height(self) -> int:
        return self._grid.row_height

    def on_resize(self, event: events.Resize) -> None:
        if self._basis != (self.scrollable_content_region.width, self.size.height):
            self._layout()

    def _layout(self, repaint: bool = True) -> None:
        """Lay the sections out for the widget's size (O(sections), nothing is rendered here)."""
        width = self.scrollable_content_region.width
        self._basis = (width, self.size.height)
        self._grid.fit(width or self.size.width or 80, self.size.height or 20)
        self._painter.width, self._painter.text_lines = self._grid.card_width, self._grid.text_lines
        self._grid.place()
        self._set_virtual_size(Size(width or self.size.width, self._grid.height))
        if repaint:
            self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """A taller (or shorter) wall that overflowed and still does only moves the scrollbar: set
        without the layout of the whole screen that ``virtual_size`` asks for (most of a frame, for
        every new row of cards); a change that shows or hides the scrollbar still lays it out."""
        old, view = self.virtual_size, self.container_size
        if old.width == size.width and min(old.height, size.height) > view.height > 0:
            self.set_reactive(NoteWall.virtual_size, size)
            self._scroll_update(size)  # what Textual does on a resize: the scrollbar's window, scroll clamped
        else:
            self.virtual_size = size

    # ------------------------------------------------------------------ data

    def show(self, state: WorkshopView, ideas: Sequence[Idea]) -> None:
        """Show ``ideas``, newest first (section by section when grouped): the one full rebuild, for a
        new filter, phase or theme; single notes come and go with ``put`` and ``discard``."""
        names = state.workshop.settings.names_projected
        self.show_notes(
            ideas,
            [(t.id, t.name) for t in state.themes.values()],
            authors={p.id: p.name for p in state.participants.values()} if names else None,
            dots={i.id: state.dots_on(i.id) for i in ideas} if self.dots else None,
        )

    def show_notes(
        self,
        ideas: Sequence[Idea],
        themes: Iterable[tuple[str, str]],
        *,
        authors: Mapping[str, str] | None = None,
        dots: Mapping[str, int] | None = None,
    ) -> None:
        """``show`` from what is known of the workshop: every theme as (id, name) (a theme's place by
        name gives its colour, so both screens colour it alike), the names to put on cards (none unless
        the facilitator projects them) and the dots (while ``dots`` is set)."""
        keep = self.selected_id()
        was_at_top = self.scroll_y <= 0
        self._ideas = {i.id: i for i in ideas}
        self._hidden = sum(1 for i in ideas if i.hidden)
        self._dots = dict(dots or {}) if self.dots else {}
        ordered_themes = sorted(themes, key=lambda t: t[1].casefold())
        self._colours = {t: PAPER[n % len(PAPER)] for n, (t, _) in enumerate(ordered_themes)}
        self._colours[None] = NO_THEME_PAPER
        self._theme_names = {t: terminal_safe(name) for t, name in ordered_themes}
        self._theme_keys = {None: (False, ""), **{t: (True, name.casefold()) for t, name in ordered_themes}}
        self._names = authors is not None
        self._authors = {p: terminal_safe(name) for p, name in (authors or {}).items()}
        ordered = sorted(ideas, key=_order)
        self._by_theme = {}
        if self.grouped:
            for idea in ordered:
                self._section(idea.theme_id).ids.append(idea.id)
        else:
            self._grid.sections = [Section(None, [i.id for i in ordered])]
        self._grid.sections = self._sorted_sections()
        self._newest = ordered[-1].id if ordered else None
        self._layout()
        self._keep_cursor(keep)
        if was_at_top:
            self.scroll_to(y=0, animate=False, immediate=True)  # following: the newest stays in view

    def _sorted_sections(self) -> list[Section]:
        if not self.grouped:
            return self._grid.sections or [Section(None)]
        return sorted(self._by_theme.values(), key=lambda s: self._theme_keys.get(s.theme_id, (True, "")))

    def _section(self, theme_id: str | None) -> Section:
        """The section a note of ``theme_id`` goes to (made when grouped and missing)."""
        if not self.grouped:
            if not self._grid.sections:
                self._grid.sections = [Section(None)]
            return self._grid.sections[0]
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
        self._hidden += idea.hidden - (old.hidden if old is not None else False)
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
            self._grid.sections = self._sorted_sections()
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
        self._hidden -= idea.hidden
        self._dots.pop(idea_id, None)
        if self._newest == idea_id:
            lasts = [self._ideas[s.ids[-1]] for s in self._grid.sections if s.ids]
            self._newest = max(lasts, key=_order).id if lasts else None
        self._layout()
        self._keep_cursor(keep if keep != idea_id else None)

    def _take(self, idea: Idea) -> None:
        section = self._section(idea.theme_id)
        del section.ids[self._slot(section, idea)]
        if not section.ids and self.grouped:
            del self._by_theme[section.theme_id]
            self._grid.sections = self._sorted_sections()

    def set_dots(self, idea_id: str, dots: int) -> None:
        if self.dots and idea_id in self._ideas:
            self._dots[idea_id] = dots
            self._refresh_card(self.index_of(idea_id))

    def set_author(self, participant_id: str, name: str) -> None:
        """A new participant's name, while names are projected (their notes arrive after they join)."""
        if self._names:  # even when nobody had joined yet as the wall was shown
            self._authors[participant_id] = terminal_safe(name)

    def _keep_cursor(self, keep: str | None) -> None:
        found = self.index_of(keep) if keep is not None else None
        self.cursor = found if found is not None else min(self.cursor, max(0, self._grid.count - 1))

    def index_of(self, idea_id: str) -> int | None:
        """The display index of a note on the wall: a bisect in its section."""
        idea = self._ideas.get(idea_id)
        if idea is None:
            return None
        section = self._section(idea.theme_id)
        return section.start + len(section.ids) - 1 - self._slot(section, idea)

    def selected_id(self) -> str | None:
        return self.shown[self.cursor] if 0 <= self.cursor < self._grid.count else None

    def note(self, idea_id: str) -> Idea:
        return self._ideas[idea_id]

    def hidden_shown(self) -> int:
        """How many hidden notes are on the wall (only while the facilitator shows them)."""
        return self._hidden

    def card_text(self, idea_id: str) -> str:
        """The note's text as its card shows it, with the card's marks ("✔ ", "(hidden) ")."""
        idea = self._ideas[idea_id]
        marks = ("✔ " if idea_id in self.marked else "") + ("(hidden) " if idea.hidden else "")
        return marks + terminal_safe(idea.text)

    # ------------------------------------------------------------------ drawing

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
        section, offset, cards = self._grid.cards_at(y + int(self.scroll_offset.y))
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
        tagged = not self.grouped and idea.theme_id is not None  # grouped: the heading names the theme
        card = Card(
            idea_id=idea.id,
            text=idea.text,
            hidden=idea.hidden,
            paper=self._colours.get(idea.theme_id, NO_THEME_PAPER),
            theme=self._theme_names.get(idea.theme_id, "") if tagged else "",
            dots=self._dots.get(idea.id),
            author=self._authors.get(idea.author_id or ""),
            marked=idea.id in self.marked,
            newest=idea.id == self._newest,
            focused=index == self.cursor and self.has_focus,
            cursor=index == self.cursor and self.can_focus,  # a wall nobody steers (the presenter's) has none
        )
        return self._painter.card(card, self.app.console)

    # ------------------------------------------------------------------ moving

    def move_cursor(self, index: int) -> None:
        if not self._grid.count:
            return
        self._refresh_card(self.cursor)
        self.cursor = max(0, min(self._grid.count - 1, index))
        self._refresh_card(self.cursor)
        self._scroll_to_cursor()  # a scroll repaints it all
        self.post_message(self.Highlighted())

    def _scroll_to_cursor(self) -> None:
        top, column = self._grid.position(self.cursor)
        heading = self._grid.heading
        region = Region(self._grid.column_x(column), max(0, top - heading), self.card_width, self.row_height)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def action_move(self, dx: int, dy: int) -> None:
        if self._grid.count:
            self.move_cursor(self.cursor + dx if dx else self._grid.step(self.cursor, dy))

    def action_page(self, direction: int) -> None:
        """A page of cards up or down (the rows in view), the view scrolled with it so the highlighted
        card stays where it was on screen; from the first or last row, to the first or last card."""
        if not self._grid.count:
            return
        rows = max(1, self.scrollable_content_region.height // self.row_height)
        target = self._grid.step(self.cursor, direction * rows)
        if target == self.cursor:
            target = 0 if direction < 0 else self._grid.count - 1
        before, _ = self._grid.position(self.cursor)
        after, _ = self._grid.position(target)
        self.scroll_to(y=self.scroll_y + after - before, animate=False, immediate=True)
        self.move_cursor(target)

    def _refresh_card(self, index: int | None) -> None:
        """Repaint the lines of one card (all of the wall's width: cheaper to find than its cells)."""
        if index is not None and 0 <= index < self._grid.count:
            top, _ = self._grid.position(index)
            self.refresh_lines(top, self.card_height)

    def on_click(self, event: events.Click) -> None:
        _, _, cards = self._grid.cards_at(event.y + int(self.scroll_offset.y))
        column = self._grid.column_at(event.x + int(self.scroll_offset.x))
        if column < len(cards):
            self.move_cursor(cards[column])
