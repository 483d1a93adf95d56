"""Reversible moderation in the service, on disk: unmerge, hiding everything from one person, blocking."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import open_vote, two_notes_of_one_idea_with_dots, workshop_in
from workshop_tui.errors import Blocked, Conflict
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def test_unmerge_puts_the_note_and_its_dots_back(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    code, p_id, q_id, keep_id, dup_id = await two_notes_of_one_idea_with_dots(service)
    await service.add_paper_dots(code, dup_id, 4)
    before = dict(service.state(code).idea_dots)
    await service.merge_ideas(code, keep_id, dup_id)
    assert service.state(code).idea_dots[keep_id] == 7  # p capped at 2, q's 1 and 4 paper dots moved

    back = await service.unmerge_idea(code, dup_id)
    state = service.state(code)
    assert back.visible and back.merged_into is None
    assert state.idea_dots[keep_id] == before[keep_id] and state.idea_dots[dup_id] == before[dup_id]
    assert service.view(code).remaining_dots(p_id) == 1 and service.view(code).remaining_dots(q_id) == 4
    assert [h.action for h in state.ideas[keep_id].history][-2:] == ["merged-in", "unmerged-out"]
    with pytest.raises(Conflict, match="not merged"):
        await service.unmerge_idea(code, dup_id)
    await service.close()

    reopened = WorkshopService(data_dir).open()  # what the journal says is what we saw
    state = reopened.state(code)
    assert state.idea_dots[dup_id] == before[dup_id] and state.ideas[dup_id].visible
    await reopened.close()


async def test_unmerge_never_gives_more_dots_than_the_budget(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=4, max_dots_per_idea=2)
    p, _ = await service.join(code)
    keep = await service.post_idea(code, "a", author_id=p.id)
    dup = await service.post_idea(code, "b", author_id=p.id)
    other = await service.post_idea(code, "c", author_id=p.id)
    await open_vote(service, code)
    for idea in (keep, keep, dup, dup):
        await service.cast_dot(code, p.id, idea.id)
    await service.merge_ideas(code, keep.id, dup.id)  # 2 over the limit go back to p...
    await service.cast_dot(code, p.id, other.id)  # ...who spends one of them
    await service.unmerge_idea(code, dup.id)
    state = service.state(code)
    assert state.dots_used[p.id] == 4  # only one of the two returned dots could come back
    assert (state.idea_dots[keep.id], state.idea_dots[dup.id], state.idea_dots[other.id]) == (2, 1, 1)


async def test_bulk_hide_delete_and_block_are_durable(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    code = await workshop_in(service, Phase.IDEATE)
    spammer, _ = await service.join(code, "Spammer")
    ids = [(await service.post_idea(code, f"spam {n}", author_id=spammer.id)).id for n in range(5)]
    assert [i.id for i in await service.hide_ideas(code, ids[:3])] == ids[:3]
    assert await service.hide_ideas(code, ids[:3]) == []  # already hidden: nothing to undo
    deleted, kept = await service.delete_ideas(code, ids[3:])
    assert [i.id for i in deleted] == ids[3:] and kept == []
    await service.block_participant(code, spammer.id)
    with pytest.raises(Blocked, match="stopped taking notes from you"):
        await service.post_idea(code, "more", author_id=spammer.id)
    await service.close()

    service = WorkshopService(data_dir).open()
    state = service.state(code)
    assert [state.ideas[i].hidden for i in ids[:3]] == [True] * 3
    assert [state.ideas[i].deleted for i in ids[3:]] == [True] * 2
    assert state.participants[spammer.id].blocked
    await service.restore_ideas(code, ids[3:])
    await service.block_participant(code, spammer.id, False)
    await service.post_idea(code, "welcome back", author_id=spammer.id)
    await service.close()


async def test_bulk_delete_keeps_notes_with_dots(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    a = await service.post_idea(code, "a", source=Source.PAPER)
    b = await service.post_idea(code, "b", source=Source.PAPER)
    await open_vote(service, code)
    await service.add_paper_dots(code, a.id, 1)
    deleted, kept = await service.delete_ideas(code, [a.id, b.id])
    assert [i.id for i in deleted] == [b.id] and [i.id for i in kept] == [a.id]
