"""What the ASGI layer (guard, vote fast path) and the FastAPI routes share: headers, the token, the
JSON content-type rule and the error envelope ``{"error", "code", "message", "detail"}`` (docs/http.md).

Everything here works on raw ASGI headers so the fast path needs no Request object, and the routes
call the same functions: one rule, one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any, Final

import orjson
from starlette.requests import cookie_parser
from starlette.types import Send

CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
COOKIE_PREFIX: Final = "wt_"
COOKIE_MAX_AGE: Final = 60 * 60 * 24 * 30
JSON: Final = "application/json"
HTML: Final = "text/html; charset=utf-8"
DRAIN_LIMIT: Final = 1024 * 1024
WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})

COMMON_HEADERS: Final = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
NO_STORE: Final = [(b"cache-control", b"no-store")]
PAGE_HEADERS: Final = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}

Headers = Iterable[tuple[bytes, bytes]]


def cookie_name(code: str) -> str:
    return COOKIE_PREFIX + code


def request_token(headers: Headers, code: str) -> str | None:
    """The participant's token: an ``Authorization`` header always wins (malformed: ""), else the
    workshop's cookie, else None."""
    cookie = None
    for key, value in headers:
        if key == b"authorization":
            return bearer(value)
        if key == b"cookie":
            cookie = value.decode("latin-1")
    if cookie is None:
        return None
    return cookie_parser(cookie).get(cookie_name(code))


def header_token(headers: Headers) -> str | None:
    """The token of an ``Authorization: Bearer`` header; "" when the header is there but malformed."""
    for key, value in headers:
        if key == b"authorization":
            return bearer(value)
    return None


def bearer(value: bytes) -> str:
    scheme, _, token = value.decode("latin-1").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def unsupported_body(method: str, headers: Headers) -> str | None:
    """Why a write's body is refused (415), or None. A body is JSON or nothing: a page on another site
    can send ``text/plain`` without a preflight, never ``application/json`` (issue 11 item 15)."""
    if method not in WRITE_METHODS:
        return None
    has_body = False
    content_type = b""
    for key, value in headers:
        if key == b"content-length":
            has_body = has_body or value.strip() not in (b"0", b"")
        elif key == b"transfer-encoding":
            has_body = True
        elif key == b"content-type":
            content_type = value
    if not has_body:
        return None
    media = content_type.split(b";", 1)[0].strip().lower()
    if media == b"application/json":
        return None
    shown = media.decode("latin-1") or "none"
    return f"a request body must be JSON (Content-Type: application/json), not {shown}"


def error_body(message: str, detail: Any = None, *, code: str, human: str) -> bytes:
    """``error``: the developer's English; ``code``: stable, for tools; ``message``: for a person, translated."""
    return orjson.dumps({"error": message, "code": code, "message": human, "detail": detail})


async def send_json(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None, *, close: bool = False
) -> None:
    """One complete JSON response straight on the ASGI channel (guard and fast path)."""
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or ())]
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def read_static(name: str) -> bytes:
    return resources.files("workshop_tui").joinpath("static", name).read_bytes()
