"""JSON responses in the error shape of design.md section 5, and small request helpers."""

from __future__ import annotations

from importlib import resources
from typing import Any, Final

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from workshop_tui.errors import Invalid
from workshop_tui.server.schemas import (
    ErrorOut,
)

CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
COOKIE_PREFIX: Final = "wt_"
COOKIE_MAX_AGE: Final = 60 * 60 * 24 * 30
JSON: Final = "application/json"
DRAIN_LIMIT: Final = 1024 * 1024

COMMON_HEADERS: Final = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
NO_STORE: Final = [(b"cache-control", b"no-store")]
PAGE_HEADERS: Final = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}
NOT_FOUND_PAGE: Final = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Workshop not found</title></head><body><h1>Workshop not found</h1>"
    b"<p>Check the code and scan the QR code again.</p></body></html>"
)


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(obj), status_code=status, media_type=JSON, headers=headers)


def error_response(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message, "detail": detail}, status, headers)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        401: "no valid token",
        404: "no such workshop (or item)",
        405: "method not allowed",
        409: "not allowed in the workshop's current state",
        413: "request body too large",
        422: "invalid request",
        429: "too many requests; see Retry-After",
        503: "the store stopped accepting writes",
    }
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorOut, "description": described[status]}
        if status == 429:
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}
        out[status] = entry
    return out


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; "" when the header is there but malformed."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def check_encodable(model: BaseModel) -> None:
    """Reject text the store cannot write (lone surrogates from JSON escapes such as "\\ud800")."""
    try:
        orjson.dumps(model.model_dump(mode="json"))
    except (TypeError, orjson.JSONEncodeError):
        raise Invalid("the text contains characters that are not valid Unicode") from None


def request_error_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "invalid request: " + "; ".join(parts)


def read_static(name: str) -> bytes:
    return resources.files("workshop_tui").joinpath("static", name).read_bytes()
