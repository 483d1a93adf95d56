"""The questions several concerns, screens and routes ask of one workshop. Pure: they read a state,
never write one, so any concern may use them without depending on another concern."""

from __future__ import annotations

from dataclasses import dataclass

from workshop_tui.errors import Invalid
from workshop_tui.models import Idea, Participant, Team
from workshop_tui.phases import Phase
from workshop_tui.state import WorkshopState


def visible_ideas(state: WorkshopState) -> list[Idea]:
    """The notes on the wall: not deleted, hidden or merged."""
    return [i for i in state.ideas.values() if i.visible]


def private_notes(state: WorkshopState) -> list[Idea]:
    """The notes written in private and not revealed yet (``Idea.awaiting_reveal``)."""
    if not state.private_notes:  # the state's count of the same notes: most workshops have none
        return []
    return [i for i in state.ideas.values() if i.awaiting_reveal]


@dataclass(frozen=True)
class Readiness:
    """How many of the room are done with the current phase's task: counts, never names. ``task`` is
    what the others are still doing ("writing", "voting", "ranking")."""

    task: str
    people: int
    done: int

    @property
    def waiting(self) -> int:
        return self.people - self.done


#: The phases with a task to be done, and what the people not done yet are doing.
READY_TASKS = {Phase.IDEATE: "writing", Phase.VOTE: "voting", Phase.TEAMS: "ranking"}


def readiness(state: WorkshopState) -> Readiness | None:
    """Who is done: in ideate those who said so; in the vote those who said so or placed every dot;
    in teams those who saved a ranking. None in the phases without a task for phones."""
    phase = state.workshop.phase
    task = READY_TASKS.get(phase)
    if task is None:
        return None
    people = [p for p in state.participants.values() if not p.blocked]
    return Readiness(task, len(people), sum(1 for p in people if is_done(state, p)))


def is_done(state: WorkshopState, person: Participant) -> bool:
    """Whether the room's count (``readiness``) has ``person`` done with the current phase's task."""
    phase = state.workshop.phase
    if phase == Phase.TEAMS:
        preference = state.preferences.get(person.id)
        return preference is not None and bool(preference.idea_ids)
    if phase == Phase.VOTE and state.dots_used[person.id] >= state.workshop.settings.dots_per_participant:
        return True  # every dot placed
    return phase in person.done_in


def ranking(state: WorkshopState) -> list[tuple[Idea, int]]:
    """Visible ideas by dots, most first; ties go to the earliest posted."""
    return sorted(
        ((i, state.idea_dots[i.id]) for i in visible_ideas(state)), key=lambda p: (-p[1], p[0].created_at, p[0].id)
    )


def remaining_dots(state: WorkshopState, participant_id: str) -> int:
    return state.workshop.settings.dots_per_participant - state.dots_used[participant_id]


def team_of(state: WorkshopState, participant_id: str) -> Team | None:
    return next((t for t in state.teams.values() if participant_id in t.member_ids), None)


def default_team_count(state: WorkshopState) -> int:
    """As many teams as the room fills at a middling size, within what the size bounds allow."""
    s = state.workshop.settings
    people = len(state.participants)
    ideas = len(visible_ideas(state))
    if people == 0 or ideas == 0:
        return max(1, min(ideas, 1))
    lowest = -(-people // s.team_max_size)
    highest = max(1, people // s.team_min_size)
    middle = round(people / ((s.team_min_size + s.team_max_size) / 2)) or 1
    return max(1, min(ideas, highest, max(lowest, middle)))


def candidate_ideas(
    state: WorkshopState, team_count: int | None = None, idea_ids: list[str] | None = None
) -> list[str]:
    """``idea_ids`` when given (checked), else the top ``team_count`` ideas by dots (ties: earliest)."""
    if idea_ids:
        if len(set(idea_ids)) != len(idea_ids):
            raise Invalid("each idea can be chosen only once")
        for idea_id in idea_ids:
            idea = state.ideas.get(idea_id)
            if idea is None or not idea.visible:
                raise Invalid(f"no idea {idea_id!r} on the wall")
        return list(idea_ids)
    count = team_count if team_count is not None else default_team_count(state)
    return [idea.id for idea, _ in ranking(state)[:count]]


def tie_at_cut(state: WorkshopState) -> tuple[int, int] | None:
    """(the dots, how many ideas with as many were left out) when the chosen ideas are the top ones by dots
    and the cut falls inside a tie: the earlier posted went in, which the facilitator should know. Ideas
    nobody dotted are not a tie (a workshop that skipped the vote picks by posting order throughout)."""
    chosen = state.workshop.team_candidates
    ranked = ranking(state)
    n = len(chosen)
    if not chosen or n >= len(ranked) or [idea.id for idea, _ in ranked[:n]] != chosen:
        return None
    dots = ranked[n - 1][1]
    left_out = sum(1 for _, d in ranked[n:] if d == dots)
    return (dots, left_out) if left_out and dots else None


def candidates_still_valid(state: WorkshopState) -> bool:
    chosen = state.workshop.team_candidates
    return bool(chosen) and all(i in state.ideas and state.ideas[i].visible for i in chosen)
