"""The facilitator (admin) routes in-process over ASGI: auth, every route, every listed error."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.conftest import workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join
from workshop_tui.export_json import build_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

ADMIN_ROUTES = [
    ("GET", "/api/v1/admin/workshops", None),
    ("POST", "/api/v1/admin/workshops", {"title": "x"}),
    ("POST", "/api/v1/admin/w/{code}/phase", {"phase": "ideate"}),
    ("POST", "/api/v1/admin/w/{code}/voting", {"results_revealed": True}),
    ("POST", "/api/v1/admin/w/{code}/teams", {}),
    ("POST", "/api/v1/admin/w/{code}/backlog", {}),
    ("GET", "/api/v1/admin/backlog", None),
    ("PATCH", "/api/v1/admin/backlog/x", {"status": "approved"}),
    ("GET", "/api/v1/admin/w/{code}/export", None),
    ("GET", "/api/v1/admin/w/{code}/ideas/authors", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
async def test_admin_routes_need_the_admin_token(
    service: WorkshopService, method: str, path: str, body: object
) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    before = service.state(code).workshop
    async with in_process(service, admin_token="the-admin-token") as server:
        _, participant_token = await join(server, code)
        forged: list[Any] = [
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "Basic the-admin-token"},
            {"Authorization": f"Bearer {participant_token}"},  # a participant is never a facilitator
            {"Authorization": "Bearer the-admin-token-and-more"},
            {"Authorization": "Bearer \u00e9\u00e9".encode("latin-1")},
        ]
        for headers in forged:
            async with client(server) as c:
                r = await c.request(method, path.format(code=code), json=body, headers=headers)
                assert_error(r, 401)
        async with client(server, participant_token) as c:  # the phone's cookie does not help either
            assert_error(await c.request(method, path.format(code=code), json=body), 401)
    assert service.state(code).workshop == before
    assert len(service.workshops()) == 1


async def test_create_and_list_workshops(service: WorkshopService) -> None:
    async with in_process(service) as server, admin(server) as a:
        r = await a.post(
            "/api/v1/admin/workshops",
            json={"title": "Parks", "prompt": "How might we?", "dots_per_participant": 50, "max_dots_per_idea": 50},
        )
        assert r.status_code == 201
        made = r.json()
        assert made["title"] == "Parks" and made["phase"] == "lobby" and made["participants"] == 0
        assert made["join_url"] == server.join_url(made["code"])
        settings = service.state(made["code"]).workshop.settings
        assert (settings.dots_per_participant, settings.max_dots_per_idea) == (50, 50)
        templated = await a.post("/api/v1/admin/workshops", json={"title": "T", "template": "policy-workshop"})
        assert templated.status_code == 201 and templated.json()["template"] == "policy-workshop"
        listed = (await a.get("/api/v1/admin/workshops")).json()
        assert [w["code"] for w in listed] == [made["code"], templated.json()["code"]]
        assert_error(await a.post("/api/v1/admin/workshops", json={}), 422)
        assert_error(await a.post("/api/v1/admin/workshops", json={"title": "   "}), 422)
        assert_error(await a.post("/api/v1/admin/workshops", json={"title": "x", "template": "nope"}), 422)
        bad = await a.post(
            "/api/v1/admin/workshops", json={"title": "x", "dots_per_participant": 2, "max_dots_per_idea": 3}
        )
        assert_error(bad, 422)
        assert_error(await a.post("/api/v1/admin/workshops", json={"title": "x", "dots_per_participant": 51}), 422)
        assert_error(await a.post("/api/v1/admin/workshops", json={"title": "x" * 20_000}), 413)
        assert len(service.workshops()) == 2


async def test_phase_and_voting(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server, admin(server) as a:
        r = await a.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "ideate"})
        assert r.status_code == 200 and r.json() == {"phase": "ideate"}
        assert service.state(code).workshop.phase == Phase.IDEATE
        assert_error(await a.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "teams"}), 409)
        assert_error(await a.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "party"}), 422)
        assert_error(await a.post("/api/v1/admin/w/NOPE9/phase", json={"phase": "ideate"}), 404)
        assert_error(await a.post(f"/api/v1/admin/w/{code}/voting", json={"results_revealed": True}), 409)
        for phase in ("group", "vote"):
            await a.post(f"/api/v1/admin/w/{code}/phase", json={"phase": phase})
        assert not service.state(code).workshop.voting_open  # the ballot opens only when asked
        r = await a.post(f"/api/v1/admin/w/{code}/voting", json={"voting_open": True, "results_revealed": True})
        assert r.status_code == 200 and r.json() == {"voting_open": True, "results_revealed": True}
        r = await a.post(f"/api/v1/admin/w/{code}/voting", json={"voting_open": False})
        assert r.json() == {"voting_open": False, "results_revealed": True}
        assert_error(await a.post(f"/api/v1/admin/w/{code}/voting", json={"voting_open": "maybe"}), 422)
        assert_error(await a.post("/api/v1/admin/w/NOPE9/voting", json={}), 404)


async def test_teams_backlog_and_export(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=1, team_max_size=3)
    ideas = [await service.post_idea(code, t, source=Source.FACILITATOR) for t in ("Alpha", "Beta", "Gamma")]
    people = [await service.join(code, f"p{k}") for k in range(4)]
    async with in_process(service) as server, admin(server) as a:
        assert_error(await a.post(f"/api/v1/admin/w/{code}/teams", json={}), 409)  # not the teams phase
        assert_error(await a.post(f"/api/v1/admin/w/{code}/backlog", json={}), 409)
        for phase in ("group", "vote", "teams"):
            assert (await a.post(f"/api/v1/admin/w/{code}/phase", json={"phase": phase})).status_code == 200
        await service.set_preferences(code, people[0][0].id, [ideas[1].id])
        infeasible = await a.post(f"/api/v1/admin/w/{code}/teams", json={"team_count": 2, "min_size": 3})
        assert "team" in assert_error(infeasible, 422)["error"]
        assert_error(await a.post(f"/api/v1/admin/w/{code}/teams", json={"idea_ids": ["nope"]}), 422)
        assert_error(await a.post(f"/api/v1/admin/w/{code}/teams", json={"team_count": 0}), 422)
        assert_error(await a.post("/api/v1/admin/w/NOPE9/teams", json={}), 404)
        r = await a.post(f"/api/v1/admin/w/{code}/teams", json={"idea_ids": [ideas[0].id, ideas[1].id]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"teams", "unassigned", "stats", "explain"}
        assert [t["idea_id"] for t in body["teams"]] == [ideas[0].id, ideas[1].id]
        assert sorted(m for t in body["teams"] for m in t["member_ids"]) == sorted(p.id for p, _ in people)
        assert set(body["teams"][0]) == {"id", "idea_id", "member_ids", "champion_id"}
        assert body["unassigned"] == [] and body["stats"]["people"] == 4 and body["explain"]
        assert people[0][0].id in next(t for t in body["teams"] if t["idea_id"] == ideas[1].id)["member_ids"]
        # no body at all: the workshop's own candidates and sizes
        assert (await a.post(f"/api/v1/admin/w/{code}/teams")).status_code == 200

        r = await a.post(f"/api/v1/admin/w/{code}/backlog", json={"idea_ids": [ideas[2].id]})
        assert r.status_code == 201
        (item,) = r.json()
        assert item["title"] == "Gamma" and item["status"] == "proposed" and item["history"][0]["from"] is None
        assert_error(await a.post(f"/api/v1/admin/w/{code}/backlog", json={"idea_ids": [ideas[2].id]}), 409)
        assert_error(await a.post(f"/api/v1/admin/w/{code}/backlog", json={"idea_ids": ["nope"]}), 404)
        assert_error(await a.post("/api/v1/admin/w/NOPE9/backlog", json={}), 404)
        team_items = await a.post(f"/api/v1/admin/w/{code}/backlog")
        assert team_items.status_code == 201 and len(team_items.json()) >= 1

        listed = await a.get("/api/v1/admin/backlog", params={"status": "proposed", "workshop": code})
        assert listed.status_code == 200 and item["id"] in [i["id"] for i in listed.json()]
        assert (await a.get("/api/v1/admin/backlog", params={"status": "adopted"})).json() == []
        assert_error(await a.get("/api/v1/admin/backlog", params={"status": "bogus"}), 422)
        assert_error(await a.get("/api/v1/admin/backlog", params={"workshop": "NOPE9"}), 404)

        path = f"/api/v1/admin/backlog/{item['id']}"
        r = await a.patch(
            path,
            json={
                "status": "approved",
                "note": "go",
                "owner": {"name": "Dana", "contact": "dana@example.org"},
                "next_review": "2031-01-15",
                "budget_requests": [{"amount": "120.50", "currency": "EUR", "purpose": "paint"}],
                "asks": [{"kind": "space", "department": "Parks"}],
            },
        )
        assert r.status_code == 200, r.text
        patched = r.json()
        assert patched["status"] == "approved" and patched["owner"]["name"] == "Dana"
        assert patched["budget_requests"][0]["amount"] == "120.50" and patched["next_review"] == "2031-01-15"
        assert patched["history"][-1]["from"] == "proposed" and "go" in patched["history"][-1]["note"]
        assert_error(await a.patch(path, json={"status": "proposed"}), 409)  # illegal transition
        assert_error(await a.patch(path, json={"status": "bogus"}), 422)
        assert_error(await a.patch(path, json={"budget_requests": [{"amount": 1.5}]}), 422)  # no floats for money
        assert_error(await a.patch(path, json={"budget_requests": [{"amount": "0"}]}), 422)
        over_pool = [{"amount": "5000", "status": "approved"}] * 5
        assert_error(await a.patch(path, json={"budget_requests": over_pool}), 409)
        assert_error(await a.patch(path, json={"colour": "red"}), 422)
        assert_error(await a.patch("/api/v1/admin/backlog/nope", json={"status": "approved"}), 404)

        # asks as commitments: a due date, the answer and the day it came (issue 14)
        ask = {"kind": "space", "department": "Parks", "due": "2031-01-10"}
        answered = {**ask, "status": "granted", "answer": "the corner is yours", "answered_at": "2031-01-08"}
        r = await a.patch(path, json={"asks": [answered]})
        assert r.status_code == 200, r.text
        saved = r.json()["asks"][0]
        assert (saved["due"], saved["answer"], saved["answered_at"]) == (
            "2031-01-10",
            "the corner is yours",
            "2031-01-08",
        )
        assert "Parks answered (granted)" in r.json()["history"][-1]["note"]
        for bad in ({**ask, "due": "10/01/2031"}, {**ask, "answered_at": "soon"}, {**ask, "answer": "x" * 5001}):
            assert_error(await a.patch(path, json={"asks": [bad]}), 422)
        assert service.find_backlog_item(item["id"])[1].asks[0].answer == "the corner is yours"

        r = await a.get(f"/api/v1/admin/w/{code.lower()}/export")
        assert r.status_code == 200
        exported = r.json()
        expected = orjson.loads(orjson.dumps(build_export(service.view(code)).model_dump(mode="json", by_alias=True)))
        exported.pop("exported_at"), expected.pop("exported_at")
        assert exported == expected
        assert "token" not in r.text.replace("tokens", "")
        assert_error(await a.get("/api/v1/admin/w/NOPE9/export"), 404)


async def test_every_export_over_the_api_is_inert_and_its_json_exact(service: WorkshopService) -> None:
    import io
    import zipfile

    from tests.helpers.hostile_text import ESCAPES, file_problems
    from workshop_tui.exports import EXPORTERS

    title = "Title " + " ".join(ESCAPES.values())
    code = (await service.create_workshop(title)).code
    async with in_process(service) as server, admin(server) as a:
        for fmt, exp in EXPORTERS.items():
            r = await a.get(f"/api/v1/admin/w/{code}/export", params={"format": fmt})
            assert r.status_code == 200, fmt
            files = zipfile.ZipFile(io.BytesIO(r.content)) if exp.multi_file else None
            for data in [files.read(n) for n in files.namelist()] if files else [r.content]:
                assert file_problems(data.decode()) == [], fmt  # a download is a file: emoji kept
        assert (await a.get(f"/api/v1/admin/w/{code}/export")).json()["workshop"]["title"] == title


async def test_the_projector_reads_whether_names_are_shown_and_the_wall_authors(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server, admin(server) as a:
        pid, _ = await join(server, code, "Ann")
        mine = await service.post_idea(code, "Protected lanes", author_id=pid)
        hidden = await service.post_idea(code, "Hidden one", author_id=pid)
        await service.hide_idea(code, hidden.id, True)
        paper = await service.post_idea(code, "From paper", source=Source.PAPER)

        def projected() -> Any:
            return next(s["show_authors"] for s in listed if s["code"] == code)

        listed = (await a.get("/api/v1/admin/workshops")).json()
        assert projected() is False  # off unless the facilitator turns it on
        authors = await a.get(f"/api/v1/admin/w/{code}/ideas/authors")
        assert authors.status_code == 200 and authors.json() == {"authors": {mine.id: "Ann"}}  # the wall's only
        assert paper.id not in authors.json()["authors"]
        await service.update_workshop(code, settings={"show_authors": True})
        listed = (await a.get("/api/v1/admin/workshops")).json()
        assert projected() is True
        await service.update_workshop(code, settings={"anonymous": True})
        listed = (await a.get("/api/v1/admin/workshops")).json()
        assert projected() is False  # never in an anonymous workshop
        refused = await a.patch(f"/api/v1/admin/w/{code}", json={"settings": {"show_authors": True}})
        assert_error(refused, 409)
        assert "anonymous" in refused.json()["error"]
        assert_error(await a.get("/api/v1/admin/w/NOPE/ideas/authors"), 404)
