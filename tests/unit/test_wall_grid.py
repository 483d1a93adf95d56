"""Where the wall's cards go (``screens.widgets.wall_grid``): columns from the width, sections under
headings, and moving by rows of cards across them, as PageUp/PageDown and the arrows do."""

from __future__ import annotations

from screens.widgets.wall_grid import GAP, HEADING, MIN_CARD, Grid, Section


def grid(*sizes: int, grouped: bool = True, width: int = 3 * MIN_CARD + 2 * GAP) -> Grid:
    g = Grid()
    g.grouped = grouped
    g.sections = [Section(f"t{n}", [f"t{n}-{k}" for k in range(size)]) for n, size in enumerate(sizes)]
    g.fit(width, 40)
    g.place()
    return g


def test_columns_follow_the_width_and_cards_share_it() -> None:
    g = grid(10, width=3 * MIN_CARD + 2 * GAP + 5)
    assert g.columns == 3 and g.card_width * 3 + 2 * GAP <= 3 * MIN_CARD + 2 * GAP + 5
    assert grid(10, width=MIN_CARD - 5).columns == 1  # narrower than a card: one column, never none


def test_sections_are_placed_under_their_headings() -> None:
    g = grid(4, 2)  # 3 columns: 2 rows, then 1 row
    first, second = g.sections
    assert (first.top, first.start) == (0, 0)
    assert (second.top, second.start) == (HEADING + 2 * g.row_height, 4)
    assert g.count == 6 and g.height == 2 * HEADING + 3 * g.row_height
    assert g.position(4) == (second.top + HEADING, 0)
    section, offset, cards = g.cards_at(second.top)
    assert section is second and offset == -1 and not cards  # the heading's line
    _, _, cards = g.cards_at(HEADING + g.row_height)
    assert list(cards) == [3]  # the second row of the first section: its last card alone


def test_stepping_by_rows_crosses_headings_and_keeps_the_column() -> None:
    g = grid(7, 3, 8)  # rows: 0-2 3-5 6 | 7-9 | 10-12 13-15 16-17
    assert g.step(1, 1) == 4  # a row down, same column
    assert g.step(4, 1) == 6  # into the short last row: its last card
    assert g.step(4, 2) == 8  # over the heading into the next section, same column
    assert g.step(1, 4) == 11  # two sections on: 3 rows, 1 row, then the first of the third
    assert g.step(11, -4) == 1  # and back
    assert g.step(14, -4) == 4
    assert g.step(16, 10) == 16 and g.step(17, 10) == 17  # no further than the last row
    assert g.step(2, -10) == 2  # no further than the first
