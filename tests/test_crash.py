"""kill -9 a process that writes under load: every acknowledged write is there after reopening."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

ROOT = Path(__file__).resolve().parent.parent


async def prepare(data_dir: Path) -> str:
    async with WorkshopService(data_dir) as service:
        w = await service.create_workshop("crash", settings={"dots_per_participant": 50, "max_dots_per_idea": 1})
        for phase in (Phase.IDEATE, Phase.GROUP, Phase.VOTE):  # paper notes and dots are both accepted
            await service.set_phase(w.code, phase)
        await service.set_voting(w.code, voting_open=True)
        return w.code


@pytest.mark.slow
@pytest.mark.parametrize("run", range(10))
def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path: Path, run: int) -> None:
    data_dir = tmp_path / "data"
    code = asyncio.run(prepare(data_dir))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", str(data_dir), code, *(["20000"] if run % 2 else [])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    time.sleep(random.Random(run).uniform(0.1, 1.0))
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err.decode()
    acked_ideas = {line.split()[1] for line in out.decode().splitlines() if line.startswith("idea ")}
    acked_votes = {line.split()[1] for line in out.decode().splitlines() if line.startswith("vote ")}
    assert len(acked_ideas) > 10 and acked_votes, "the child barely wrote anything before the kill"
    state = WorkshopService(data_dir).open().state(code)
    assert acked_ideas <= set(state.ideas)
    assert acked_votes <= set(state.votes)
    budget = state.workshop.settings.dots_per_participant
    assert all(used <= budget for used in state.dots_used.values())
