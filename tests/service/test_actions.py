"""The actions x phases table is the service's rule: every action it lists is refused outside its
phases and not refused inside them, through the real service on a real on-disk store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.paths import STATIC
from workshop_tui.actions import ACTIONS, Action, Role, allowed, allowed_actions, require
from workshop_tui.errors import PhaseError, WorkshopError
from workshop_tui.models import Source
from workshop_tui.phases import ORDER, PHASE_SPECS, Phase, next_phase
from workshop_tui.service import WorkshopService


def test_every_action_has_one_spec() -> None:
    assert set(ACTIONS) == set(Action)
    for action, spec in ACTIONS.items():
        assert spec.action is action
        assert spec.phases, action
        assert spec.label and spec.label[0].isupper(), action


def test_every_phase_has_a_spec_and_a_phone_view() -> None:
    page = (STATIC / "phone.html").read_text()
    assert set(PHASE_SPECS) == set(Phase)
    for phase, spec in PHASE_SPECS.items():
        assert spec.phase is phase
        assert spec.title and spec.screen
        assert f'id="{spec.phone_view}-view"' in page, spec


def test_allowed_actions_follow_the_table() -> None:
    assert allowed_actions(Phase.IDEATE, Role.PARTICIPANT) == (
        Action.JOIN,
        Action.POST_IDEA,
        Action.EDIT_OWN_IDEA,
        Action.DELETE_OWN_IDEA,
        Action.SAY_DONE,
    )
    assert allowed_actions(Phase.CLOSED, Role.PARTICIPANT) == ()
    for phase in Phase:
        for role in Role:
            for action in allowed_actions(phase, role):
                assert ACTIONS[action].role is role and allowed(action, phase)


def test_a_refusal_says_what_and_where() -> None:
    with pytest.raises(PhaseError) as caught:
        require(Action.CAST_DOT, Phase.IDEATE)
    assert str(caught.value) == "cannot place a dot in the ideate phase (only in vote)"
    assert caught.value.detail == {"phase": "ideate", "action": "cast_dot", "allowed_phases": ["vote"]}
    require(Action.CAST_DOT, Phase.VOTE)


@dataclass
class Room:
    """One workshop with something for every action to act on (ids fixed in the lobby and ideate)."""

    service: WorkshopService
    code: str
    me: str = ""
    mine: str = ""  # my note
    spare: str = ""  # my note without dots, to delete
    paper: str = ""  # a paper note the facilitator deletes and restores
    a: str = ""
    b: str = ""
    dup: str = ""  # merged into ``a``
    theme: str = ""

    def team(self) -> str:
        return next(iter(self.service.state(self.code).teams), "no-team")

    def item(self) -> str:
        return next(iter(self.service.state(self.code).backlog), "no-item")


Call = Callable[[Room], Awaitable[object]]

CALLS: dict[Action, Call] = {
    Action.JOIN: lambda r: r.service.join(r.code, "Late"),
    Action.POST_IDEA: lambda r: r.service.post_idea(r.code, "from a phone", author_id=r.me),
    Action.EDIT_OWN_IDEA: lambda r: r.service.edit_idea(r.code, r.mine, "my note, edited", by=r.me),
    Action.DELETE_OWN_IDEA: lambda r: r.service.delete_idea(r.code, r.spare, by=r.me),
    Action.CAST_DOT: lambda r: r.service.cast_dot(r.code, r.me, r.b),
    Action.WITHDRAW_DOT: lambda r: r.service.withdraw_dot(r.code, r.me, r.b),
    Action.RANK_IDEAS: lambda r: r.service.set_preferences(r.code, r.me, []),
    Action.SAY_DONE: lambda r: r.service.say_done(r.code, r.me),
    Action.ADD_NOTE: lambda r: r.service.post_idea(r.code, "from paper", source=Source.PAPER),
    Action.EDIT_NOTE: lambda r: r.service.edit_idea(r.code, r.a, "note a, edited"),
    Action.HIDE_NOTE: lambda r: r.service.hide_idea(r.code, r.a, hidden=False),
    Action.DELETE_NOTE: lambda r: r.service.delete_idea(r.code, r.paper),
    Action.RESTORE_NOTE: lambda r: r.service.restore_idea(r.code, r.paper),
    Action.MOVE_NOTE: lambda r: r.service.set_idea_theme(r.code, r.a, r.theme),
    Action.CREATE_THEME: lambda r: r.service.create_theme(r.code, f"Theme in {r.service.state(r.code).workshop.phase}"),
    Action.RENAME_THEME: lambda r: r.service.rename_theme(r.code, r.theme, "Renamed"),
    Action.DELETE_THEME: lambda r: r.service.delete_theme(r.code, "no-theme"),
    Action.REVEAL_NOTES: lambda r: r.service.reveal_notes(r.code),
    Action.MERGE_NOTES: lambda r: r.service.merge_ideas(r.code, r.a, r.dup),
    Action.UNMERGE_NOTE: lambda r: r.service.unmerge_idea(r.code, r.dup),
    Action.TOGGLE_VOTING: lambda r: r.service.set_voting(r.code, voting_open=True),
    Action.REVEAL_RESULTS: lambda r: r.service.set_voting(r.code, results_revealed=True),
    Action.PAPER_DOTS: lambda r: r.service.add_paper_dots(r.code, r.b, 1),
    Action.CHOOSE_CANDIDATES: lambda r: r.service.set_team_candidates(r.code),
    Action.FORM_TEAMS: lambda r: r.service.form_teams(r.code),
    Action.PUBLISH_TEAMS: lambda r: r.service.publish_teams(r.code),
    Action.MOVE_MEMBER: lambda r: r.service.move_member(r.code, r.me, r.team()),
    Action.SET_CHAMPION: lambda r: r.service.set_champion(r.code, r.team(), None),
    Action.CONVERT_TO_BACKLOG: lambda r: r.service.convert_to_backlog(r.code),
    Action.EDIT_BACKLOG: lambda r: r.service.update_backlog_item(r.item(), {"note": "checked"}),
    Action.SET_PHASE: lambda r: r.service.set_phase(r.code, r.service.state(r.code).workshop.phase),
    Action.EDIT_SETTINGS: lambda r: r.service.update_workshop(r.code, title="Renamed workshop"),
}
UI_ONLY = {Action.TIMER}  # the phase timer lives in the TUI; nothing to write


def test_every_service_action_is_exercised() -> None:
    assert set(CALLS) | UI_ONLY == set(Action)


async def _prepare(room: Room, phase: Phase) -> None:
    svc, code = room.service, room.code
    if phase == Phase.LOBBY:
        room.me = (await svc.join(code, "Me"))[0].id
        room.theme = (await svc.create_theme(code, "Streets")).id
        room.paper = (await svc.post_idea(code, "paper note", source=Source.PAPER)).id
        room.a = (await svc.post_idea(code, "note a", source=Source.PAPER)).id
        room.b = (await svc.post_idea(code, "note b", source=Source.PAPER)).id
        room.dup = (await svc.post_idea(code, "note a again", source=Source.PAPER)).id
    if phase == Phase.IDEATE:
        room.mine = (await svc.post_idea(code, "my note", author_id=room.me)).id
        room.spare = (await svc.post_idea(code, "my spare note", author_id=room.me)).id
    if phase == Phase.VOTE:
        await svc.set_voting(code, voting_open=True)  # the ballot never opens by itself


async def test_the_service_enforces_the_table_in_every_phase(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    try:
        w = await service.create_workshop("Rules", settings={"team_min_size": 1})
        room = Room(service, w.code)
        refused: dict[Phase, set[Action]] = {}
        for phase in ORDER:
            await _prepare(room, phase)
            refused[phase] = set()
            for action, call in CALLS.items():  # table order: cast before withdraw, form before move
                try:
                    await call(room)
                except PhaseError as exc:
                    assert not allowed(action, phase), f"{action} refused in {phase}: {exc}"
                    assert isinstance(exc.detail, dict) and exc.detail["action"] == action.value, exc
                    refused[phase].add(action)
                except WorkshopError:
                    assert allowed(action, phase), f"{action} got past the phase check in {phase}"
                else:
                    assert allowed(action, phase), f"{action} was accepted in {phase}"
            nxt = next_phase(phase)
            if nxt is not None:
                await service.set_phase(room.code, nxt)
        for phase in ORDER:
            assert refused[phase] == {a for a in CALLS if not allowed(a, phase)}, phase
    finally:
        await service.close()

    reopened = WorkshopService(data_dir, read_only=True).open()  # what was accepted is on disk
    try:
        state = reopened.state(room.code)
        assert state.workshop.phase == Phase.CLOSED
        assert state.ideas[room.dup].merged_into is None  # merged in ideate, unmerged in ideate..vote
        assert state.ideas[room.spare].deleted and not state.ideas[room.paper].deleted
        assert state.teams and state.backlog
    finally:
        await reopened.close()
