"""The projector theme: black background, white text, yellow accent, strong focus outlines.

A projected image loses contrast (ambient light, washed-out blacks), so the theme uses pure black and
white with one saturated accent and no translucent panels. It is registered alongside Textual's own
themes (switch in the command palette) and chosen by default by ``WorkshopApp``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.theme import Theme, ThemeProvider

PROJECTOR_NAME = "projector"

PROJECTOR = Theme(
    name=PROJECTOR_NAME,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFA500",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
    variables={
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "#000000",
        "block-cursor-blurred-background": "#C0C0C0",
        "block-hover-background": "#303030",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#FFFF00 40%",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "footer-background": "#000000",
        "footer-key-background": "#000000",
        "scrollbar": "#808080",
        "scrollbar-hover": "#C0C0C0",
        "scrollbar-active": "#FFFF00",
        "link-color": "#00FFFF",
        "text-muted": "#D0D0D0",
    },
)


class OtherThemes(ThemeProvider):
    """The palette's theme list without the theme in use (picking it would do nothing; the search
    field's placeholder names it)."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        return [(name, pick) for name, pick in super().commands if name != self.app.theme]
