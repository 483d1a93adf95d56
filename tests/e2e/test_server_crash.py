"""kill -9 `workshop-tui serve` during a voting storm: every acknowledged vote is there after restart."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.helpers.serve import start_serve
from tests.helpers.waiting import wait_until
from workshop_tui.service import WorkshopService

PHONES = 25  # under the per-address join burst (30)
IDEAS = 5


@pytest.mark.slow
async def test_kill_9_mid_storm_keeps_every_acknowledged_vote(tmp_path: Path) -> None:
    served = start_serve(tmp_path, "--port", "0")
    acked: Counter[tuple[str, str]] = Counter()
    killed = False
    try:
        admin = {"Authorization": f"Bearer {served.admin_token}"}
        async with httpx.AsyncClient(base_url=served.url, timeout=30) as c:
            made = await c.post(
                "/api/v1/admin/workshops",
                json={"title": "Storm", "dots_per_participant": 50, "max_dots_per_idea": 50},
                headers=admin,
            )
            code = made.json()["code"]
            assert (await c.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "ideate"}, headers=admin)).is_success
            phones = []
            for k in range(PHONES):
                r = await c.post(f"/api/v1/w/{code}/join", json={"name": f"p{k}"})
                assert r.status_code == 201, r.text
                phones.append((r.json()["participant_id"], r.json()["token"]))
            ideas = []
            for k in range(IDEAS):
                r = await c.post(
                    f"/api/v1/w/{code}/ideas",
                    json={"text": f"idea {k}"},
                    headers={"Authorization": f"Bearer {phones[k][1]}"},
                )
                ideas.append(r.json()["id"])
            for phase in ("group", "vote"):
                assert (await c.post(f"/api/v1/admin/w/{code}/phase", json={"phase": phase}, headers=admin)).is_success
            opened = await c.post(f"/api/v1/admin/w/{code}/voting", json={"voting_open": True}, headers=admin)
            assert opened.is_success

        stop_after = 150

        async def phone(pid: str, token: str) -> None:
            async with httpx.AsyncClient(base_url=served.url, timeout=10) as c:
                for n in range(19):  # inside the rate limit's burst
                    idea = ideas[n % IDEAS]
                    try:
                        r = await c.post(
                            f"/api/v1/w/{code}/votes",
                            json={"idea_id": idea},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                    except httpx.TransportError:
                        return  # the server died under us: this vote was never acknowledged
                    if r.status_code == 201:
                        acked[(pid, idea)] += 1

        async def killer() -> None:
            nonlocal killed
            # Kill as soon as enough votes are acknowledged (bounded: a stalled storm fails the test).
            await wait_until(lambda: sum(acked.values()) >= stop_after, what=f"{stop_after} acknowledged votes")
            served.process.kill()
            killed = True

        await asyncio.gather(killer(), *(phone(pid, token) for pid, token in phones))
    finally:
        if served.process.poll() is None:
            served.process.kill()
        served.process.communicate(timeout=10)
    assert killed and sum(acked.values()) >= stop_after
    service = WorkshopService(tmp_path).open()  # the lock died with the process
    try:
        state = service.state(code)
        for (pid, idea), count in acked.items():
            vote = state.vote_of(pid, idea)
            assert vote is not None and vote.dots >= count, (pid, idea, count)
        for pid, _ in phones:
            assert state.dots_used[pid] <= 50
    finally:
        await service.close()
