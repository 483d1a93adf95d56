"""QR code: the module matrix, and the widget decoded by zxing from the TUI's own SVG screenshot
(rasterised as tests.helpers.qr_image explains)."""

from __future__ import annotations

import pytest
from rich.color import Color
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.theme import Theme

from screens.widgets.qr_code import UPPER_HALF, QRCode
from tests.helpers.qr_image import decode, has_dejavu_sans, rasterize
from workshop_tui.netaddr import is_qr_alphanumeric, join_url
from workshop_tui.qr import QUIET_ZONE, qr_matrix

URL = join_url("192.168.1.20", 8765, "ABCDE", None)  # HTTP://192.168.1.20:8765/J/ABCDE
PUBLIC_URL = join_url("", 0, "ABCDE", "https://workshop.example.org/civic")
IPV6_URL = join_url("2001:db8:1::20", 8765, "ABCDE", None)

HIGH_CONTRAST = Theme(
    name="test-high-contrast",
    primary="#FFFF00",
    secondary="#FFFFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
)
THEMES = ["textual-dark", "textual-light", HIGH_CONTRAST.name]


class QRApp(App[None]):
    """Nothing but the widget."""

    def __init__(self, data: str, *, scale: int, theme: str) -> None:
        super().__init__()
        self.register_theme(HIGH_CONTRAST)
        self._data = data
        self._scale = scale
        self._theme_name = theme

    def compose(self) -> ComposeResult:
        yield QRCode(self._data, scale=self._scale)

    def on_mount(self) -> None:
        self.theme = self._theme_name


async def screenshot(data: str, *, scale: int, theme: str, size: tuple[int, int]) -> str:
    app = QRApp(data, scale=scale, theme=theme)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.current_theme.name == theme
        return app.export_screenshot()


# The module matrix


def test_matrix_is_square_with_a_light_quiet_zone_and_finder_patterns() -> None:
    matrix = qr_matrix(URL)
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    assert (size - 2 * QUIET_ZONE - 21) % 4 == 0  # version v is 17 + 4v modules wide
    for i in range(QUIET_ZONE):
        assert not any(matrix[i]) and not any(matrix[size - 1 - i])
        assert not any(row[i] or row[size - 1 - i] for row in matrix)
    finder = [row[QUIET_ZONE : QUIET_ZONE + 7] for row in matrix[QUIET_ZONE : QUIET_ZONE + 7]]
    assert finder[0] == [True] * 7 and finder[1] == [True, False, False, False, False, False, True]
    assert finder[3] == [True, False, True, True, True, False, True]


def test_matrix_rows_are_independent_lists() -> None:
    matrix = qr_matrix(URL)
    matrix[0][0] = True
    assert not matrix[1][0] and not matrix[-1][0]


def test_upper_case_url_uses_alphanumeric_mode_and_a_smaller_symbol() -> None:
    assert is_qr_alphanumeric(URL)
    lower = "http://192.168.1.20:8765/j/ABCDE"
    assert not is_qr_alphanumeric(lower)
    assert len(qr_matrix(URL)) == 25 + 2 * QUIET_ZONE  # version 2
    assert len(qr_matrix(lower)) == 29 + 2 * QUIET_ZONE  # version 3


# The widget's own output, before any SVG


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("scale", [1, 2])
async def test_widget_cells_are_upper_half_blocks_in_pure_black_and_white(theme: str, scale: int) -> None:
    app = QRApp(URL, scale=scale, theme=theme)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        matrix = qr_matrix(URL)
        n = len(matrix)
        assert widget.size == ((n, (n + 1) // 2) if scale == 1 else (2 * n, n))
        lines = widget.render_lines(Region(0, 0, *widget.size))
    black, white = Color.from_rgb(0, 0, 0), Color.from_rgb(255, 255, 255)
    drawn: list[list[bool]] = []
    for strip in lines:
        tops: list[bool] = []
        bottoms: list[bool] = []
        for segment in strip:
            assert segment.style is not None
            assert set(segment.text) == ({UPPER_HALF} if scale == 1 else {" "})
            assert segment.style.color in (black, white) and segment.style.bgcolor in (black, white)
            for _ in segment.text:
                tops.append(segment.style.color == black)
                bottoms.append(segment.style.bgcolor == black)
        if scale == 1:
            drawn += [tops, bottoms]
        else:
            assert tops == bottoms
            assert tops[0::2] == tops[1::2]  # each module is two columns wide
            drawn.append(tops[0::2])
    if scale == 1:
        assert drawn[-1] == [False] * n  # the odd last row's lower half extends the quiet zone
        drawn = drawn[:-1]
    assert drawn == matrix


async def test_widget_centres_the_symbol_in_a_larger_region() -> None:
    app = QRApp(URL, scale=1, theme="textual-dark")
    async with app.run_test(size=(100, 40)) as pilot:
        widget = app.query_one(QRCode)
        widget.styles.width = "1fr"
        widget.styles.height = "1fr"
        await pilot.pause()
        assert widget.size == (100, 40)
        n = len(qr_matrix(URL))
        lines = widget.render_lines(Region(0, 0, 100, 40))
    top, left = (40 - (n + 1) // 2) // 2, (100 - n) // 2
    assert UPPER_HALF not in lines[top - 1].text and UPPER_HALF not in lines[top + (n + 1) // 2].text
    assert lines[top].text == " " * left + UPPER_HALF * n + " " * (100 - n - left)


@pytest.mark.parametrize(
    ("size", "expected_scale"), [((80, 24), 1), ((60, 20), 1), ((100, 40), 2), ((200, 60), 3), ((240, 80), 3)]
)
async def test_auto_scale_picks_the_largest_that_fits(size: tuple[int, int], expected_scale: int) -> None:
    app = QRApp(URL, scale=0, theme="textual-dark")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        n = len(qr_matrix(URL))
        assert widget.current_scale == expected_scale
        assert widget.size == (expected_scale * n, (expected_scale * n + 1) // 2)


async def test_changing_data_resizes_and_redraws() -> None:
    app = QRApp(URL, scale=1, theme="textual-dark")
    async with app.run_test(size=(100, 40)) as pilot:
        widget = app.query_one(QRCode)
        widget.data = PUBLIC_URL
        await pilot.pause()
        n = len(qr_matrix(PUBLIC_URL))
        assert n > len(qr_matrix(URL))
        assert widget.size == (n, (n + 1) // 2)
        assert decode(rasterize(app.export_screenshot())) == [PUBLIC_URL]
        widget.data = ""
        await pilot.pause()
        assert widget.size == (0, 0)


# Decoding the screenshot


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("scale", "size"), [(1, (100, 40)), (2, (200, 60)), (0, (80, 24)), (0, (200, 60))], ids=str)
async def test_screenshot_decodes_to_the_url(theme: str, scale: int, size: tuple[int, int]) -> None:
    svg = await screenshot(URL, scale=scale, theme=theme, size=size)
    assert decode(rasterize(svg, "blocks")) == [URL]


@pytest.mark.parametrize("data", [PUBLIC_URL, IPV6_URL])
@pytest.mark.parametrize("theme", THEMES)
async def test_byte_mode_urls_decode_too(theme: str, data: str) -> None:
    svg = await screenshot(data, scale=1, theme=theme, size=(100, 40))
    assert decode(rasterize(svg, "blocks")) == [data]


@pytest.mark.skipif(not has_dejavu_sans(), reason="needs the DejaVu Sans font (fonts-dejavu-core)")
@pytest.mark.parametrize("theme", THEMES)
async def test_screenshot_with_real_font_glyphs_decodes(theme: str) -> None:
    svg = await screenshot(URL, scale=1, theme=theme, size=(100, 40))
    assert decode(rasterize(svg, "font")) == [URL]


@pytest.mark.parametrize("theme", THEMES)
async def test_wrong_renderings_do_not_decode(theme: str) -> None:
    svg = await screenshot(URL, scale=1, theme=theme, size=(100, 40))
    other = join_url("192.168.1.20", 8765, "ABCDF", None)
    assert decode(rasterize(svg, "blocks")) == [URL] != [other]
    assert URL not in decode(rasterize(svg, "lower-half"))
    assert URL not in decode(rasterize(svg, "none"))
    assert URL not in decode(rasterize(svg, "blocks", invert=True))
    assert URL not in decode(rasterize(svg, "font", invert=True))
