"""Atom feeds (RFC 4287): one per workshop, one per prototype.

One entry per history entry of a prototype (a status change, or a review that kept the status) and one
per answered ask. Ids are ``urn:uuid:`` names derived from our own ids (uuid5), so they stay the same
across regenerations and whatever ``--base-url`` the site is published under; times come from the data.
Titles and summaries are in the workshop's language (``Workshop.language``).

Written with the standard library's ElementTree (it escapes text and attributes) rather than feedgen,
which pulls in lxml for what is a dozen elements.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from workshop_tui.backlog import department_name
from workshop_tui.export_json import ExportDocument
from workshop_tui.models import BacklogItem
from workshop_tui.publish.options import SiteOptions
from workshop_tui.publish.text import carriable, file_id
from workshop_tui.publish.views import describe_change, ordered_history
from workshop_tui.report_words import Words

ATOM = "http://www.w3.org/2005/Atom"
#: The namespace of every id of the site (uuid5): fixed forever, or every feed reader sees new entries.
NAMESPACE = uuid.UUID("8f0d6a52-6c1e-5d0e-9a57-2f1bd2d0a3c1")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    summary: str
    link: str
    category: str


def stable_id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(parts))}"


def _stamp(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entries(doc: ExportDocument, item: BacklogItem) -> list[Entry]:
    anchor = f"index.html#p-{file_id(item.id)}"
    words = Words(doc.workshop.language)
    tr = words.tr
    out = []
    for n, h in enumerate(ordered_history(item)):
        lines = [h.note] if h.note else []
        if h.next_review:
            lines.append(tr.gettext("Next review: {date}").format(date=words.day(h.next_review)))
        out.append(
            Entry(
                id=stable_id("item", item.id, "history", str(n)),
                title=f"{item.title}: {describe_change(n, h, words)}",
                updated=h.at,
                summary="\n".join(lines),
                link=anchor,
                category="status" if n == 0 or h.from_ != h.to else "review",
            )
        )
    seen: dict[str, int] = {}
    for ask in item.asks:
        if ask.answered_at is None:
            continue
        key = "/".join([ask.kind.value, department_name(ask).casefold(), ask.detail])
        seen[key] = seen.get(key, 0) + 1  # two identical asks still get two ids
        department = department_name(ask)
        out.append(
            Entry(
                id=stable_id("item", item.id, "ask", key, str(seen[key])),
                title=tr.gettext("{title}: {department} answered ({status})").format(
                    title=item.title, department=department, status=words.label(ask.status)
                ),
                updated=dt.datetime.combine(ask.answered_at, dt.time(), tzinfo=dt.UTC),
                summary=ask.answer or ask.detail,
                link=anchor,
                category="ask",
            )
        )
    return out


def _feed(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    page: str,
    self_url: str | None,
    fallback: dt.datetime,
    items: list[Entry],
) -> bytes:
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = carriable(text)
        return element

    items = sorted(items, key=lambda e: (e.updated, e.id), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", feed_id)
    add(feed, "title", title)
    add(feed, "subtitle", subtitle)
    add(feed, "updated", _stamp(max((e.updated for e in items), default=fallback)))
    add(feed, "link", rel="alternate", type="text/html", href=page)
    if self_url:
        add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    author = add(feed, "author")
    add(author, "name", title)
    add(feed, "generator", "workshop-tui")
    for e in items:
        entry = add(feed, "entry")
        add(entry, "id", e.id)
        add(entry, "title", e.title)
        add(entry, "updated", _stamp(e.updated))
        add(entry, "link", rel="alternate", type="text/html", href=e.link)
        add(entry, "category", term=e.category)
        add(entry, "summary", e.summary, type="text")
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def _absolute(options: SiteOptions, base: str, link: str) -> str:
    return options.url(base + link) or link


def workshop_feed(doc: ExportDocument, options: SiteOptions, base: str) -> bytes:
    """``base`` is the workshop's folder in the site ("w/CODE/"): relative links resolve against the feed."""
    w = doc.workshop
    tr = Words(w.language).tr
    items = [e for item in doc.backlog for e in entries(doc, item)]
    items = [Entry(**{**e.__dict__, "link": _absolute(options, base, e.link)}) for e in items]
    return _feed(
        feed_id=stable_id("workshop", w.id),
        title=w.title,
        subtitle=tr.gettext(
            "What became of the ideas of workshop {code}: status changes, reviews, answers from the city"
        ).format(code=w.code),
        page=_absolute(options, base, "index.html"),
        self_url=options.url(base + "feed.atom"),
        fallback=w.updated_at,
        items=items,
    )


def item_feed(doc: ExportDocument, item: BacklogItem, options: SiteOptions, base: str) -> bytes:
    items = [Entry(**{**e.__dict__, "link": _absolute(options, base, e.link)}) for e in entries(doc, item)]
    tr = Words(doc.workshop.language).tr
    return _feed(
        feed_id=stable_id("item", item.id),
        title=item.title,
        subtitle=tr.gettext("A prototype of workshop {code} ({title})").format(
            code=doc.workshop.code, title=doc.workshop.title
        ),
        page=_absolute(options, base, f"index.html#p-{file_id(item.id)}"),
        self_url=options.url(base + f"{file_id(item.id)}.atom"),
        fallback=item.updated_at,
        items=items,
    )
