"""Hypothesis: under any sequence of casts and withdrawals the dot rules hold and match a model.

Most examples run on the memory store (the rules do not depend on it); the disk store runs fewer of the
same property, with the reopen reading back the real files."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.stores import STORE_KINDS, StoreKind, store_backend
from workshop_tui.errors import Conflict
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

ops = st.lists(
    st.tuples(st.sampled_from(["cast", "withdraw"]), st.integers(0, 2), st.integers(0, 2)),
    max_size=40,
)


async def run(sequence: list[tuple[str, int, int]], budget: int, cap: int, data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        w = await service.create_workshop("p", settings={"dots_per_participant": budget, "max_dots_per_idea": cap})
        for phase in (Phase.IDEATE, Phase.GROUP, Phase.VOTE):
            await service.set_phase(w.code, phase)
        people = [(await service.join(w.code))[0].id for _ in range(3)]
        ideas = [(await service.post_idea(w.code, f"i{k}", source=Source.PAPER)).id for k in range(3)]
        model: Counter[tuple[str, str]] = Counter()
        # Half the operations run concurrently, to interleave on the event loop.
        coros = []
        for kind, p, i in sequence:
            pid, iid = people[p], ideas[i]
            coros.append(apply(service, w.code, kind, pid, iid))
        results = await asyncio.gather(*coros)
        for (kind, p, i), ok in zip(sequence, results, strict=True):
            if ok:
                model[(people[p], ideas[i])] += 1 if kind == "cast" else -1
        state = service.state(w.code)
        assert state.dots_cast() == sum(state.idea_dots.values()) == sum(model.values())
        for pid in people:
            used = sum(n for (who, _), n in model.items() if who == pid)
            assert state.dots_used[pid] == used <= budget
        for (pid, iid), n in model.items():
            vote = state.vote_of(pid, iid)
            assert (vote.dots if vote else 0) == n <= cap
    async with WorkshopService(data_dir) as reopened:
        assert reopened.state(w.code).dots_used == state.dots_used


async def apply(service: WorkshopService, code: str, kind: str, pid: str, iid: str) -> bool:
    try:
        if kind == "cast":
            await service.cast_dot(code, pid, iid)
        else:
            await service.withdraw_dot(code, pid, iid)
        return True
    except Conflict:
        return False


EXAMPLES: dict[StoreKind, int] = {"memory": 60, "disk": 15}


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_dot_rules_hold_under_any_sequence(kind: StoreKind) -> None:
    @settings(max_examples=EXAMPLES[kind], deadline=None)
    @given(sequence=ops, budget=st.integers(1, 4), cap=st.integers(1, 4))
    def check(sequence: list[tuple[str, int, int]], budget: int, cap: int) -> None:
        with tempfile.TemporaryDirectory() as tmp, store_backend(kind):
            asyncio.run(run(sequence, budget, cap=min(cap, budget), data_dir=Path(tmp)))
            assert any(Path(tmp).rglob("snapshot-*.json")) == (kind == "disk")

    check()
