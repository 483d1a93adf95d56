"""The phone page's own files: participant text can only ever be inserted as text."""

from __future__ import annotations

import re

import pytest

from tests.helpers.paths import STATIC


@pytest.mark.parametrize(
    "sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]
)
def test_the_script_has_no_html_sinks(sink: str) -> None:
    assert sink not in (STATIC / "phone.js").read_text()


def test_the_page_has_no_inline_script_style_or_handlers_for_the_csp() -> None:
    html = (STATIC / "phone.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all('src="/static/' in tag for tag in scripts)
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
