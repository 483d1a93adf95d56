"""Team formation through the service: candidates, preferences, the solver, manual adjustments."""

from __future__ import annotations

import pytest

from tests.conftest import open_vote, workshop_in
from workshop_tui.errors import Invalid, NotFound, PhaseError
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def room(service: WorkshopService, people: int = 6, ideas: int = 4) -> tuple[str, list[str], list[str]]:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=2, team_max_size=3)
    pids = [(await service.join(code, f"P{n}", ["maker" if n % 2 else "civil servant"]))[0].id for n in range(people)]
    iids = [(await service.post_idea(code, f"idea {k}", source=Source.PAPER)).id for k in range(ideas)]
    await open_vote(service, code)
    for k, iid in enumerate(iids):  # idea 0 gets the most dots
        for pid in pids[: ideas - k]:
            await service.cast_dot(code, pid, iid)
    return code, pids, iids


async def test_entering_teams_picks_the_top_ideas_as_candidates(service: WorkshopService) -> None:
    code, _, iids = await room(service)
    with pytest.raises(PhaseError):
        await service.form_teams(code)
    await service.set_phase(code, Phase.TEAMS)
    chosen = service.state(code).workshop.team_candidates
    assert chosen == iids[: len(chosen)] and 1 <= len(chosen) <= 3


async def test_teams_follow_preferences_and_bounds(service: WorkshopService) -> None:
    code, pids, iids = await room(service)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=iids[:2])
    for n, pid in enumerate(pids[:4]):
        await service.set_preferences(code, pid, [iids[n % 2], iids[(n + 1) % 2]])
    teams, plan = await service.form_teams(code)
    assert [t.idea_id for t in teams] == iids[:2]
    members = [m for t in teams for m in t.member_ids]
    assert sorted(members) == sorted(pids) and all(2 <= len(t.member_ids) <= 3 for t in teams)
    for n, pid in enumerate(pids[:4]):  # everyone who ranked got their first choice
        assert pid in next(t for t in teams if t.idea_id == iids[n % 2]).member_ids
    assert plan.stats.total_cost == 2 * 2  # only the two who ranked nothing cost anything (2 candidates each)
    assert plan.explain()
    assert service.state(code).teams.keys() == {t.id for t in teams}


async def test_infeasible_sizes_are_a_clear_error(service: WorkshopService) -> None:
    code, _, iids = await room(service, people=3)
    await service.set_phase(code, Phase.TEAMS)
    with pytest.raises(Invalid, match="cannot fill"):
        await service.form_teams(code, idea_ids=iids[:3], min_size=2, max_size=3)
    with pytest.raises(Invalid, match="min_size"):
        await service.form_teams(code, min_size=4, max_size=2)


async def test_move_member_and_champion(service: WorkshopService) -> None:
    code, _, iids = await room(service)
    await service.set_phase(code, Phase.TEAMS)
    teams, _ = await service.form_teams(code, idea_ids=iids[:2])
    a, b = teams
    mover = a.member_ids[0]
    await service.set_champion(code, a.id, mover)
    await service.move_member(code, mover, b.id)
    state = service.state(code)
    assert mover in state.teams[b.id].member_ids and mover not in state.teams[a.id].member_ids
    assert state.teams[a.id].champion_id is None  # a champion who leaves is no longer champion
    with pytest.raises(Invalid, match="member"):
        await service.set_champion(code, a.id, mover)
    with pytest.raises(NotFound):
        await service.move_member(code, mover, "no-such-team")


async def test_a_cut_inside_a_tie_on_dots_is_reported_and_nothing_else_is(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    pids = [(await service.join(code, f"P{n}"))[0].id for n in range(3)]
    iids = [(await service.post_idea(code, f"idea {k}", source=Source.PAPER)).id for k in range(5)]
    await open_vote(service, code)
    for iid, dots in zip(iids, (3, 2, 2, 2, 0), strict=True):
        for pid in pids[:dots]:
            await service.cast_dot(code, pid, iid)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=iids[:2])
    assert service.view(code).tie_at_cut() == (2, 2)  # ideas 2 and 3 have as many dots as idea 1
    await service.set_team_candidates(code, idea_ids=iids[:4])
    assert service.view(code).tie_at_cut() is None  # the whole tie went in
    await service.set_team_candidates(code, idea_ids=[iids[0], iids[2]])
    assert service.view(code).tie_at_cut() is None  # a hand-picked set is the facilitator's own choice
    await service.set_team_candidates(code, idea_ids=iids[:1])
    assert service.view(code).tie_at_cut() is None  # the cut falls between 3 dots and 2


async def test_ideas_nobody_dotted_are_not_a_tie(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    iids = [(await service.post_idea(code, f"idea {k}", source=Source.PAPER)).id for k in range(3)]
    await open_vote(service, code)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_team_candidates(code, idea_ids=iids[:2])
    assert service.view(code).tie_at_cut() is None
