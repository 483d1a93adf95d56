"""The phone page's words: every key the script reads is in the catalog, and every phone message is
translated in each shipped language, in the ``.po`` the translators edit and in the compiled ``.mo``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers.paths import STATIC
from workshop_tui import i18n, phone_catalog
from workshop_tui.locales import SHIPPED

LOCALE = Path(i18n.locale_dir())


def test_every_key_the_script_reads_is_in_the_catalog() -> None:
    script = (STATIC / "phone.js").read_text()
    keys = set(re.findall(r"\btn?\('([A-Za-z]+)'", script))
    keys |= set(re.findall(r"data-t=\"([A-Za-z]+)\"", (STATIC / "phone.html").read_text()))
    counts = re.search(r"const READY_COUNTS = \{([^}]*)\}", script)  # keys picked by the task
    assert counts is not None
    keys |= set(re.findall(r"'([a-z][A-Za-z]+)'", counts.group(1)))
    assert {"sayDone", "readyWriting", "privateNotice"} <= keys  # the scan finds what it should
    assert sorted(keys - set(phone_catalog.all_messages())) == []


def test_the_template_lists_every_phone_message() -> None:
    with (LOCALE / "messages.pot").open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    wanted = {m if isinstance(m, str) else m[0] for m in phone_catalog.all_messages().values()}
    assert sorted(wanted - template) == []


@pytest.mark.parametrize("lang", [lang for lang in SHIPPED if lang != "en"])
def test_every_phone_message_is_translated_and_compiled(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        po = read_po(f, locale=lang)
    tr = i18n.translator(lang)
    missing, stale = [], []
    for message in phone_catalog.all_messages().values():
        msgid = message if isinstance(message, str) else message[0]
        entry = po.get(msgid)
        found = None if entry is None else entry.string
        strings = [found] if isinstance(found, str) else list(found or ())
        if not strings or not all(strings):
            missing.append(msgid)
            continue
        compiled = tr.gettext(msgid) if isinstance(message, str) else tr.ngettext(message[0], message[1], 1)
        if compiled != strings[0]:
            stale.append(msgid)  # the .po was translated but `make i18n-compile` not run
    assert missing == [] and stale == []


@pytest.mark.parametrize("module", ["screens/presenter.py", "screens/follow.py"])
def test_the_room_screens_take_the_phone_words_from_its_catalog(module: str) -> None:
    """What the projector says as the phones say it is read from ``phone_catalog.MESSAGES``, never typed
    again (a retyped copy drifts from the phone's words and from their translations)."""
    phone = set()
    for message in phone_catalog.MESSAGES.values():
        phone |= set(message) if isinstance(message, tuple) else {message}
    source = (Path(__file__).parents[2] / module).read_text()
    typed = {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert sorted(typed & phone) == []
