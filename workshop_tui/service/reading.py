"""A data directory's workshops opened read-only, as views: what a one-shot reader (``export``,
``publish``) needs.

It opens the stores as ``WorkshopService(..., read_only=True)`` does (beside a live writer, nothing
written), through the same registry, without the facade: a read needs none of its concerns, their
models or the events, which were a tenth of an export's start.
"""

from __future__ import annotations

from pathlib import Path

from workshop_tui.service.registry import Registry
from workshop_tui.service.view import WorkshopView


class ReadOnlyViews:
    def __init__(self, data_dir: Path) -> None:
        self._registry = Registry(data_dir, read_only=True)
        self._registry.open()
        self.messages = self._registry.messages  # recovery notes (files that could not be read, ...)

    def view(self, code_or_id: str) -> WorkshopView:
        """One workshop (``NotFound`` if there is none), as ``WorkshopService.view``."""
        return WorkshopView(self._registry.state(code_or_id))

    def views(self) -> list[WorkshopView]:
        """Every workshop, oldest first (this opens them all), as ``WorkshopService.views``."""
        return [WorkshopView(s) for s in self._registry.states()]
