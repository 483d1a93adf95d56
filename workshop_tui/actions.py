"""The one table of what facilitators and participants may do, and in which phases.

The service checks every write against it (``require``); the TUI's footer, palette and
``check_action``, the phone page (told by the server what is allowed now) and the admin routes read
the same table, so a rule is stated once. A new action is one ``Action`` member plus one row here.
See docs/architecture.md, "Actions and phases".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from workshop_tui.errors import PhaseError
from workshop_tui.locales import N_
from workshop_tui.phases import ORDER, Phase


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"


class Action(StrEnum):
    # participants, from their phones
    JOIN = "join"
    POST_IDEA = "post_idea"
    EDIT_OWN_IDEA = "edit_own_idea"
    DELETE_OWN_IDEA = "delete_own_idea"
    CAST_DOT = "cast_dot"
    WITHDRAW_DOT = "withdraw_dot"
    RANK_IDEAS = "rank_ideas"
    SAY_DONE = "say_done"
    # the facilitator, from the TUI, the CLI or the admin API
    ADD_NOTE = "add_note"
    EDIT_NOTE = "edit_note"
    HIDE_NOTE = "hide_note"
    DELETE_NOTE = "delete_note"
    RESTORE_NOTE = "restore_note"
    MOVE_NOTE = "move_note"
    CREATE_THEME = "create_theme"
    RENAME_THEME = "rename_theme"
    DELETE_THEME = "delete_theme"
    REVEAL_NOTES = "reveal_notes"
    MERGE_NOTES = "merge_notes"
    UNMERGE_NOTE = "unmerge_note"
    TOGGLE_VOTING = "toggle_voting"
    REVEAL_RESULTS = "reveal_results"
    PAPER_DOTS = "paper_dots"
    CHOOSE_CANDIDATES = "choose_candidates"
    FORM_TEAMS = "form_teams"
    PUBLISH_TEAMS = "publish_teams"
    MOVE_MEMBER = "move_member"
    SET_CHAMPION = "set_champion"
    CONVERT_TO_BACKLOG = "convert_to_backlog"
    EDIT_BACKLOG = "edit_backlog"
    SET_PHASE = "set_phase"
    EDIT_SETTINGS = "edit_settings"
    TIMER = "timer"


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    role: Role
    phases: frozenset[Phase]
    label: str  # imperative, short: the footer and palette show it, refusals quote it ("cannot post a note ...")
    refusal: str = ""  # a participant's action: what their phone says while it waits (translated, a message id)


_ALWAYS = frozenset(Phase)
_OPEN = _ALWAYS - {Phase.CLOSED}  # a closed workshop keeps only its follow-up
_NOTES = frozenset({Phase.LOBBY, Phase.IDEATE, Phase.GROUP, Phase.VOTE})  # the wall's contents can change
_MERGE = frozenset({Phase.IDEATE, Phase.GROUP, Phase.VOTE})
_IDEATE = frozenset({Phase.IDEATE})
_VOTE = frozenset({Phase.VOTE})
_READY = frozenset({Phase.IDEATE, Phase.VOTE})  # "I'm done": writing, or voting with dots to spare
_REVEAL = frozenset({Phase.VOTE, Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED})  # results stay visible after the vote
_TEAMS = frozenset({Phase.TEAMS})
_ADJUST = frozenset({Phase.TEAMS, Phase.BACKLOG})
_BACKLOG = frozenset({Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED})

_P, _F = Role.PARTICIPANT, Role.FACILITATOR
_ROWS: tuple[tuple[Action, Role, frozenset[Phase], str], ...] = (
    (Action.JOIN, _P, _OPEN, "Join the workshop"),
    (Action.POST_IDEA, _P, _IDEATE, "Post a note"),
    (Action.EDIT_OWN_IDEA, _P, _IDEATE, "Edit your note"),
    (Action.DELETE_OWN_IDEA, _P, _IDEATE, "Delete your note"),
    (Action.CAST_DOT, _P, _VOTE, "Place a dot"),
    (Action.WITHDRAW_DOT, _P, _VOTE, "Take a dot back"),
    (Action.RANK_IDEAS, _P, _TEAMS, "Rank ideas for teams"),
    (Action.SAY_DONE, _P, _READY, "Say you are done"),
    (Action.ADD_NOTE, _F, _NOTES, "Add a paper note"),
    (Action.EDIT_NOTE, _F, _NOTES, "Edit a note"),
    (Action.HIDE_NOTE, _F, _OPEN, "Hide or show a note"),
    (Action.DELETE_NOTE, _F, _NOTES, "Delete a note"),
    (Action.RESTORE_NOTE, _F, _NOTES, "Restore a deleted note"),
    (Action.MOVE_NOTE, _F, _OPEN, "Move a note to a theme"),
    (Action.CREATE_THEME, _F, _OPEN, "Create a theme"),
    (Action.RENAME_THEME, _F, _OPEN, "Rename a theme"),
    (Action.DELETE_THEME, _F, _OPEN, "Delete a theme"),
    (Action.REVEAL_NOTES, _F, _IDEATE, "Reveal the notes written in private"),
    (Action.MERGE_NOTES, _F, _MERGE, "Merge duplicate notes"),
    (Action.UNMERGE_NOTE, _F, _MERGE, "Undo a merge"),
    (Action.TOGGLE_VOTING, _F, _VOTE, "Open or close voting"),
    (Action.REVEAL_RESULTS, _F, _REVEAL, "Reveal or hide the results"),
    (Action.PAPER_DOTS, _F, _VOTE, "Add paper dots"),
    (Action.CHOOSE_CANDIDATES, _F, _TEAMS, "Choose the ideas for teams"),
    (Action.FORM_TEAMS, _F, _TEAMS, "Form teams"),
    (Action.PUBLISH_TEAMS, _F, _TEAMS, "Publish the teams to the phones"),
    (Action.MOVE_MEMBER, _F, _ADJUST, "Move a person to another team"),
    (Action.SET_CHAMPION, _F, _ADJUST, "Choose a team's champion"),
    (Action.CONVERT_TO_BACKLOG, _F, _BACKLOG, "Build the backlog"),
    (Action.EDIT_BACKLOG, _F, _ALWAYS, "Edit a backlog item"),
    (Action.SET_PHASE, _F, _ALWAYS, "Change the phase"),
    (Action.EDIT_SETTINGS, _F, _ALWAYS, "Edit the workshop's settings"),
    (Action.TIMER, _F, _OPEN, "Run the phase timer"),
)

# What a phone says while a participant's action waits for its phase (the phone page's catalog).
_REFUSALS: dict[Action, str] = {
    Action.JOIN: N_("Joining is closed"),
    Action.POST_IDEA: N_("Posting is closed for now"),
    Action.EDIT_OWN_IDEA: N_("Notes cannot be changed now"),
    Action.DELETE_OWN_IDEA: N_("Notes cannot be deleted now"),
    Action.CAST_DOT: N_("Voting is not open"),
    Action.WITHDRAW_DOT: N_("Voting is not open"),
    Action.RANK_IDEAS: N_("Ranking is closed"),
}

ACTIONS: Mapping[Action, ActionSpec] = MappingProxyType(
    {
        action: ActionSpec(action, role, phases, label, _REFUSALS.get(action, ""))
        for action, role, phases, label in _ROWS
    }
)


def allowed(action: Action, phase: Phase) -> bool:
    return phase in ACTIONS[action].phases


def allowed_actions(phase: Phase, role: Role) -> tuple[Action, ...]:
    """What ``role`` may do in ``phase``, in table order (stable for footers and the phone)."""
    return tuple(spec.action for spec in ACTIONS.values() if spec.role == role and phase in spec.phases)


def require(action: Action, phase: Phase) -> None:
    """Raise ``PhaseError`` (HTTP 409, kind ``wrong_phase``) when ``action`` is not allowed in ``phase``."""
    spec = ACTIONS[action]
    if phase in spec.phases:
        return
    names = [p.value for p in ORDER if p in spec.phases]
    doing = spec.label[0].lower() + spec.label[1:]
    raise PhaseError(
        f"cannot {doing} in the {phase.value} phase (only in {', '.join(names)})",
        {"phase": phase.value, "action": action.value, "allowed_phases": names},
    )
