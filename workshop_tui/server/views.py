"""What the routes answer, built as the response models (FastAPI validates and encodes them).

Phones see public state only: notes without authors, dot totals only once revealed, team names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from pydantic import TypeAdapter

from workshop_tui.actions import Action, Role, allowed_actions
from workshop_tui.models import Idea, Participant, PhaseTimer, Team, utcnow
from workshop_tui.phases import Phase
from workshop_tui.server.schemas import (
    FollowedOut,
    IdeaOut,
    MeOut,
    MyTeamOut,
    MyVoteOut,
    ReadyOut,
    TeamOut,
    ThemeRefOut,
    TimerOut,
    WorkshopOut,
    WorkshopSummaryOut,
)
from workshop_tui.service import WorkshopService, WorkshopSummary, queries
from workshop_tui.state import WorkshopState


def idea_view(state: WorkshopState, idea: Idea, pid: str | None) -> IdeaOut:
    theme = state.themes.get(idea.theme_id) if idea.theme_id else None
    vote = state.votes.get(f"{pid}:{idea.id}") if pid else None
    return IdeaOut(
        id=idea.id,
        text=idea.text,
        theme=theme.name if theme else None,
        theme_id=idea.theme_id if theme else None,
        mine=pid is not None and idea.author_id == pid,
        my_dots=vote.dots if vote else 0,
        dots=state.idea_dots[idea.id] if state.workshop.results_revealed else None,
        private=idea.private,
    )


def wall(state: WorkshopState) -> list[Idea]:
    """The notes everyone may see, oldest first."""
    return sorted((i for i in state.ideas.values() if i.visible), key=lambda i: (i.created_at, i.id))


def wall_view(state: WorkshopState, pid: str | None) -> list[IdeaOut]:
    return [idea_view(state, i, pid) for i in wall(state)]


#: The wall's encoder: the same validation and JSON as a route returning ``list[IdeaOut]``.
WALL: TypeAdapter[list[IdeaOut]] = TypeAdapter(list[IdeaOut])


def wall_tag(state: WorkshopState, pid: str | None) -> str:
    """A weak ETag: every change to a workshop is one store record, and mine/my_dots depend on the reader."""
    who = hashlib.sha256(pid.encode()).hexdigest()[:12] if pid else "anyone"
    return f'W/"{state.id[:8]}-{state.store.seq}-{who}"'


class WallCache:
    """The anonymous wall of each workshop, encoded once per store record (readers without a token)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, bytes]] = {}

    def encoded(self, state: WorkshopState) -> bytes:
        seq = state.store.seq
        hit = self._cache.get(state.id)
        if hit is None or hit[0] != seq:
            hit = (seq, WALL.dump_json(wall_view(state, None)))
            self._cache[state.id] = hit
        return hit[1]


#: Dots need an open ballot as well as the vote phase.
_BALLOT = frozenset({Action.CAST_DOT, Action.WITHDRAW_DOT})


def participant_actions(state: WorkshopState) -> list[Action]:
    w = state.workshop
    return [a for a in allowed_actions(w.phase, Role.PARTICIPANT) if w.voting_open or a not in _BALLOT]


def timer_view(timer: PhaseTimer | None) -> TimerOut | None:
    if timer is None:
        return None
    now = utcnow()
    left = timer.seconds_left(now)
    running = timer.started_at is not None and left > 0
    return TimerOut(
        phase=timer.phase,
        seconds=timer.seconds,
        seconds_left=round(left, 1),
        running=running,
        ends_at=now + dt.timedelta(seconds=left) if running else None,
    )


def workshop_view(service: WorkshopService, state: WorkshopState) -> WorkshopOut:
    w = state.workshop
    s = w.settings
    return WorkshopOut(
        code=w.code,
        title=w.title,
        prompt=w.prompt,
        language=w.language,
        languages=w.phone_languages,
        phase=w.phase,
        dots_per_participant=s.dots_per_participant,
        max_dots_per_idea=s.max_dots_per_idea,
        idea_max_length=s.idea_max_length,
        voting_open=w.voting_open,
        results_revealed=w.results_revealed,
        candidate_idea_ids=list(w.team_candidates) if w.phase == Phase.TEAMS else [],
        allowed_actions=participant_actions(state),
        timer=timer_view(service.timer(state.code)),
        prototypes=len(state.backlog) or len(state.teams),
        follow_url=w.follow_url,
        private_writing=s.private_writing and w.phase == Phase.IDEATE,
        private_notes=state.private_notes,
        ready=ready_view(state),
        themes=[
            ThemeRefOut(id=t.id, name=t.name) for t in sorted(state.themes.values(), key=lambda t: t.name.casefold())
        ],
    )


def ready_view(state: WorkshopState) -> ReadyOut | None:
    ready = queries.readiness(state)
    if ready is None:
        return None
    return ReadyOut(task=ready.task, people=ready.people, done=ready.done, waiting=ready.waiting)


def summary_view(summary: WorkshopSummary, join_url: str) -> WorkshopSummaryOut:
    w = summary.workshop
    return WorkshopSummaryOut(
        code=w.code,
        id=w.id,
        title=w.title,
        template=w.template,
        language=w.language,
        phase=w.phase,
        participants=summary.participants,
        ideas=summary.ideas,
        dots=summary.dots,
        join_url=join_url,
    )


def my_team_view(state: WorkshopState, team: Team) -> MyTeamOut:
    people = state.participants
    champion = people.get(team.champion_id) if team.champion_id else None
    idea = state.ideas.get(team.idea_id)
    return MyTeamOut(
        id=team.id,
        idea_id=team.idea_id,
        idea_text=idea.text if idea else "",
        member_names=[people[m].name for m in team.member_ids if m in people],
        champion_name=champion.name if champion else None,
    )


def me_view(service: WorkshopService, state: WorkshopState, p: Participant) -> MeOut:
    votes = []
    for idea_id in state.ideas:
        vote = state.votes.get(f"{p.id}:{idea_id}")
        if vote is not None:
            votes.append(MyVoteOut(idea_id=idea_id, dots=vote.dots))
    pref = state.preferences.get(p.id)
    team = service.team_of(state, p.id) if state.workshop.teams_public else None  # a draft stays off the phones
    mine = [i for i in state.ideas.values() if i.author_id == p.id and not i.deleted and not i.merged_into]
    return MeOut(
        participant_id=p.id,
        name=p.name,
        ideas=[idea_view(state, i, p.id) for i in sorted(mine, key=lambda i: (i.created_at, i.id))],
        votes=votes,
        remaining_dots=service.remaining_dots(state, p.id),
        preferences=list(pref.idea_ids) if pref else [],
        team=my_team_view(state, team) if team is not None else None,
        follow=followed_view(state, p.id),
        done=state.workshop.phase in p.done_in,
    )


def followed_view(state: WorkshopState, participant_id: str) -> list[FollowedOut]:
    """After the session (backlog, closed): the prototypes built on a note this person voted for or wrote,
    or whose team they joined; the soonest review first."""
    if state.workshop.phase not in (Phase.BACKLOG, Phase.CLOSED):
        return []
    ideas = {i for i, idea in state.ideas.items() if idea.author_id == participant_id}
    ideas |= {v.idea_id for v in state.votes.values() if v.participant_id == participant_id}
    teams = {t.id for t in state.teams.values() if participant_id in t.member_ids}
    mine = [b for b in state.backlog.values() if ideas.intersection(b.idea_ids) or b.team_id in teams]
    mine.sort(key=lambda b: (b.next_review is None, b.next_review or dt.date.min, b.title, b.id))
    return [FollowedOut(id=b.id, title=b.title, status=b.status, next_review=b.next_review) for b in mine]


def team_view(team: Team) -> TeamOut:
    return TeamOut(id=team.id, idea_id=team.idea_id, member_ids=list(team.member_ids), champion_id=team.champion_id)


def teams_view(teams: Iterable[Team]) -> list[TeamOut]:
    return [team_view(t) for t in teams]
