"""iCalendar files (RFC 5545) of review dates, for any calendar app that subscribes to a URL.

Per prototype:

- **the next review**: one all-day event with the UID ``review-ITEM@workshop-tui``. Its SEQUENCE is the
  number of times the promised date changed in the history (set once: 0; moved twice: 2), so it grows
  with every move and is the same on every regeneration; a calendar that subscribed moves the event
  instead of keeping the old date. When no date is promised any more the event stays, CANCELLED, with
  the next SEQUENCE, so subscribers drop it.
- **each review held** (workshop_tui/backlog_ledger.py ``reviews``): an all-day event on that day with its own
  UID, saying whether it was on time.

DTSTAMP and LAST-MODIFIED are the time of the history entry that made the event what it is (never the
clock), DESCRIPTION carries the status and the link to the prototype on the site. Summaries and
descriptions are in the workshop's language (``Workshop.language``); UIDs and codes never change with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event

from workshop_tui.backlog_ledger import reviews
from workshop_tui.export_json import ExportDocument
from workshop_tui.models import BacklogItem
from workshop_tui.publish.options import SiteOptions
from workshop_tui.publish.text import carriable, file_id
from workshop_tui.publish.views import ordered_history
from workshop_tui.report_words import Words

PRODID = "-//workshop-tui//follow-up site//EN"


def date_moves(item: BacklogItem) -> tuple[int, dt.date | None, dt.datetime | None]:
    """(times the promised date changed after it was first set, the date in force, when it was set)."""
    moves, last, when = 0, None, None
    changes = [(h.next_review, h.at) for h in ordered_history(item)]
    changes.append((item.next_review, item.updated_at))  # a date set without a history entry (older data)
    for date, at in changes:
        if date == last:
            continue
        if when is not None:  # a date was promised before: this moves (or withdraws) it
            moves += 1
        last, when = date, at
    return moves, last, when


def _last_promised(item: BacklogItem) -> dt.date | None:
    dates = [h.next_review for h in ordered_history(item) if h.next_review is not None]
    return dates[-1] if dates else item.next_review


def _utc(moment: dt.datetime) -> dt.datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime, url: str | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("last-modified", _utc(stamp))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", carriable(summary))
    event.add("description", carriable(description))
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def item_events(doc: ExportDocument, item: BacklogItem, options: SiteOptions) -> list[Event]:
    path = f"w/{doc.workshop.code}/index.html#p-{file_id(item.id)}"
    link = options.url(path) or path
    words = Words(doc.workshop.language)
    tr = words.tr
    owner = item.owner.name or tr.gettext("not named yet")
    about = "\n".join(
        [
            tr.gettext("Workshop {code}: {title}").format(code=doc.workshop.code, title=doc.workshop.title),
            tr.gettext("Status: {status}").format(status=words.label(item.status)),
            tr.gettext("Owner: {owner}").format(owner=owner),
            link,
        ]
    )
    out = []
    for review in reviews(item):
        held = (
            tr.gettext("Review held on time.")
            if review.on_time
            else tr.ngettext(
                "Review held {count} day late (due {date}).",
                "Review held {count} days late (due {date}).",
                review.days_late,
            ).format(count=review.days_late, date=words.day(review.due) if review.due else "–")
        )
        day_entries = [h for h in ordered_history(item) if h.at.date() == review.day]
        out.append(
            _event(
                f"review-{file_id(item.id)}-{review.day.isoformat()}@workshop-tui",
                review.day,
                tr.gettext("Reviewed: {title}").format(title=item.title),
                f"{held}\n{about}",
                day_entries[0].at if day_entries else item.updated_at,
                options.url(path),
            )
        )
    moves, current, since = date_moves(item)
    promised = current or _last_promised(item)
    if promised is not None:
        event = _event(
            f"review-{file_id(item.id)}@workshop-tui",
            promised,
            tr.gettext("Review: {title}").format(title=item.title),
            (tr.gettext("Next review of this prototype.") if current else tr.gettext("No review planned any more."))
            + f"\n{about}",
            since or item.updated_at,
            options.url(path),
        )
        event.add("sequence", moves)
        event.add("status", "CONFIRMED" if current else "CANCELLED")
        out.append(event)
    return out


def event_blocks(doc: ExportDocument, options: SiteOptions) -> list[bytes]:
    """The workshop's events, each encoded once (a workshop's calendar and the site's share them)."""
    items = sorted(doc.backlog, key=lambda i: (i.created_at, i.id))
    return [bytes(event.to_ical()) for item in items for event in item_events(doc, item, options)]


def review_calendar(name: str, blocks: Sequence[bytes]) -> bytes:
    """A calendar named ``name`` holding the encoded events ``blocks`` (each a whole VEVENT)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", carriable(name))
    head = bytes(cal.to_ical())
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[: -len(end)] + b"".join(blocks) + end
