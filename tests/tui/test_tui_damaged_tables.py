"""A workshop whose stored notes or dots fail validation (they are validated on first read, after the
workshop opened from its tallies) is a notice on the list of workshops, not a crash of a phase's screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screens.home import HomeScreen
from tests.conftest import open_vote, workshop_in
from tests.helpers.tui import running_app, wait_for
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def _voted(data_dir: Path) -> str:
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3)
        p, _ = await service.join(code, "P")
        note = await service.post_idea(code, "shade trees", author_id=p.id)
        await open_vote(service, code)
        await service.cast_dot(code, p.id, note.id)
    return code


@pytest.mark.parametrize("table", ["ideas", "votes"])
async def test_a_stored_document_that_fails_validation_is_a_notice_not_a_crash(data_dir: Path, table: str) -> None:
    code = await _voted(data_dir)
    (directory,) = (data_dir / "workshops").iterdir()
    newest = sorted(directory.glob("snapshot-*.json"))[-1]
    tables = json.loads(newest.read_text())
    for doc in tables[table].values():
        doc["colour"] = "red"  # no such field
    newest.write_text(json.dumps(tables))
    async with running_app(data_dir, code=code) as (app, pilot):
        await wait_for(pilot, lambda: any(n.title == "Cannot open the workshop" for n in app._notifications), "notice")
        (notice,) = [n for n in app._notifications if n.title == "Cannot open the workshop"]
        assert code in notice.message and "could not be read" in notice.message
        assert app.code is None and isinstance(app.screen, HomeScreen)
