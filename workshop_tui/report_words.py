"""The words of the reports and the published site in the workshop's language: labels for the models'
codes (which stay English in the JSON, the CSV and the API), money, numbers and dates (CLDR, through Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.support import NullTranslations

from workshop_tui import i18n
from workshop_tui.locales import N_
from workshop_tui.models import AskKind, AskStatus, BacklogStatus, BudgetStatus

LABELS: dict[str, str] = {
    BacklogStatus.PROPOSED: N_("proposed"),
    BacklogStatus.APPROVED: N_("approved"),
    BacklogStatus.PROTOTYPING: N_("prototyping"),
    BacklogStatus.TESTING: N_("testing"),
    BacklogStatus.ADOPTED: N_("adopted"),
    BacklogStatus.PARKED: N_("parked"),
    BacklogStatus.DROPPED: N_("dropped"),
    BudgetStatus.REQUESTED: N_("requested"),  # "approved" is the backlog's row above
    BudgetStatus.REJECTED: N_("rejected"),
    BudgetStatus.SPENT: N_("spent"),
    AskKind.OPEN_DATA: N_("open data"),
    AskKind.SPACE: N_("space"),
    AskKind.PROCEDURE: N_("procedure"),
    AskKind.OTHER: N_("other"),
    AskStatus.OPEN: N_("open"),
    AskStatus.IN_PROGRESS: N_("in progress"),
    AskStatus.GRANTED: N_("granted"),
    AskStatus.DECLINED: N_("declined"),
}


class Words:
    """The language of a report or a published page: its messages, money and dates (CLDR, through Babel)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tr: NullTranslations = i18n.translator(lang)

    def label(self, code: str) -> str:
        return self.tr.gettext(LABELS[code]) if code in LABELS else code

    def money(self, amount: Decimal, currency: str) -> str:
        return i18n.money(amount, currency, self.lang)

    def number(self, value: int | float | Decimal) -> str:
        return i18n.number(value, self.lang)

    def day(self, value: dt.datetime | dt.date) -> str:
        return i18n.date(value.date() if isinstance(value, dt.datetime) else value, self.lang, "medium")
