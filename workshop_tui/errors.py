"""Typed domain errors. Each carries a clear message; the HTTP layer maps the class to a status."""

from __future__ import annotations

from typing import Any


class WorkshopError(Exception):
    """Base of every error the core raises on purpose."""

    status = 400
    kind = "error"

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(WorkshopError):
    status = 404
    kind = "not_found"


class Conflict(WorkshopError):
    """The request is valid but the workshop's state forbids it (phase, dot budget, ...)."""

    status = 409
    kind = "conflict"


class PhaseError(Conflict):
    kind = "wrong_phase"


class Blocked(Conflict):
    """The facilitator blocked this participant: their notes are refused."""

    kind = "blocked"


class Invalid(WorkshopError):
    status = 422
    kind = "invalid"


class Unauthorized(WorkshopError):
    status = 401
    kind = "unauthorized"


class RateLimited(WorkshopError):
    status = 429
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after


class StoreFailed(WorkshopError):
    """The store stopped accepting writes after a disk error (fail-stop)."""

    status = 503
    kind = "store_failed"


class DamagedData(WorkshopError):
    """A data file could not be loaded and no good copy remains."""

    status = 500
    kind = "damaged_data"


class DataDirBusy(WorkshopError):
    status = 409
    kind = "data_dir_busy"
