"""Team formation: exact optimum (checked by brute force and by an independent MILP), bounds, ties,
determinism, skills spread, infeasible requests, and the candidate helper."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from workshop_tui.teaming import (
    InfeasibleTeams,
    Person,
    PlannedTeam,
    TeamPlan,
    form_teams,
    top_candidates,
)

SKILLS = ["maker", "civil servant", "designer", "coder"]

# --- an independent model of the spec -----------------------------------------------------------


def spec_cost(person: Person, candidates: list[str]) -> list[int]:
    """Rank among the candidates the person ranked (first occurrence), else len(candidates)."""
    ranked: list[str] = []
    for idea in person.ranking:
        if idea in candidates and idea not in ranked:
            ranked.append(idea)
    return [ranked.index(c) if c in ranked else len(candidates) for c in candidates]


def feasible(n: int, k: int, lo: int, hi: int) -> bool:
    return k >= 1 and 0 <= lo <= hi and hi >= 1 and k * lo <= n <= k * hi


def brute_force(people: list[Person], candidates: list[str], lo: int, hi: int) -> tuple[int, int]:
    """(least total cost, then least sum of squared sizes) over every valid partition."""
    costs = [spec_cost(p, candidates) for p in people]
    k = len(candidates)
    best: tuple[int, int] | None = None
    for teams in itertools.product(range(k), repeat=len(people)):
        sizes = [teams.count(j) for j in range(k)]
        if all(lo <= s <= hi for s in sizes):
            key = (sum(c[t] for c, t in zip(costs, teams, strict=True)), sum(s * s for s in sizes))
            best = key if best is None or key < best else best
    assert best is not None
    return best


def milp_optimum(people: list[Person], candidates: list[str], lo: int, hi: int) -> int:
    """The least total cost by an integer program (a different solver, same spec)."""
    n, k = len(people), len(candidates)
    c = np.array([spec_cost(p, candidates) for p in people], dtype=float).ravel()
    each_once = np.kron(np.eye(n), np.ones(k))
    sizes = np.kron(np.ones(n), np.eye(k))
    result = milp(
        c,
        constraints=[LinearConstraint(each_once, 1, 1), LinearConstraint(sizes, lo, hi)],
        integrality=np.ones(n * k),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return round(float(result.fun))


def coverage(plan: TeamPlan, people: list[Person]) -> int:
    """Distinct (team, normalised skill) pairs."""
    skills = {p.id: {" ".join(s.split()).casefold() for s in p.skills} for p in people}
    return sum(len(set().union(*(skills[m] for m in t.member_ids))) for t in plan.teams)


def spread(plan: TeamPlan, people: list[Person]) -> tuple[int, int]:
    """(distinct (team, skill) pairs, minus pairs of teammates sharing a skill): higher is better."""
    skills = {p.id: {" ".join(s.split()).casefold() for s in p.skills} for p in people}
    clashes = sum(len(skills[x] & skills[y]) for t in plan.teams for x, y in itertools.combinations(t.member_ids, 2))
    return coverage(plan, people), -clashes


def check_plan(plan: TeamPlan, people: list[Person], candidates: list[str], lo: int, hi: int) -> None:
    """Everything a valid plan promises, checked against the spec, not the implementation."""
    assert [t.idea_id for t in plan.teams] == candidates
    placed = [m for t in plan.teams for m in t.member_ids]
    assert sorted(placed) == sorted(p.id for p in people)  # everyone exactly once
    assert plan.unassigned == []
    by_id = {p.id: p for p in people}
    total = 0
    for j, team in enumerate(plan.teams):
        assert lo <= len(team.member_ids) <= hi
        assert team.member_ids == sorted(team.member_ids)
        ranks = {m: spec_cost(by_id[m], candidates)[j] for m in team.member_ids}
        total += sum(ranks.values())
        if team.member_ids:
            assert team.champion_id == min(team.member_ids, key=lambda m: (ranks[m], m))
        else:
            assert team.champion_id is None
        assert plan.stats.teams[j].size == len(team.member_ids)
        assert plan.stats.teams[j].cost == sum(ranks.values())
    assert plan.stats.total_cost == total
    assert plan.stats.people == len(people)
    assert plan.stats.choices.total == len(people)


# --- strategies -------------------------------------------------------------------------------


# Strategies are built once: building one inside a draw costs more than the test it feeds.
CANDIDATES = [[f"idea{j}" for j in range(k)] for k in range(8)]
RANKINGS = [st.lists(st.sampled_from([*c, "not-a-candidate"]), max_size=5) for c in CANDIDATES]
SKILL_LISTS = st.lists(st.sampled_from(SKILLS), max_size=2)
IDS = st.text("abcdefgh", min_size=1, max_size=3)


@st.composite
def rooms(draw: st.DrawFn, max_people: int = 7, max_ideas: int = 3) -> tuple[list[Person], list[str], int, int]:
    k = draw(st.integers(1, max_ideas))
    candidates = CANDIDATES[k]
    ids = draw(st.lists(IDS, max_size=max_people, unique=True))
    people = [Person(id=pid, ranking=draw(RANKINGS[k]), skills=draw(SKILL_LISTS)) for pid in ids]
    n = len(people)
    if draw(st.booleans()):  # bounds that fit the room, so that most examples reach the solver
        lo = draw(st.integers(0, min(3, n // k)))
        least = max(lo, 1, -(-n // k))
        hi = draw(st.integers(least, least + 2))
    else:
        lo = draw(st.integers(0, 3))
        hi = draw(st.integers(max(lo, 1), 5))
    return people, candidates, lo, hi


def without_skills(people: list[Person]) -> list[Person]:
    return [p.model_copy(update={"skills": []}) for p in people]


# --- optimality -------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(rooms())
def test_optimal_against_brute_force(room: tuple[list[Person], list[str], int, int]) -> None:
    people, candidates, lo, hi = room
    if not feasible(len(people), len(candidates), lo, hi):
        with pytest.raises(InfeasibleTeams):
            form_teams(people, candidates, lo, hi)
        return
    plan = form_teams(people, candidates, lo, hi)
    check_plan(plan, people, candidates, lo, hi)
    best_cost, best_squares = brute_force(people, candidates, lo, hi)
    assert plan.stats.total_cost == best_cost
    # Among the cheapest plans, sizes are as even as they can be.
    assert sum(len(t.member_ids) ** 2 for t in plan.teams) == best_squares


@settings(max_examples=200, deadline=None)
@given(rooms())
def test_skills_never_worsen_preferences_or_evenness(room: tuple[list[Person], list[str], int, int]) -> None:
    people, candidates, lo, hi = room
    if not feasible(len(people), len(candidates), lo, hi):
        return
    with_skills = form_teams(people, candidates, lo, hi)
    plain = form_teams(without_skills(people), candidates, lo, hi)
    assert with_skills.stats.total_cost == plain.stats.total_cost
    assert [len(t.member_ids) for t in with_skills.teams] == [len(t.member_ids) for t in plain.teams]
    # The spread starts from the plain plan and only ever improves it.
    assert coverage(with_skills, people) >= coverage(plain, people)


@settings(max_examples=300, deadline=None)
@given(rooms(max_people=9, max_ideas=3))
def test_no_free_swap_improves_the_spread(room: tuple[list[Person], list[str], int, int]) -> None:
    """The skills search stops at a local optimum: no cost-neutral swap spreads skills better."""
    people, candidates, lo, hi = room
    if not feasible(len(people), len(candidates), lo, hi):
        return
    plan = form_teams(people, candidates, lo, hi)
    base = spread(plan, people)
    by_id = {p.id: p for p in people}
    for a, b in itertools.combinations(range(len(plan.teams)), 2):
        for x in plan.teams[a].member_ids:
            for y in plan.teams[b].member_ids:
                swapped = [
                    PlannedTeam(
                        idea_id=t.idea_id,
                        member_ids=sorted({x: y, y: x}.get(m, m) for m in t.member_ids),
                        champion_id=None,
                    )
                    for t in plan.teams
                ]
                cx, cy = spec_cost(by_id[x], candidates), spec_cost(by_id[y], candidates)
                if cx[b] + cy[a] == cx[a] + cy[b]:
                    assert spread(plan.model_copy(update={"teams": swapped}), people) <= base


@pytest.mark.parametrize("seed", range(6))
def test_optimal_against_milp_on_larger_rooms(seed: int) -> None:
    rng = random.Random(seed)
    k = rng.randint(3, 7)
    candidates = [f"i{j}" for j in range(k)]
    n = rng.randint(20, 60)
    people = [
        Person(id=f"p{i:03}", ranking=rng.sample(candidates[: max(2, k // 2)] + candidates, rng.randint(0, 4)))
        for i in range(n)
    ]
    lo = rng.randint(1, n // k)
    hi = rng.randint(max(lo, -(-n // k)), max(lo, -(-n // k)) + 3)
    plan = form_teams(people, candidates, lo, hi)
    check_plan(plan, people, candidates, lo, hi)
    assert plan.stats.total_cost == milp_optimum(people, candidates, lo, hi)


@pytest.mark.parametrize("seed", range(3))
def test_huge_rooms_keep_preferences_exact_without_the_evenness_tier(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past float64's exact range the evenness tier is dropped; the preference optimum stays exact."""
    import workshop_tui.teaming as teaming

    rng = random.Random(seed)
    candidates = ["a", "b", "c"]
    people = [Person(id=f"p{i}", ranking=rng.sample(candidates, rng.randint(0, 3))) for i in range(7)]
    monkeypatch.setattr(teaming, "_EXACT_FLOAT", 2**12)
    plan = form_teams(people, candidates, 1, 4)
    check_plan(plan, people, candidates, 1, 4)
    assert plan.stats.total_cost == brute_force(people, candidates, 1, 4)[0]
    monkeypatch.setattr(teaming, "_EXACT_FLOAT", 2**6)
    with pytest.raises(InfeasibleTeams, match="too large"):
        form_teams(people, candidates, 1, 4)


# --- determinism ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(rooms(max_people=9), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order(room: tuple[list[Person], list[str], int, int], rnd: random.Random) -> None:
    people, candidates, lo, hi = room
    if not feasible(len(people), len(candidates), lo, hi):
        return
    first = form_teams(people, candidates, lo, hi)
    assert form_teams(people, candidates, lo, hi) == first
    shuffled = people[:]
    rnd.shuffle(shuffled)
    assert form_teams(shuffled, candidates, lo, hi) == first


def test_candidate_order_is_kept() -> None:
    people = [Person(id=f"p{i}", ranking=["b"]) for i in range(4)]
    plan = form_teams(people, ["c", "b", "a"], 1, 2)
    assert [t.idea_id for t in plan.teams] == ["c", "b", "a"]
    assert [len(t.member_ids) for t in plan.teams] == [1, 2, 1]


# --- preferences, ties, size bounds -----------------------------------------------------------


def test_everyone_gets_first_choice_when_sizes_allow() -> None:
    people = [Person(id="ann", ranking=["x", "y"]), Person(id="bob", ranking=["y", "x"])]
    plan = form_teams(people, ["x", "y"], 1, 3)
    assert [t.member_ids for t in plan.teams] == [["ann"], ["bob"]]
    assert plan.stats.total_cost == 0
    assert plan.stats.shares.first == 1.0


def test_ties_split_by_size_bounds() -> None:
    people = [Person(id=f"p{i}", ranking=["a", "b"]) for i in range(4)]
    plan = form_teams(people, ["a", "b"], 2, 2)
    assert plan.stats.total_cost == 2
    assert plan.stats.choices.first == 2 and plan.stats.choices.second == 2
    assert plan.teams[0].champion_id == plan.teams[0].member_ids[0]


def test_unknown_and_repeated_ids_in_a_ranking_are_ignored() -> None:
    person = Person(id="p", ranking=["gone", "b", "b", "a"])
    plan = form_teams([person], ["a", "b"], 0, 1)
    assert plan.teams[1].member_ids == ["p"]
    assert plan.stats.choices.first == 1
    plan = form_teams([person, Person(id="q", ranking=["b"])], ["a", "b"], 1, 1)
    # q's only choice is b; p's 2nd choice (a) is cheaper overall than q's unranked a.
    assert [t.member_ids for t in plan.teams] == [["p"], ["q"]]
    assert plan.stats.total_cost == 1


def test_people_without_preferences_fill_the_gaps() -> None:
    keen = [Person(id=f"k{i}", ranking=["a"]) for i in range(3)]
    idle = [Person(id=f"z{i}") for i in range(3)]
    plan = form_teams(keen + idle, ["a", "b"], 3, 3)
    assert plan.teams[0].member_ids == ["k0", "k1", "k2"]
    assert plan.teams[1].member_ids == ["z0", "z1", "z2"]
    assert plan.teams[1].champion_id == "z0"  # nobody ranked it: lowest id
    assert plan.stats.no_preference == 3
    assert plan.stats.choices.unranked == 3
    assert plan.stats.total_cost == 6


def test_indifferent_people_make_even_teams() -> None:
    plan = form_teams([Person(id=f"p{i:02}") for i in range(10)], ["a", "b", "c"], 2, 6)
    assert sorted(len(t.member_ids) for t in plan.teams) == [3, 3, 4]


def test_champion_ranked_the_idea_highest() -> None:
    people = [
        Person(id="a1", ranking=["y", "x"]),
        Person(id="b2", ranking=["x"]),
        Person(id="c3", ranking=["y", "x"]),
    ]
    plan = form_teams(people, ["x", "y"], 0, 3)
    assert plan.teams[0].champion_id == "b2"
    assert plan.teams[1].champion_id == "a1"


def test_late_joiner_is_placed() -> None:
    people = [Person(id=f"p{i}", ranking=["a", "b"]) for i in range(4)]
    late = Person(id="late", ranking=["b"])
    plan = form_teams([*people, late], ["a", "b"], 2, 3)
    assert "late" in plan.teams[1].member_ids
    assert plan.stats.total_cost == 1  # a holds 3: one early person takes their 2nd choice


def test_zero_people_with_min_size_zero_gives_empty_teams() -> None:
    plan = form_teams([], ["a", "b"], 0, 4)
    assert plan.teams == [
        PlannedTeam(idea_id="a", member_ids=[], champion_id=None),
        PlannedTeam(idea_id="b", member_ids=[], champion_id=None),
    ]
    assert plan.stats.total_cost == 0
    assert plan.explain() == ["No people to place: 2 teams left empty."]


# --- skills -----------------------------------------------------------------------------------


def test_makers_and_civil_servants_are_spread() -> None:
    people = [
        Person(id="a", skills=["maker"]),
        Person(id="b", skills=["Maker "]),  # normalised: same tag
        Person(id="c", skills=["civil servant"]),
        Person(id="d", skills=["civil  Servant"]),
    ]
    plan = form_teams(people, ["x", "y"], 2, 2)
    for stats in plan.stats.teams:
        assert stats.skills == {"maker": 1, "civil servant": 1}
    assert {(c.skill, c.teams) for c in plan.stats.skills} == {("maker", 2), ("civil servant", 2)}


def test_skills_spread_within_equal_cost_only() -> None:
    # Both makers want x: spreading them would cost a preference, so they stay together.
    people = [
        Person(id="a", ranking=["x"], skills=["maker"]),
        Person(id="b", ranking=["x"], skills=["maker"]),
        Person(id="c", ranking=["y"], skills=["coder"]),
        Person(id="d", ranking=["y"], skills=["coder"]),
    ]
    plan = form_teams(people, ["x", "y"], 2, 2)
    assert [t.member_ids for t in plan.teams] == [["a", "b"], ["c", "d"]]
    assert plan.stats.total_cost == 0


def test_a_common_skill_is_shared_out_evenly() -> None:
    # 9 makers and 3 others in 3 teams of 4: every team can have a maker either way, so the
    # tie-break (fewest teammates sharing a skill) decides: 3 makers each, not 4 + 4 + 1.
    people = [Person(id=f"p{i:02}", skills=["maker"] if i < 9 else [f"other{i}"]) for i in range(12)]
    plan = form_teams(people, ["a", "b", "c"], 4, 4)
    assert [t.skills["maker"] for t in plan.stats.teams] == [3, 3, 3]


def test_skill_spread_on_a_bigger_indifferent_room() -> None:
    people = [Person(id=f"p{i:02}", skills=[SKILLS[i % 4]]) for i in range(24)]
    plan = form_teams(people, ["a", "b", "c", "d", "e", "f"], 4, 4)
    for stats in plan.stats.teams:
        assert stats.skills == dict.fromkeys(SKILLS, 1)


# --- infeasible and malformed requests --------------------------------------------------------


def _people(n: int) -> list[Person]:
    return [Person(id=f"p{i:03}") for i in range(n)]


@pytest.mark.parametrize(
    ("n", "ideas", "lo", "hi", "words", "suggested"),
    [
        (12, 5, 3, 6, ["12 people cannot fill 5 teams of at least 3", "use at most 4 teams"], 4),
        (40, 3, 2, 6, ["40 people do not fit in 3 teams of at most 6", "use at least 7 teams"], 7),
        (7, 2, 4, 5, ["7 people cannot fill 2 teams of at least 4", "a minimum team size of 3"], None),
        (1, 2, 1, 3, ["1 person cannot fill 2 teams of at least 1", "use at most 1 team"], 1),
        (0, 3, 2, 4, ["nobody to place yet", "need 6 people", "wait for people to join"], None),
        (11, 1, 1, 5, ["11 people do not fit in 1 team of at most 5", "at least 3 teams"], 3),
    ],
)
def test_infeasible_says_why_and_what_to_change(
    n: int, ideas: int, lo: int, hi: int, words: list[str], suggested: int | None
) -> None:
    with pytest.raises(InfeasibleTeams) as err:
        form_teams(_people(n), [f"i{j}" for j in range(ideas)], lo, hi)
    for word in words:
        assert word in str(err.value)
    assert err.value.suggested_team_count == suggested
    if suggested is not None:  # the suggestion really works
        form_teams(_people(n), [f"i{j}" for j in range(suggested)], lo, hi)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("ideas", "lo", "hi", "words"),
    [
        ([], 1, 3, "choose at least one idea"),
        (["a", "b", "a"], 1, 3, "'a' is listed twice"),
        (["a"], 4, 3, "minimum team size (4) is larger than the maximum (3)"),
        (["a"], -1, 3, "cannot be negative"),
        (["a"], 0, 0, "at least 1"),
    ],
)
def test_malformed_requests(ideas: list[str], lo: int, hi: int, words: str) -> None:
    with pytest.raises(InfeasibleTeams) as err:
        form_teams(_people(3), ideas, lo, hi)
    assert words in str(err.value)


def test_duplicate_person_is_refused() -> None:
    with pytest.raises(InfeasibleTeams, match="'p' is listed twice"):
        form_teams([Person(id="p"), Person(id="p")], ["a"], 0, 3)


# --- reporting --------------------------------------------------------------------------------


def test_explain_lines() -> None:
    people = [Person(id=f"p{i}", ranking=["a", "b"], skills=["maker"] if i == 0 else []) for i in range(4)]
    people.append(Person(id="p9"))
    lines = form_teams(people, ["a", "b"], 2, 3).explain()
    assert lines == [
        "5 people in 2 teams of 2 to 3 (allowed 2 to 3)",
        "3 of 5 people (60%) got their 1st choice",
        "4 of 5 people (80%) got their 1st or 2nd choice",
        "1 person placed on an idea they did not rank (1 ranked none of these ideas)",
        "Skill 'maker' in 1 of 2 teams (only 1 person has it)",
    ]


def test_explain_forty_people() -> None:
    people = [Person(id=f"p{i:02}", ranking=[f"i{i // 8}"]) for i in range(32)]  # 8 each for i0..i3
    people += [Person(id=f"q{i}", ranking=["i0", "i4"]) for i in range(6)]  # i0 is full: i4 it is
    people += [Person(id="x1"), Person(id="x2")]
    lines = form_teams(people, [f"i{j}" for j in range(5)], 8, 8).explain()
    assert lines[1:] == [
        "32 of 40 people (80%) got their 1st choice",
        "38 of 40 people (95%) got their 1st or 2nd choice",
        "2 people placed on an idea they did not rank (2 ranked none of these ideas)",
    ]


def test_plan_round_trips_through_json() -> None:
    people = [Person(id=f"p{i}", ranking=["b", "a"], skills=["maker"]) for i in range(5)]
    plan = form_teams(people, ["a", "b"], 2, 3)
    assert TeamPlan.model_validate_json(plan.model_dump_json()) == plan


def test_models_are_frozen() -> None:
    person = Person(id="p")
    with pytest.raises(ValueError, match="frozen"):
        person.id = "q"  # type: ignore[misc]


# --- candidate ideas ----------------------------------------------------------------------------


def test_top_candidates_by_dots_then_earliest_then_id() -> None:
    t0 = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
    dots = {"late": 5, "early": 5, "top": 9, "few": 1, "same-b": 3, "same-a": 3}
    posted = {
        "late": t0 + dt.timedelta(minutes=9),
        "early": t0,
        "top": t0 + dt.timedelta(minutes=30),
        "few": t0,
        "same-a": t0 + dt.timedelta(minutes=1),
        "same-b": t0 + dt.timedelta(minutes=1),
    }
    assert top_candidates(dots, posted, 3) == ["top", "early", "late"]
    assert top_candidates(dots, posted, 5) == ["top", "early", "late", "same-a", "same-b"]
    assert top_candidates(dots, posted, 99) == ["top", "early", "late", "same-a", "same-b", "few"]
    assert top_candidates(dots, posted, 0) == []


def test_top_candidates_unknown_post_time_goes_last_among_equals() -> None:
    t0 = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    assert top_candidates({"b": 2, "a": 2, "c": 2}, {"c": t0}, 3) == ["c", "a", "b"]
    with pytest.raises(ValueError, match="negative"):
        top_candidates({}, {}, -1)
