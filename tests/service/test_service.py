"""Rules of the domain service, on a real store in a temporary data directory."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.conftest import open_vote, two_notes_of_one_idea_with_dots, workshop_in
from workshop_tui import events as ev
from workshop_tui.errors import Conflict, DataDirBusy, Invalid, NotFound, PhaseError, Unauthorized
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def test_create_from_template_uses_its_settings_and_prompt(service: WorkshopService) -> None:
    w = await service.create_workshop("Hack", template="weekend-hackathon")
    assert w.settings.team_min_size == 3 and w.settings.timeboxes[Phase.IDEATE] == 25
    assert w.prompt.startswith("What small prototype")
    assert len(w.code) == 5 and not set(w.code) & set("0O1IL")


async def test_unknown_template_and_bad_settings_are_clear_errors(service: WorkshopService) -> None:
    with pytest.raises(Invalid, match="unknown template 'nope'"):
        await service.create_workshop("x", template="nope")
    with pytest.raises(Invalid, match="max_dots_per_idea cannot exceed"):
        await service.create_workshop("x", settings={"dots_per_participant": 2, "max_dots_per_idea": 3})
    with pytest.raises(Invalid, match="title"):
        await service.create_workshop("   ")


async def test_phase_machine_forward_back_and_refusals(service: WorkshopService) -> None:
    code = (await service.create_workshop("x")).code
    with pytest.raises(Conflict, match="cannot go from lobby to vote"):
        await service.set_phase(code, Phase.VOTE)
    with pytest.raises(Invalid, match="unknown phase"):
        await service.set_phase(code, "party")
    for p in [Phase.IDEATE, Phase.GROUP, Phase.VOTE]:
        await service.set_phase(code, p)
    assert not service.state(code).workshop.voting_open  # the facilitator explains the rules first
    await service.set_voting(code, voting_open=True)
    assert service.state(code).workshop.voting_open
    await service.set_phase(code, Phase.IDEATE)  # reopen ideation
    assert not service.state(code).workshop.voting_open


async def test_join_returns_a_secret_token_that_authenticates(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    p, token = await service.join(code, " Ana ", ["maker"])
    assert p.name == "Ana" and len(token) >= 32 and token not in p.model_dump_json()
    assert service.authenticate(code.lower(), token).id == p.id
    with pytest.raises(Unauthorized):
        service.authenticate(code, token + "x")
    with pytest.raises(Unauthorized):
        service.authenticate(code, None)
    anon, _ = await service.join(code)
    assert anon.name == "Guest 2"


async def test_join_a_closed_or_unknown_workshop(service: WorkshopService) -> None:
    with pytest.raises(NotFound):
        await service.join("ZZZZZ")
    code = await workshop_in(service, Phase.CLOSED)
    with pytest.raises(Conflict, match="closed"):
        await service.join(code)


async def test_posting_notes_checks_phase_and_length(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY, idea_max_length=20)
    p, _ = await service.join(code)
    with pytest.raises(PhaseError, match="only in ideate"):
        await service.post_idea(code, "too early", author_id=p.id)
    await service.set_phase(code, Phase.IDEATE)
    with pytest.raises(Invalid, match="at most 20 characters"):
        await service.post_idea(code, "x" * 21, author_id=p.id)
    with pytest.raises(Invalid, match="needs some text"):
        await service.post_idea(code, "   ", author_id=p.id)
    idea = await service.post_idea(code, "  [/] <b>x</b>  ", author_id=p.id)
    assert idea.text == "[/] <b>x</b>"  # stored verbatim, only trimmed
    paper = await service.post_idea(code, "from the paper wall", source=Source.PAPER)
    assert paper.author_id is None and paper.source == Source.PAPER


async def test_people_edit_and_delete_only_their_own_notes(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    a, _ = await service.join(code)
    b, _ = await service.join(code)
    idea = await service.post_idea(code, "first", author_id=a.id)
    with pytest.raises(NotFound):
        await service.edit_idea(code, idea.id, "hijack", by=b.id)
    edited = await service.edit_idea(code, idea.id, "second", by=a.id)
    assert edited.text == "second" and edited.history[-1].detail == "was: first"
    deleted = await service.delete_idea(code, idea.id, by=a.id)
    assert deleted.deleted and not deleted.visible
    assert service.state(code).ideas[idea.id].history[-1].action == "deleted"  # kept, with its trace
    restored = await service.restore_idea(code, idea.id)
    assert restored.visible


async def test_dot_budget_and_per_idea_limit(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3, max_dots_per_idea=2)
    p, _ = await service.join(code)
    i1 = await service.post_idea(code, "one", author_id=p.id)
    i2 = await service.post_idea(code, "two", author_id=p.id)
    with pytest.raises(PhaseError):
        await service.cast_dot(code, p.id, i1.id)
    await open_vote(service, code)
    assert await service.cast_dot(code, p.id, i1.id) == 2
    assert await service.cast_dot(code, p.id, i1.id) == 1
    with pytest.raises(Conflict, match="at most 2 of your dots"):
        await service.cast_dot(code, p.id, i1.id)
    assert await service.cast_dot(code, p.id, i2.id) == 0
    with pytest.raises(Conflict, match="no dots left"):
        await service.cast_dot(code, p.id, i2.id)
    assert await service.withdraw_dot(code, p.id, i1.id) == 1
    with pytest.raises(Conflict, match="no dot on this idea"):
        await service.withdraw_dot(code, "someone-else", i1.id)
    await service.set_voting(code, voting_open=False)
    with pytest.raises(PhaseError, match="voting is closed"):
        await service.cast_dot(code, p.id, i2.id)


async def test_paper_dots_count_in_the_same_tally(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    idea = await service.post_idea(code, "paper", source=Source.PAPER)
    await open_vote(service, code)
    p, _ = await service.join(code)
    await service.cast_dot(code, p.id, idea.id)
    assert await service.add_paper_dots(code, idea.id, 4) == 5
    assert service.ranking(code)[0] == (service.state(code).ideas[idea.id], 5)
    with pytest.raises(Conflict):
        await service.add_paper_dots(code, idea.id, -9)


async def test_merge_moves_dots_and_history_and_respects_the_limit(service: WorkshopService) -> None:
    code, p_id, _, keep_id, dup_id = await two_notes_of_one_idea_with_dots(service)
    survivor = await service.merge_ideas(code, keep_id, dup_id)
    state = service.state(code)
    assert state.ideas[dup_id].merged_into == keep_id and not state.ideas[dup_id].visible
    assert state.idea_dots[keep_id] == 3 and state.idea_dots[dup_id] == 0  # p capped at 2, q's 1 moved
    assert service.view(code).remaining_dots(p_id) == 3  # 2 over the limit went back to p
    assert "returned to their owners" in survivor.history[-1].detail
    with pytest.raises(Conflict):
        await service.merge_ideas(code, keep_id, dup_id)


async def test_unmerge_puts_the_note_back_with_its_dots(service: WorkshopService, data_dir: Path) -> None:
    code = await workshop_in(service, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    p, _ = await service.join(code)
    keep = await service.post_idea(code, "bike parking map", source=Source.PAPER)
    dup = await service.post_idea(code, "map of bike parking", source=Source.PAPER)
    await service.cast_dot(code, p.id, dup.id)
    await service.merge_ideas(code, keep.id, dup.id)
    back = await service.unmerge_idea(code, dup.id)
    assert back.visible and back.history[-1].action == "unmerged"
    state = service.state(code)
    assert state.idea_dots[keep.id] == 0 and state.idea_dots[dup.id] == 1  # the merge recorded what moved
    assert state.ideas[keep.id].history[-1].action == "unmerged-out"
    assert state.ideas[keep.id].history[-1].detail == f"split out {dup.id}; 1 dot went back"
    with pytest.raises(Conflict, match="not merged"):
        await service.unmerge_idea(code, dup.id)
    await service.close()
    reopened = WorkshopService(data_dir).open()
    assert reopened.state(code).ideas[dup.id].merged_into is None
    await reopened.close()


async def test_a_note_with_dots_cannot_be_deleted(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    p, _ = await service.join(code)
    idea = await service.post_idea(code, "x", author_id=p.id)
    await open_vote(service, code)
    await service.cast_dot(code, p.id, idea.id)
    with pytest.raises(Conflict, match="this note has 1 dot: merge it"):
        await service.delete_idea(code, idea.id)


async def test_themes_group_notes_and_deleting_a_theme_keeps_the_notes(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    idea = await service.post_idea(code, "x", source=Source.FACILITATOR)
    theme = await service.create_theme(code, "Mobility")
    with pytest.raises(Conflict, match="already exists"):
        await service.create_theme(code, "mobility")
    await service.set_idea_theme(code, idea.id, theme.id)
    assert service.state(code).ideas[idea.id].theme_id == theme.id
    await service.rename_theme(code, theme.id, "Transport")
    await service.delete_theme(code, theme.id)
    assert service.state(code).ideas[idea.id].theme_id is None
    assert service.state(code).ideas[idea.id].history[-1].action == "unthemed"


async def test_preferences_only_in_teams_phase_and_valid(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    p, _ = await service.join(code)
    idea = await service.post_idea(code, "x", author_id=p.id)
    with pytest.raises(PhaseError):
        await service.set_preferences(code, p.id, [idea.id])
    for phase in [Phase.GROUP, Phase.VOTE, Phase.TEAMS]:
        await service.set_phase(code, phase)
    with pytest.raises(Invalid, match="only once"):
        await service.set_preferences(code, p.id, [idea.id, idea.id])
    with pytest.raises(Invalid, match="not one of the ideas"):
        await service.set_preferences(code, p.id, ["nope"])
    pref = await service.set_preferences(code, p.id, [idea.id])
    assert pref.idea_ids == [idea.id]


async def test_events_are_published_after_each_change(service: WorkshopService) -> None:
    seen: list[ev.Event] = []
    service.bus.subscribe(seen.append)
    code = await workshop_in(service, Phase.IDEATE)
    p, _ = await service.join(code)
    await service.post_idea(code, "x", author_id=p.id)
    kinds = [e.type for e in seen]
    assert kinds == ["workshop_created", "phase_changed", "participant_joined", "idea_posted"]
    assert all(e.code == code for e in seen)


async def test_everything_survives_a_reopen(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE)
        p, token = await service.join(code, "Ana")
        idea = await service.post_idea(code, "kept", author_id=p.id)
    async with WorkshopService(data_dir) as service:
        state = service.state(code)
        assert state.ideas[idea.id].text == "kept"
        assert service.authenticate(code, token).name == "Ana"


async def test_one_writer_per_data_dir(data_dir: Path) -> None:
    async with WorkshopService(data_dir):
        with pytest.raises(DataDirBusy, match="in use"):
            WorkshopService(data_dir).open()
        WorkshopService(data_dir, read_only=True).open()  # readers are welcome


async def test_concurrent_dots_never_exceed_budget_or_limit(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=2)
    people = [(await service.join(code))[0] for _ in range(20)]
    ideas = [await service.post_idea(code, f"idea {i}", source=Source.PAPER) for i in range(4)]
    await open_vote(service, code)

    async def attempt(pid: str, iid: str) -> bool:
        try:
            await service.cast_dot(code, pid, iid)
            return True
        except Conflict:
            return False

    tasks = [attempt(p.id, i.id) for p in people for i in ideas for _ in range(3)]
    results = await asyncio.gather(*tasks)
    state = service.state(code)
    assert sum(results) == state.dots_cast() == 20 * 5
    for p in people:
        assert state.dots_used[p.id] == 5
    assert all(v.dots <= 2 for v in state.votes.values())


async def test_the_view_answers_the_shared_questions_and_cannot_change_anything(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    p, _ = await service.join(code, "Ann")
    q, _ = await service.join(code, "Bo")
    first, second, hidden, gone = [
        await service.post_idea(code, text, source=Source.PAPER) for text in ("first", "second", "hidden", "gone")
    ]
    await service.hide_idea(code, hidden.id)
    await service.delete_idea(code, gone.id)
    await service.cast_dot(code, p.id, second.id)
    await service.add_paper_dots(code, first.id, 1)
    view = service.view(code)
    assert [i.id for i in view.visible_ideas()] == [first.id, second.id] and view.notes_on_wall() == 2
    assert [(i.id, n) for i, n in view.ranking()] == [(first.id, 1), (second.id, 1)]  # tie: earliest first
    assert (view.dots_cast(), view.phone_dots(), view.dots_on(second.id)) == (2, 1, 1)
    assert (view.dots_of(p.id, second.id), view.dots_of(None, first.id), view.remaining_dots(p.id)) == (1, 1, 4)
    assert set(view.participants) == {p.id, q.id}
    assert set(view.ideas) == {first.id, second.id, hidden.id, gone.id}

    await service.cast_dot(code, q.id, second.id)  # the view reads through: no stale copy to refresh
    assert view.ranking()[0][0].id == second.id and view.phone_dots() == 2

    with pytest.raises(TypeError):
        view.ideas[first.id] = second  # type: ignore[index]
    with pytest.raises(ValidationError):
        view.workshop.title = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        view.ideas[first.id].hidden = True  # type: ignore[misc]
    assert service.state(code).workshop.title == "Test workshop" and first.id in [i.id for i in view.visible_ideas()]


async def test_an_anonymous_workshop_projects_no_names(service: WorkshopService) -> None:
    code = (await service.create_workshop("Open", settings={"show_authors": True})).code
    assert service.state(code).workshop.settings.names_projected
    await service.update_workshop(code, settings={"anonymous": True})  # turning anonymous on takes names off
    settings = service.state(code).workshop.settings
    assert settings.anonymous and not settings.show_authors and not settings.names_projected
    with pytest.raises(Conflict, match="anonymous: authors' names are shown nowhere"):
        await service.update_workshop(code, settings={"show_authors": True})
    with pytest.raises(Conflict, match="anonymous"):
        await service.create_workshop("Both", settings={"anonymous": True, "show_authors": True})
    assert not service.state(code).workshop.settings.show_authors
