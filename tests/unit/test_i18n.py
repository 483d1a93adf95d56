"""Babel's locale data for the audience's language: money, numbers, dates and plurals (golden values, CLDR),
the facilitator's default language and the browser's choice among a workshop's languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workshop_tui import i18n, phone_catalog
from workshop_tui.locales import SHIPPED

NBSP = "\u00a0"  # CLDR separates thousands and the currency sign with no-break spaces


@pytest.mark.parametrize(
    ("lang", "money", "number", "date"),
    [
        ("en", "€1,200.00", "12,345.5", "March 14, 2026"),
        ("fi", f"1{NBSP}200,00{NBSP}€", f"12{NBSP}345,5", "14. maaliskuuta 2026"),
        ("sv", f"1{NBSP}200,00{NBSP}€", f"12{NBSP}345,5", "14 mars 2026"),
        ("nl", f"€{NBSP}1.200,00", "12.345,5", "14 maart 2026"),
    ],
)
def test_money_numbers_and_dates_per_language(lang: str, money: str, number: str, date: str) -> None:
    assert i18n.money(Decimal("1200"), "EUR", lang) == money
    assert i18n.number(12345.5, lang) == number
    assert i18n.date(dt.date(2026, 3, 14), lang) == date


def test_a_currency_keeps_its_own_sign() -> None:
    assert i18n.money(Decimal("99.5"), "SEK", "sv") == f"99,50{NBSP}kr"
    assert i18n.money(Decimal("1200"), "USD", "nl") == f"US${NBSP}1.200,00"


@pytest.mark.parametrize("lang", SHIPPED)
def test_plural_forms_follow_the_language(lang: str) -> None:
    forms = phone_catalog.catalog(lang)["messages"]["dots"]
    assert set(forms) == set(i18n.plural_categories(lang)) == {"one", "other"}
    assert forms["one"] != forms["other"]
    assert "{count}" in forms["one"] and "{count}" in forms["other"]


def test_finnish_plurals_and_words() -> None:
    messages = phone_catalog.catalog("fi")["messages"]
    assert messages["dots"] == {"one": "{count} piste", "other": "{count} pistettä"}
    assert messages["joinButton"] == "Liity"
    assert messages["phase.vote"] == "Äänestys"


@pytest.mark.parametrize(
    ("header", "allowed", "default", "chosen"),
    [
        ("fi-FI,fi;q=0.9,en;q=0.8", ["sv", "fi"], "sv", "fi"),  # a region falls back to its language
        ("de-DE,de;q=0.9", ["sv", "fi"], "sv", "sv"),  # nothing wanted is allowed: the room's language
        ("en;q=0.5, sv", ["en", "sv"], "fi", "sv"),  # weights, not order, decide
        ("nl-BE", ["en", "nl"], "en", "nl"),
        ("", ["en", "nl"], "nl", "nl"),
        (None, ["en", "fi"], "fi", "fi"),
        ("fi;q=0, *", ["en", "fi"], "en", "en"),  # q=0 means "not this one"
        ("fi;q=oops, sv", ["fi", "sv"], "en", "sv"),  # a malformed weight counts as 0
    ],
)
def test_accept_language_picks_among_the_workshop_languages(
    header: str | None, allowed: list[str], default: str, chosen: str
) -> None:
    assert i18n.negotiate(header, allowed, default) == chosen


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),  # LC_ALL wins
        ({"LC_MESSAGES": "nl_NL@euro", "LANG": "fi_FI"}, "nl"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # not shipped: English
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_a_new_workshop_speaks_the_facilitators_language(environ: dict[str, str], lang: str) -> None:
    assert i18n.facilitator_language(environ) == lang


def test_the_picker_names_each_language_in_itself() -> None:
    assert phone_catalog.catalog("en")["languages"] == {
        "en": "English",
        "fi": "Suomi",
        "sv": "Svenska",
        "nl": "Nederlands",
    }
