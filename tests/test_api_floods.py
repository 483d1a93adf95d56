"""Floods (issue 11 item 14): per-workshop caps in the settings, and a wall that revalidates (ETag/304)."""

from __future__ import annotations

from tests.api_helpers import admin, assert_error, client, join, running
from tests.conftest import workshop_in
from workshop_tui.models import Settings, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def test_defaults_fit_a_room_of_a_thousand() -> None:
    s = Settings()
    assert s.max_participants >= 1_000 and s.max_ideas >= 1_000 * 3 and s.max_ideas_per_participant >= 20


async def test_participant_and_note_caps(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, max_participants=3, max_ideas_per_participant=2, max_ideas=5)
    async with running(service) as server:
        _, ann = await join(server, code, "Ann")
        _, bob = await join(server, code, "Bob")
        await join(server, code, "Cy")
        async with client(server) as c:
            full = assert_error(await c.post(f"/api/v1/w/{code}/join", json={}), 409)
            assert "at most 3" in full["error"]
        async with client(server, ann) as a, client(server, bob) as b:
            for k in range(2):
                assert (await a.post(f"/api/v1/w/{code}/ideas", json={"text": f"a{k}"})).status_code == 201
            mine = assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "a2"}), 409)
            assert "at most 2" in mine["error"]
            deleted = (await a.get(f"/api/v1/w/{code}/me")).json()["ideas"][0]["id"]
            await a.delete(f"/api/v1/w/{code}/ideas/{deleted}")  # deleting frees no room: it is still stored
            assert_error(await a.post(f"/api/v1/w/{code}/ideas", json={"text": "a3"}), 409)
            for k in range(2):
                assert (await b.post(f"/api/v1/w/{code}/ideas", json={"text": f"b{k}"})).status_code == 201
            await service.post_idea(code, "paper", source=Source.FACILITATOR)
            total = assert_error(await b.post(f"/api/v1/w/{code}/ideas", json={"text": "b2"}), 409)
            assert "at most 5" in total["error"]
        async with admin(server) as facilitator:  # the facilitator may raise the caps
            r = await facilitator.patch(f"/api/v1/admin/w/{code}", json={"settings": {"max_participants": 10}})
            assert r.status_code == 200
        assert (await join(server, code, "Dee"))[0]
    assert len(service.state(code).ideas) == 5


async def test_the_wall_revalidates_with_an_etag(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    await service.post_idea(code, "Shade", source=Source.FACILITATOR)
    async with running(service) as server:
        _, ann = await join(server, code)
        async with client(server) as anon, client(server, ann) as a:
            first = await anon.get(f"/api/v1/w/{code}/ideas")
            tag = first.headers["etag"]
            assert first.status_code == 200 and tag.startswith('W/"')
            assert first.headers["cache-control"] == "private, no-cache"  # stored, but asked again each time
            again = await anon.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
            mine = await a.get(f"/api/v1/w/{code}/ideas")
            assert mine.headers["etag"] != tag  # mine/my_dots differ per reader
            assert (await a.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})).status_code == 200
            await a.post(f"/api/v1/w/{code}/ideas", json={"text": "Benches"})
            changed = await anon.get(f"/api/v1/w/{code}/ideas", headers={"If-None-Match": tag})
            assert changed.status_code == 200 and [i["text"] for i in changed.json()] == ["Shade", "Benches"]
            assert changed.headers["etag"] != tag
            same = await anon.get(f"/api/v1/w/{code}/ideas")
            assert same.content == changed.content  # the anonymous wall is encoded once per change
            assert server.app.state.context.walls.encoded(service.state(code)) is not None
