"""The session's phase machine: lobby -> ideate -> group -> vote -> teams -> backlog -> closed."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    LOBBY = "lobby"
    IDEATE = "ideate"
    GROUP = "group"
    VOTE = "vote"
    TEAMS = "teams"
    BACKLOG = "backlog"
    CLOSED = "closed"


ORDER: tuple[Phase, ...] = tuple(Phase)

# Steps back that make sense in a room: reopen ideation, regroup, re-run the vote, redo teams,
# and reopen a closed workshop for follow-up. Forward is always one step at a time.
_BACK: dict[Phase, frozenset[Phase]] = {
    Phase.LOBBY: frozenset(),
    Phase.IDEATE: frozenset({Phase.LOBBY}),
    Phase.GROUP: frozenset({Phase.IDEATE}),
    Phase.VOTE: frozenset({Phase.GROUP, Phase.IDEATE}),
    Phase.TEAMS: frozenset({Phase.VOTE}),
    Phase.BACKLOG: frozenset({Phase.TEAMS}),
    Phase.CLOSED: frozenset({Phase.BACKLOG}),
}


def next_phase(phase: Phase) -> Phase | None:
    i = ORDER.index(phase)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def previous_phase(phase: Phase) -> Phase | None:
    i = ORDER.index(phase)
    return ORDER[i - 1] if i > 0 else None


def allowed_targets(phase: Phase) -> frozenset[Phase]:
    nxt = next_phase(phase)
    return _BACK[phase] | ({nxt} if nxt else frozenset())


def can_move(src: Phase, dst: Phase) -> bool:
    return dst in allowed_targets(src)
