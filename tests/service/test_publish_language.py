"""The follow-up site in the workshop's language (issue 15): a Finnish, Swedish or Dutch workshop's pages have no
English left (every English message of the catalog, in pieces around its placeholders and tags, must be absent
once people's own words are taken out) and say `lang`; Finnish money, dates, feeds and calendars as Finns write."""

from __future__ import annotations

import re
from decimal import Decimal

import html5lib
import icalendar
import pytest
from babel.messages.pofile import read_po

from tests.helpers.followup import Followed, followed_workshop
from tests.helpers.paths import ROOT
from workshop_tui import i18n
from workshop_tui.publish import SiteOptions, build_site
from workshop_tui.service import WorkshopService

Files = dict[str, bytes]
XHTML = "{http://www.w3.org/1999/xhtml}"
SPLIT = re.compile(r"\{\w+\}|%\(\w+\)s|<[^>]+>")
#: Attributes whose text a person reads (or a screen reader says).
READ = ("aria-label", "data-label", "title")
#: Words a language writes as English does (reviewed), and the feed format's name, which every language keeps.
SAME_AS_ENGLISH = {
    "fi": set(),
    "sv": {"Workshop", "Budget", "Status"},
    "nl": {
        "Workshop",
        "Workshops",
        "Budget",
        "Status",
        "Teams",
        "Prototype",
        "Prototypes",
        "prototype",
        "prototypes",
        "open",
        "open data",
    },
}
SAME_EVERYWHERE = {"Atom"}


def english_pieces(lang: str) -> set[str]:
    """Each English message's words between its placeholders and tags (a missing translation shows these)."""
    with (ROOT / "workshop_tui/locale/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    pieces: set[str] = set()
    for m in catalog:
        for form in [m.string] if isinstance(m.string, str) else list(m.string or ()):
            for piece in SPLIT.split(form or ""):
                piece = piece.strip(" .,:;!?…—–-“”#/()+−·")
                if (
                    len(piece) >= 4
                    and re.search(r"[A-Za-z]{3}", piece)
                    and piece not in SAME_EVERYWHERE | SAME_AS_ENGLISH[lang]
                ):
                    pieces.add(piece)
    return pieces


def page_text(data: bytes) -> tuple[str, str]:
    """(the ``lang`` of the page, what it says with people's own words taken out: they sit in ``<bdi>``)."""
    root = html5lib.parse(data.decode("utf-8"))
    theirs = sorted({"".join(b.itertext()) for b in root.iter(f"{XHTML}bdi")}, key=len, reverse=True)
    said = ["".join(root.itertext())] + [v for e in root.iter() for k, v in e.attrib.items() if k in READ]
    text = "\n".join(said)
    for words in theirs:
        text = text.replace(words, " ")
    return root.attrib["lang"], text


def english_left(text: str, pieces: set[str]) -> list[str]:
    return sorted(p for p in pieces if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


@pytest.fixture
async def finnish(service: WorkshopService) -> Followed:
    return await followed_workshop(service, title="Varjoa torille", language="fi")


def site(service: WorkshopService, f: Followed) -> Files:
    return build_site(service.views(), SiteOptions(as_of=f.day(40).date()))


@pytest.mark.parametrize("lang", ["fi", "sv", "nl"])
async def test_a_workshop_publishes_no_english(service: WorkshopService, lang: str) -> None:
    f = await followed_workshop(service, title="Varjoa torille", language=lang)
    files = site(service, f)
    pieces = english_pieces(lang)
    assert {"What became of the ideas", "Next review", "Promises kept"} <= pieces  # the check can fail
    pages = [name for name in files if name.endswith(".html")]
    assert f"w/{f.code}/index.html" in pages and "index.html" in pages
    assert any(name.startswith("departments/") for name in pages)
    for name in pages:
        said, text = page_text(files[name])
        assert said == lang, name
        assert not english_left(text, pieces), f"{name}: English left: {english_left(text, pieces)}"
    assert "<script>" not in files[f"w/{f.code}/index.html"].decode()  # still escaped in a translation


async def test_a_finnish_workshop_speaks_finnish(service: WorkshopService, finnish: Followed) -> None:
    files = site(service, finnish)
    workshop = page_text(files[f"w/{finnish.code}/index.html"])[1]
    assert "Mitä ideoista tuli" in page_text(files["index.html"])[1]
    assert "Pidetyt lupaukset" in workshop and "Seuraava tarkistus" in workshop and "Vastuuhenkilö: " in workshop


async def test_finnish_money_and_dates(service: WorkshopService, finnish: Followed) -> None:
    text = re.sub(r"[ \t\n]+", " ", page_text(site(service, finnish)[f"w/{finnish.code}/index.html"])[1])
    assert i18n.money(Decimal(20000), "EUR", "fi") == "20\xa0000,00\xa0€"  # golden: CLDR's Finnish
    assert "20\xa0000,00\xa0€" in text and "900,00\xa0€" in text and "EUR" not in text  # the pool, a request
    assert not re.search(r"\d,\d{3}\.\d\d", text)  # no English thousands separator left
    day = finnish.day(30).date()
    assert f"Seuraava tarkistus: {day.day}.{day.month}.{day.year}" in text  # CLDR medium: 31.12.2026


async def test_feeds_and_calendars_speak_finnish(service: WorkshopService, finnish: Followed) -> None:
    files = site(service, finnish)
    feed = files[f"w/{finnish.code}/feed.atom"].decode()
    assert "Mitä työpajan" in feed and "lisätty listalle" in feed and "What became" not in feed
    calendar = icalendar.Calendar.from_ical(files[f"w/{finnish.code}/reviews.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "Tarkistukset: Varjoa torille"
    descriptions = [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")]
    assert descriptions and all("Tila: " in d and "Vastuuhenkilö: " in d for d in descriptions)
    assert not any("Status:" in d or "Owner:" in d for d in descriptions)


async def test_pages_that_span_workshops_take_the_most_common_language(service: WorkshopService) -> None:
    """Two English workshops and one Finnish: the index and the site's calendar in English, each workshop
    page in its own language; the same data gives the same bytes."""
    fi = await followed_workshop(service, title="Varjoa torille", language="fi")
    await followed_workshop(service, title="Shade for the square", language="en")
    await followed_workshop(service, title="Shade for the park", language="en")
    files = site(service, fi)
    assert page_text(files["index.html"])[0] == "en"
    assert page_text(files[f"w/{fi.code}/index.html"])[0] == "fi"
    assert str(icalendar.Calendar.from_ical(files["reviews.ics"])["X-WR-CALNAME"]) == "Workshop reviews"
    assert site(service, fi) == files


async def test_a_translated_message_still_escapes_its_variables(service: WorkshopService) -> None:
    """The workshop's title reaches ``{% trans %}`` blocks (``<title>``) and ``gettext()`` with a variable (the
    feeds' ``<link title>``): in a translation too it is escaped, never markup."""
    hostile = "<script>alert('t')</script> & \"x\""
    f = await followed_workshop(service, title=hostile, language="fi")
    files = site(service, f)
    page = files[f"w/{f.code}/index.html"].decode()
    escaped = "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &#34;x&#34;"
    assert f"<title>{escaped}: mitä on tapahtunut</title>" in page
    assert f'title="Uutisia: {escaped}"' in page
    for name, data in files.items():
        if name.endswith(".html"):
            assert b"<script" not in data, name
