"""Hostile requests that the contract refuses (issue 11): bodies that are not JSON, invisible notes."""

from __future__ import annotations

import re

import pytest

from tests.conftest import open_vote, workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join
from workshop_tui.errors import Invalid
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

NOT_JSON = ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"]


async def test_every_write_with_a_body_needs_json(service: WorkshopService) -> None:
    """A page on another port of the same host can POST ``text/plain`` with the phone's SameSite cookie
    and no preflight: every route that takes a body refuses anything but JSON, the fast path too."""
    code = await workshop_in(service, Phase.IDEATE)
    idea = await service.post_idea(code, "Shade", source=Source.FACILITATOR)
    await open_vote(service, code)
    async with in_process(service) as server:
        _, token = await join(server, code)
        spec = server.app.openapi()
        writes = [
            (method.upper(), re.sub(r"\{[^}]+\}", lambda m: code if m.group(0) == "{code}" else "x", path))
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
            if "requestBody" in operation
        ]
        assert len(writes) >= 9
        before = service.state(code).workshop
        async with client(server, token) as phone, admin(server) as facilitator:
            for method, path in writes:
                for media in NOT_JSON:
                    for c in (phone, facilitator):
                        r = await c.request(method, path, content=b'{"idea_id": "x"}', headers={"content-type": media})
                        body = assert_error(r, 415)
                        assert "application/json" in body["error"], (method, path)
                r = await phone.request(method, path, content=b"{}")  # no content type at all
                assert_error(r, 415)
            vote = f'{{"idea_id": "{idea.id}"}}'.encode()
            r = await phone.post(f"/api/v1/w/{code}/votes", content=vote, headers={"content-type": "text/plain"})
            assert_error(r, 415)
            assert service.state(code).dots_cast() == 0  # the cross-site dot was not cast
            assert server.app.state.vote_fast_path.served == 0
            r = await phone.post(
                f"/api/v1/w/{code}/votes", content=vote, headers={"content-type": "application/json; charset=utf-8"}
            )
            assert r.status_code == 201 and service.state(code).dots_cast() == 1
            # writes without a body need no content type
            assert (await phone.delete(f"/api/v1/w/{code}/votes/{idea.id}")).status_code == 200
            assert (await phone.post(f"/api/v1/w/{code}/join")).status_code == 201
        assert service.state(code).workshop.phase == before.phase


INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d\u2060",  # zero-width (non-)joiners, word joiner
    "\ufeff \u00a0\u3000",  # BOM, no-break and ideographic spaces
    "\u202e\u2066\u2069",  # bidi override and isolates
    "\u3164\u115f\u2800",  # Hangul fillers, blank braille
    "\u034f\u0301",  # combining marks with nothing to sit on
    "\u00ad\u180e",  # soft hyphen, Mongolian vowel separator
]


@pytest.mark.parametrize("text", INVISIBLE)
async def test_invisible_notes_are_refused_like_empty_ones(service: WorkshopService, text: str) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    async with in_process(service) as server:
        _, token = await join(server, code)
        async with client(server, token) as phone:
            assert_error(await phone.post(f"/api/v1/w/{code}/ideas", json={"text": text}), 422)
            posted = await phone.post(f"/api/v1/w/{code}/ideas", json={"text": "Benches"})
            assert posted.status_code == 201
            edit = await phone.patch(f"/api/v1/w/{code}/ideas/{posted.json()['id']}", json={"text": text})
            assert_error(edit, 422)
            joined = await phone.post(f"/api/v1/w/{code}/join", json={"name": text, "skills": [text, "maker"]})
            person = service.state(code).participants[joined.json()["participant_id"]]
            assert person.name.startswith("Guest ") and person.skills == ["maker"]
    with pytest.raises(Invalid):  # the TUI and the CLI go through the same rule
        await service.post_idea(code, text, source=Source.FACILITATOR)
    assert [i.text for i in service.state(code).ideas.values()] == ["Benches"]


async def test_visible_text_with_invisible_characters_is_kept(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    for text in ("\u200bShade", "e\u0301", "\u2764\ufe0f", "\U0001f1eb\U0001f1ee", "\u05e9\u05dc\u05d5\u05dd"):
        assert (await service.post_idea(code, text, source=Source.FACILITATOR)).text == text
