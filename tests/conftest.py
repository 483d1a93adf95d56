from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.helpers.stores import STORE_KINDS, StoreKind, store_backend
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

pytest_plugins = ["tests.helpers.chromium"]  # the ``browser`` fixture: one Chromium per test process


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (marked ``slow`` or ``browser``) first, each module's order kept: pytest-xdist deals
    them one at a time (``--maxschedchunk=1`` in pyproject's addopts), so they spread over the workers and
    the short ones fill the gaps, instead of a long one starting last while the other workers sit idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None and item.get_closest_marker("browser") is None)


@pytest.fixture(autouse=True)
def english_facilitator(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new workshop takes the facilitator's locale (LANG): tests pin it, so a Finnish machine runs
    the same suite; tests of the default set their own."""
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def service(data_dir: Path) -> AsyncIterator[WorkshopService]:
    svc = WorkshopService(data_dir).open()
    try:
        yield svc
    finally:
        await svc.close()


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> Iterator[StoreKind]:
    """Run the test on the memory store and on the disk store."""
    with store_backend(request.param):
        yield request.param


@pytest.fixture
async def any_service(store_kind: StoreKind, data_dir: Path) -> AsyncIterator[WorkshopService]:
    """``service`` on each kind of store: for rule tests, which must hold on both."""
    svc = WorkshopService(data_dir).open()
    try:
        yield svc
    finally:
        await svc.close()


async def workshop_in(service: WorkshopService, phase: Phase, **settings: object) -> str:
    """A new workshop walked forward to ``phase``; returns its code. Walked to the vote, its ballot is
    open, as the facilitator opens it after explaining the rules (it never opens by itself)."""
    w = await service.create_workshop("Test workshop", settings=dict(settings) or None)
    order = list(Phase)
    for p in order[1 : order.index(phase) + 1]:
        await service.set_phase(w.code, p)
    if phase == Phase.VOTE:
        await service.set_voting(w.code, voting_open=True)
    return w.code


async def open_vote(service: WorkshopService, code: str) -> None:
    """From ideation to an open ballot, as the facilitator walks it: group, vote, then ``o`` once the
    rules are explained."""
    for phase in (Phase.GROUP, Phase.VOTE):
        await service.set_phase(code, phase)
    await service.set_voting(code, voting_open=True)


async def two_notes_of_one_idea_with_dots(service: WorkshopService) -> tuple[str, str, str, str, str]:
    """Two phones' notes of one idea, on an open ballot: p put 2 dots on each (the most per idea), q 1 on
    the second. Returns the code and the ids of p, q, the note to keep and its duplicate."""
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=2)
    p, _ = await service.join(code)
    q, _ = await service.join(code)
    keep = await service.post_idea(code, "bike parking map", author_id=p.id)
    dup = await service.post_idea(code, "map of bike parking", author_id=q.id)
    await open_vote(service, code)
    for _ in range(2):
        await service.cast_dot(code, p.id, keep.id)
        await service.cast_dot(code, p.id, dup.id)
    await service.cast_dot(code, q.id, dup.id)
    return code, p.id, q.id, keep.id, dup.id
