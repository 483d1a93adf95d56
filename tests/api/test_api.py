"""The participant routes, every route and every listed error: in-process over ASGI (tests.helpers.api); the
body-size limit and the events route on a real uvicorn, where HTTP framing and streaming are real."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.conftest import open_vote, workshop_in
from tests.helpers.api import assert_error, client, in_process, join, running, url
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.app import CSP, Limits
from workshop_tui.service import WorkshopService


async def test_healthz_and_security_headers(service: WorkshopService) -> None:
    async with in_process(service) as server, client(server) as c:
        r = await c.get("/healthz")
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"


async def test_phone_page_static_files_and_csp(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server, client(server) as c:
        for path in (f"/j/{code}", f"/J/{code}", f"/j/{code.lower()}"):
            r = await c.get(path)
            assert r.status_code == 200, path
            assert r.headers["content-type"] == "text/html; charset=utf-8"
            assert r.headers["content-security-policy"] == CSP
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert '<script src="/static/phone.js" defer></script>' in r.text
        missing = await c.get("/j/NOPE9")
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
        assert "not found" in missing.text.lower()
        css = await c.get("/static/phone.css")
        assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
        js = await c.get("/static/phone.js")
        assert js.status_code == 200 and js.headers["content-type"] == "text/javascript; charset=utf-8"
        assert "EventSource" in js.text
        assert (await c.get("/static/phone.html")).status_code == 404  # no directory listing or other files


async def test_unknown_routes_and_methods_are_json(service: WorkshopService) -> None:
    async with in_process(service) as server, client(server) as c:
        body = assert_error(await c.get("/nowhere"), 404)
        assert "/nowhere" in body["error"]
        r = await c.delete("/healthz")
        assert_error(r, 405)
        assert r.headers["allow"] == "GET"
        assert_error(await c.get("/api/v1/w/NOPE9"), 404)
        assert_error(await c.get("/api/v1/w/NOPE9/ideas"), 404)
        assert_error(await c.get("/api/v1/w/NOPE9/events"), 404)
        assert_error(await c.post("/api/v1/w/NOPE9/join", json={}), 404)


async def test_workshop_view(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=7, max_dots_per_idea=2)
    async with in_process(service) as server, client(server) as c:
        r = await c.get(f"/api/v1/w/{code.lower()}")
        assert r.status_code == 200
        assert r.json() == {
            "code": code,
            "title": "Test workshop",
            "prompt": "",
            "language": "en",
            "languages": ["en"],
            "phase": "ideate",
            "dots_per_participant": 7,
            "max_dots_per_idea": 2,
            "idea_max_length": 280,
            "voting_open": False,
            "results_revealed": False,
            "candidate_idea_ids": [],
            "allowed_actions": ["join", "post_idea", "edit_own_idea", "delete_own_idea", "say_done"],
            "timer": None,
            "prototypes": 0,
            "author_names": "records",
            "private_writing": False,
            "private_notes": 0,
            "ready": {"task": "writing", "people": 0, "done": 0, "waiting": 0},
            "follow_url": None,
            "themes": [],
            "teams": [],
        }


async def test_the_phone_is_told_where_names_go(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server, client(server) as c:

        async def names() -> str:
            return str((await c.get(f"/api/v1/w/{code}")).json()["author_names"])

        assert await names() == "records"  # off the room's screen, in the organisers' exports
        await service.update_workshop(code, settings={"show_authors": True})
        assert await names() == "projected"
        await service.update_workshop(code, settings={"anonymous": True})  # turns the projected names off too
        assert await names() == "hidden"


async def test_workshop_lists_its_themes_in_the_walls_order(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.GROUP)
    made = {name: (await service.create_theme(code, name)).id for name in ("streets", "Benches", "Ålesund [b]")}
    async with in_process(service) as server, client(server) as c:
        themes = (await c.get(f"/api/v1/w/{code}")).json()["themes"]
    # by name, case aside: the order that gives each theme its colour on both screens
    assert themes == [{"id": made[n], "name": n} for n in ("Benches", "streets", "Ålesund [b]")]


async def test_join_sets_cookie_and_validates(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    async with in_process(service) as server, client(server) as c:
        r = await c.post(f"/api/v1/w/{code}/join", json={"name": "  Ann  ", "skills": ["maker", " "]})
        assert r.status_code == 201
        body = r.json()
        assert set(body) == {"participant_id", "token"} and len(body["token"]) >= 22
        cookie = r.headers["set-cookie"]
        assert cookie.startswith(f"wt_{code}={body['token']};")
        assert "HttpOnly" in cookie and "Path=/" in cookie and "samesite=strict" in cookie.lower()
        person = service.state(code).participants[body["participant_id"]]
        assert person.name == "Ann" and person.skills == ["maker"]
        assert body["token"] not in person.model_dump_json()  # only the hash is stored
        # no body at all is fine: a guest name is chosen
        assert (await c.post(f"/api/v1/w/{code}/join")).status_code == 201
        assert_error(await c.post(f"/api/v1/w/{code}/join", json={"name": "x" * 61}), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", json={"skills": ["a"] * 11}), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", json={"name": 5}), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", json={"nick": "x"}), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", content=b"{not json", headers=_json), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", json=["a"]), 422)
        assert_error(await c.post(f"/api/v1/w/{code}/join", content=b"\xff\xfe", headers=_json), 422)  # not text
    closed = await workshop_in(service, Phase.CLOSED)
    async with in_process(service) as server, client(server) as c:
        assert_error(await c.post(f"/api/v1/w/{closed}/join", json={}), 409)


_json = {"content-type": "application/json"}


async def test_cookie_or_header_and_header_wins(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server, client(server) as phone:
        r = await phone.post(f"/api/v1/w/{code}/join", json={"name": "Cookie"})
        pid = r.json()["participant_id"]
        me = await phone.get(f"/api/v1/w/{code}/me")  # the cookie alone
        assert me.status_code == 200 and me.json()["participant_id"] == pid
        other_pid, other_token = await join(server, code, "Header")
        me = await phone.get(f"/api/v1/w/{code}/me", headers={"Authorization": f"Bearer {other_token}"})
        assert me.json()["participant_id"] == other_pid  # the header wins over the cookie
        bad = await phone.get(f"/api/v1/w/{code}/me", headers={"Authorization": "Bearer nope"})
        assert_error(bad, 401)  # even a wrong header wins: no silent fallback to the cookie
        assert_error(await phone.get(f"/api/v1/w/{code}/me", headers={"Authorization": "Basic abc"}), 401)
    async with in_process(service) as server, client(server) as anon:
        assert_error(await anon.get(f"/api/v1/w/{code}/me"), 401)
        assert_error(await anon.post(f"/api/v1/w/{code}/ideas", json={"text": "hi"}), 401)
        assert_error(await anon.post(f"/api/v1/w/{code}/votes", json={"idea_id": "x"}), 401)
        assert_error(await anon.delete(f"/api/v1/w/{code}/votes/x"), 401)
        assert_error(await anon.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": []}), 401)
        assert_error(await anon.patch(f"/api/v1/w/{code}/ideas/x", json={"text": "a"}), 401)
        assert_error(await anon.delete(f"/api/v1/w/{code}/ideas/x"), 401)
        # a token of another workshop is not a token here
        second = await workshop_in(service, Phase.IDEATE)
        _, token = await join(server, second)
        assert_error(await anon.get(f"/api/v1/w/{code}/me", headers={"Authorization": f"Bearer {token}"}), 401)


async def test_ideas_post_edit_delete(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=20)
    async with in_process(service) as server:
        ann_id, ann = await join(server, code, "Ann")
        _, bob = await join(server, code, "Bob")
        async with client(server, ann) as a, client(server, bob) as b:
            r = await a.post(f"/api/v1/w/{code}/ideas", json={"text": "  Shade trees  "})
            assert r.status_code == 201
            idea = r.json()
            assert idea == {
                "id": idea["id"],
                "text": "Shade trees",
                "theme": None,
                "theme_id": None,
                "mine": True,
                "my_dots": 0,
            }
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "x" * 21}), 422)
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "   "}), 422)
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={}), 422)
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", content=b'{"text": "\\ud800"}', headers=_json), 422)
            edited = await a.patch(f"/api/v1/w/{code}/ideas/{idea['id']}", json={"text": "More shade"})
            assert edited.status_code == 200 and edited.json()["text"] == "More shade"
            # Bob can neither edit nor delete Ann's note, nor learn that it exists
            assert_error(await b.patch(f"/api/v1/w/{code}/ideas/{idea['id']}", json={"text": "mine"}), 404)
            assert_error(await b.delete(f"/api/v1/w/{code}/ideas/{idea['id']}"), 404)
            assert_error(await a.patch(f"/api/v1/w/{code}/ideas/nope", json={"text": "x"}), 404)
            other = (await b.post(f"/api/v1/w/{code}/ideas", json={"text": "Bike racks"})).json()
            wall = (await b.get(f"/api/v1/w/{code}/ideas")).json()
            assert [(i["text"], i["mine"]) for i in wall] == [("More shade", False), ("Bike racks", True)]
            for item in wall:
                assert set(item) == {"id", "text", "theme", "theme_id", "mine", "my_dots"}  # no author, no dots
            me = (await a.get(f"/api/v1/w/{code}/me")).json()
            assert [i["text"] for i in me["ideas"]] == ["More shade"] and me["participant_id"] == ann_id
            deleted = await a.delete(f"/api/v1/w/{code}/ideas/{idea['id']}")
            assert deleted.status_code == 200 and deleted.json() == {"id": idea["id"], "deleted": True}
            assert [i["text"] for i in (await a.get(f"/api/v1/w/{code}/ideas")).json()] == ["Bike racks"]
            assert (await a.get(f"/api/v1/w/{code}/me")).json()["ideas"] == []
            await service.set_phase(code, Phase.GROUP)
            assert_error(await b.patch(f"/api/v1/w/{code}/ideas/{other['id']}", json={"text": "late"}), 409)
            assert_error(await b.delete(f"/api/v1/w/{code}/ideas/{other['id']}"), 409)
            assert_error(await b.post(f"/api/v1/w/{code}/ideas", json={"text": "late"}), 409)


async def test_wall_shows_theme_names_and_never_authors(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, anonymous=True)
    async with in_process(service) as server:
        ann_id, ann = await join(server, code, "Ann Secret")
        async with client(server, ann) as a:
            idea = (await a.post(f"/api/v1/w/{code}/ideas", json={"text": "Benches"})).json()
        theme = await service.create_theme(code, "Streets")
        await service.set_idea_theme(code, idea["id"], theme.id)
        async with client(server) as anon:
            r = await anon.get(f"/api/v1/w/{code}/ideas")
            assert r.json() == [
                {
                    "id": idea["id"],
                    "text": "Benches",
                    "theme": "Streets",
                    "theme_id": theme.id,
                    "mine": False,
                    "my_dots": 0,
                }
            ]
            assert ann_id not in r.text and "Ann Secret" not in r.text


async def test_votes_and_reveal(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3, max_dots_per_idea=2)
    first = await service.post_idea(code, "One", source=Source.FACILITATOR)
    second = await service.post_idea(code, "Two", source=Source.FACILITATOR)
    async with in_process(service) as server:
        _, ann = await join(server, code)
        async with client(server, ann) as a:
            assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": first.id}), 409)  # not yet
            await open_vote(service, code)
            r = await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": first.id})
            assert r.status_code == 201 and r.json() == {"remaining_dots": 2}
            assert (await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": first.id})).json()["remaining_dots"] == 1
            cap = assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": first.id}), 409)
            assert "at most 2" in cap["error"]
            assert (await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": second.id})).status_code == 201
            spent = assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": second.id}), 409)
            assert "no dots left" in spent["error"]
            assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": "nope"}), 404)
            assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea": first.id}), 422)
            assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": ""}), 422)
            r = await a.delete(f"/api/v1/w/{code}/votes/{second.id}")
            assert r.status_code == 200 and r.json() == {"remaining_dots": 1}
            assert_error(await a.delete(f"/api/v1/w/{code}/votes/{second.id}"), 409)  # no dot there
            assert_error(await a.delete(f"/api/v1/w/{code}/votes/nope"), 404)
            me = (await a.get(f"/api/v1/w/{code}/me")).json()
            assert me["votes"] == [{"idea_id": first.id, "dots": 2}] and me["remaining_dots"] == 1
            wall = (await a.get(f"/api/v1/w/{code}/ideas")).json()
            assert [(i["my_dots"], "dots" in i) for i in wall] == [(2, False), (0, False)]  # hidden until revealed
            await service.set_voting(code, results_revealed=True)
            wall = (await a.get(f"/api/v1/w/{code}/ideas")).json()
            assert [(i["my_dots"], i["dots"]) for i in wall] == [(2, 2), (0, 0)]
            assert (await a.get(f"/api/v1/w/{code}")).json()["results_revealed"] is True
            await service.set_voting(code, voting_open=False)
            assert_error(await a.post(f"/api/v1/w/{code}/votes", json={"idea_id": second.id}), 409)
            assert server.app.state.vote_fast_path.served >= 10  # the lean path answered these, same contract
        async with client(server) as phone:  # cookie only, as the phone page's fetches without a header
            await service.set_voting(code, voting_open=True)
            joined = await phone.post(f"/api/v1/w/{code}/join", json={})
            r = await phone.post(f"/api/v1/w/{code}/votes", json={"idea_id": second.id})
            assert r.status_code == 201 and r.json() == {"remaining_dots": 2}
            assert service.state(code).vote_of(joined.json()["participant_id"], second.id) is not None
            assert_error(await phone.post(f"/api/v1/w/{code}/votes", json={"idea_id": second.id, "x": 1}), 422)
            assert_error(await phone.post("/api/v1/w/NOPE9/votes", json={"idea_id": second.id}), 404)


async def test_preferences_and_my_team(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, team_min_size=1)
    ideas = [await service.post_idea(code, t, source=Source.FACILITATOR) for t in ("Alpha", "Beta")]
    async with in_process(service) as server:
        _, ann = await join(server, code, "Ann")
        async with client(server, ann) as a:
            await open_vote(service, code)
            assert_error(await a.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": [ideas[1].id]}), 409)
            await service.set_phase(code, Phase.TEAMS)
            await service.set_team_candidates(code, idea_ids=[i.id for i in ideas])
            w = (await a.get(f"/api/v1/w/{code}")).json()
            assert sorted(w["candidate_idea_ids"]) == sorted(i.id for i in ideas)
            r = await a.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": [ideas[1].id, ideas[0].id]})
            assert r.status_code == 200 and r.json() == {"idea_ids": [ideas[1].id, ideas[0].id]}
            assert_error(await a.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": ["nope"]}), 422)
            assert_error(await a.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": [ideas[0].id] * 2}), 422)
            assert_error(await a.put(f"/api/v1/w/{code}/preferences", json={"idea_ids": "x"}), 422)
            me = (await a.get(f"/api/v1/w/{code}/me")).json()
            assert me["preferences"] == [ideas[1].id, ideas[0].id] and me["team"] is None
            await service.form_teams(code, min_size=1, max_size=1, idea_ids=[ideas[1].id])
            draft = (await a.get(f"/api/v1/w/{code}/me")).json()
            assert draft["team"] is None, "a draft stays off the phones: ranking stays open until published"
            assert (await a.get(f"/api/v1/w/{code}")).json()["teams"] == [], "and off the room's screen"
            await service.publish_teams(code)
            room = (await a.get(f"/api/v1/w/{code}")).json()["teams"]
            assert room == [{"idea_id": ideas[1].id, "members": 1}]  # a size, never a name
            team = (await a.get(f"/api/v1/w/{code}/me")).json()["team"]
            assert team["idea_id"] == ideas[1].id and team["idea_text"] == "Beta"
            assert team["member_names"] == ["Ann"] and team["champion_name"] == "Ann"


async def test_participant_rate_limit(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server:
        _, ann = await join(server, code)
        _, bob = await join(server, code)
        async with client(server, ann) as a, client(server, bob) as b:
            statuses = [
                (await a.post(f"/api/v1/w/{code}/ideas", json={"text": f"n{k}"})).status_code for k in range(40)
            ]
            assert statuses[:20] == [201] * 20  # a quick burst of 20 is fine
            assert statuses.count(429) >= 15  # a flood is refused (a few refill at 2/s meanwhile)
            r = await a.post(f"/api/v1/w/{code}/ideas", json={"text": "again"})
            body = assert_error(r, 429)
            assert int(r.headers["retry-after"]) >= 1 and body["detail"]["retry_after"] >= 1
            assert (await b.post(f"/api/v1/w/{code}/ideas", json={"text": "bob"})).status_code == 201  # per phone
            assert (await a.get(f"/api/v1/w/{code}/me")).status_code == 200  # reads are not limited


async def test_join_flood_from_one_address(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    # The default burst, refilled too slowly to matter however long the 140 joins take on a busy machine
    # (at the default 5 a second, 40 slow joins could refill as fast as they drain it).
    limits = Limits(join_rate=0.01)
    async with in_process(service, limits=limits) as server, client(server) as c:
        burst = int(limits.join_burst)
        statuses = [(await c.post(f"/api/v1/w/{code}/join", json={})).status_code for _ in range(burst + 40)]
        assert statuses[:burst] == [201] * burst
        assert 429 in statuses
        r = await c.post(f"/api/v1/w/{code}/join", json={})
        assert_error(r, 429)
        assert int(r.headers["retry-after"]) >= 1
        assert len(service.state(code).participants) == statuses.count(201)


async def test_body_size_limit(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with running(service) as server:
        _, ann = await join(server, code)
        async with client(server, ann) as a:
            big = {"text": "x" * 20_000}
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json=big), 413)

            async def chunks() -> object:
                for _ in range(40):
                    yield b"x" * 1000

            r = await a.post(f"/api/v1/w/{code}/ideas", content=chunks(), headers=_json)  # type: ignore[arg-type]
            assert_error(r, 413)

            async def small() -> object:
                yield b'{"text": '
                yield b'"chunked"}'

            r = await a.post(f"/api/v1/w/{code}/ideas", content=small(), headers=_json)  # type: ignore[arg-type]
            assert r.status_code == 201 and r.json()["text"] == "chunked"
        assert [i.text for i in service.state(code).ideas.values()] == ["chunked"]


async def test_store_failure_is_503(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server:
        _, ann = await join(server, code)
        await service.state(code).store.close()  # the store stops accepting writes (as after a disk error)
        async with client(server, ann) as a:
            body = assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "lost?"}), 503)
            assert "store" in body["error"]
            assert (await a.get(f"/api/v1/w/{code}/me")).status_code == 200  # reads still work


async def test_hundred_phones_vote_at_once(service: WorkshopService) -> None:
    """120 phones on their own connections vote concurrently: acknowledged dots == stored dots, no one over."""
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    ideas = [await service.post_idea(code, f"idea {k}", source=Source.FACILITATOR) for k in range(4)]
    await open_vote(service, code)
    people = [await service.join(code, f"p{k}") for k in range(120)]
    async with in_process(service) as server:
        phones = [client(server, token) for _, token in people]
        try:

            async def storm(k: int) -> int:
                phone = phones[k]
                acked = 0
                for n in range(9):  # more than the budget: some must be refused
                    idea = ideas[(k + n) % len(ideas)]
                    r = await phone.post(f"/api/v1/w/{code}/votes", json={"idea_id": idea.id})
                    if r.status_code == 201:
                        acked += 1
                    else:
                        assert r.status_code == 409, r.text
                if k % 3 == 0:
                    r = await phone.delete(f"/api/v1/w/{code}/votes/{ideas[k % len(ideas)].id}")
                    if r.status_code == 200:
                        acked -= 1
                return acked

            acked = await asyncio.gather(*(storm(k) for k in range(len(phones))))
        finally:
            for phone in phones:
                await phone.aclose()
    state = service.state(code)
    for (person, _), count in zip(people, acked, strict=True):
        assert state.dots_used[person.id] == count
        assert count <= 5
    for vote in state.votes.values():
        assert vote.dots <= 3
    assert state.dots_cast() == sum(acked)
    # and the same after reopening the data directory
    await service.close()
    again = WorkshopService(service.data_dir, read_only=True).open()
    assert again.state(code).dots_cast() == sum(acked)


@pytest.mark.parametrize("path", ["/api/v1/w/{code}/events"])
async def test_events_route_is_documented(service: WorkshopService, path: str) -> None:
    async with running(service) as server, httpx.AsyncClient(base_url=url(server)) as c:
        spec = (await c.get("/openapi.json")).json()
        assert path in spec["paths"]
        assert "text/event-stream" in spec["paths"][path]["get"]["responses"]["200"]["content"]
