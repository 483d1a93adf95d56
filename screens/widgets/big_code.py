"""The join code in big block letters, readable from the back of the room.

A 5x5 pixel font covers A-Z and 0-9 (join codes, and custom codes such as TEST); any other character
is drawn blank. Pixels are spaces on the foreground colour, never a block glyph (a font's block may
not fill its cell). Scale 1: a pixel is one cell (a letter is 5 columns x 5 rows); scale 2: two
columns x two rows. Auto scale picks the largest that fits. No markup is ever parsed.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

_FONT_ROWS = """
A .###. #...# ##### #...# #...#
B ####. #...# ####. #...# ####.
C .#### #.... #.... #.... .####
D ####. #...# #...# #...# ####.
E ##### #.... ####. #.... #####
F ##### #.... ####. #.... #....
G .#### #.... #.### #...# .####
H #...# #...# ##### #...# #...#
J ..### ...#. ...#. #..#. .##..
K #...# #..#. ###.. #..#. #...#
M #...# ##.## #.#.# #...# #...#
N #...# ##..# #.#.# #..## #...#
P ####. #...# ####. #.... #....
Q .###. #...# #.#.# #..#. .##.#
R ####. #...# ####. #..#. #...#
S .#### #.... .###. ....# ####.
T ##### ..#.. ..#.. ..#.. ..#..
U #...# #...# #...# #...# .###.
V #...# #...# #...# .#.#. ..#..
W #...# #...# #.#.# ##.## #...#
X #...# .#.#. ..#.. .#.#. #...#
Y #...# .#.#. ..#.. ..#.. ..#..
Z ##### ...#. ..#.. .#... #####
2 .###. #...# ..##. .#... #####
3 ####. ....# .###. ....# ####.
4 #..#. #..#. ##### ...#. ...#.
5 ##### #.... ####. ....# ####.
6 .###. #.... ####. #...# .###.
7 ##### ...#. ..#.. .#... .#...
8 .###. #...# .###. #...# .###.
9 .###. #...# .#### ....# .###.
- ..... ..... ##### ..... .....
I ##### ..#.. ..#.. ..#.. #####
L #.... #.... #.... #.... #####
O .###. #...# #...# #...# .###.
0 .###. #..## #.#.# ##..# .###.
1 ..#.. .##.. ..#.. ..#.. .###.
"""
FONT: dict[str, list[str]] = {
    line[0]: line[2:].split() for line in _FONT_ROWS.strip().splitlines() if line and not line.isspace()
}
GLYPH = 5  # pixels per side
GAP = 1  # pixels between letters
AUTO = 0


def _extent(text: str, scale: int) -> Size:
    if not text:
        return Size(0, 0)
    pixels = len(text) * GLYPH + (len(text) - 1) * GAP
    return Size(pixels * scale, GLYPH * scale)


class BigCode(Widget):
    DEFAULT_CSS = """
    BigCode { width: auto; height: auto; color: $foreground; text-style: bold; }
    """

    text: reactive[str] = reactive("", layout=True)
    scale: reactive[int] = reactive(AUTO, layout=True)

    def __init__(self, text: str = "", *, scale: int = AUTO, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigCode.text, text)
        self.set_reactive(BigCode.scale, scale)

    def scale_for(self, space: Size) -> int:
        if self.scale != AUTO:
            return self.scale
        needed = _extent(self.text, 2)
        return 2 if needed.width <= space.width and needed.height <= space.height else 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return _extent(self.text, self.scale_for(container)).width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return _extent(self.text, self.scale_for(container)).height

    def pixel_rows(self) -> list[str]:
        """The code as rows of '#' and '.', letters separated by one blank column."""
        rows = []
        for y in range(GLYPH):
            glyphs = [FONT[c][y] if c in FONT else c.center(GLYPH, ".")[:GLYPH] for c in self.text.upper()]
            rows.append(".".join(glyphs))
        return rows

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.visual_style.rich_style
        scale = self.scale_for(self.size)
        rows = self.pixel_rows()
        row = y // scale
        if row >= len(rows):
            return Strip.blank(width, style)
        # Pixels are spaces on the text colour (no glyph: a font's block may not fill its cell).
        ink = Style(bgcolor=style.color)
        segments = [Segment(" " * scale, ink if px == "#" else style) for px in rows[row]]
        length = len(rows[row]) * scale
        return Strip(segments, length).crop_pad(length, 0, max(0, width - length), style).crop(0, width)
