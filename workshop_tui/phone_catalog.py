"""Every string of the phone page, as gettext messages: the server sends one JSON catalog per language
(``GET /api/v1/i18n/{lang}``) and ``phone.js`` reads its words only from it (``t(key, vars)``,
``tn(key, count, vars)``). Placeholders are ``{name}``; a plural entry is sent as one form per CLDR
plural category, which the page picks with ``Intl.PluralRules``.

A new phone string is one row here (then ``make i18n`` and a translation in each ``.po``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from workshop_tui import i18n
from workshop_tui.actions import ACTIONS
from workshop_tui.locales import N_, NP_, SHIPPED
from workshop_tui.phases import PHASE_SPECS

MESSAGES: dict[str, str | tuple[str, str]] = {
    "pageTitle": N_("Workshop"),
    "noscript": N_("This page needs JavaScript."),
    "language": N_("Language"),
    "joinHeading": N_("Join the workshop"),
    "nameLabel": N_("Your name (optional)"),
    "nameProjected": N_("The screen at the front of the room shows your name beside your notes."),
    "nameRecords": N_("The screen shows your notes without your name; the organisers' files keep who wrote what."),
    "nameHidden": N_("An anonymous workshop: your name is shown nowhere, neither on the screen nor in the results."),
    "skillsLabel": N_("Skills or role (optional, separated by commas)"),
    "joinButton": N_("Join"),
    "welcome": N_("Welcome!"),
    "welcomeName": N_("Welcome, {name}!"),
    "waiting": N_("Waiting for the facilitator to start…"),
    "ideaLabel": N_("Your idea (one per note)"),
    "postButton": N_("Post idea"),
    "discard": N_("Discard"),
    "posted": N_("Posted!"),
    "draftKept": N_("Your text is kept here."),
    "counter": N_("{count} / {max}"),
    "tooLong": N_("{count} / {max}: too long"),
    "myNotes": N_("My notes"),
    "noNotes": N_("No notes yet."),
    "edit": N_("Edit"),
    "save": N_("Save"),
    "cancel": N_("Cancel"),
    "del": N_("Delete"),
    "reallyDelete": N_("Really delete?"),
    "editLabel": N_("Edit note: {text}"),
    "deleteLabel": N_("Delete note: {text}"),
    "saved": N_("Saved."),
    "deleted": N_("Deleted."),
    "sayDone": N_("I’m done"),
    "notDoneWriting": N_("Not done yet, keep writing"),
    "notDoneVoting": N_("Not done yet, keep voting"),
    "doneChangeVotes": N_("Done ✓ · change my votes"),
    "readyWriting": NP_("{count} of {people} is done writing", "{count} of {people} are done writing"),
    "readyVoting": NP_("{count} of {people} is done voting", "{count} of {people} are done voting"),
    "readyRanking": NP_("{count} of {people} has saved a ranking", "{count} of {people} have saved a ranking"),
    "privateNotice": N_(
        "Private writing: your notes stay hidden from the wall until the facilitator shows them all at once."
    ),
    "privateTag": N_("Hidden until the facilitator shows all notes"),
    "privateCount": NP_("{count} note written in private so far.", "{count} notes written in private so far."),
    "groupHint": N_("The facilitator is grouping the notes."),
    "ungrouped": N_("Not grouped yet"),
    "noIdeas": N_("No notes on the wall yet."),
    "noDotsLeft": N_("No dots left"),
    "dotsLeft": NP_("{count} dot left", "{count} dots left"),
    "voteHeading": N_("Place your dots"),
    "voteHint": N_("Tap + to add a dot, − to take it back."),
    "voteCap": N_("At most {max} on one note."),
    "votingClosed": N_("Voting is not open right now."),
    "votingSoon": N_("Voting opens soon: the facilitator explains the rules first."),
    "results": N_("Results"),
    "resultsHint": N_("Ideas with the most dots first."),
    "resultsHintOpen": N_("Ideas with the most dots first. Voting is still open."),
    "rank": N_("#{place}"),
    "tie": N_("tie"),
    "rankLabel": N_("Place {place}"),
    "rankLabelTied": N_("Tied for place {place}"),
    "noteCount": NP_("{count} note", "{count} notes"),
    "yourDotsCount": NP_("{count} of your dots", "{count} of your dots"),
    "addDot": N_("Add a dot to: {text}"),
    "removeDot": N_("Remove a dot from: {text}"),
    "myDots": N_("Your dots: {count}"),
    "totalDots": NP_("{count} dot in total", "{count} dots in total"),
    "dots": NP_("{count} dot", "{count} dots"),
    "rankHeading": N_("Which idea would you like to work on?"),
    "rankHint": N_("Put your favourite first. Use the arrows, then save."),
    "moveUp": N_("Move up: {text}"),
    "moveDown": N_("Move down: {text}"),
    "savePrefs": N_("Save my ranking"),
    "prefsSaved": N_("Ranking saved."),
    "unsaved": N_("Unsaved changes: tap “{button}” to keep this order."),
    "noCandidates": N_("The facilitator is choosing the ideas for teams…"),
    "yourTeam": N_("Your team"),
    "champion": N_("Champion: {name}"),
    "members": N_("Members"),
    "anonymous": N_("Anonymous"),
    "thanks": N_("Thank you for taking part!"),
    "summaryNotes": NP_("You posted {count} note.", "You posted {count} notes."),
    "summaryDots": NP_("You placed {count} dot.", "You placed {count} dots."),
    "nextHeading": N_("What happens next"),
    "nextNowBacklog": N_("The facilitator is turning the chosen ideas into next steps, each with an owner."),
    "nextNowClosed": N_("The workshop is over. The organisers follow up on the chosen ideas."),
    "prototypes": NP_("{count} idea goes on to become a prototype.", "{count} ideas go on to become prototypes."),
    "followLead": N_("Follow what happens next"),
    "followReview": N_("{title}: next review {date}"),
    "followNoReview": N_("{title}: no review date yet"),
    "comeBackHeading": N_("Coming back"),
    "comeBack": N_(
        "This page stays open for updates: bookmark it, or scan the QR code again (workshop code {code}). "
        "Your notes and dots are kept."
    ),
    "topIdeas": N_("Top ideas"),
    "closedNoJoin": N_("This workshop is closed."),
    "timeLeft": N_("{time} left"),
    "timePaused": N_("{time} left (paused)"),
    "timeUp": N_("Time is up"),
    "timeUpNote": N_("Time is up. The facilitator will tell you what comes next."),
    "reconnecting": N_("reconnecting…"),
    "offline": N_("No connection. Check your Wi-Fi."),
    "tooFast": N_("Too fast, try again in {seconds} s"),
    "notFound": N_("Workshop not found. Check the code and scan the QR code again."),
    "badCode": N_("This link has no valid workshop code."),
    "rejoin": N_("Your session has expired. Please join again."),
    "refusal": N_("{what} — {why}."),
    "refusalShort": N_("{what}."),
    "noteGone": N_("This note is no longer on the wall."),
    "badNote": N_("Your note is empty or too long (at most {max} characters)."),
    "badInput": N_("That could not be sent. Please check what you typed."),
    "serverTrouble": N_("The facilitator’s computer could not save that. Please try again in a moment."),
    "failed": N_("That did not work. Please try again."),
}

# Why a dot or a note was refused, by the machine-readable ``detail.reason`` of a 409 (the service's).
REASONS: dict[str, str] = {
    "voting_closed": N_("Voting is paused. Wait for the facilitator to open it."),
    "no_dots_left": N_("You have used all your dots. Take one back to move it."),
    "idea_cap": N_("At most {max_dots_per_idea} of your dots can go on one note."),
    "no_dot_here": N_("You have no dot on this note."),
    "note_gone": N_("This note was merged or removed by the facilitator."),
}


def all_messages() -> dict[str, str | tuple[str, str]]:
    """The page's messages with the phase and action tables' rows (``phase.vote``, ``because.vote``,
    ``refused.cast_dot``, ``reason.no_dots_left``)."""
    out: dict[str, str | tuple[str, str]] = dict(MESSAGES)
    for phase, spec in PHASE_SPECS.items():
        out[f"phase.{phase.value}"] = spec.audience_title
        out[f"because.{phase.value}"] = spec.refusal_reason
    for action, aspec in ACTIONS.items():
        if aspec.refusal:
            out[f"refused.{action.value}"] = aspec.refusal
    for reason, text in REASONS.items():
        out[f"reason.{reason}"] = text
    return out


@cache
def catalog(lang: str) -> dict[str, Any]:
    """The JSON catalog of ``lang`` (a shipped language)."""
    plurals = i18n.plural_categories(lang)
    tr = i18n.translator(lang)
    messages: dict[str, str | dict[str, str]] = {}
    for key, message in all_messages().items():
        if isinstance(message, tuple):
            singular, plural = message
            messages[key] = {cat: tr.ngettext(singular, plural, n) for cat, n in plurals.items()}
        else:
            messages[key] = tr.gettext(message)
    return {
        "language": lang,
        "languages": {code: i18n.native_name(code) for code in SHIPPED},
        "messages": messages,
    }
