"""Locale codes as exports take them (``en``, ``ca``, ``pt-BR``) and the languages the product ships
(a complete catalog each, in ``workshop_tui/locale/``): in a module of its own, free of Babel, so the
models, the exporter registry and the renderers share them without importing each other."""

from __future__ import annotations

import re
from typing import Final

LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
#: What ``--locale`` takes: one code or a comma-separated list of them (``en,fi,sv``).
LOCALE_LIST_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?( *, *[a-z]{2,3}(-[A-Za-z0-9]{2,8})?)*$")
SHIPPED: Final = ("en", "fi", "sv", "nl")  # a new language: one code here and its catalog (README)
DEFAULT: Final = "en"


def parse_locales(text: str) -> tuple[str, ...]:
    """``"en, fi,sv"`` -> ``("en", "fi", "sv")``. Raises ``ValueError`` naming what is wrong."""
    codes = tuple(code.strip() for code in text.split(","))
    for code in codes:
        if not LOCALE_RE.match(code):
            hint = f" (Decidim writes {code.replace('_', '-')})" if "_" in code else ""
            raise ValueError(f"{code!r} is not a locale code such as en, ca or pt-BR{hint}")
    if len(set(codes)) != len(codes):
        raise ValueError(f"{text!r} names a locale twice")
    return codes


def same_language(a: str, b: str) -> bool:
    """``en`` and ``en-GB`` are one language (the primary subtag decides)."""
    return a.split("-")[0].casefold() == b.split("-")[0].casefold()


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined (a table row); it is translated where it is
    shown, in the language of whoever reads it (``workshop_tui.i18n``)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural message for extraction (``pybabel extract -k NP_:1,2``)."""
    return singular, plural
