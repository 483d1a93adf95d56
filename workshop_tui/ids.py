"""Identifiers: entity ids, join codes and secret tokens."""

from __future__ import annotations

import secrets
import uuid

# No look-alikes (0/O, 1/I/L), so a code read off a projector is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 5


def new_id() -> str:
    """A globally unique entity id; TinyDB doc ids are never used for cross-references."""
    return uuid.uuid4().hex


def new_join_code(taken: set[str] | frozenset[str] = frozenset()) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if code not in taken:
            return code


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def normalize_code(code: str) -> str:
    return code.strip().upper()
