"""From the TUI's SVG screenshot to what a phone camera decodes: CairoSVG pixels, then zxing.

How the screenshot becomes pixels (measured with Textual 8.2.8, rich 15, CairoSVG 2.9):
- Textual's SVG draws each cell's background as a rect (12.2 x 24.4 px cells) and each glyph as
  <text> in "Fira Code, monospace". CairoSVG keeps only the first family and ignores textLength, so
  the ``▀`` glyph comes from whatever fontconfig substitutes for "Fira Code" (here DejaVu Sans).
- DejaVu Sans draws ``▀`` over exactly the top half of the cell and decodes. Liberation Mono's ``▀``
  is shorter than half a 1.22-line-height cell and leaves gaps: that screenshot does not decode. So a
  decode of the raw SVG depends on the fonts installed, not on the widget.
- Terminals draw block elements geometrically, not from the font. The robust check does the same:
  every ``▀`` run becomes a rect over the upper half of its cells, filled with the text's colour.
  The raw-font check runs too, with the family pinned to DejaVu Sans (skipped when it is missing).
  Scale 2 draws spaces on explicit backgrounds: rects only, no font involved.
- zxing runs with ``try_invert=False``: a symbol drawn light-on-dark (theme colours leaking in) must
  fail, since many phone scanners do not read inverted codes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Literal

import cairosvg
import zxingcpp
from PIL import Image

from screens.widgets.qr_code import UPPER_HALF

# Cell geometry of rich's SVG export: 20 px font, 1.22 line height, 0.61 aspect ratio.
CHAR_HEIGHT = 20.0
LINE_HEIGHT = CHAR_HEIGHT * 1.22
BACKGROUND_TOP = 1.5  # a line's background rect starts 1.5 px below line * LINE_HEIGHT
_TEXT = re.compile(
    r'<text class="(?P<cls>[\w-]+)" x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)" textLength="(?P<w>[\d.]+)"'
    r"[^>]*>(?P<text>[^<]*)</text>"
)
_FILL = re.compile(r"\.(?P<cls>[\w-]+) \{ fill: (?P<fill>#[0-9a-fA-F]{6})")
_CELL_RECT = re.compile(
    r'<rect fill="(?P<fill>#[0-9a-fA-F]{6})" x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)" width="(?P<w>[\d.]+)" '
    r'height="(?P<h>[\d.]+)" shape-rendering="crispEdges"/>\s*'
)

Glyphs = Literal["blocks", "font", "lower-half", "none"]


def rasterize(svg: str, glyphs: Glyphs = "blocks", *, invert: bool = False) -> Image.Image:
    """PNG of the screenshot. ``blocks``: each ``▀`` run drawn as an exact upper-half rect (as a terminal
    does); ``font``: the glyph from DejaVu Sans. Wrong renderings, which must not decode: ``lower-half``
    (rect over the lower half), ``none`` (glyphs dropped), ``invert`` (black and white swapped)."""
    if invert:
        svg = svg.replace("#000000", "#0000ff").replace("#ffffff", "#000000").replace("#0000ff", "#ffffff")
    if glyphs == "font":
        pinned = svg.replace("font-family: Fira Code, monospace;", "font-family: DejaVu Sans;")
        assert pinned != svg, "Textual's SVG font declaration changed"
        svg = pinned
    else:
        fills = {m["cls"]: m["fill"] for m in _FILL.finditer(svg)}

        def block(match: re.Match[str]) -> str:
            if set(match["text"]) != {UPPER_HALF}:
                return match[0]
            if glyphs == "none":
                return ""
            top = float(match["y"]) - CHAR_HEIGHT + BACKGROUND_TOP
            if glyphs == "lower-half":
                top += LINE_HEIGHT / 2
            return (
                f'<rect fill="{fills[match["cls"]]}" x="{match["x"]}" y="{top:.2f}" width="{match["w"]}" '
                f'height="{LINE_HEIGHT / 2:.2f}" shape-rendering="crispEdges"/>'
            )

        svg = _TEXT.sub(block, svg)
        assert UPPER_HALF not in svg, "an ▀ <text> element was not matched: Textual's SVG format changed"
    png = cairosvg.svg2png(bytestring=merged_runs(svg).encode())
    return Image.open(io.BytesIO(png)).convert("RGB")


def merged_runs(svg: str) -> str:
    """The same pixels from fewer elements: each run of same-colour cell rects, one after the other in
    the document and side by side on a row, becomes one rect (the SVG has one rect per cell of the
    symbol, background and ``▀``, and CairoSVG spends its time per element: half the time per image)."""
    out: list[str] = []
    run: re.Match[str] | None = None  # the run's first rect
    right = 0.0  # where the run ends
    end = 0  # where the last rect ends in the document

    def flush() -> None:
        if run is not None:
            width = right - float(run["x"])
            out.append(run[0].replace(f'width="{run["w"]}"', f'width="{width:.2f}"', 1))

    for rect in _CELL_RECT.finditer(svg):
        x = float(rect["x"])
        same_row = run is not None and (run["fill"], run["y"], run["h"]) == (rect["fill"], rect["y"], rect["h"])
        if rect.start() == end and same_row and abs(right - x) < 0.01:
            right = x + float(rect["w"])
            end = rect.end()
            continue
        flush()
        out.append(svg[end : rect.start()])
        run, right, end = rect, x + float(rect["w"]), rect.end()
    flush()
    out.append(svg[end:])
    return "".join(out)


def decode(image: Image.Image) -> list[str]:
    results = zxingcpp.read_barcodes(
        image,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_invert=False,
        text_mode=zxingcpp.TextMode.Plain,
    )
    return [result.text for result in results]


def has_dejavu_sans() -> bool:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return False
    found = subprocess.run([fc_match, "-f", "%{family}", "DejaVu Sans"], capture_output=True, text=True)
    return "DejaVu Sans" in found.stdout.split(",")
