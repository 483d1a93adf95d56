"""A QR code drawn with the upper half block, black on white whatever the theme.

Each terminal cell is about twice as tall as it is wide, so one cell holds two modules stacked:
``▀`` with foreground = the upper module, background = the lower module. Colours are explicit
#000000/#FFFFFF styles built in code (no markup, no theme variables), so a dark, light or
high-contrast theme cannot invert or tint the symbol.

Scale 1: a module is 1 column x half a row (square on a ~1:2 cell). Scale 2: a module is
2 columns x 1 row, drawn as two spaces with that background (and the same explicit foreground), so
no glyph is involved at all: a font's ``▀`` may overhang its cell by a few pixels (seen with DejaVu
Sans in CairoSVG), which at scale 2 would only add noise. Scale 3 (a big projector: a code the back
of a large room can scan): 3 columns x 1.5 rows, spaces where a cell's halves agree and ``▀`` only
on the cells where a module's edge falls mid-cell.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from workshop_tui.qr import qr_matrix

UPPER_HALF = "▀"
BLACK = Color.from_rgb(0, 0, 0)
WHITE = Color.from_rgb(255, 255, 255)
DARK = Style(color=BLACK, bgcolor=BLACK)
LIGHT = Style(color=WHITE, bgcolor=WHITE)
# Scale 1 cells, keyed by (upper module dark, lower module dark).
_HALF_CELLS: dict[tuple[bool, bool], Segment] = {
    (top, bottom): Segment(UPPER_HALF, Style(color=BLACK if top else WHITE, bgcolor=BLACK if bottom else WHITE))
    for top in (False, True)
    for bottom in (False, True)
}
AUTO = 0
MAX_SCALE = 3
SIDE_WIDTH = 40  # columns the join text (URL, code, counts) keeps beside a join QR code
BIG_CODE_SIDE = 60  # columns beside the QR code from which the join code is drawn at scale 2


def _extent(modules: int, scale: int) -> Size:
    """Cells (columns, rows) needed for ``modules`` x ``modules`` at ``scale``: a module is ``scale``
    columns by ``scale`` half rows (scale 1: one column, one half row)."""
    return Size(modules * scale, (modules * scale + 1) // 2)


class QRCode(Widget):
    """Draws ``data`` as a QR code, centred in the widget's region.

    ``scale`` is 1, 2, 3 or 0 (auto: the largest scale that fits the space available). The widget sizes
    itself (``width: auto; height: auto``); give it a fixed size or ``1fr`` and it centres the symbol.
    """

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    data: reactive[str] = reactive("", layout=True)
    scale: reactive[int] = reactive(AUTO, layout=True)

    def __init__(
        self,
        data: str = "",
        *,
        scale: int = AUTO,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._matrix: list[list[bool]] = qr_matrix(data) if data else []
        self.set_reactive(QRCode.data, data)
        self.set_reactive(QRCode.scale, self.validate_scale(scale))

    def validate_scale(self, scale: int) -> int:
        return max(AUTO, min(MAX_SCALE, scale))

    def watch_data(self, data: str) -> None:
        self._matrix = qr_matrix(data) if data else []

    @property
    def modules(self) -> int:
        """Modules per side, quiet zone included (0 when there is no data)."""
        return len(self._matrix)

    def scale_for(self, space: Size) -> int:
        """The scale used in ``space``: the fixed one, or in auto mode the largest that fits."""
        return self.scale if self.scale != AUTO else self.fitting_scale(space.width, space.height)

    def fitting_scale(self, width: int, height: int) -> int:
        """The largest scale whose symbol fits ``width`` x ``height`` cells (at least 1)."""
        for scale in range(MAX_SCALE, 1, -1):
            needed = _extent(self.modules, scale)
            if needed.width <= width and needed.height <= height:
                return scale
        return 1

    def fit_beside_text(self, body: Size) -> int:
        """The join screens' one rule (the lobby, the presenter's lobby and closing screen): the largest
        QR code that leaves ``SIDE_WIDTH`` columns beside it in ``body``, set as this widget's scale; the
        answer is the scale the join code beside it takes (2 when the side still has ``BIG_CODE_SIDE``)."""
        scale = self.fitting_scale(body.width - 2 - SIDE_WIDTH, body.height)
        self.scale = scale
        return 2 if scale >= 2 and body.width - scale * self.modules - 4 >= BIG_CODE_SIDE else 1

    @property
    def current_scale(self) -> int:
        """The scale drawn at the widget's present size."""
        return self.scale_for(self.size)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return _extent(self.modules, self.scale_for(container)).width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return _extent(self.modules, self.scale_for(container)).height

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        blank = Strip.blank(width, self.visual_style.rich_style)
        if not self._matrix:
            return blank
        scale = self.current_scale
        extent = _extent(self.modules, scale)
        top = max(0, (height - extent.height) // 2)
        row = y - top
        if not 0 <= row < extent.height:
            return blank
        line = self._scaled_line(row, scale) if scale >= 2 else self._scale1_line(row)
        if extent.width >= width:
            return line.crop(0, width)  # Too narrow: clipped (a clipped QR code will not scan).
        left = (width - extent.width) // 2
        return line.crop_pad(extent.width, left, width - extent.width - left, self.visual_style.rich_style)

    def _scale1_line(self, row: int) -> Strip:
        upper = self._matrix[2 * row]
        # The symbol has an odd number of rows: the last line's lower half extends the quiet zone.
        lower = self._matrix[2 * row + 1] if 2 * row + 1 < self.modules else [False] * self.modules
        return Strip([_HALF_CELLS[top, bottom] for top, bottom in zip(upper, lower, strict=True)], self.modules)

    def _scaled_line(self, row: int, scale: int) -> Strip:
        """Cell row ``row`` at ``scale`` >= 2: its upper and lower half rows fall in module rows
        ``2 row // scale`` and ``(2 row + 1) // scale``; past the last module, the quiet zone."""
        half_rows = self.modules * scale
        upper = self._matrix[2 * row // scale]
        lower = self._matrix[(2 * row + 1) // scale] if 2 * row + 1 < half_rows else [False] * self.modules
        dark, light = Segment(" " * scale, DARK), Segment(" " * scale, LIGHT)
        cells = [
            (dark if top else light) if top == bottom else Segment(UPPER_HALF * scale, _HALF_CELLS[top, bottom].style)
            for top, bottom in zip(upper, lower, strict=True)
        ]
        return Strip(cells, self.modules * scale)
