from __future__ import annotations

import pytest

from workshop_tui.store import workshop_store


@pytest.fixture(autouse=True)
def collector_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's collector tuning (``settle_gc``: freeze what is alive after each snapshot and MiB journaled, one
    full pass when idle) is made for one app per process. A test process runs some 200 apps one after the
    other: each freeze keeps the finished tests' garbage out of reach, and each idle pass walks all of
    that and the test run's own objects: 0.65 s of CPU a pass, 25 of the TUI tests' 178 s run serially.
    The TUI tests leave Python's collector as it is; the store's tests (tests/service) test the tuning."""
    monkeypatch.setattr(workshop_store, "settle_gc", lambda *, idle: None)
