"""Time form_teams on big rooms, as a ratio against plain scipy work of the same size in this run.

Run: ``python -m bench.bench_teaming``. Rankings are seeded: 3 to 5 ideas each, drawn with a skew
(a few ideas are popular, as after a dot vote), about a tenth of people rank nothing, and most
people carry one or two of a handful of skills. Target: under 1 s for 1,000 people x 40 ideas.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import numpy as np
from scipy.optimize import linear_sum_assignment

from workshop_tui.teaming import Person, form_teams

SKILLS = ["maker", "civil servant", "designer", "coder", "resident", "researcher", "artist", "lawyer"]
TARGET_SECONDS = 1.0
T = TypeVar("T")


def make_room(people: int, ideas: int, seed: int, *, indifferent: bool = False) -> tuple[list[Person], list[str]]:
    rng = random.Random(seed)
    candidates = [f"idea{j:03}" for j in range(ideas)]
    weights = [1 / (j + 1) for j in range(ideas)]  # Zipf-like popularity
    room = []
    for i in range(people):
        ranking: list[str] = []
        if not indifferent and rng.random() > 0.1:
            length = rng.randint(3, 5)
            while len(ranking) < length:
                idea = rng.choices(candidates, weights)[0]
                if idea not in ranking:
                    ranking.append(idea)
        skills = rng.sample(SKILLS, rng.choice([0, 1, 1, 1, 2]))
        room.append(Person(id=f"p{i:05}", ranking=ranking, skills=skills))
    return room, candidates


def best_of(repeats: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeats` runs, and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run_case(people: int, ideas: int, lo: int, hi: int, *, indifferent: bool = False) -> None:
    room, candidates = make_room(people, ideas, seed=people * 1000 + ideas, indifferent=indifferent)
    elapsed, plan = best_of(5, partial(form_teams, room, candidates, lo, hi))
    # Baseline: a plain assignment on a random square matrix with one row per person.
    square = np.random.default_rng(0).random((people, people))
    baseline, _ = best_of(5, partial(linear_sum_assignment, square))
    stats = plan.stats
    top2 = stats.shares.first + stats.shares.second
    verdict = "ok" if elapsed < TARGET_SECONDS else f"SLOW (target {TARGET_SECONDS:.0f} s)"
    label = f"{people} x {ideas} [{lo}, {hi}]" + (" indifferent" if indifferent else "")
    print(
        f"{label:<34}{elapsed * 1000:>10.1f}ms{baseline * 1000:>9.1f}ms{elapsed / baseline:>7.1f}x  "
        f"cost {stats.total_cost}, top-2 {top2:.0%}, {verdict}"
    )


def main() -> None:
    print(f"{'room':<34}{'form_teams':>12}{'baseline':>11}{'ratio':>8}  result")
    run_case(300, 15, 10, 30)
    run_case(1000, 40, 15, 35)
    run_case(1000, 40, 2, 40)
    run_case(1000, 40, 2, 100)  # the largest team size the settings allow: 4,000 slots
    # Nobody ranked anything: every swap is free, the worst case for the skills search.
    run_case(1000, 40, 15, 35, indifferent=True)


if __name__ == "__main__":
    main()
