"""Private writing (issue 12, beyond the anchors): under ``private_writing`` the notes written in
ideate stay off the wall until the facilitator reveals them all at once, durably, on disk; the ready
counts of each phase (counts, never names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import workshop_in
from workshop_tui.errors import PhaseError
from workshop_tui.export_json import build_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService, queries


async def test_notes_written_in_private_are_off_the_wall_until_revealed_and_survive_restarts(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    code = await workshop_in(service, Phase.IDEATE, private_writing=True)
    amina, _ = await service.join(code, "Amina")
    mine = await service.post_idea(code, "Shade trees", author_id=amina.id)
    paper = await service.post_idea(code, "Water fountains", source=Source.PAPER)
    state = service.view(code)
    assert mine.private and paper.private
    assert state.notes_on_wall() == 0 and state.private_notes == 2
    assert service.view(code).visible_ideas() == ()
    assert build_export(state).ideas == []  # not the room's yet: no export carries them
    await service.close()

    service = WorkshopService(data_dir).open()  # from the journal: still written in private
    state = service.view(code)
    assert state.private_notes == 2 and state.notes_on_wall() == 0
    revealed = await service.reveal_notes(code)
    assert {i.id for i in revealed} == {mine.id, paper.id}
    assert state.private_notes == 0 and state.notes_on_wall() == 2
    assert [c.action for c in state.ideas[mine.id].history][-1] == "revealed"
    assert await service.reveal_notes(code) == []  # nothing left: a second reveal changes nothing
    await service.close()

    service = WorkshopService(data_dir, read_only=True).open()  # the reveal is on disk
    try:
        state = service.view(code)
        assert state.notes_on_wall() == 2 and not any(i.private for i in state.ideas.values())
        assert {i.id for i in build_export(state).ideas} == {mine.id, paper.id}
    finally:
        await service.close()


async def test_moving_on_from_ideate_reveals_what_is_still_private(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, private_writing=True)
    person, _ = await service.join(code, "Amina")
    note = await service.post_idea(code, "Bike racks", author_id=person.id)
    deleted = await service.post_idea(code, "Typo", author_id=person.id)
    await service.delete_idea(code, deleted.id, by=person.id)
    await service.set_phase(code, Phase.GROUP)
    state = service.view(code)
    assert state.ideas[note.id].visible  # nobody could group or vote on it otherwise
    assert state.ideas[deleted.id].private and state.ideas[deleted.id].deleted  # a deleted one stays as it was
    assert state.private_notes == 0
    with pytest.raises(PhaseError):
        await service.reveal_notes(code)  # only in ideate: past it nothing is private any more
    later = await service.post_idea(code, "Grouping note", source=Source.PAPER)
    assert later.visible  # private writing is for ideate


async def test_without_the_setting_notes_go_straight_on_the_wall(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    note = await service.post_idea(code, "Benches", source=Source.PAPER)
    assert note.visible and not note.private
    await service.update_workshop(code, settings={"private_writing": True})
    hidden = await service.post_idea(code, "Later", source=Source.PAPER)
    await service.update_workshop(code, settings={"private_writing": False})
    assert hidden.private and service.state(code).private_notes == 1  # turning it off reveals nothing by itself
    assert (await service.post_idea(code, "After", source=Source.PAPER)).visible


async def test_ready_counts_per_phase(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=2, max_dots_per_idea=2)
    people = [(await service.join(code, name))[0] for name in ("A", "B", "C")]
    state = service.view(code)
    assert state.readiness() == queries.Readiness("writing", 3, 0)
    await service.say_done(code, people[0].id)
    await service.say_done(code, people[0].id)  # saying it twice counts once
    assert state.readiness() == queries.Readiness("writing", 3, 1)
    await service.say_done(code, people[0].id, done=False)
    await service.say_done(code, people[1].id)
    note = await service.post_idea(code, "Trees", author_id=people[2].id)
    await service.block_participant(code, people[2].id)
    ready = state.readiness()
    assert ready is not None and (ready.people, ready.done, ready.waiting) == (2, 1, 1)  # blocked: not counted
    await service.set_phase(code, Phase.GROUP)
    assert state.readiness() is None
    with pytest.raises(PhaseError):
        await service.say_done(code, people[0].id)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    assert state.readiness() == queries.Readiness("voting", 2, 0)  # ideate's "done" is not the vote's
    await service.cast_dot(code, people[0].id, note.id)
    await service.cast_dot(code, people[0].id, note.id)  # every dot placed: done
    await service.say_done(code, people[1].id)  # or said so, with dots to spare
    assert state.readiness() == queries.Readiness("voting", 2, 2)
    await service.set_phase(code, Phase.TEAMS)
    assert state.readiness() == queries.Readiness("ranking", 2, 0)
    await service.set_preferences(code, people[1].id, [note.id])
    assert state.readiness() == queries.Readiness("ranking", 2, 1)
