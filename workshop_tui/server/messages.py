"""The human half of an error answer: ``code`` is stable and machine-readable (tools branch on it),
``message`` is a plain sentence in the reader's language (``Accept-Language`` among the shipped
languages, else the workshop's, else English). ``error`` stays the developer's English description.
"""

from __future__ import annotations

from typing import Any, Final

from workshop_tui import i18n
from workshop_tui.actions import ACTIONS, Action
from workshop_tui.errors import WorkshopError
from workshop_tui.locales import DEFAULT, N_, SHIPPED
from workshop_tui.phases import PHASE_SPECS, Phase
from workshop_tui.phone_catalog import REASONS
from workshop_tui.server.http import Headers

#: The ``code`` of an error that has no domain kind, by HTTP status.
STATUS_CODES: Final = {
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}

#: What a person reads for each code (a refusal with a ``reason`` or a phase says more).
HUMAN: Final = {
    "unauthorized": N_("Your session has expired. Please join again."),
    "not_found": N_("This was not found: it may have been removed, or the code is wrong."),
    "method_not_allowed": N_("That did not work. Please try again."),
    "conflict": N_("That is not possible right now."),
    "wrong_phase": N_("That is not possible at this stage of the workshop."),
    "blocked": N_("The facilitator has stopped taking notes from you in this workshop."),
    "too_large": N_("That is too long to send."),
    "unsupported_media_type": N_("That did not work. Please try again."),
    "invalid": N_("That could not be sent. Please check what you typed."),
    "rate_limited": N_("Too fast: please wait a few seconds and try again."),
    "store_failed": N_("The facilitator’s computer could not save that. Please try again in a moment."),
    "unavailable": N_("The server is busy. Please try again in a few seconds."),
    "server_full": N_("The server is busy. Please try again in a few seconds."),
    "internal": N_("Something went wrong on the facilitator’s computer."),
    "error": N_("That did not work. Please try again."),
}


_ACTIONS: Final = frozenset(Action)
_PHASES: Final = frozenset(Phase)


def code_of(exc: WorkshopError) -> str:
    return exc.kind if exc.kind in HUMAN else STATUS_CODES.get(exc.status, "error")


def human(code: str, detail: Any, lang: str) -> str:
    tr = i18n.translator(lang)
    d = detail if isinstance(detail, dict) else {}
    reason = d.get("reason")
    if isinstance(reason, str) and reason in REASONS:
        return tr.gettext(REASONS[reason]).format_map(_Safe(d))
    action, phase = d.get("action"), d.get("phase")
    if code == "wrong_phase" and action in _ACTIONS and phase in _PHASES:
        refusal = ACTIONS[Action(action)].refusal
        if refusal:
            what, why = tr.gettext(refusal), tr.gettext(PHASE_SPECS[Phase(phase)].refusal_reason)
            return tr.gettext("{what} — {why}.").format(what=what, why=why)
    return tr.gettext(HUMAN.get(code, HUMAN["error"]))


def language(headers: Headers, default: str = DEFAULT) -> str:
    """The reader's language from ``Accept-Language`` (raw ASGI headers)."""
    for key, value in headers:
        if key == b"accept-language":
            return i18n.negotiate(value.decode("latin-1"), SHIPPED, default)
    return default


class _Safe(dict[str, Any]):
    """A placeholder the detail lacks stays as written instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
