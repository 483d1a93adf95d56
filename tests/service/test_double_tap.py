"""A request that finds nothing to change (a double tap, a retry) answers only once the change it saw
is durable: if that change then fails, both requests fail (on disk, with a failing fsync)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import workshop_in
from workshop_tui.errors import StoreFailed
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.store import fsync as fsync_mod


def _disk_fails(name: str) -> None:
    if name == "append.sync":
        raise OSError(5, "Input/output error")


async def _hide(service: WorkshopService, code: str, idea_id: str, _: str) -> Any:
    return await service.hide_idea(code, idea_id)


async def _say_done(service: WorkshopService, code: str, _: str, person_id: str) -> Any:
    return await service.say_done(code, person_id)


async def _next_phase(service: WorkshopService, code: str, _: str, __: str) -> Any:
    return await service.set_phase(code, Phase.GROUP)


def _seen(service: WorkshopService, code: str, idea_id: str, person_id: str) -> tuple[Any, ...]:
    state = service.state(code)
    return state.ideas[idea_id], state.participants[person_id], state.workshop.phase


@pytest.mark.parametrize("tap", [_hide, _say_done, _next_phase], ids=["hide a note", "say done", "next phase"])
async def test_the_second_tap_fails_with_the_first_when_its_write_fails(
    data_dir: Path, tap: Callable[[WorkshopService, str, str, str], Awaitable[Any]]
) -> None:
    service = WorkshopService(data_dir).open()
    code = await workshop_in(service, Phase.IDEATE)
    person, _ = await service.join(code, "Ann")
    idea = await service.post_idea(code, "Shade trees", source=Source.PAPER)
    before = _seen(service, code, idea.id, person.id)
    fsync_mod.fault_hook = _disk_fails
    try:
        first = asyncio.ensure_future(tap(service, code, idea.id, person.id))
        await asyncio.sleep(0)  # the first tap ran up to its commit: memory shows it, the disk has not
        assert _seen(service, code, idea.id, person.id) != before
        with pytest.raises(StoreFailed):
            await tap(service, code, idea.id, person.id)  # it sees nothing to do, but must not say done
        with pytest.raises(StoreFailed):
            await first
    finally:
        fsync_mod.fault_hook = None
    assert _seen(service, code, idea.id, person.id) == before
    with contextlib.suppress(StoreFailed):
        await service.close()
