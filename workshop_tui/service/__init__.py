"""The domain service (``facade.WorkshopService``, the only writer) and what its callers name with it.

The names below are imported on first use (PEP 562): a command that only reads, such as ``export``,
opens its workshop through ``registry`` and ``view`` without importing the facade and the concerns
behind it (their models and the events), a tenth of its start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workshop_tui.service.backlog_ops import BacklogPatch
    from workshop_tui.service.base import FACILITATOR, WORKSHOPS_DIR, hash_token, validation_message
    from workshop_tui.service.facade import WorkshopService
    from workshop_tui.service.timer import TimerCommand
    from workshop_tui.service.view import WorkshopView
    from workshop_tui.summaries import WorkshopSummary

#: Each name and the module that defines it.
_HOMES = {
    "FACILITATOR": "workshop_tui.service.base",
    "WORKSHOPS_DIR": "workshop_tui.service.base",
    "BacklogPatch": "workshop_tui.service.backlog_ops",
    "TimerCommand": "workshop_tui.service.timer",
    "WorkshopService": "workshop_tui.service.facade",
    "WorkshopSummary": "workshop_tui.summaries",
    "WorkshopView": "workshop_tui.service.view",
    "hash_token": "workshop_tui.service.base",
    "validation_message": "workshop_tui.service.base",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once: the next use is a plain attribute
    return value


__all__ = [
    "FACILITATOR",
    "WORKSHOPS_DIR",
    "BacklogPatch",
    "TimerCommand",
    "WorkshopService",
    "WorkshopSummary",
    "WorkshopView",
    "hash_token",
    "validation_message",
]
