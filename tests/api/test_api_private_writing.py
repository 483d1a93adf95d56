"""Private writing and the ready counts over HTTP (in-process ASGI): the wall lists only a count,
each phone sees its own notes, the facilitator reveals them all at once; phones say they are done."""

from __future__ import annotations

from tests.conftest import workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def test_notes_written_in_private_show_as_a_count_until_the_facilitator_reveals_them(
    service: WorkshopService,
) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    base = f"/api/v1/w/{code}"
    async with in_process(service) as server, admin(server) as a:
        r = await a.patch(f"/api/v1/admin/w/{code}", json={"settings": {"private_writing": True}})
        assert r.status_code == 200 and r.json()["settings"]["private_writing"] is True
        _, amina = await join(server, code, "Amina")
        _, ben = await join(server, code, "Ben")
        async with client(server, amina) as phone, client(server, ben) as other, client(server) as anyone:
            posted = await phone.post(f"{base}/ideas", json={"text": "Shade trees"})
            assert posted.status_code == 201 and posted.json()["private"] is True
            for reader in (phone, other, anyone):
                wall = await reader.get(f"{base}/ideas")
                assert wall.json() == [] and wall.headers["X-Private-Notes"] == "1"
                workshop = (await reader.get(base)).json()
                assert workshop["private_writing"] is True and workshop["private_notes"] == 1
            mine = (await phone.get(f"{base}/me")).json()["ideas"]
            assert [(i["text"], i["private"]) for i in mine] == [("Shade trees", True)]
            assert (await other.get(f"{base}/me")).json()["ideas"] == []  # nobody else sees its text

            revealed = await a.post(f"/api/v1/admin/w/{code}/ideas/reveal")
            assert revealed.status_code == 200 and revealed.json() == {"revealed": 1}
            wall = await other.get(f"{base}/ideas")
            assert [i["text"] for i in wall.json()] == ["Shade trees"] and wall.headers["X-Private-Notes"] == "0"
            assert "private" not in wall.json()[0]  # present only while true
            assert (await a.post(f"/api/v1/admin/w/{code}/ideas/reveal")).json() == {"revealed": 0}
            await service.set_phase(code, Phase.GROUP)
            body = assert_error(await a.post(f"/api/v1/admin/w/{code}/ideas/reveal"), 409)
            assert body["detail"]["action"] == "reveal_notes"
            assert (await anyone.get(base)).json()["private_writing"] is False  # notes posted now go on the wall


async def test_phones_say_they_are_done_and_everyone_sees_the_counts(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    base = f"/api/v1/w/{code}"
    async with in_process(service) as server:
        _, amina = await join(server, code, "Amina")
        await join(server, code, "Ben")
        async with client(server, amina) as phone, client(server) as anyone:
            workshop = (await phone.get(base)).json()
            assert "say_done" in workshop["allowed_actions"]
            assert workshop["ready"] == {"task": "writing", "people": 2, "done": 0, "waiting": 2}
            r = await phone.put(f"{base}/done", json={"done": True})
            assert r.status_code == 200, r.text
            assert r.json() == {"done": True, "ready": {"task": "writing", "people": 2, "done": 1, "waiting": 1}}
            assert (await phone.get(f"{base}/me")).json()["done"] is True
            assert (await anyone.get(base)).json()["ready"]["waiting"] == 1  # counts, for the room
            r = await phone.put(f"{base}/done", json={"done": False})
            assert r.json()["done"] is False and r.json()["ready"]["done"] == 0
            assert_error(await anyone.put(f"{base}/done", json={"done": True}), 401)
            assert_error(await phone.put(f"{base}/done", json={"done": "yes"}), 422)
            await service.set_phase(code, Phase.GROUP)
            assert (await anyone.get(base)).json()["ready"] is None
            assert_error(await phone.put(f"{base}/done", json={}), 409)


async def test_a_phone_with_every_dot_placed_is_counted_done_and_told_so(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.VOTE, dots_per_participant=2, max_dots_per_idea=2)
    note = await service.post_idea(code, "Shade trees", source=Source.PAPER)
    base = f"/api/v1/w/{code}"
    async with in_process(service) as server:
        _, amina = await join(server, code, "Amina")
        async with client(server, amina) as phone:
            me = (await phone.get(f"{base}/me")).json()
            assert (me["done"], me["counted_done"]) == (False, False)
            for _ in range(2):
                assert (await phone.post(f"{base}/votes", json={"idea_id": note.id})).status_code == 201
            me = (await phone.get(f"{base}/me")).json()
            assert (me["done"], me["counted_done"]) == (False, True)  # never said so, but counted: every dot placed
            assert (await phone.get(base)).json()["ready"]["done"] == 1
