"""A small summary per workshop, so the list of past workshops opens none of them.

``summary.json`` in a workshop's directory holds what the home list and ``list`` show (the workshop
document, its counts, its last activity) and the store's fingerprint when it was written: the
service writes it when it closes a workshop, from a state that equals the files. It is a cache,
never the truth: a summary whose fingerprint no longer matches the files (a crash after more
writes, recovery, a file set aside), or one that is missing or unreadable, is ignored and the
workshop is opened from its store instead.

This module stands apart from the service so that ``list`` (``listed``) reads a data directory's
summaries without importing the service, its events and its state: only when some workshop has no
valid summary does the caller open the service.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from workshop_tui.models import OfWorkshop, Workshop
from workshop_tui.store import WorkshopStore
from workshop_tui.store.fsync import write_atomic

if TYPE_CHECKING:
    from workshop_tui.state import WorkshopState

log = logging.getLogger(__name__)

SUMMARY_FILE = "summary.json"
WORKSHOPS_DIR = "workshops"  # in the data directory: one directory per workshop, named by its id


class WorkshopSummary(OfWorkshop, BaseModel):
    """What a list of workshops shows, without the workshop's notes, people and dots."""

    model_config = ConfigDict(frozen=True)

    workshop: Workshop
    participants: int
    ideas: int  # notes on the wall (not deleted, hidden or merged)
    dots: int
    last_activity: dt.datetime


class _SummaryFile(BaseModel):
    format: Literal[1] = 1
    fingerprint: str
    summary: WorkshopSummary


def summarize(state: WorkshopState) -> WorkshopSummary:
    return WorkshopSummary(
        workshop=state.workshop,
        participants=len(state.participants),
        ideas=state.notes_on_wall(),
        dots=state.dots_cast(),
        last_activity=state.last_activity(),
    )


def read_summary(directory: Path) -> WorkshopSummary | None:
    """The summary of the workshop in ``directory`` if it still describes its files, else None."""
    try:
        raw = (directory / SUMMARY_FILE).read_bytes()
        stored = _SummaryFile.model_validate_json(raw)
        current = WorkshopStore.fingerprint(directory)
    except FileNotFoundError:
        return None
    except (OSError, ValidationError, ValueError) as exc:
        log.info("%s: summary ignored (%s); opening the store", directory.name, exc)
        return None
    if stored.fingerprint != current or stored.summary.id != directory.name:
        return None
    return stored.summary


def workshop_dirs(data_dir: Path) -> list[Path]:
    """The directories of the data directory's workshops, by name (hidden ones are builds in progress)."""
    root = data_dir / WORKSHOPS_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def listed(data_dir: Path) -> list[WorkshopSummary] | None:
    """Every workshop's summary, oldest first, opening none; None when a workshop must be opened to be
    listed (its summary is missing or stale), which only the service does."""
    found = []
    for directory in workshop_dirs(data_dir):
        summary = read_summary(directory)
        if summary is None:
            return None
        found.append(summary)
    return sorted(found, key=lambda s: s.workshop.created_at)


def write_summary(state: WorkshopState) -> None:
    """Record the summary of a closed store (its files hold exactly ``state``); best effort: a
    summary that could not be written only means the next start opens this workshop."""
    directory = state.store.directory
    try:
        record = _SummaryFile(fingerprint=WorkshopStore.fingerprint(directory), summary=summarize(state))
        write_atomic(directory / SUMMARY_FILE, record.model_dump_json().encode())
    except OSError as exc:
        log.warning("%s: could not write its summary: %s", directory.name, exc)
