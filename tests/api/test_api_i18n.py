"""The workshop's language over HTTP: set on creation (admin API), carried by the workshop view, the phone
page's ``lang`` and catalog, Accept-Language among the allowed languages, and errors whose ``code`` stays
the same in every language while their ``message`` is translated."""

from __future__ import annotations

import pytest

from tests.conftest import workshop_in
from tests.helpers.api import admin, assert_error, client, in_process, join
from workshop_tui import phone_catalog
from workshop_tui.locales import SHIPPED
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


async def test_the_admin_api_sets_the_language_and_the_view_carries_it(service: WorkshopService) -> None:
    async with in_process(service) as server, admin(server) as a:
        r = await a.post("/api/v1/admin/workshops", json={"title": "Puistot", "language": "fi", "languages": ["sv"]})
        assert r.status_code == 201, r.text
        assert r.json()["language"] == "fi"
        code = r.json()["code"]
        async with client(server) as c:
            view = (await c.get(f"/api/v1/w/{code}")).json()
        assert (view["language"], view["languages"]) == ("fi", ["fi", "sv"])
        export = (await a.get(f"/api/v1/admin/w/{code}/export")).json()
        assert (export["workshop"]["language"], export["workshop"]["languages"]) == ("fi", ["sv"])
        r = await a.patch(f"/api/v1/admin/w/{code}", json={"language": "nl"})
        assert r.status_code == 200 and r.json()["language"] == "nl"
        bad = assert_error(await a.post("/api/v1/admin/workshops", json={"title": "x", "language": "de"}), 422)
        assert bad["code"] == "invalid"
        assert_error(await a.patch(f"/api/v1/admin/w/{code}", json={"languages": ["xx"]}), 422)
    assert service.state(code).workshop.language == "nl"


@pytest.mark.parametrize("lang", SHIPPED)
async def test_each_catalog_is_served(service: WorkshopService, lang: str) -> None:
    async with in_process(service) as server, client(server) as c:
        r = await c.get(f"/api/v1/i18n/{lang}")
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json() == phone_catalog.catalog(lang)
        assert set(r.json()["messages"]) == set(phone_catalog.all_messages())


async def test_an_unknown_catalog_is_a_json_404(service: WorkshopService) -> None:
    async with in_process(service) as server, client(server) as c:
        assert assert_error(await c.get("/api/v1/i18n/de"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        (None, "fi"),  # the room's language
        ("sv-FI,sv;q=0.9", "sv"),  # allowed, so the browser's wins
        ("nl,en;q=0.5", "fi"),  # neither is allowed
        ("de, sv;q=0.3, fi;q=0.2", "sv"),
    ],
)
async def test_the_phone_page_speaks_the_negotiated_language(
    service: WorkshopService, accept: str | None, lang: str
) -> None:
    w = await service.create_workshop("Puistot", language="fi", languages=["sv"])
    async with in_process(service) as server, client(server) as c:
        headers = {"Accept-Language": accept} if accept else {}
        r = await c.get(f"/j/{w.code}", headers=headers)
        assert r.status_code == 200
        assert f'<html lang="{lang}">' in r.text
        assert r.headers["vary"] == "Accept-Language"
        title = phone_catalog.catalog(lang)["messages"]["pageTitle"]
        assert f"<title>{title}</title>" in r.text


async def test_a_one_language_workshop_ignores_the_browser(service: WorkshopService) -> None:
    w = await service.create_workshop("Parken", language="nl")
    async with in_process(service) as server, client(server) as c:
        r = await c.get(f"/j/{w.code}", headers={"Accept-Language": "fi"})
        assert '<html lang="nl">' in r.text and "Deze pagina heeft JavaScript nodig." in r.text


async def test_a_refusal_has_one_code_and_a_message_in_each_language(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.LOBBY)
    await service.update_workshop(code, languages=list(SHIPPED))
    async with in_process(service) as server:
        _, token = await join(server, code)
        bodies, votes = {}, {}
        async with client(server, token) as c:
            for lang in SHIPPED:
                said = {"Accept-Language": lang}
                r = await c.post(f"/api/v1/w/{code}/ideas", json={"text": "a bench"}, headers=said)
                bodies[lang] = assert_error(r, 409)
                # the vote fast path answers before FastAPI: the same envelope
                votes[lang] = assert_error(
                    await c.post(f"/api/v1/w/{code}/votes", json={"idea_id": "x"}, headers=said), 409
                )
    assert {b["code"] for b in bodies.values()} == {"wrong_phase"}
    assert {b["error"] for b in bodies.values()} == {bodies["en"]["error"]}  # the developer's text stays
    assert {b["detail"]["action"] for b in bodies.values()} == {"post_idea"}
    assert bodies["en"]["message"] == "Posting is closed for now — the session has not started yet."
    assert bodies["fi"]["message"] == "Ideoita ei voi nyt lähettää – työpaja ei ole vielä alkanut."
    assert bodies["sv"]["message"] == "Det går inte att skicka idéer just nu – workshoppen har inte börjat än."
    assert bodies["nl"]["message"] == "Ideeën versturen kan nu niet: de workshop is nog niet begonnen."
    assert {v["code"] for v in votes.values()} == {"wrong_phase"}
    assert len({v["message"] for v in votes.values()}) == len(SHIPPED)


async def test_without_accept_language_errors_speak_the_workshops_language(service: WorkshopService) -> None:
    w = await service.create_workshop("Puistot", language="fi")
    async with in_process(service) as server, client(server) as c:
        body = assert_error(await c.get(f"/api/v1/w/{w.code}/me"), 401)
        assert (body["code"], body["message"]) == ("unauthorized", "Istuntosi on vanhentunut. Liity uudelleen.")
        body = assert_error(
            await c.post(f"/api/v1/w/{w.code}/join", content=b"x", headers={"Content-Type": "text/plain"}), 415
        )
        assert body["code"] == "unsupported_media_type" and body["message"] == "That did not work. Please try again."
        body = assert_error(await c.get("/api/v1/nowhere", headers={"Accept-Language": "nl"}), 404)
        assert body["code"] == "not_found" and body["message"].startswith("Dit is niet gevonden")


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [
        (None, "en", ["Join a workshop", "Workshop code", ">Join<"]),
        ("fi-FI,fi;q=0.9", "fi", ["Liity työpajaan", "Työpajan koodi", ">Liity<", "QR-koodin alla"]),
        ("sv", "sv", ["Gå med i en workshop", "Workshopkod", ">Gå med<"]),
        ("nl-BE,de;q=0.5", "nl", ["Doe mee aan een workshop", "Workshopcode", ">Meedoen<"]),
    ],
)
async def test_the_start_and_not_found_pages_speak_the_browsers_language(
    service: WorkshopService, accept: str | None, lang: str, words: list[str]
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    async with in_process(service) as server, client(server) as c:
        home = await c.get("/", headers=headers)
        assert home.status_code == 200 and f'<html lang="{lang}">' in home.text
        for word in words:
            assert word in home.text, word
        if lang != "en":
            assert "Join a workshop" not in home.text and "Workshop code<" not in home.text
        missing = await c.get("/j?code=NOPE", headers=headers)
        assert missing.status_code == 404 and f'<html lang="{lang}">' in missing.text
        title = phone_catalog.catalog(lang)["messages"]["notFound"].split(".")[0]
        assert title in missing.text
        assert (await c.get("/j/NOPE", headers=headers)).text == missing.text
