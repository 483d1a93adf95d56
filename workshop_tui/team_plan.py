"""The people and the plan of team formation: what goes into ``teaming.form_teams`` and what comes out.

Kept apart from the solver so that reading or serving a plan never imports numpy and scipy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from workshop_tui.counted import plural


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Frozen):
    id: str = Field(min_length=1)
    ranking: list[str] = Field(
        default_factory=list,
        description="candidate idea ids, best first; unknown ids and repeats are ignored",
    )
    skills: list[str] = Field(default_factory=list, description="free text tags, such as 'maker'")


class PlannedTeam(_Frozen):
    idea_id: str
    member_ids: list[str] = Field(description="sorted")
    champion_id: str | None = Field(
        None,
        description="the member who ranked the idea highest (ties, or nobody ranked it: lowest id); "
        "None when the team is empty",
    )


class ChoiceCounts(_Frozen):
    """How many people were placed on their 1st, 2nd, 3rd, a later, or an unranked choice."""

    first: int = 0
    second: int = 0
    third: int = 0
    later: int = Field(0, description="4th choice or later")
    unranked: int = Field(0, description="placed on a candidate they did not rank")

    @property
    def total(self) -> int:
        return self.first + self.second + self.third + self.later + self.unranked


class ChoiceShares(_Frozen):
    """ChoiceCounts as fractions of everyone placed (all 0.0 when nobody is)."""

    first: float = 0.0
    second: float = 0.0
    third: float = 0.0
    later: float = 0.0
    unranked: float = 0.0


class TeamStats(_Frozen):
    idea_id: str
    size: int
    cost: int
    choices: ChoiceCounts
    skills: dict[str, int] = Field(description="normalised skill -> members who have it")


class SkillCoverage(_Frozen):
    skill: str = Field(description="normalised: whitespace collapsed, case folded")
    people: int
    teams: int = Field(description="teams with at least one member who has it")
    possible: int = Field(description="the most teams it could reach: min(people, team count)")


class PlanStats(_Frozen):
    people: int
    total_cost: int
    min_size: int
    max_size: int
    no_preference: int = Field(description="people who ranked none of the candidate ideas")
    choices: ChoiceCounts
    shares: ChoiceShares
    teams: list[TeamStats] = Field(description="in candidate order")
    skills: list[SkillCoverage] = Field(description="most common first, then by name")


class TeamPlan(_Frozen):
    teams: list[PlannedTeam] = Field(description="one per candidate idea, in candidate order")
    unassigned: list[str] = Field(
        default_factory=list, description="always empty: every person is placed (kept for the HTTP contract)"
    )
    stats: PlanStats

    def explain(self) -> list[str]:
        """Short lines for the facilitator, e.g. '38 of 40 people (95%) got their 1st or 2nd choice'."""
        s = self.stats
        k = len(self.teams)
        if s.people == 0:
            return [f"No people to place: {plural(k, 'team')} left empty."]
        sizes = [t.size for t in s.teams]
        lo, hi = min(sizes), max(sizes)
        size_text = f"{lo}" if lo == hi else f"{lo} to {hi}"
        lines = [
            f"{plural(s.people, 'person', 'people')} in {plural(k, 'team')} of {size_text} "
            f"(allowed {s.min_size} to {s.max_size})"
        ]
        c = s.choices
        cumulative = [
            (c.first, "their 1st choice"),
            (c.first + c.second, "their 1st or 2nd choice"),
            (c.first + c.second + c.third, "one of their top 3 choices"),
        ]
        previous = -1
        for count, what in cumulative:
            if count != previous:
                lines.append(f"{count} of {s.people} people ({count / s.people:.0%}) got {what}")
            previous = count
            if count == s.people:
                break
        if c.unranked:
            line = f"{plural(c.unranked, 'person', 'people')} placed on an idea they did not rank"
            if s.no_preference:
                line += f" ({s.no_preference} ranked none of these ideas)"
            lines.append(line)
        orphans = sum(1 for t in s.teams if t.size and t.choices.unranked == t.size)
        if orphans:
            lines.append(f"{plural(orphans, 'team')} without any member who ranked its idea")
        shown = s.skills[:6]
        for cov in shown:
            line = f"Skill '{cov.skill}' in {cov.teams} of {plural(k, 'team')}"
            if cov.possible < k:
                line += f" (only {plural(cov.people, 'person has', 'people have')} it)"
            lines.append(line)
        if len(s.skills) > len(shown):
            lines.append(f"... and {plural(len(s.skills) - len(shown), 'more skill')}")
        return lines


class InfeasibleTeams(ValueError):
    """The request cannot give a valid plan; the message says why and what to change."""

    def __init__(
        self,
        message: str,
        *,
        people: int | None = None,
        team_count: int | None = None,
        suggested_team_count: int | None = None,
    ) -> None:
        super().__init__(message)
        self.people = people
        self.team_count = team_count
        self.suggested_team_count = suggested_team_count


def top_candidates(dots_by_idea: Mapping[str, int], posted_at: Mapping[str, dt.datetime], team_count: int) -> list[str]:
    """The ``team_count`` ideas with most dots; ties: earliest posted (unknown times last), then id."""
    if team_count < 0:
        raise ValueError("team_count cannot be negative")

    def key(idea_id: str) -> tuple[int, bool, dt.datetime | None, str]:
        posted = posted_at.get(idea_id)
        return (-dots_by_idea[idea_id], posted is None, posted, idea_id)

    return sorted(dots_by_idea, key=key)[:team_count]
