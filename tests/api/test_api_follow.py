"""The phone knows where to follow (issue 14): ``follow_url`` through the admin API, and what each phone follows."""

from __future__ import annotations

import pytest

from tests.helpers.api import admin, assert_error, client, in_process
from tests.helpers.followup import followed_workshop
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

FOLLOW = "https://city.example/follow/w/ABC/index.html"


async def test_follow_url_is_set_on_creation_changed_and_removed(service: WorkshopService) -> None:
    async with in_process(service) as server, admin(server) as a:
        r = await a.post("/api/v1/admin/workshops", json={"title": "Shade", "follow_url": FOLLOW})
        assert r.status_code == 201, r.text
        code = r.json()["code"]
        async with client(server) as phone:
            assert (await phone.get(f"/api/v1/w/{code}")).json()["follow_url"] == FOLLOW
        r = await a.patch(f"/api/v1/admin/w/{code}", json={"title": "Shade!"})
        assert r.json()["follow_url"] == FOLLOW  # left out: kept
        r = await a.patch(f"/api/v1/admin/w/{code}", json={"follow_url": "http://intranet.example:8080/x"})
        assert r.status_code == 200 and r.json()["follow_url"] == "http://intranet.example:8080/x"
        for cleared in ("", None):
            await a.patch(f"/api/v1/admin/w/{code}", json={"follow_url": "https://x.example/"})
            r = await a.patch(f"/api/v1/admin/w/{code}", json={"follow_url": cleared})
            assert r.status_code == 200 and r.json()["follow_url"] is None
        export = (await a.get(f"/api/v1/admin/w/{code}/export")).json()
        assert "follow_url" in export["workshop"]


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "https://",
        "city.example/follow",
        "https://city.example/a b",
        'https://city.example/"><script>',
        "https://city.example:99999/",
        "https://city.example/\u202e",
        "https://" + "a" * 600 + ".example/",
    ],
)
async def test_a_bad_follow_url_is_a_clear_422_and_changes_nothing(service: WorkshopService, bad: str) -> None:
    async with in_process(service) as server, admin(server) as a:
        assert_error(await a.post("/api/v1/admin/workshops", json={"title": "Shade", "follow_url": bad}), 422)
        assert len(service.states()) == 0
        code = (await a.post("/api/v1/admin/workshops", json={"title": "Shade", "follow_url": FOLLOW})).json()["code"]
        assert_error(await a.patch(f"/api/v1/admin/w/{code}", json={"follow_url": bad}), 422)
        assert service.state(code).workshop.follow_url == FOLLOW


async def test_after_the_session_a_phone_sees_the_reviews_of_what_it_voted_for(service: WorkshopService) -> None:
    f = await followed_workshop(service)
    await service.update_workshop(f.code, follow_url=FOLLOW)
    async with in_process(service) as server, client(server, f.voter_token) as phone:
        assert (await phone.get(f"/api/v1/w/{f.code}")).json()["follow_url"] == FOLLOW
        followed = (await phone.get(f"/api/v1/w/{f.code}/me")).json()["follow"]
        # The voter wrote the first note and put dots on the first two; the third prototype is not theirs.
        assert [p["id"] for p in followed] == [f.item_ids[1], f.item_ids[0]]  # the soonest review first
        assert followed[0] == {
            "id": f.item_ids[1],
            "title": service.state(f.code).backlog[f.item_ids[1]].title,
            "status": "prototyping",
            "next_review": f.date(7),
        }
        assert followed[1]["next_review"] == f.date(30)


async def test_before_the_backlog_a_phone_follows_nothing(service: WorkshopService) -> None:
    w = await service.create_workshop("Shade", follow_url=FOLLOW)
    await service.set_phase(w.code, Phase.IDEATE)
    _, token = await service.join(w.code, "Ann")
    async with in_process(service) as server, client(server, token) as phone:
        assert (await phone.get(f"/api/v1/w/{w.code}/me")).json()["follow"] == []
