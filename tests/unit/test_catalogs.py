"""The gettext catalogs against the code: extraction runs here (Babel, with the Makefile's keywords), and
every shipped language must translate exactly what the code marks, with its placeholders, compiled."""

from __future__ import annotations

import functools
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.helpers.paths import ROOT
from workshop_tui.locales import SHIPPED
from workshop_tui.phone_catalog import all_messages

LOCALE = ROOT / "workshop_tui" / "locale"


def keywords() -> dict[str, tuple[int, ...] | None]:
    """The Makefile's ``KEYWORDS`` (one place says what is extracted)."""
    line = re.search(r"^KEYWORDS := (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert line, "the Makefile has no KEYWORDS line"
    out: dict[str, tuple[int, ...] | None] = {}
    for spec in re.findall(r"-k (\S+)", line.group(1)):
        name, _, args = spec.partition(":")
        out[name] = tuple(int(a) for a in args.split(",")) if args else None
    return out


@functools.cache  # half a second of CPU: once, in a worker that runs these tests, not in every collection
def extracted() -> frozenset[str | tuple[str, str]]:
    """What ``make i18n-extract`` finds, with babel.cfg's extractors (Python, and the site's Jinja2 templates)."""
    found: set[str | tuple[str, str]] = set()
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)  # type: ignore[no-untyped-call]  # Babel ships no types
    for package in ("workshop_tui", "screens"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map, options_map, keywords=keywords()
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return frozenset(found)


def po(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def key(message_id: str | tuple[str, ...] | list[str]) -> str | tuple[str, str]:
    return message_id if isinstance(message_id, str) else (message_id[0], message_id[1])


PERCENT_FIELD = re.compile(r"%\((\w+)\)s")  # the templates' messages (jinja2.ext.i18n, new style)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name} | set(PERCENT_FIELD.findall(text))


def test_extraction_finds_the_phone_page_and_the_tables() -> None:
    """The extraction sees the marked messages (if it found nothing, every other test here would pass)."""
    wanted = {key(m) for m in all_messages().values()}
    found = extracted()
    assert wanted <= found
    assert "Share ideas" in found and "Voting is not open" in found  # the phase and action tables
    assert "What became of the ideas" in found and "Workshop %(code)s" in found  # the site's templates


@pytest.mark.parametrize("lang", SHIPPED)
def test_each_catalog_has_every_message_and_no_stale_one(lang: str) -> None:
    catalog = po(lang)
    present = {key(m.id) for m in catalog if m.id}
    missing = extracted() - present
    stale = present - extracted()
    assert not missing, f"{lang}: missing {sorted(map(str, missing))[:10]}: run `make i18n` and translate"
    assert not stale, f"{lang}: stale {sorted(map(str, stale))[:10]}: run `make i18n`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_each_message_is_translated_with_its_placeholders(lang: str) -> None:
    catalog = po(lang)
    header = (LOCALE / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: ' in header and f'"Language: {lang}\\n"' in header, f"{lang}: the header is gone"
    for m in catalog:
        if not m.id:
            continue
        assert not m.fuzzy, (lang, m.id)
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string or ())
        assert all(strings), f"{lang}: untranslated {m.id!r}"
        wanted = set().union(*(fields(i) for i in ids))
        for text in strings:
            assert fields(text) <= wanted, f"{lang}: {text!r} uses a placeholder {m.id!r} has not"
            if isinstance(m.id, str):
                assert fields(text) == wanted, f"{lang}: {text!r} drops a placeholder of {m.id!r}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_compiled_catalog_is_the_po_file(lang: str) -> None:
    """The shipped ``.mo`` files are committed (a clean clone and its wheel need no build step): they must be
    what ``make i18n-compile`` makes of the ``.po`` files today."""
    mo_path: Path = LOCALE / lang / "LC_MESSAGES" / "messages.mo"
    with mo_path.open("rb") as f:
        shipped = read_mo(f)
    fresh = io.BytesIO()
    write_mo(fresh, po(lang))
    fresh.seek(0)
    compiled = read_mo(fresh)
    assert {key(m.id): m.string for m in shipped if m.id} == {key(m.id): m.string for m in compiled if m.id}, (
        f"{mo_path} is stale: run `make i18n-compile`"
    )
