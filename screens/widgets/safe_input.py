"""An ``Input`` whose value is always terminal-safe: a pasted escape sequence shows as placeholders."""

from __future__ import annotations

from textual.widgets import Input

from workshop_tui.text_safety import terminal_safe


class SafeInput(Input):
    def validate_value(self, value: str) -> str:
        # Called by the reactive on every change (typing, paste, assignment); the Input clamps its cursor
        # when a dropped variation selector makes the value shorter.
        return terminal_safe(value)
