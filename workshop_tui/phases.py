"""The session's phase machine: lobby -> ideate -> group -> vote -> teams -> backlog -> closed.

``PHASE_SPECS`` is the one table of what each phase is called, which TUI screen shows it and what
phones show meanwhile: a new phase is a ``Phase`` member, one row here, its moves in ``_BACK`` and
its screen (docs/architecture.md, "Adding a phase").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from workshop_tui.locales import N_


class Phase(StrEnum):
    LOBBY = "lobby"
    IDEATE = "ideate"
    GROUP = "group"
    VOTE = "vote"
    TEAMS = "teams"
    BACKLOG = "backlog"
    CLOSED = "closed"


ORDER: tuple[Phase, ...] = tuple(Phase)


@dataclass(frozen=True)
class PhaseSpec:
    phase: Phase
    title: str  # what the projector and the palette call it
    screen: str  # the TUI screen's key ("wall", "voting", ...); screens/navigation.py maps keys to classes
    phone_view: str  # the phone page's view (a section ``{view}-view`` of phone.html)
    audience_title: str  # what phones and the room's screen call it, translated (a message id)
    refusal_reason: str  # why a participant's action waits in this phase ("Voting is not open — {reason}.")


PHASE_SPECS: Mapping[Phase, PhaseSpec] = MappingProxyType(
    {
        spec.phase: spec
        for spec in (
            PhaseSpec(
                Phase.LOBBY, "lobby (QR code)", "lobby", "lobby", N_("Welcome"), N_("the session has not started yet")
            ),
            PhaseSpec(
                Phase.IDEATE,
                "ideation wall",
                "wall",
                "ideate",
                N_("Share ideas"),
                N_("everyone is still sharing ideas"),
            ),
            PhaseSpec(
                Phase.GROUP,
                "grouping wall",
                "wall",
                "group",
                N_("Sorting ideas"),
                N_("the facilitator is grouping the notes"),
            ),
            PhaseSpec(Phase.VOTE, "voting", "voting", "vote", N_("Vote"), N_("voting has started")),
            PhaseSpec(Phase.TEAMS, "teams", "teams", "teams", N_("Teams"), N_("teams are being formed")),
            PhaseSpec(
                Phase.BACKLOG,
                "backlog",
                "backlog",
                "end",
                N_("What happens next"),
                N_("the workshop has moved on to next steps"),
            ),
            PhaseSpec(
                Phase.CLOSED, "closed workshop", "backlog", "end", N_("Finished"), N_("the workshop has finished")
            ),
        )
    }
)

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
