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
    PublishedTeamOut,
    ReadyOut,
    TeamOut,
    ThemeRefOut,
    TimerOut,
    WorkshopOut,
    WorkshopSummaryOut,
)
from workshop_tui.service import WorkshopService, WorkshopSummary
from workshop_tui.service.view import WorkshopView


def idea_view(view: WorkshopView, idea: Idea, pid: str | None) -> IdeaOut:
    theme = view.themes.get(idea.theme_id) if idea.theme_id else None
    return IdeaOut(
        id=idea.id,
        text=idea.text,
        theme=theme.name if theme else None,
        theme_id=idea.theme_id if theme else None,
        mine=pid is not None and idea.author_id == pid,
        my_dots=view.dots_of(pid, idea.id) if pid else 0,
        dots=view.dots_on(idea.id) if view.workshop.results_revealed else None,
        private=idea.private,
    )


def wall_view(view: WorkshopView, pid: str | None) -> list[IdeaOut]:
    """The notes everyone may see, oldest first."""
    return [idea_view(view, i, pid) for i in view.visible_ideas()]


#: The wall's encoder: the same validation and JSON as a route returning ``list[IdeaOut]``.
WALL: TypeAdapter[list[IdeaOut]] = TypeAdapter(list[IdeaOut])


def wall_tag(view: WorkshopView, pid: str | None) -> str:
    """A weak ETag: every change to a workshop is one store record, and mine/my_dots depend on the reader."""
    who = hashlib.sha256(pid.encode()).hexdigest()[:12] if pid else "anyone"
    return f'W/"{view.id[:8]}-{view.seq}-{who}"'


class WallCache:
    """The anonymous wall of each workshop, encoded once per store record (readers without a token)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, bytes]] = {}

    def encoded(self, view: WorkshopView) -> bytes:
        seq = view.seq
        hit = self._cache.get(view.id)
        if hit is None or hit[0] != seq:
            hit = (seq, WALL.dump_json(wall_view(view, None)))
            self._cache[view.id] = hit
        return hit[1]


#: Dots need an open ballot as well as the vote phase.
_BALLOT = frozenset({Action.CAST_DOT, Action.WITHDRAW_DOT})


def participant_actions(view: WorkshopView) -> list[Action]:
    w = view.workshop
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


def workshop_view(service: WorkshopService, view: WorkshopView) -> WorkshopOut:
    w = view.workshop
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
        allowed_actions=participant_actions(view),
        timer=timer_view(service.timer(view.code)),
        prototypes=len(view.backlog) or len(view.teams),
        follow_url=w.follow_url,
        author_names="projected" if s.names_projected else "hidden" if s.anonymous else "records",
        private_writing=s.private_writing and w.phase == Phase.IDEATE,
        private_notes=view.private_notes,
        ready=ready_view(view),
        themes=[
            ThemeRefOut(id=t.id, name=t.name) for t in sorted(view.themes.values(), key=lambda t: t.name.casefold())
        ],
        teams=[PublishedTeamOut(idea_id=t.idea_id, members=len(t.member_ids)) for t in view.teams.values()]
        if w.teams_public
        else [],
    )


def ready_view(view: WorkshopView) -> ReadyOut | None:
    ready = view.readiness()
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
        show_authors=w.settings.names_projected,
    )


def my_team_view(view: WorkshopView, team: Team) -> MyTeamOut:
    people = view.participants
    champion = people.get(team.champion_id) if team.champion_id else None
    idea = view.ideas.get(team.idea_id)
    return MyTeamOut(
        id=team.id,
        idea_id=team.idea_id,
        idea_text=idea.text if idea else "",
        member_names=[people[m].name for m in team.member_ids if m in people],
        champion_name=champion.name if champion else None,
    )


def me_view(view: WorkshopView, p: Participant) -> MeOut:
    ideas = view.ideas
    voted = sorted((ideas[i] for i in view.voted_ideas(p.id) if i in ideas), key=lambda i: (i.created_at, i.id))
    votes = [MyVoteOut(idea_id=i.id, dots=view.dots_of(p.id, i.id)) for i in voted]
    pref = view.preferences.get(p.id)
    team = view.team_of(p.id) if view.workshop.teams_public else None  # a draft stays off the phones
    written = (ideas[i] for i in view.authored_ideas(p.id) if i in ideas)
    mine = [i for i in written if not i.deleted and not i.merged_into]
    return MeOut(
        participant_id=p.id,
        name=p.name,
        ideas=[idea_view(view, i, p.id) for i in sorted(mine, key=lambda i: (i.created_at, i.id))],
        votes=votes,
        remaining_dots=view.remaining_dots(p.id),
        preferences=list(pref.idea_ids) if pref else [],
        team=my_team_view(view, team) if team is not None else None,
        follow=followed_view(view, p.id),
        done=view.workshop.phase in p.done_in,
        counted_done=view.is_done(p),
    )


def followed_view(view: WorkshopView, participant_id: str) -> list[FollowedOut]:
    """After the session (backlog, closed): the prototypes built on a note this person voted for or wrote,
    or whose team they joined; the soonest review first."""
    if view.workshop.phase not in (Phase.BACKLOG, Phase.CLOSED):
        return []
    ideas = view.authored_ideas(participant_id) | view.voted_ideas(participant_id)
    teams = {t.id for t in view.teams.values() if participant_id in t.member_ids}
    mine = [b for b in view.backlog.values() if ideas.intersection(b.idea_ids) or b.team_id in teams]
    mine.sort(key=lambda b: (b.next_review is None, b.next_review or dt.date.min, b.title, b.id))
    return [FollowedOut(id=b.id, title=b.title, status=b.status, next_review=b.next_review) for b in mine]


def team_view(team: Team) -> TeamOut:
    return TeamOut(id=team.id, idea_id=team.idea_id, member_ids=list(team.member_ids), champion_id=team.champion_id)


def teams_view(teams: Iterable[Team]) -> list[TeamOut]:
    return [team_view(t) for t in teams]
