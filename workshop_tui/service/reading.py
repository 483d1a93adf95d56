"""The read side of a registry: its workshops as read-only views, never the live state.

The facade hands these out (``WorkshopService.view``); a one-shot reader (``export``, ``publish``)
opens a data directory with ``ReadOnlyViews``: the stores opened as ``WorkshopService(...,
read_only=True)`` does (beside a live writer, nothing written), through the same registry, without the
facade: a read needs none of its concerns, their models or the events, which were a tenth of an
export's start.
"""

from __future__ import annotations

from pathlib import Path

from workshop_tui.service.registry import Registry
from workshop_tui.service.view import WorkshopView


class RegistryViews:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def view(self, code_or_id: str) -> WorkshopView:
        """A read-only look at one workshop (``NotFound`` if there is none)."""
        return WorkshopView(self._registry.state(code_or_id))

    def views(self) -> list[WorkshopView]:
        """Every workshop, oldest first (this opens them all; the summaries open none)."""
        return [WorkshopView(s) for s in self._registry.states()]

    def open_views(self) -> list[WorkshopView]:
        """The workshops opened so far, oldest first."""
        return [WorkshopView(s) for s in self._registry.open_states()]


class ReadOnlyViews(RegistryViews):
    """A data directory's workshops opened read-only."""

    def __init__(self, data_dir: Path) -> None:
        registry = Registry(data_dir, read_only=True)
        registry.open()
        super().__init__(registry)
        self.messages = registry.messages  # recovery notes (files that could not be read, ...)
