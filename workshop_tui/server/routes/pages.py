"""What a browser opens: the start page (``/``, a form to type a join code), the phone page
(``/j/CODE``, also ``/J/CODE`` for the QR code's upper-case URL), its static files, the health check.

The phone page is served only for an existing workshop; an unknown code gets a small static 404 page
(people open it in a browser, not a script). Participant text is never inlined into any page.
"""

from __future__ import annotations

import html
from typing import Annotated, Any, Final

import orjson
from fastapi import APIRouter, Header, Request
from fastapi.responses import RedirectResponse, Response

from workshop_tui import i18n, phone_catalog
from workshop_tui.errors import NotFound, WorkshopError
from workshop_tui.locales import DEFAULT, N_, SHIPPED
from workshop_tui.server.deps import Context, Service
from workshop_tui.server.errors import documented
from workshop_tui.server.http import HTML, JSON, PAGE_HEADERS, read_static
from workshop_tui.server.join_pass import PASS_COOKIE, connection_of
from workshop_tui.server.schemas import HealthOut

# The start page's and the 404 page's words: no workshop says which language, so the browser's does.
PAGE_WORDS: Final = {
    "Join a workshop": N_("Join a workshop"),
    "Workshop code": N_("Workshop code"),
    ">Join<": N_("Join"),
    "The code is on the screen at the front of the room, under the QR code.": N_(
        "The code is on the screen at the front of the room, under the QR code."
    ),
}
HEALTHY: Final = orjson.dumps(HealthOut(status="ok").model_dump())
AcceptLanguage = Annotated[str | None, Header(include_in_schema=False)]
STATIC: Final = {"phone.css": "text/css; charset=utf-8", "phone.js": "text/javascript; charset=utf-8"}


def _text(media: str, description: str) -> dict[str, Any]:
    return {"content": {media.split(";")[0]: {"schema": {"type": "string"}}}, "description": description}


def build() -> APIRouter:
    router = APIRouter(tags=["phone page"])
    _start_page(router)
    _phone_page(router)
    _files(router)
    return router


def _start_page(router: APIRouter) -> None:
    """``/``: type the code shown in the room; ``/j?code=``: where that form goes; the health check."""
    homes = {lang: _home(read_static("home.html"), lang) for lang in SHIPPED}

    @router.get(
        "/",
        response_class=Response,
        responses={200: _text(HTML, "a form where a join code can be typed")},
        summary="The start page: type the code shown in the room",
    )
    async def home(accept_language: AcceptLanguage = None) -> Response:
        lang = i18n.negotiate(accept_language, SHIPPED, DEFAULT)
        return Response(homes[lang], media_type=HTML, headers={**PAGE_HEADERS, "Vary": "Accept-Language"})

    @router.get(
        "/j",
        response_class=Response,
        status_code=303,
        responses={
            303: {"description": "to the phone page", "headers": {"Location": {"schema": {"type": "string"}}}},
            404: _text(HTML, "no such workshop"),
        },
        summary="Where the start page's form goes: the phone page of the code typed",
    )
    async def join_by_code(service: Service, code: str = "", accept_language: AcceptLanguage = None) -> Response:
        # no length limit here: whatever was typed, a person gets the page that says "not found"
        try:
            found = service.view(code.strip()).code
        except WorkshopError:
            return _not_found(accept_language)
        return RedirectResponse(f"/j/{found}", status_code=303, headers={"Cache-Control": "no-store"})

    @router.get("/healthz", response_model=HealthOut, tags=["meta"])
    async def healthz() -> Response:
        # A constant, encoded once: the server bench measures every route against this one.
        return Response(HEALTHY, media_type=JSON)


def _phone_page(router: APIRouter) -> None:
    """``/j/CODE`` (and ``/J/CODE``, the QR code's upper-case URL), in the reader's language."""
    phone_html = read_static("phone.html")
    pages = {lang: _localized(phone_html, lang) for lang in SHIPPED}

    async def phone_page(
        code: str, service: Service, ctx: Context, request: Request, accept_language: AcceptLanguage = None
    ) -> Response:
        try:
            w = service.view(code).workshop
        except WorkshopError:
            return _not_found(accept_language)
        lang = i18n.negotiate(accept_language, w.phone_languages, w.language)
        response = Response(pages[lang], media_type=HTML, headers={**PAGE_HEADERS, "Vary": "Accept-Language"})
        passes = ctx.joins
        if passes.valid(request.cookies.get(PASS_COOKIE)) is None and request.client is not None:
            issued = passes.issue(request.client.host, connection_of(request.scope))
            if issued is not None:  # the join from this page gets its own bucket (server/join_pass.py)
                response.set_cookie(
                    PASS_COOKIE,
                    issued,
                    max_age=passes.max_age,
                    path="/",
                    httponly=True,
                    samesite="strict",
                    secure=ctx.secure_cookie,
                )
        return response

    for prefix in ("/j", "/J"):
        router.add_api_route(
            prefix + "/{code}",
            phone_page,
            methods=["GET"],
            response_class=Response,
            responses={200: _text(HTML, "the phone page"), 404: _text(HTML, "no such workshop")},
            summary=f"The phone page ({prefix}/CODE)",
            name="phone_page" if prefix == "/j" else "phone_page_upper_case",
        )


def _files(router: APIRouter) -> None:
    """The phone page's script, style and words, and the favicon."""

    for name, media in STATIC.items():
        router.add_api_route(
            f"/static/{name}",
            _static_endpoint(read_static(name), media),
            methods=["GET"],
            response_class=Response,
            responses={200: _text(media, f"/static/{name}")},
            summary=f"/static/{name}",
            name="static_" + name.replace(".", "_"),
        )

    catalogs = {lang: orjson.dumps(phone_catalog.catalog(lang)) for lang in SHIPPED}

    @router.get(
        "/api/v1/i18n/{lang}",
        response_class=Response,
        responses={200: _json("the phone page's messages in one language"), **documented(404)},
        summary="The phone page's words in one language (phone.js reads every string from here)",
        tags=["phone page"],
    )
    async def phone_messages(lang: str) -> Response:
        if lang not in catalogs:
            raise NotFound(f"no catalog for language {lang!r}; shipped: {', '.join(SHIPPED)}")
        return Response(catalogs[lang], media_type=JSON, headers={"Cache-Control": "no-cache"})

    @router.get("/favicon.ico", status_code=204, response_class=Response)
    async def favicon() -> Response:
        return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})


def _json(description: str) -> dict[str, Any]:
    return {"content": {JSON: {"schema": {"type": "object"}}}, "description": description}


def _localized(page: bytes, lang: str) -> bytes:
    """The phone page with its ``lang`` and the words it shows before (or without) its script."""
    messages = phone_catalog.catalog(lang)["messages"]
    return (
        page.replace(b'<html lang="en">', f'<html lang="{lang}">'.encode())
        .replace(b"<title>Workshop</title>", f"<title>{html.escape(messages['pageTitle'])}</title>".encode())
        .replace(b"This page needs JavaScript.", html.escape(messages["noscript"]).encode())
    )


def _home(page: bytes, lang: str) -> bytes:
    tr = i18n.translator(lang)
    text = page.decode().replace('<html lang="en">', f'<html lang="{lang}">')
    for english, message in PAGE_WORDS.items():
        said = html.escape(tr.gettext(message))
        text = text.replace(english, f">{said}<" if english.startswith(">") else said)
    return text.encode()


def _not_found(accept_language: str | None) -> Response:
    lang = i18n.negotiate(accept_language, SHIPPED, DEFAULT)
    tr = i18n.translator(lang)
    title = html.escape(tr.gettext("Workshop not found"))
    hint = html.escape(tr.gettext("Check the code and scan the QR code again, or"))
    link = html.escape(tr.gettext("type the code"))
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title></head><body><h1>{title}</h1><p>{hint} <a href="/">{link}</a>.</p></body></html>'
    )
    return Response(page.encode(), 404, media_type=HTML, headers={**PAGE_HEADERS, "Vary": "Accept-Language"})


def _static_endpoint(body: bytes, media: str) -> Any:
    async def serve_static() -> Response:
        return Response(body, media_type=media, headers={"Cache-Control": "no-cache"})

    return serve_static
