"""Admin API parity (issue 10 item 3): every facilitator action of the one actions table has a route
under /api/v1/admin/, each works (in-process over ASGI), and phones are told what they may do now."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join
from workshop_tui.actions import ACTIONS, Role, allowed_actions
from workshop_tui.models import Source
from workshop_tui.phases import ORDER, Phase
from workshop_tui.server.routes.admin.actions import action_routes
from workshop_tui.service import WorkshopService


async def test_every_facilitator_action_has_an_admin_route(service: WorkshopService) -> None:
    async with in_process(service) as server:
        routes = action_routes(server.app.openapi())
    missing = [a.value for a, spec in ACTIONS.items() if spec.role == Role.FACILITATOR and a not in routes]
    assert missing == []
    for action, where in routes.items():
        assert ACTIONS[action].role == Role.FACILITATOR, action
        assert all(" /api/v1/admin/" in w for w in where), where


async def test_every_admin_route_needs_the_admin_token(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server:
        _, token = await join(server, code)
        operations = [
            (method.upper(), re.sub(r"\{[^}]+\}", lambda m: code if m.group(0) == "{code}" else "x", path))
            for path, ops in server.app.openapi()["paths"].items()
            if path.startswith("/api/v1/admin/")
            for method in ops
        ]
        assert len(operations) >= 26
        for headers in ({}, {"Authorization": f"Bearer {token}"}, {"Authorization": "Bearer nope"}):
            async with client(server) as c:
                for method, path in operations:
                    r = await c.request(method, path, json={}, headers=headers)
                    assert_error(r, 401)


async def test_the_facilitator_runs_a_session_over_the_admin_api(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    async with in_process(service) as server, admin(server) as a:
        base = f"/api/v1/admin/w/{code}"

        async def ok(method: str, path: str, body: Any = None, status: int = 200) -> Any:
            r = await a.request(method, base + path, json=body)
            assert r.status_code == status, (method, path, r.text)
            return r.json() if r.content else None

        first = await ok("POST", "/ideas", {"text": "Shade trees"}, 201)
        second = await ok("POST", "/ideas", {"text": "More shade"}, 201)
        third = await ok("POST", "/ideas", {"text": "Bike racks"}, 201)
        assert first["source"] == "facilitator" and first["author_id"] is None
        assert (await ok("PATCH", f"/ideas/{third['id']}", {"text": "Bike parking"}))["text"] == "Bike parking"
        assert_error(await a.post(base + "/ideas", json={"text": "\u200b"}), 422)

        theme = await ok("POST", "/themes", {"name": "Streets"}, 201)
        renamed = await ok("PATCH", f"/themes/{theme['id']}", {"name": "Streets and squares"})
        assert renamed["name"] == "Streets and squares"
        assert (await ok("PUT", f"/ideas/{first['id']}/theme", {"theme_id": theme["id"]}))["theme_id"] == theme["id"]
        spare = await ok("POST", "/themes", {"name": "Spare"}, 201)
        assert await ok("DELETE", f"/themes/{spare['id']}", status=204) is None
        assert_error(await a.delete(f"{base}/themes/{spare['id']}"), 404)

        assert (await ok("PUT", f"/ideas/{third['id']}/hidden", {"hidden": True}))["hidden"] is True
        wall = [i["id"] for i in (await a.get(f"/api/v1/w/{code}/ideas")).json()]
        assert third["id"] not in wall  # off the phones' wall (and the projector's)
        await ok("PUT", f"/ideas/{third['id']}/hidden", {"hidden": False})
        assert (await ok("DELETE", f"/ideas/{third['id']}"))["deleted"] is True
        assert (await ok("POST", f"/ideas/{third['id']}/restore"))["deleted"] is False

        merged = await ok("POST", f"/ideas/{first['id']}/merge", {"duplicate_id": second["id"]})
        assert merged["id"] == first["id"] and service.state(code).ideas[second["id"]].merged_into == first["id"]
        back = await ok("POST", f"/ideas/{second['id']}/unmerge")
        assert back["merged_into"] is None
        assert_error(await a.post(f"{base}/ideas/{second['id']}/unmerge"), 409)

        settings = await ok("PATCH", "", {"title": "Parks", "settings": {"dots_per_participant": 4}})
        assert settings["title"] == "Parks" and settings["settings"]["dots_per_participant"] == 4
        assert_error(await a.patch(base, json={"settings": {"dots_per_participant": 0}}), 422)

        timer = await ok("PUT", "/timer", {"command": "start", "minutes": 3})
        assert timer["running"] and timer["seconds"] == 180 and 170 < timer["seconds_left"] <= 180
        paused = await ok("PUT", "/timer", {"command": "pause"})
        assert not paused["running"] and paused["ends_at"] is None
        phone_view = (await a.get(f"/api/v1/w/{code}")).json()
        assert phone_view["timer"]["seconds_left"] == paused["seconds_left"]  # phones read the same clock
        assert (await ok("PUT", "/timer", {"command": "add", "minutes": 2}))["seconds"] == 300
        assert (await ok("PUT", "/timer", {"command": "resume"}))["running"]
        assert await ok("PUT", "/timer", {"command": "stop"}) is None
        assert_error(await a.put(base + "/timer", json={"command": "pause"}), 409)  # nothing to pause
        assert_error(await a.put(base + "/timer", json={"command": "explode"}), 422)

        for phase in ("group", "vote"):
            await ok("POST", "/phase", {"phase": phase})
        assert (await ok("POST", f"/ideas/{third['id']}/paper-dots", {"dots": 4}))["paper_dots"] == 4
        assert (await ok("POST", "/voting", {"results_revealed": True}))["results_revealed"] is True
        assert_error(await a.post(f"{base}/ideas/{third['id']}/paper-dots", json={"dots": -5}), 409)

        people = [await service.join(code, name) for name in ("Ann", "Bob")]
        await ok("POST", "/phase", {"phase": "teams"})
        chosen = await ok("PUT", "/candidates", {"idea_ids": [first["id"], third["id"]]})
        assert chosen["candidate_idea_ids"] == [first["id"], third["id"]]
        formed = await ok("POST", "/teams", {"team_count": 2})
        teams = formed["teams"]
        ann = people[0][0].id
        source = next(t for t in teams if ann in t["member_ids"])
        target = next(t for t in teams if t["id"] != source["id"])
        moved = await ok("PUT", f"/participants/{ann}/team", {"team_id": target["id"]})
        assert ann in next(t for t in moved if t["id"] == target["id"])["member_ids"]
        champion = await ok("PUT", f"/teams/{target['id']}/champion", {"participant_id": ann})
        assert champion["champion_id"] == ann
        assert_error(await a.put(f"{base}/teams/{target['id']}/champion", json={"participant_id": "nope"}), 422)


async def test_phones_are_told_what_they_may_do_now(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    await service.post_idea(code, "Shade", source=Source.FACILITATOR)
    async with in_process(service) as server, client(server) as phone:
        for phase in ORDER:
            if phase != Phase.LOBBY:
                await service.set_phase(code, phase)
            seen = (await phone.get(f"/api/v1/w/{code}")).json()["allowed_actions"]
            expected = [a.value for a in allowed_actions(phase, Role.PARTICIPANT)]
            if phase == Phase.VOTE:  # the ballot opens when the facilitator opens it: no dots before
                assert seen == [a for a in expected if a not in ("cast_dot", "withdraw_dot")]
                await service.set_voting(code, voting_open=True)
                seen = (await phone.get(f"/api/v1/w/{code}")).json()["allowed_actions"]
                assert "cast_dot" in seen
            assert seen == expected, phase
            if phase == Phase.VOTE:
                await service.set_voting(code, voting_open=False)  # closed again: no dots now
                seen = (await phone.get(f"/api/v1/w/{code}")).json()["allowed_actions"]
                assert "cast_dot" not in seen and "withdraw_dot" not in seen
