"""Durable storage: TinyDB snapshot files plus a CRC-framed journal, written by one group committer."""

from workshop_tui.store.recovery import LoadReport
from workshop_tui.store.workshop_store import WorkshopStore

__all__ = ["LoadReport", "WorkshopStore"]
