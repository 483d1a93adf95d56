"""The public follow-up site (issue 14): pages, feeds and calendars read back as real clients read them."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import html5lib
import icalendar
import pytest

from tests.helpers.followup import HOSTILE_HTML, REAL_NAMES, Followed, followed_workshop
from tests.helpers.hostile_text import ESCAPES
from workshop_tui import i18n
from workshop_tui.demo import build_demo
from workshop_tui.phases import Phase
from workshop_tui.publish import SiteOptions, build_site, write_site
from workshop_tui.publish.site import MANIFEST
from workshop_tui.publish.text import carriable
from workshop_tui.service import WorkshopService

Files = dict[str, bytes]
BASE = "https://city.example/follow/"


@pytest.fixture
async def followed(service: WorkshopService) -> Followed:
    await build_demo(service)
    return await followed_workshop(service)


def site(service: WorkshopService, f: Followed, **options: Any) -> Files:
    return build_site(service.views(), SiteOptions(as_of=f.day(40).date(), **options))


def parse_html(data: bytes) -> Any:
    """Strict HTML5: any parse error fails (html5lib raises on the first one)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data.decode("utf-8"))


def pages(files: Files) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.endswith(".html")}


# ------------------------------------------------------------------------------------------- pages


async def test_every_page_is_strict_html5_without_script_or_external_url(
    service: WorkshopService, followed: Followed
) -> None:
    files = site(service, followed)
    assert {"index.html", "style.css", "reviews.ics", f"w/{followed.code}/index.html", "w/MAKE/index.html"} <= set(
        files
    )
    assert len(pages(files)) >= 4
    for name, data in pages(files).items():
        tree = parse_html(data)
        assert tree.findall(".//script") == [], name
        for element in tree.iter():
            for attr, value in element.attrib.items():
                assert not attr.lower().startswith("on"), (name, element.tag, attr)
                if attr in ("href", "src", "action", "xlink:href"):
                    assert not re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.I), (name, attr, value)
                    path = value.split("#")[0]
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
                    assert target in files, (name, value)  # every link leads to a file of the site
        assert b"<style" not in data and b"style=" not in data, name
    assert b"url(" not in files["style.css"] and b"@import" not in files["style.css"]


async def test_hostile_text_stays_text_and_hidden_or_deleted_notes_are_absent(
    service: WorkshopService, followed: Followed
) -> None:
    files = site(service, followed)
    page = files[f"w/{followed.code}/index.html"]
    tree = parse_html(page)
    text = "".join(tree.itertext())
    for hostile in (HOSTILE_HTML[0], HOSTILE_HTML[2], "{{ 7*7 }} {% raw %} ]]> &amp; &lt;", "Parks & Green <Space>"):
        assert hostile in text  # shown, as the very characters typed
    assert b"<script" not in page and b"<img" not in page and b"evil.example/p'>" not in page
    assert "49" not in text.split("Sails over the stalls")[1][:40]  # the template did not evaluate {{ 7*7 }}
    for name, data in files.items():
        assert followed.hidden_text.encode() not in data, name
        assert followed.deleted_text.encode() not in data, name
        for control in ("\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u2066"):  # pages, the feed, the calendar
            assert control.encode() not in data, (name, control)
    # A bidi override cannot reorder the page: participant text sits in <bdi>, an override shown as U+FFFD
    # (in the feed and the calendar too, which have no <bdi>).
    assert "\u202e" in ESCAPES["bidi"] and b"<bdi>" in page
    assert carriable(ESCAPES["bidi"]) == "BIDI\ufffdevil\ufffdiso\ufffd\ufffd"


async def test_the_public_site_names_nobody_who_did_not_consent(service: WorkshopService, followed: Followed) -> None:
    files = site(service, followed)
    demo = service.state("MAKE")
    public_owners = {i.owner.name for i in demo.backlog.values() if i.owner.public}
    secret = [*followed.names, *(p.name for p in demo.participants.values() if p.name not in public_owners)]
    for name, data in files.items():
        text = data.decode("utf-8")
        for who in secret:
            assert not re.search(rf"(?<!\w){re.escape(who)}(?!\w)", text), (name, who)
    page = " ".join("".join(parse_html(files[f"w/{followed.code}/index.html"]).itertext()).split())
    assert f"Owner: {REAL_NAMES[1]} (xander@example.org)" in page  # consented: named, with the contact
    assert "Owner: Participant 1 ·" in page  # did not: the pseudonym, no contact


async def test_the_workshop_page_shows_the_follow_up(service: WorkshopService, followed: Followed) -> None:
    files = site(service, followed)
    text = " ".join("".join(parse_html(files[f"w/{followed.code}/index.html"]).itertext()).split())
    for heading in ("The challenge", "Participation", "Top ideas", "Promises kept", "Budget", "Prototypes"):
        assert heading in text
    assert "How do we keep the square cool? <b>bold</b> & more" in text
    # The ledger as of day 40 (conversion promises a review on day 14): the first item was reviewed on days 1
    # and 13 (on time), the second on day 2 (on time) and day 20 (due 7: late), the third on day 3 (on time);
    # all three review dates (30, 7, 14) have passed.
    assert "Reviews held on time: 4 of 5 (1 late). Reviews overdue now: 3." in text
    assert "approved → prototyping" in text and "reviewed (approved)" in text
    assert f"Next review: {i18n.date(followed.day(30).date(), 'en', 'medium')}" in text  # CLDR: "Dec 31, 2026"
    dep = next(n for n in files if n.startswith("departments/parks-green-space-"))
    dep_text = " ".join("".join(parse_html(files[dep]).itertext()).split())
    assert "Parks & Green <Space>" in dep_text and "Granted for spring" in dep_text
    assert f"{i18n.date(followed.day(12).date(), 'en', 'medium')}: Granted for spring" in dep_text
    assert "Asked1 Answered1 Overdue0 Median days to answer12" in dep_text  # <dt>Asked</dt><dd>1</dd>...
    mobility = next(n for n in files if n.startswith("departments/mobility-"))
    assert b"Shade for the market square" in files[mobility] and b"Open City Hackathon" in files[mobility]


async def test_regenerating_gives_the_same_bytes_and_removes_what_is_gone(
    service: WorkshopService, followed: Followed, tmp_path: Path
) -> None:
    first = site(service, followed)
    assert site(service, followed) == first
    out = tmp_path / "site"
    write_site(first, out)
    (out / "README.txt").write_text("the city's own file")
    assert write_site(site(service, followed), out) == []
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {k: v for k, v in written.items() if k not in (MANIFEST, "README.txt")} == first
    only_demo = build_site([service.view("MAKE")], SiteOptions(as_of=followed.day(40).date()))
    removed = write_site(only_demo, out)
    assert f"w/{followed.code}/index.html" in removed and not (out / "w" / followed.code / "index.html").exists()
    assert (out / "README.txt").read_text() == "the city's own file"
    outside = tmp_path / "outside.txt"
    outside.write_text("not the site's")
    (out / MANIFEST).write_text(f"{outside}\n../outside.txt\n")  # a damaged manifest cannot reach outside DIR
    write_site(only_demo, out)
    assert outside.read_text() == "not the site's"


# ------------------------------------------------------------------------------------------- feeds


def feed(files: Files, name: str) -> Any:
    parsed = feedparser.parse(files[name])
    assert not parsed.bozo, (name, parsed.get("bozo_exception"))
    return parsed


async def test_feeds_parse_with_stable_ids_and_an_entry_per_change(
    service: WorkshopService, followed: Followed
) -> None:
    files = site(service, followed)
    base = f"w/{followed.code}/"
    workshop = feed(files, base + "feed.atom")
    # Item 1: created, approved, reviewed; item 2: created, approved, prototyping; item 3: created, parked;
    # and one answered ask.
    assert len(workshop.entries) == 3 + 3 + 2 + 1
    titles = [e.title for e in workshop.entries]
    assert any("answered (granted)" in t for t in titles)
    assert all(e.id.startswith("urn:uuid:") and e.updated_parsed for e in workshop.entries)
    assert len({e.id for e in workshop.entries}) == len(workshop.entries)
    assert [e.updated for e in workshop.entries] == sorted((e.updated for e in workshop.entries), reverse=True)
    hostile = [e for e in workshop.entries if HOSTILE_HTML[0] in e.title]  # the note's text, as text
    assert hostile and all(e.title_detail.type == "text/plain" for e in hostile)
    answered = next(e for e in workshop.entries if "answered" in e.title)
    assert answered.summary == f"Granted for spring {HOSTILE_HTML[2]}" and answered.summary_detail.type == "text/plain"
    for item_id in followed.item_ids:
        per_item = feed(files, base + f"{item_id}.atom")
        assert {e.id for e in per_item.entries} <= {e.id for e in workshop.entries}
        assert per_item.feed.link.endswith(f"index.html#p-{item_id}")
    # A later change adds an entry; every earlier id stays, whatever the base URL.
    await service.update_backlog_item(followed.item_ids[2], {"status": "approved"}, now=followed.day(41))
    again = feed(site(service, followed, base_url=BASE), base + "feed.atom")
    assert {e.id for e in workshop.entries} < {e.id for e in again.entries}
    assert again.entries[0].link == f"{BASE}{base}index.html#p-{followed.item_ids[2]}"
    assert any(link.rel == "self" and link.href == f"{BASE}{base}feed.atom" for link in again.feed.links)


async def test_feeds_are_well_formed_xml_whatever_the_text(service: WorkshopService, followed: Followed) -> None:
    for name, data in site(service, followed).items():
        if name.endswith(".atom"):
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2005/Atom}feed"
            assert b"\x1b" not in data and b"\x9b" not in data


async def test_without_a_base_url_no_file_names_an_outside_address(
    service: WorkshopService, followed: Followed
) -> None:
    for name, data in site(service, followed).items():
        text = data.decode("utf-8").replace('xmlns="http://www.w3.org/2005/Atom"', "")
        # Only what participants typed may look like an address, and it is text, never a link.
        text = text.replace("https://evil.example/p", "")
        assert "http://" not in text and "https://" not in text, name


# ---------------------------------------------------------------------------------------- calendars


def events(data: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


async def test_review_calendar_events_are_all_day_with_status_and_link(
    service: WorkshopService, followed: Followed
) -> None:
    files = site(service, followed, base_url=BASE)
    cal = events(files[f"w/{followed.code}/reviews.ics"])
    first = cal[f"review-{followed.item_ids[0]}@workshop-tui"]
    assert first.decoded("DTSTART") == followed.day(30).date()
    assert first.decoded("DTEND") == followed.day(31).date()
    assert int(first["SEQUENCE"]) == 1  # set on day 1, moved once on day 13
    assert str(first["STATUS"]) == "CONFIRMED"
    description = str(first["DESCRIPTION"])
    assert "Status: approved" in description
    assert f"{BASE}w/{followed.code}/index.html#p-{followed.item_ids[0]}" in description
    held = [e for uid, e in cal.items() if uid.startswith(f"review-{followed.item_ids[1]}-")]
    assert [e.decoded("DTSTART") for e in held] == [followed.day(2).date(), followed.day(20).date()]
    assert "on time" in str(held[0]["DESCRIPTION"]) and "13 days late" in str(held[1]["DESCRIPTION"])
    everything = events(files["reviews.ics"])
    assert set(cal) < set(everything)


async def test_a_moved_review_date_bumps_sequence_and_keeps_the_uid(
    service: WorkshopService, followed: Followed
) -> None:
    uid = f"review-{followed.item_ids[1]}@workshop-tui"
    name = f"w/{followed.code}/reviews.ics"
    before = events(site(service, followed)[name])[uid]
    assert events(site(service, followed)[name])[uid].to_ical() == before.to_ical()  # same data, same event
    await service.update_backlog_item(followed.item_ids[1], {"next_review": followed.date(45)}, now=followed.day(21))
    after = events(site(service, followed)[name])[uid]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == followed.day(45).date()
    await service.update_backlog_item(followed.item_ids[1], {"next_review": None}, now=followed.day(22))
    dropped = events(site(service, followed)[name])[uid]
    assert int(dropped["SEQUENCE"]) == int(after["SEQUENCE"]) + 1
    assert str(dropped["STATUS"]) == "CANCELLED"


async def test_an_empty_data_directory_publishes_an_index(service: WorkshopService) -> None:
    files = build_site([], SiteOptions(as_of=dt.date(2026, 12, 1)))
    assert "No workshops published yet" in "".join(parse_html(files["index.html"]).itertext())
    assert icalendar.Calendar.from_ical(files["reviews.ics"]).walk("VEVENT") == []


async def test_before_the_reveal_the_site_shows_no_ranking(service: WorkshopService) -> None:
    w = await service.create_workshop("Still voting")
    await service.set_phase(w.code, Phase.IDEATE)
    person, _ = await service.join(w.code, "Ann")
    idea = await service.post_idea(w.code, "SECRET-LEADER idea", author_id=person.id)
    await service.set_phase(w.code, Phase.GROUP)
    await service.set_phase(w.code, Phase.VOTE)
    await service.set_voting(w.code, voting_open=True)
    await service.cast_dot(w.code, person.id, idea.id)
    page = "w/" + w.code + "/index.html"
    text = "".join(parse_html(build_site(service.views(), SiteOptions(as_of=dt.date(2026, 12, 1)))[page]).itertext())
    assert "The votes are not revealed yet." in text and "SECRET-LEADER" not in text
    await service.set_voting(w.code, voting_open=False, results_revealed=True)
    text = "".join(parse_html(build_site(service.views(), SiteOptions(as_of=dt.date(2026, 12, 1)))[page]).itertext())
    assert "SECRET-LEADER" in text
