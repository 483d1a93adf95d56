"""The languages a participant or the public meets: gettext catalogs managed with Babel
(``workshop_tui/locale/LANG/LC_MESSAGES/messages.po``, compiled ``.mo`` beside them; ``make i18n``),
and Babel's CLDR data for numbers, money, dates and plural rules.

A workshop has one ``language`` (the room's) and may let phones pick among ``languages``; everything the
audience sees is rendered with ``translator(lang)``. The facilitator's own controls stay in English.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from workshop_tui.locales import DEFAULT, SHIPPED

DOMAIN: Final = "messages"


def locale_dir() -> str:
    return str(resources.files("workshop_tui").joinpath("locale"))


@cache
def translator(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English has one too, so its wording can change without
    changing the message ids); anything not shipped gets the messages as written."""
    if lang not in SHIPPED:
        return NullTranslations()
    return Translations.load(locale_dir(), [lang], DOMAIN)


def native_name(lang: str) -> str:
    """How the language calls itself, for a picker ("suomi", "svenska", "Nederlands")."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[0].upper() + name[1:]


def plural_categories(lang: str) -> dict[str, int]:
    """One sample count for each CLDR plural category of ``lang`` ("one": 1, "other": 0): the phone page
    asks ``Intl.PluralRules`` for the category and the catalog answers with that count's form."""
    rule = Locale.parse(lang).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 1000):
        samples.setdefault(rule(n), n)
        if len(samples) == len(rule.tags) + 1:  # `tags` leaves out "other"
            break
    return samples


def negotiate(accept_language: str | None, allowed: Iterable[str], default: str) -> str:
    """The language a browser prefers among ``allowed`` (``Accept-Language`` with its q-values),
    else ``default``."""
    return _negotiate(accept_language or "", tuple(allowed), default)


@lru_cache(maxsize=512)  # a room's phones send a handful of distinct headers
def _negotiate(accept_language: str, allowed: tuple[str, ...], default: str) -> str:
    choices = list(allowed)
    wanted = [tag for tag, _q in _parse_accept(accept_language)]
    found = Locale.negotiate(wanted, choices, sep="-") if wanted and choices else None
    if found is None:
        return default
    return str(found).replace("_", "-") if str(found) in choices else found.language


def _parse_accept(header: str) -> list[tuple[str, float]]:
    tags: list[tuple[str, float]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            tags.append((tag.strip(), q))
    return sorted(tags, key=lambda t: -t[1])  # sorted() is stable: equal weights keep the header's order


def facilitator_language(environ: Mapping[str, str] = os.environ) -> str:
    """The default language of a new workshop: the facilitator's locale (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``, as POSIX orders them) when it is a shipped language, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if not value:
            continue
        lang = value.split(".")[0].split("@")[0].split("_")[0].lower()
        return lang if lang in SHIPPED else DEFAULT
    return DEFAULT


def money(amount: Decimal, currency: str, lang: str) -> str:
    """``1 200,00 €`` in Finnish, ``€ 1.200,00`` in Dutch (CLDR)."""
    return format_currency(amount, currency, locale=_locale(lang))


def number(value: int | float | Decimal, lang: str) -> str:
    return format_decimal(value, locale=_locale(lang))


def date(value: dt.date, lang: str, length: str = "long") -> str:
    """A date as people of ``lang`` write it (CLDR "long": 14. maaliskuuta 2026; "medium": 14.3.2026)."""
    return format_date(value, length, locale=_locale(lang))


def date_time(value: dt.datetime, lang: str) -> str:
    return format_datetime(value, "medium", locale=_locale(lang))


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)
