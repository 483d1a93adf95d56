"""Counts in English words ("1 ask", "3 asks"): the store's history lines, the CLI's and the
facilitator's messages. What a room reads in its own language goes through Babel's ``ngettext``."""

from __future__ import annotations


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"
