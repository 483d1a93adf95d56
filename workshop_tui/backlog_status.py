"""Where a backlog item stands, apart from the models: ``backlog --help`` lists these without pydantic."""

from __future__ import annotations

from enum import StrEnum


class BacklogStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    PROTOTYPING = "prototyping"
    TESTING = "testing"
    ADOPTED = "adopted"
    PARKED = "parked"
    DROPPED = "dropped"
