"""Team formation: place every person in one team, one team per candidate idea.

Imported only when teams are formed (numpy and scipy are most of a cold start); the models live in
``workshop_tui.team_plan``.

The objectives, in strict priority order:

1. Preferences (exact). Placing a person on the idea they ranked k-th (0-based, counting only the
   candidate ideas, first occurrence of each) costs k; on a candidate they did not rank it costs the
   number of candidates. The total is minimised exactly.
2. Even team sizes (exact among the plans that are optimal for 1). People who do not mind are spread
   so that sizes differ as little as possible instead of piling into the first teams.
3. Skills spread (heuristic, never at the expense of 1 or 2). Maximise the number of distinct
   (team, skill) pairs, then minimise pairs of teammates who share a skill.

How: 1 and 2 are one ``scipy.optimize.linear_sum_assignment`` on a person x slot matrix. Each team is
expanded into ``min_size`` mandatory slots and up to ``max_size - min_size`` optional ones (capped at
``n - k * min_size``, the most that any team can ever use). Slot cost = ``primary * BIG + r`` for the
r-th optional slot of a team, minus ``M`` on mandatory slots. ``BIG`` exceeds the largest possible sum
of the r terms, so the primary cost dominates (lexicographic); the r terms are convex per team, so
the cheapest way to fill optional slots is the most even. ``M`` exceeds any total without it, so
every optimum fills all mandatory slots. A filling of all mandatory slots is exactly a partition
with sizes in [min_size, max_size], hence the optimum is exact. All values are integers below 2**53,
so the float solver is exact too.

3 interacts between people (a team's second maker is worth less than its first), which an
assignment cannot express. So it is a deterministic local search after the solve: swap two people
of different teams when the swap leaves the preference cost unchanged and strictly improves the
skills objective. Swaps keep every team's size, so 1 and 2 can never get worse. It ends when no swap
improves (each swap strictly improves a bounded score) or after a fixed number of passes.

Deterministic: people are sorted by id, candidates keep the given order, ties go to the lower id.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from workshop_tui.counted import plural
from workshop_tui.team_plan import (
    ChoiceCounts,
    ChoiceShares,
    InfeasibleTeams,
    Person,
    PlannedTeam,
    PlanStats,
    SkillCoverage,
    TeamPlan,
    TeamStats,
    top_candidates,
)

__all__ = [
    "ChoiceCounts",
    "ChoiceShares",
    "InfeasibleTeams",
    "Person",
    "PlanStats",
    "PlannedTeam",
    "SkillCoverage",
    "TeamPlan",
    "TeamStats",
    "form_teams",
    "top_candidates",
]

IntArray = npt.NDArray[np.int64]

#: Upper bound on local-search passes over everyone; each pass is O(n^2 * skills) numpy work.
_MAX_SWAP_PASSES: Final = 25
#: Largest integer that float64 holds exactly.
_EXACT_FLOAT: Final = 2**53


def form_teams(people: Iterable[Person], candidate_ids: Sequence[str], min_size: int, max_size: int) -> TeamPlan:
    """One team per candidate idea, everyone in exactly one team, sizes within [min_size, max_size].

    Raises InfeasibleTeams when that is impossible or the request is malformed.
    """
    roster = sorted(people, key=lambda p: p.id)
    candidates = list(candidate_ids)
    _check_request(roster, candidates, min_size, max_size)
    cost = _cost_matrix(roster, candidates)
    team_of = _assign(cost, min_size, max_size)
    skill_names, has_skill = _skill_matrix(roster)
    team_of = _spread_skills(cost, team_of, has_skill)
    return _plan(roster, candidates, cost, team_of, skill_names, has_skill, min_size, max_size)


# --- checks -----------------------------------------------------------------------------------


def _check_request(roster: list[Person], candidates: list[str], min_size: int, max_size: int) -> None:
    n, k = len(roster), len(candidates)
    if k == 0:
        raise InfeasibleTeams("no candidate ideas: choose at least one idea to form teams around", people=n)
    if min_size < 0:
        raise InfeasibleTeams(f"the minimum team size cannot be negative (got {min_size})")
    if max_size < 1:
        raise InfeasibleTeams(f"the maximum team size must be at least 1 (got {max_size})")
    if min_size > max_size:
        raise InfeasibleTeams(f"the minimum team size ({min_size}) is larger than the maximum ({max_size})")
    if len(set(candidates)) != k:
        dup = next(c for i, c in enumerate(candidates) if c in candidates[:i])
        raise InfeasibleTeams(f"idea {dup!r} is listed twice among the candidates: each idea gets one team")
    for a, b in itertools.pairwise(roster):
        if a.id == b.id:
            raise InfeasibleTeams(f"person {a.id!r} is listed twice: each person is placed once")
    if n < k * min_size:
        raise _too_few(n, k, min_size, max_size)
    if n > k * max_size:
        raise _too_many(n, k, min_size, max_size)


def _too_few(n: int, k: int, a: int, b: int) -> InfeasibleTeams:
    # a >= 1 here. Fewer teams help if some count k' has k'*a <= n <= k'*b; the largest is n // a.
    most = n // a
    fits = most >= 1 and most * b >= n
    # k * (n // k) <= n <= k * b always works, but a team of nobody is no team: only from 1 up.
    size_hint = f"a minimum team size of {n // k}" if n >= k else ""
    if n == 0:
        need = plural(k * a, "person", "people")
        msg = f"nobody to place yet, and {plural(k, 'team')} of at least {a} need {need}"
        hint = "wait for people to join"
    else:
        msg = f"{plural(n, 'person', 'people')} cannot fill {plural(k, 'team')} of at least {a}"
        fewer = f"use at most {plural(most, 'team')}"
        if fits:
            hint = f"{fewer}, or {size_hint}" if size_hint else fewer
        else:
            hint = f"use {size_hint}" if size_hint else "wait for more people to join"
    return InfeasibleTeams(f"{msg}: {hint}", people=n, team_count=k, suggested_team_count=most if fits else None)


def _too_many(n: int, k: int, a: int, b: int) -> InfeasibleTeams:
    least = -(-n // b)  # the smallest count with least * b >= n; it also needs least * a <= n
    fits = least * a <= n
    size_hint = f"a maximum team size of {-(-n // k)}"
    msg = f"{plural(n, 'person', 'people')} do not fit in {plural(k, 'team')} of at most {b}"
    hint = f"use at least {plural(least, 'team')}, or {size_hint}" if fits else f"use {size_hint}"
    return InfeasibleTeams(f"{msg}: {hint}", people=n, team_count=k, suggested_team_count=least if fits else None)


# --- solving ----------------------------------------------------------------------------------


def _cost_matrix(roster: list[Person], candidates: list[str]) -> IntArray:
    """cost[i, j]: 0-based rank of candidate j among person i's ranked candidates, else len(candidates)."""
    k = len(candidates)
    column = {idea: j for j, idea in enumerate(candidates)}
    cost = np.full((len(roster), k), k, dtype=np.int64)
    for i, person in enumerate(roster):
        rank = 0
        for idea in person.ranking:
            j = column.get(idea)
            if j is not None and cost[i, j] == k:
                cost[i, j] = rank
                rank += 1
    return cost


def _assign(cost: IntArray, min_size: int, max_size: int) -> IntArray:
    """team_of[i] for an exact optimum of (preference cost, then unevenness); see the module doc."""
    n, k = cost.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    spare = n - k * min_size  # people beyond the mandatory slots
    optional = min(max_size - min_size, spare)  # no team can use more optional slots than this
    teams = np.arange(k, dtype=np.int64)
    slot_team = np.concatenate([np.repeat(teams, min_size), np.repeat(teams, optional)])
    slot_rank = np.concatenate([np.zeros(k * min_size, np.int64), np.tile(np.arange(optional, dtype=np.int64), k)])
    mandatory = np.arange(slot_team.size) < k * min_size
    # With the mandatory slots full, exactly `spare` optional slots are filled, each r < optional.
    big = spare * max(optional - 1, 0) + 1
    worst = big * (n * k) + big  # > any total of primary * big + sum of r
    if n * (2 * worst + k * big) >= _EXACT_FLOAT:
        # Too big for exact floats with the evenness tier: keep preferences exact, drop evenness.
        big, slot_rank = 1, np.zeros_like(slot_rank)
        worst = n * k + 1
        if n * (2 * worst + k) >= _EXACT_FLOAT:
            raise InfeasibleTeams(f"{n} people x {k} ideas is too large to plan exactly")
    matrix = cost[:, slot_team] * big + slot_rank - np.where(mandatory, worst, 0)
    rows, cols = linear_sum_assignment(matrix.astype(np.float64))
    team_of = np.empty(n, dtype=np.int64)
    team_of[rows] = slot_team[cols]
    if np.count_nonzero(mandatory[cols]) != k * min_size:  # cannot happen, by the choice of worst
        raise AssertionError("team solver left a mandatory slot empty")
    return team_of


def _normal_skill(tag: str) -> str:
    return " ".join(tag.split()).casefold()


def _skill_matrix(roster: list[Person]) -> tuple[list[str], IntArray]:
    sets = [{s for s in map(_normal_skill, p.skills) if s} for p in roster]
    names = sorted(set().union(*sets))
    index = {s: c for c, s in enumerate(names)}
    has = np.zeros((len(roster), len(names)), dtype=np.int64)
    for i, skills in enumerate(sets):
        for s in skills:
            has[i, index[s]] = 1
    return names, has


def _pairs(count: IntArray) -> IntArray:
    return count * (count - 1) // 2


def _spread_skills(cost: IntArray, team_of: IntArray, has: IntArray) -> IntArray:
    """Zero-cost swaps that improve (distinct (team, skill) pairs, -same-skill teammate pairs)."""
    n, k = cost.shape
    if has.shape[1] == 0 or k < 2:
        return team_of
    team_of = team_of.copy()
    counts = np.zeros((k, has.shape[1]), dtype=np.int64)
    np.add.at(counts, team_of, has)
    own = cost[np.arange(n), team_of]  # each person's current cost
    for _ in range(_MAX_SWAP_PASSES):
        improved = False
        for i in range(n):
            t = int(team_of[i])
            # A swap moves some skills one way and some the other; the score change is the sum over
            # them. Moving one unit of skill s from a team holding x to one holding y improves the
            # score iff y <= x - 2, so an improving swap moves at least one such skill. Visit each
            # pair from the side of that skill's holder: i, with s movable from t to the team of j.
            movable = (has[i] == 1) & (counts[t] >= counts.min(axis=0) + 2)
            if not movable.any():
                continue
            receiving = ((counts <= counts[t] - 2) & movable).any(axis=1)
            # Swap i (team t) with j (team u) keeps the total iff cost[i,u]-cost[i,t] == cost[j,u]-cost[j,t].
            ok = (cost[i, team_of] - cost[i, t] == own - cost[:, t]) & receiving[team_of]
            cand = np.flatnonzero(ok)
            if cand.size == 0:
                continue
            delta = has[i] - has[cand]  # skills leaving t for u (+1) or coming back to t (-1)
            before_t, before_u = counts[t], counts[team_of[cand]]
            after_t, after_u = before_t - delta, before_u + delta
            gain = (
                np.count_nonzero(after_t, axis=1)
                + np.count_nonzero(after_u, axis=1)
                - np.count_nonzero(before_t)
                - np.count_nonzero(before_u, axis=1)
            )
            clash = (
                _pairs(after_t).sum(axis=1)
                + _pairs(after_u).sum(axis=1)
                - _pairs(before_t).sum()
                - _pairs(before_u).sum(axis=1)
            )
            best = int(np.lexsort((cand, clash, -gain))[0])  # most gain, then least clash, then lowest j
            if gain[best] < 0 or (gain[best] == 0 and clash[best] >= 0):
                continue
            j = int(cand[best])
            u = int(team_of[j])
            counts[t] -= delta[best]
            counts[u] += delta[best]
            team_of[i], team_of[j] = u, t
            own[i], own[j] = cost[i, u], cost[j, t]
            improved = True
        if not improved:
            break
    return team_of


# --- reporting --------------------------------------------------------------------------------


def _choice_counts(ranks: IntArray, k: int) -> ChoiceCounts:
    unranked = int(np.count_nonzero(ranks == k))
    ranked = ranks[ranks < k]
    return ChoiceCounts(
        first=int(np.count_nonzero(ranked == 0)),
        second=int(np.count_nonzero(ranked == 1)),
        third=int(np.count_nonzero(ranked == 2)),
        later=int(np.count_nonzero(ranked >= 3)),
        unranked=unranked,
    )


def _plan(
    roster: list[Person],
    candidates: list[str],
    cost: IntArray,
    team_of: IntArray,
    skill_names: list[str],
    has: IntArray,
    min_size: int,
    max_size: int,
) -> TeamPlan:
    n, k = cost.shape
    ranks = cost[np.arange(n), team_of]
    teams: list[PlannedTeam] = []
    team_stats: list[TeamStats] = []
    for j, idea in enumerate(candidates):
        members = np.flatnonzero(team_of == j)  # ascending index == ascending id
        champion = None
        if members.size:
            champion = roster[int(members[np.argmin(cost[members, j])])].id  # argmin: first = lowest id
        teams.append(PlannedTeam(idea_id=idea, member_ids=[roster[m].id for m in members], champion_id=champion))
        per_skill = has[members].sum(axis=0)
        team_stats.append(
            TeamStats(
                idea_id=idea,
                size=int(members.size),
                cost=int(ranks[members].sum()),
                choices=_choice_counts(ranks[members], k),
                skills={skill_names[c]: int(v) for c, v in enumerate(per_skill) if v},
            )
        )
    coverage = [
        SkillCoverage(
            skill=name,
            people=int(has[:, c].sum()),
            teams=int(np.unique(team_of[has[:, c] == 1]).size),
            possible=min(int(has[:, c].sum()), k),
        )
        for c, name in enumerate(skill_names)
    ]
    coverage.sort(key=lambda cov: (-cov.people, cov.skill))
    choices = _choice_counts(ranks, k)
    shares = ChoiceShares(**{field: (getattr(choices, field) / n if n else 0.0) for field in ChoiceShares.model_fields})
    stats = PlanStats(
        people=n,
        total_cost=int(ranks.sum()),
        min_size=min_size,
        max_size=max_size,
        no_preference=int(np.count_nonzero((cost == k).all(axis=1))),
        choices=choices,
        shares=shares,
        teams=team_stats,
        skills=coverage,
    )
    return TeamPlan(teams=teams, unassigned=[], stats=stats)
